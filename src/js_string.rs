//! JS String Builtins (https://github.com/WebAssembly/js-string-builtins): the compile options
//! as the native side receives them (`lib/compile-options.js` reads them as V8 does), and what
//! instantiation supplies for the compile-time imports: the `wasm:js-string` functions, as
//! native host functions, and the imported string constants, as immutable globals.
//!
//! The builtins work on the JS strings directly through Node-API (`typeof`, UTF-16 copies,
//! `===`); their failures are real traps (`RuntimeError`s that no wasm handler can catch) with
//! V8's texts ("illegal cast", "string offset out of bounds", "Invalid code point N"; for the
//! GC array builtins "dereferencing a null pointer", "array element access out of bounds").
//! https://webassembly.github.io/js-string-builtins/js-api/#builtins-js-string

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use jitless_wasm_core::{
    AnyRef, BuiltinOptions, CompileError, CompileOptions, Error, Extern, ExternRef, FuncRef, Global, GlobalType,
    HostFunc, ImportDesc, ImportRole, JsStringBuiltin, Module, ObjectRef, Profile, Trap, TrapCode, TrapOrigin, Val,
};

use crate::convert;
use crate::js_objects::JsCell;
use crate::raw::{Env, JsResult, JsType, Value};
use crate::state::State;

/// The compile options from the native arguments `js_string` (a Boolean) and `constants` (the
/// importedStringConstants module name, a String, or undefined).
pub(crate) fn options(env: Env, js_string: Value, constants: Value) -> JsResult<BuiltinOptions> {
    let imported_string_constants =
        if env.type_of(constants) == JsType::String { Some(env.get_string(constants)?) } else { None };
    Ok(BuiltinOptions { js_string: env.get_bool(js_string).unwrap_or(false), imported_string_constants })
}

/// Compiles `bytes` (for the limited namespace `options` names, if any), then validates the
/// builtins and imported strings of `builtins`.
/// https://webassembly.github.io/js-string-builtins/js-api/#validate-builtins-and-imported-string-for-a-webassembly-module
pub(crate) fn compile(
    bytes: &[u8],
    profile: Profile,
    options: CompileOptions,
    builtins: &BuiltinOptions,
) -> Result<Module, CompileError> {
    crate::limits::compile(bytes, profile, options)?.resolve_builtins(bytes, builtins)
}

/// What instantiation supplies for import `index` (function index `func_index` if a function)
/// of role `role`: a builtin function, or the string constant named by the import.
/// https://webassembly.github.io/js-string-builtins/js-api/#read-the-imports
pub(crate) fn import_value(
    env: Env,
    st: &Rc<State>,
    role: ImportRole,
    import: &ImportDesc,
    func_index: u32,
) -> JsResult<Option<Extern>> {
    Ok(match (role, &import.ty) {
        (ImportRole::JsString(builtin), _) => Some(Extern::Func(FuncRef::host(
            builtin.func_type(),
            JsStringFunc {
                builtin,
                index: func_index,
                state: st.clone(),
                export: JsCell::new(st),
                units: RefCell::new(None),
            },
        ))),
        // Instantiate imported strings: the constant is the import's name (a global of the
        // import's own type, which compile time checked to match `(ref extern)`).
        (ImportRole::StringConstant, jitless_wasm_core::ExternType::Global(ty)) => {
            let value = env.string(&import.name)?;
            let value = Val::ExternRef(convert::to_externref(env, st, value)?);
            Global::new(GlobalType { content: ty.content, mutable: false }, value).ok().map(Extern::Global)
        }
        (ImportRole::StringConstant, _) => None,
    })
}

/// One builtin function of `wasm:js-string`, as a host function of an instance.
pub(crate) struct JsStringFunc {
    builtin: JsStringBuiltin,
    /// The function index of its import (its Exported Function's `name`, as in V8).
    pub(crate) index: u32,
    state: Rc<State>,
    /// The cache cell of its Exported Function (see `js_objects.rs`).
    export: JsCell,
    /// The code units of the last string argument read whole (`charCodeAt`, `codePointAt`,
    /// `substring`), keyed by its `externref` (the same reference is the same string): a loop
    /// over a string copies it once, not once per call.
    units: RefCell<Option<(ExternRef, Rc<[u16]>)>>,
}

impl JsStringFunc {
    /// The cache cell of its Exported Function in the env of `st` (`None` in another env).
    pub(crate) fn export_cell(&self, st: &State) -> Option<&JsCell> {
        (self.state.id() == st.id()).then_some(&self.export)
    }
}

/// The longest result `concat` builds by copying (longer ones are V8's `+`).
const SHORT_CONCAT: usize = 64;

/// The trap `code`.
fn trap(code: TrapCode) -> Error {
    Error::Trap(Trap::from(code))
}

