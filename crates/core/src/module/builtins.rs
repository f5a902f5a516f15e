//! Compile-time imports of the JS String Builtins proposal
//! (https://github.com/WebAssembly/js-string-builtins/blob/main/proposals/js-string-builtins/Overview.md):
//! the `wasm:js-string` builtin functions enabled by `{ builtins: ['js-string'] }`, and the
//! string constants of `{ importedStringConstants: "<module>" }`.
//!
//! At compile time every import from the string-constant module must be an immutable global
//! whose type `(ref extern)` matches, and every function import from `wasm:js-string` whose name
//! is a builtin must have exactly the builtin's type (V8 compares the types for equivalence, not
//! subtyping); a mismatch is a CompileError with V8's text at the import's offset. Imports
//! with other names (or other kinds) stay ordinary imports, as in V8. The embedder supplies
//! the resolved imports at instantiation ([`CompileTimeImports::role`]) and leaves them out of
//! `WebAssembly.Module.imports()`.

use crate::error::{CompileError, CompileErrorKind};
use crate::types::{ExternType, FuncType, FuncTypeId, HeapType, RefType, ValType};

use super::{ImportDesc, ModuleInfo};

/// The module name of the JS string builtins.
pub const JS_STRING_MODULE: &str = "wasm:js-string";

/// The compile options that enable compile-time imports (`WebAssemblyCompileOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BuiltinOptions {
    /// `builtins` named `js-string`.
    pub js_string: bool,
    /// `importedStringConstants`: the module name string constants are imported from.
    pub imported_string_constants: Option<String>,
}

impl BuiltinOptions {
    /// Whether no compile-time import is enabled.
    pub fn is_empty(&self) -> bool {
        !self.js_string && self.imported_string_constants.is_none()
    }
}

/// One builtin function of `wasm:js-string`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsStringBuiltin {
    /// `cast`: the string itself, or a trap.
    Cast,
    /// `test`: 1 for a string, 0 otherwise.
    Test,
    /// `fromCharCodeArray`: the string of the code units `[start, end)` of an i16 array.
    FromCharCodeArray,
    /// `intoCharCodeArray`: writes a string's code units into an i16 array from `start`.
    IntoCharCodeArray,
    /// `fromCharCode`: `String.fromCharCode(charCode >>> 0)`.
    FromCharCode,
    /// `fromCodePoint`: `String.fromCodePoint(codePoint >>> 0)`; traps above 0x10FFFF.
    FromCodePoint,
    /// `charCodeAt`: the UTF-16 code unit at an index; traps out of range.
    CharCodeAt,
    /// `codePointAt`: the code point at an index; traps out of range.
    CodePointAt,
    /// `length`: the number of UTF-16 code units.
    Length,
    /// `concat`: the two strings joined.
    Concat,
    /// `substring`: the code units in `[start, end)`, "" when the range is empty or past the end.
    Substring,
    /// `equals`: `first === second` (null allowed).
    Equals,
    /// `compare`: -1, 0 or 1 by code units.
    Compare,
}

impl JsStringBuiltin {
    /// Every builtin of `wasm:js-string`, in the proposal's order.
    pub const ALL: [JsStringBuiltin; 13] = [
        JsStringBuiltin::Cast,
        JsStringBuiltin::Test,
        JsStringBuiltin::FromCharCodeArray,
        JsStringBuiltin::IntoCharCodeArray,
        JsStringBuiltin::FromCharCode,
        JsStringBuiltin::FromCodePoint,
        JsStringBuiltin::CharCodeAt,
        JsStringBuiltin::CodePointAt,
        JsStringBuiltin::Length,
        JsStringBuiltin::Concat,
        JsStringBuiltin::Substring,
        JsStringBuiltin::Equals,
        JsStringBuiltin::Compare,
    ];