/// A failure inside a builtin: a trap, or a JS exception (an N-API call failed).
enum Fail {
    Trap(Error),
    Js,
}

impl From<crate::raw::Pending> for Fail {
    fn from(_: crate::raw::Pending) -> Self {
        Fail::Js
    }
}

impl HostFunc for JsStringFunc {
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        let st = &self.state;
        let env = st.env;
        st.host_scope(|| match self.run(env, args) {
            Ok(v) => {
                results.push(v);
                Ok(())
            }
            Err(Fail::Trap(e)) => Err(e),
            Err(Fail::Js) => {
                let exception = env.take_exception();
                // Node is stopping the thread: no wasm handler may catch that.
                if crate::interrupt::is_stopping(env) {
                    return Err(TrapCode::Interrupted.into());
                }
                Err(crate::host_func::host_error(env, st, exception))
            }
        })
    }
}

/// Argument `i` as an `i32` (validation gave the builtin's exact type).
fn int(args: &[Val], i: usize) -> u32 {
    match args.get(i) {
        Some(Val::I32(x)) => *x as u32,
        _ => 0,
    }
}

/// Argument `i`, an `(ref null (array (mut i16)))`: the array, or the null-dereference trap.
fn array(args: &[Val], i: usize) -> Result<&ObjectRef, Fail> {
    match args.get(i) {
        Some(Val::AnyRef(Some(AnyRef::Object(o)))) => Ok(o),
        _ => Err(Fail::Trap(trap(TrapCode::NullDereference))),
    }
}

impl JsStringFunc {
    /// The JS value of `externref` argument `i`.
    fn value(&self, env: Env, args: &[Val], i: usize) -> Result<Value, Fail> {
        Ok(match args.get(i) {
            Some(Val::ExternRef(Some(r))) => convert::externref_to_js(env, r)?,
            _ => env.null(),
        })
    }

    /// Argument `i` as a string and its length, or the "illegal cast" trap (null, not a string).
    fn string(&self, env: Env, args: &[Val], i: usize) -> Result<(Value, usize), Fail> {
        let v = self.value(env, args, i)?;
        match env.string_length(v) {
            Some(len) => Ok((v, len)),
            None => Err(Fail::Trap(trap(TrapCode::IllegalCast))),
        }
    }

    /// The code units of string argument `i` (cached by its reference), or the "illegal cast"
    /// trap.
    fn string_units(&self, env: Env, args: &[Val], i: usize) -> Result<Rc<[u16]>, Fail> {
        let key = match args.get(i) {
            Some(Val::ExternRef(Some(r))) => r,
            _ => return Err(Fail::Trap(trap(TrapCode::IllegalCast))),
        };
        if let Some((cached, units)) = &*self.units.borrow() {
            if ExternRef::ptr_eq(cached, key) {
                return Ok(units.clone());
            }
        }
        let (v, len) = self.string(env, args, i)?;
        let units: Rc<[u16]> = env.string_utf16_prefix(v, len)?.into();
        *self.units.borrow_mut() = Some((key.clone(), units.clone()));
        Ok(units)
    }

    /// A `(ref extern)` result for the JS value `v`.
    fn extern_result(&self, env: Env, v: Value) -> Result<Val, Fail> {
        Ok(Val::ExternRef(convert::to_externref(env, &self.state, v)?))
    }

    /// The builtin's steps (https://webassembly.github.io/js-string-builtins/js-api/#builtins-js-string).
    fn run(&self, env: Env, args: &[Val]) -> Result<Val, Fail> {
        use JsStringBuiltin as B;
        match self.builtin {
            // If v is not a String, trap; return v.
            B::Cast => {
                let (v, _) = self.string(env, args, 0)?;
                self.extern_result(env, v)
            }
            // 1 for a String, else 0.
            B::Test => {
                let v = self.value(env, args, 0)?;
                Ok(Val::I32(env.string_length(v).is_some() as i32))
            }
            // String.fromCharCode(charCode >>> 0): ToUint16 of it.
            B::FromCharCode => {
                let s = env.string_utf16(&[int(args, 0) as u16])?;
                self.extern_result(env, s)
            }
            // Trap above 0x10FFFF (V8: "Invalid code point N"), else String.fromCodePoint.
            B::FromCodePoint => {
                let cp = int(args, 0);
                if cp > 0x10FFFF {
                    let origin = TrapOrigin::CodePoint(cp);
                    return Err(Fail::Trap(Error::Trap(Trap { origin, ..Trap::from(TrapCode::InvalidCodePoint) })));
                }
                let mut units = [0u16; 2];
                let units = encode_code_point(cp, &mut units);
                let s = env.string_utf16(units)?;
                self.extern_result(env, s)
            }
            // The code unit (or code point) at index >>> 0; trap past the end.
            B::CharCodeAt | B::CodePointAt => {
                let units = self.string_units(env, args, 0)?;
                let index = int(args, 1) as usize;
                let Some(&unit) = units.get(index) else {
                    return Err(Fail::Trap(trap(TrapCode::StringOffsetOutOfBounds)));
                };
                let code = match (self.builtin, units.get(index + 1)) {
                    (B::CodePointAt, Some(&low)) if is_lead(unit) && is_trail(low) => {
                        0x10000 + ((unit as u32 - 0xD800) << 10) + (low as u32 - 0xDC00)
                    }
                    _ => unit as u32,
                };
                Ok(Val::I32(code as i32))
            }
            B::Length => {
                if let (Some((cached, units)), Some(Val::ExternRef(Some(r)))) = (&*self.units.borrow(), args.first()) {
                    if ExternRef::ptr_eq(cached, r) {
                        return Ok(Val::I32(units.len() as i32));
                    }
                }
                let (_, len) = self.string(env, args, 0)?;
                Ok(Val::I32(len as i32))
            }
            // first.concat(second), both Strings: short ones joined here, long ones by V8 (which
            // joins them without copying: a loop that appends stays linear).
            B::Concat => {
                let (a, alen) = self.string(env, args, 0)?;
                let (b, blen) = self.string(env, args, 1)?;
                let s = if alen + blen <= SHORT_CONCAT {
                    let mut units = env.string_utf16_prefix(a, alen)?;
                    units.extend(env.string_utf16_prefix(b, blen)?);
                    env.string_utf16(&units)?
                } else {
                    let concat = self.state.helper(env, |h| h.concat)?;
                    env.call(env.undefined(), concat, &[a, b])?
                };
                self.extern_result(env, s)
            }
            // "" when start > end or start > length, else string.substring(start, end) (end
            // clamped to the length).
            B::Substring => {
                let (v, len) = self.string(env, args, 0)?;
                let (start, end) = (int(args, 1) as usize, int(args, 2) as usize);
                let s = if start > end || start >= len {
                    env.string_utf16(&[])?
                } else if start == 0 && end >= len {
                    v
                } else {
                    let units = self.string_units(env, args, 0)?;
                    env.string_utf16(&units[start..end.min(len)])?
                };
                self.extern_result(env, s)
            }
            // Strings or null; first === second.
            B::Equals => {
                let a = self.value(env, args, 0)?;
                let b = self.value(env, args, 1)?;
                for v in [a, b] {
                    if env.type_of(v) != JsType::Null && env.string_length(v).is_none() {
                        return Err(Fail::Trap(trap(TrapCode::IllegalCast)));
                    }
                }
                Ok(Val::I32(env.strict_equals(a, b).map_err(|_| Fail::Js)? as i32))
            }
            // Strings; 0 if equal, -1 if first < second (by code units), else 1.
            B::Compare => {
                let (a, alen) = self.string(env, args, 0)?;
                let (b, blen) = self.string(env, args, 1)?;
                let a = env.string_utf16_prefix(a, alen)?;
                let b = env.string_utf16_prefix(b, blen)?;
                Ok(Val::I32(match a.cmp(&b) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                }))
            }
            // Trap on a null array, on start > end or end > length (start, end unsigned); else
            // the string of the code units [start, end).
            B::FromCharCodeArray => {
                let array = array(args, 0)?;
                let units = array
                    .i16_array_units(int(args, 1), int(args, 2))
                    .ok_or_else(|| Fail::Trap(trap(TrapCode::ArrayOutOfBounds)))?;
                let s = env.string_utf16(&units)?;
                self.extern_result(env, s)
            }
            // Trap unless a String, on a null array, on start + length > array length (start
            // unsigned, nothing written); else the code units written from start, and the length.
            B::IntoCharCodeArray => {
                let units = self.string_units(env, args, 0)?;
                array(args, 1)?
                    .set_i16_array_units(int(args, 2), &units)
                    .ok_or_else(|| Fail::Trap(trap(TrapCode::ArrayOutOfBounds)))?;
                Ok(Val::I32(units.len() as i32))
            }
        }
    }
}

/// Whether `u` is a leading (high) surrogate.
fn is_lead(u: u16) -> bool {
    (0xD800..0xDC00).contains(&u)
}

/// Whether `u` is a trailing (low) surrogate.
fn is_trail(u: u16) -> bool {
    (0xDC00..0xE000).contains(&u)
}

/// The UTF-16 code units of code point `cp` (≤ 0x10FFFF; a lone surrogate stays one unit).
fn encode_code_point(cp: u32, buf: &mut [u16; 2]) -> &[u16] {
    if cp < 0x10000 {
        buf[0] = cp as u16;
        &buf[..1]
    } else {
        let c = cp - 0x10000;
        buf[0] = 0xD800 + (c >> 10) as u16;
        buf[1] = 0xDC00 + (c & 0x3FF) as u16;
        &buf[..]
    }
}