    /// The builtin's import name.
    pub fn name(self) -> &'static str {
        match self {
            JsStringBuiltin::Cast => "cast",
            JsStringBuiltin::Test => "test",
            JsStringBuiltin::FromCharCodeArray => "fromCharCodeArray",
            JsStringBuiltin::IntoCharCodeArray => "intoCharCodeArray",
            JsStringBuiltin::FromCharCode => "fromCharCode",
            JsStringBuiltin::FromCodePoint => "fromCodePoint",
            JsStringBuiltin::CharCodeAt => "charCodeAt",
            JsStringBuiltin::CodePointAt => "codePointAt",
            JsStringBuiltin::Length => "length",
            JsStringBuiltin::Concat => "concat",
            JsStringBuiltin::Substring => "substring",
            JsStringBuiltin::Equals => "equals",
            JsStringBuiltin::Compare => "compare",
        }
    }

    /// The builtin called `name`.
    pub fn from_name(name: &str) -> Option<JsStringBuiltin> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The builtin's function type, as V8 defines it: results `(ref extern)` where the
    /// Overview says so, and the array of `fromCharCodeArray`/`intoCharCodeArray` a
    /// `(ref null $array16)` of the final `(type $array16 (array (mut i16)))` (only a module that
    /// declares that GC type, so compiled in a profile that executes GC, can match them).
    pub fn func_type(self) -> FuncType {
        use ValType::I32;
        const EXTERN: ValType = ValType::EXTERNREF;
        const STRING: ValType = ValType::Ref(RefType::Typed { nullable: false, heap: HeapType::Extern });
        let array16 = ValType::Ref(RefType::new(true, HeapType::Concrete(FuncTypeId::mut_i16_array())));
        let (params, results): (&[ValType], &[ValType]) = match self {
            JsStringBuiltin::FromCharCodeArray => (&[array16, I32, I32], &[STRING]),
            JsStringBuiltin::IntoCharCodeArray => (&[EXTERN, array16, I32], &[I32]),
            JsStringBuiltin::Cast => (&[EXTERN], &[STRING]),
            JsStringBuiltin::Test | JsStringBuiltin::Length => (&[EXTERN], &[I32]),
            JsStringBuiltin::FromCharCode | JsStringBuiltin::FromCodePoint => (&[I32], &[STRING]),
            JsStringBuiltin::CharCodeAt | JsStringBuiltin::CodePointAt => (&[EXTERN, I32], &[I32]),
            JsStringBuiltin::Concat => (&[EXTERN, EXTERN], &[STRING]),
            JsStringBuiltin::Substring => (&[EXTERN, I32, I32], &[STRING]),
            JsStringBuiltin::Equals | JsStringBuiltin::Compare => (&[EXTERN, EXTERN], &[I32]),
        };
        FuncType::new(params, results)
    }
}

/// What the embedder supplies for one import at instantiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportRole {
    /// A builtin function of `wasm:js-string`.
    JsString(JsStringBuiltin),
    /// An imported string constant: an immutable global holding the import's name.
    StringConstant,
}

/// The compile-time imports of a module: its options and the role of each import (`None`:
/// an ordinary import, read from the import object).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompileTimeImports {
    /// The options the module was compiled with.
    pub options: BuiltinOptions,
    /// One entry per import, in declaration order (empty when no option is enabled).
    roles: Vec<Option<ImportRole>>,
}

impl CompileTimeImports {
    /// The role of import `index`, if the embedder supplies it.
    pub fn role(&self, index: usize) -> Option<ImportRole> {
        self.roles.get(index).copied().flatten()
    }

    /// Whether import `index` is an ordinary import (listed by `imports()`, read from the
    /// import object).
    pub fn is_ordinary(&self, index: usize) -> bool {
        self.role(index).is_none()
    }
}

/// The role of `import` under `options`, or V8's CompileError (without prefix and offset).
/// https://webassembly.github.io/spec/js-api/#validate-builtins-and-imported-string-for-a-webassembly-module
fn role_of(index: usize, import: &ImportDesc, options: &BuiltinOptions) -> Result<Option<ImportRole>, String> {
    // 1. If importedStringModule is not null and import[0] equals importedStringModule:
    if options.imported_string_constants.as_deref() == Some(import.module.as_str()) {
        // match_externtype(global const (ref extern), import type), else false.
        let string = RefType::Typed { nullable: false, heap: HeapType::Extern };
        return match &import.ty {
            ExternType::Global(g) if !g.mutable && ValType::Ref(string).matches(&g.content) => {
                Ok(Some(ImportRole::StringConstant))
            }
            _ => Err(format!(
                "String constant import #{index} \"{}\" must be an immutable global subtyping externref",
                import.name
            )),
        };
    }
    // 2. Else, validate an import for builtins (V8: function imports only, types equivalent).
    if !options.js_string || import.module != JS_STRING_MODULE {
        return Ok(None);
    }
    let (Some(builtin), ExternType::Func(ty)) = (JsStringBuiltin::from_name(&import.name), &import.ty) else {
        return Ok(None);
    };
    if builtin.func_type() == *ty {
        Ok(Some(ImportRole::JsString(builtin)))
    } else {
        Err(format!("Imported builtin function \"{JS_STRING_MODULE}\" \"{}\" has incorrect signature", import.name))
    }
}

/// The byte offset of each import entry of `bytes` (a module that decoded).
fn import_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::ImportSection(reader)) => {
                offsets.extend(reader.into_imports_with_offsets().filter_map(|r| r.ok().map(|(o, _)| o as usize)));
            }
            Ok(wasmparser::Payload::CodeSectionStart { .. }) | Err(_) => break,
            Ok(_) => {}
        }
    }
    offsets
}

/// Resolves the compile-time imports of a decoded module, or the CompileError (at the
/// offending import's offset) for an import that does not match its builtin or constant.
pub(crate) fn resolve(
    info: &ModuleInfo,
    bytes: &[u8],
    options: &BuiltinOptions,
) -> Result<CompileTimeImports, CompileError> {
    if options.is_empty() {
        return Ok(CompileTimeImports::default());
    }
    let mut roles = Vec::with_capacity(info.imports.len());
    for (i, import) in info.imports.iter().enumerate() {
        match role_of(i, import, options) {
            Ok(role) => roles.push(role),
            Err(message) => {
                let offset = import_offsets(bytes).get(i).copied();
                return Err(CompileError::of_kind(CompileErrorKind::CompileTimeImport, message, offset));
            }
        }
    }
    Ok(CompileTimeImports { options: options.clone(), roles })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for b in JsStringBuiltin::ALL {
            assert_eq!(JsStringBuiltin::from_name(b.name()), Some(b));
        }
        assert_eq!(JsStringBuiltin::from_name("nope"), None);
    }

    fn import(module: &str, name: &str, ty: ExternType) -> ImportDesc {
        ImportDesc { module: module.into(), name: name.into(), ty }
    }

    #[test]
    fn roles_follow_v8() {
        let opts = BuiltinOptions { js_string: true, imported_string_constants: Some("s".into()) };
        let len = JsStringBuiltin::Length.func_type();
        let role = |imp: &ImportDesc| role_of(0, imp, &opts);
        assert_eq!(
            role(&import(JS_STRING_MODULE, "length", ExternType::Func(len))),
            Ok(Some(ImportRole::JsString(JsStringBuiltin::Length)))
        );
        assert_eq!(role(&import(JS_STRING_MODULE, "nope", ExternType::Func(FuncType::new([], [])))), Ok(None));
        let bad = role(&import(JS_STRING_MODULE, "cast", ExternType::Func(FuncType::new([], []))));
        assert_eq!(bad, Err("Imported builtin function \"wasm:js-string\" \"cast\" has incorrect signature".into()));
        let global = |content, mutable| ExternType::Global(crate::types::GlobalType { content, mutable });
        assert_eq!(role(&import("s", "x", global(ValType::EXTERNREF, false))), Ok(Some(ImportRole::StringConstant)));
        assert!(role(&import("s", "x", global(ValType::EXTERNREF, true))).is_err());
        assert!(role(&import("s", "x", global(ValType::I32, false))).is_err());
    }

    #[test]
    fn array_builtins_take_the_final_mut_i16_array_only() {
        let opts = BuiltinOptions { js_string: true, imported_string_constants: None };
        let role = |ty: &str, param: &str| {
            let text = format!(
                r#"(module (type $a {ty}) (import "wasm:js-string" "fromCharCodeArray"
                  (func (param {param} i32 i32) (result (ref extern)))))"#
            );
            let bytes = crate::text::wat_to_wasm(&text).unwrap();
            crate::Module::new(&bytes)
                .and_then(|m| m.resolve_builtins(&bytes, &opts))
                .map(|m| m.compile_time_imports().role(0))
                .ok()
        };
        let from = Some(Some(ImportRole::JsString(JsStringBuiltin::FromCharCodeArray)));
        assert_eq!(role("(array (mut i16))", "(ref null $a)"), from);
        for (ty, param) in [
            ("(sub (array (mut i16)))", "(ref null $a)"),
            ("(array i16)", "(ref null $a)"),
            ("(array (mut i8))", "(ref null $a)"),
            ("(array (mut i16))", "(ref $a)"),
            ("(array (mut i16))", "arrayref"),
        ] {
            assert_eq!(role(ty, param), None, "{ty} {param}");
        }
    }

    #[test]
    fn import_offsets_are_entry_offsets() {
        let bytes = crate::text::wat_to_wasm(
            r#"(module (import "wasm:js-string" "cast" (func (param i32) (result externref))))"#,
        )
        .unwrap();
        assert_eq!(import_offsets(&bytes), vec![19]);
    }
}
