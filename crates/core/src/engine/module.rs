//! A compiled module: the decoded metadata ([`ModuleInfo`], from `module/`) with its code
//! ([`Code`]: every body validated, each translated on its first call).

use std::ops::Deref;
use std::sync::Arc;

use super::code::Code;
use crate::error::{CompileError, FrameModule};
use crate::module::{
    self, BuiltinOptions, CompileOptions, CompileTimeImports, ExportDesc, ExportIndex, ImportDesc, ModuleInfo, Profile,
};
use crate::types::ExternType;

/// A validated module (function bodies are translated on first call). Cheap to clone (shared); `Send + Sync`.
#[derive(Clone)]
pub struct Module(pub(crate) Arc<ModuleInner>);

/// A module's metadata and code.
pub(crate) struct ModuleInner {
    /// Everything decoded (reached through `Deref`).
    pub(crate) info: ModuleInfo,
    /// The defined functions (index = function index − imported count): validated, translated
    /// on first call.
    pub(crate) code: Code,
    /// The compile-time imports (JS string builtins, string constants) it was compiled with.
    pub(crate) compile_time_imports: CompileTimeImports,
}

impl Deref for ModuleInner {
    type Target = ModuleInfo;

    #[inline(always)]
    fn deref(&self) -> &ModuleInfo {
        &self.info
    }
}

impl Module {
    /// Decodes and validates a binary module with every feature the engine executes
    /// ([`Profile::Latest`]); functions are translated on their first call.
    pub fn new(bytes: &[u8]) -> Result<Module, CompileError> {
        Module::with_profile(bytes, Profile::Latest)
    }

    /// Decodes and validates a binary module with the features of `profile`.
    pub fn with_profile(bytes: &[u8], profile: Profile) -> Result<Module, CompileError> {
        module::decode(bytes, profile, |info, bodies| {
            let code = Code::validate(&info, bodies)?;
            Ok(Module(Arc::new(ModuleInner { info, code, compile_time_imports: CompileTimeImports::default() })))
        })
    }

    /// Decodes and validates a binary module with the features of `profile`, for the limited
    /// namespace `options` names (fuel metering and deterministic NaNs are translated in; in
    /// deterministic mode a shared memory is a CompileError).
    pub fn with_options(bytes: &[u8], profile: Profile, options: CompileOptions) -> Result<Module, CompileError> {
        let mut m = Module::with_profile(bytes, profile)?;
        if options.deterministic {
            if let Some(i) = m.0.memories.iter().position(|t| t.shared) {
                return Err(CompileError::new(
                    format!(
                        "memory {i} is shared: shared memories and threads are not allowed in deterministic mode \
                         (their results depend on the scheduling of threads)"
                    ),
                    None,
                ));
            }
        }
        Arc::get_mut(&mut m.0).expect("a new module is not shared yet").info.options = options;
        Ok(m)
    }

    /// Decodes and validates a binary module as [`Module::with_options`] does, then resolves
    /// its compile-time imports under `builtins` (`wasm:js-string` functions, imported string
    /// constants): an import that does not match its builtin or constant is a CompileError.
    /// https://webassembly.github.io/spec/js-api/#validate-builtins-and-imported-string-for-a-webassembly-module
    pub fn with_builtins(
        bytes: &[u8],
        profile: Profile,
        options: CompileOptions,
        builtins: &BuiltinOptions,
    ) -> Result<Module, CompileError> {
        let m = Module::with_options(bytes, profile, options)?;
        m.resolve_builtins(bytes, builtins)
    }

    /// This (newly compiled, not yet shared) module with its compile-time imports resolved
    /// under `builtins` from its `bytes` (see [`Module::with_builtins`]).
    /// Options the module's profile does not have are ignored, as that Node line's V8 does.
    pub fn resolve_builtins(mut self, bytes: &[u8], builtins: &BuiltinOptions) -> Result<Module, CompileError> {
        let profile = self.profile();
        let builtins = BuiltinOptions {
            js_string: builtins.js_string && profile.js_string_builtins(),
            imported_string_constants: builtins
                .imported_string_constants
                .clone()
                .filter(|_| profile.imported_string_constants()),
        };
        if builtins.is_empty() {
            return Ok(self);
        }
        let resolved = module::builtins::resolve(&self.0.info, bytes, &builtins)?;
        Arc::get_mut(&mut self.0).expect("a new module is not shared yet").compile_time_imports = resolved;
        Ok(self)
    }

    /// The compile-time imports the module was compiled with (none by default).
    pub fn compile_time_imports(&self) -> &CompileTimeImports {
        &self.0.compile_time_imports
    }

    /// The limited-namespace options the module was compiled with.
    pub fn options(&self) -> CompileOptions {
        self.0.options
    }

    /// Whether `bytes` is a valid module this engine can run.
    pub fn validate(bytes: &[u8]) -> Result<(), CompileError> {
        Module::new(bytes).map(|_| ())
    }

    /// Whether `bytes` is a valid module under `profile`.
    pub fn validate_with_profile(bytes: &[u8], profile: Profile) -> Result<(), CompileError> {
        Module::with_profile(bytes, profile).map(|_| ())
    }

    /// Translates every defined function now instead of on its first call, and returns the
    /// first translation error (only an internal error can make a validated body fail). For
    /// fuzzing and tests, which want translation bugs without having to reach each function.
    pub fn translate_all(&self) -> Result<(), CompileError> {
        (0..self.0.code.funcs.len() as u32).try_for_each(|def| self.0.code.translated(&self.0, def).map(|_| ()))
    }

    /// The feature profile the module was validated with.
    pub fn profile(&self) -> Profile {
        self.0.profile
    }

    /// The imports, in declaration order.
    pub fn imports(&self) -> &[ImportDesc] {
        &self.0.imports
    }

    /// The exports, in declaration order.
    pub fn exports(&self) -> &[ExportDesc] {
        &self.0.exports
    }

    /// The type of an export.
    pub fn export_type(&self, export: &ExportDesc) -> ExternType {
        let m = &self.0;
        match export.index {
            ExportIndex::Func(i) => ExternType::Func(m.func_type(i).clone()),
            ExportIndex::Table(i) => ExternType::Table(m.tables[i as usize]),
            ExportIndex::Memory(i) => ExternType::Memory(m.memories[i as usize]),
            ExportIndex::Global(i) => ExternType::Global(m.globals[i as usize]),
            ExportIndex::Tag(i) => ExternType::Tag(m.tag_type(i).clone()),
        }
    }

    /// The index of the start function, if the module has one.
    pub fn start(&self) -> Option<u32> {
        self.0.start
    }

    /// The contents of every custom section called `name`, in order.
    pub fn custom_sections<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.0.customs.iter().filter(move |(n, _)| n == name).map(|(_, b)| &b[..])
    }

    /// The name of function `index` from the module's "name" section, if it has one.
    pub fn func_name(&self, index: u32) -> Option<&str> {
        self.0.info.func_name(index)
    }

    /// The module's name from its "name" section, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.0.module_name.as_deref()
    }

    /// A 32-bit hash of the module's bytes, for naming the module in stack traces (as V8's
    /// `wasm://wasm/<hash>` script URLs; the value differs from V8's).
    pub fn hash(&self) -> u32 {
        self.0.hash
    }

    /// Whether two handles denote the same module.
    pub fn ptr_eq(a: &Module, b: &Module) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Module({} imports, {} exports)", self.0.imports.len(), self.0.exports.len())
    }
}

/// The module of a trap's backtrace frame is this module (see [`crate::TrapFrame`]).
impl FrameModule for ModuleInner {
    fn hash(&self) -> u32 {
        self.info.hash
    }

    fn name(&self) -> Option<&str> {
        self.info.module_name.as_deref()
    }

    fn func_name(&self, index: u32) -> Option<&str> {
        self.info.func_name(index)
    }
}

impl Module {
    /// This module as the module of a backtrace frame.
    pub(crate) fn as_frame_module(&self) -> Arc<dyn FrameModule> {
        self.0.clone()
    }

    /// Whether `frame` is a frame of a function of this module.
    pub fn owns_frame(&self, frame: &crate::error::TrapFrame) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.0), Arc::as_ptr(&frame.module))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::{ImportRole, JsStringBuiltin};

    const WAT: &str = r#"(module (import "wasm:js-string" "length" (func (param externref) (result i32)))
                                 (import "s" "hello" (global externref)))"#;

    fn compile(profile: Profile, builtins: &BuiltinOptions) -> Result<Module, CompileError> {
        let bytes = crate::text::wat_to_wasm(WAT).unwrap();
        Module::with_builtins(&bytes, profile, CompileOptions::default(), builtins)
    }

    #[test]
    fn compile_time_imports_follow_the_profile() {
        let all = BuiltinOptions { js_string: true, imported_string_constants: Some("s".into()) };
        let roles = |m: &Module| (m.compile_time_imports().role(0), m.compile_time_imports().role(1));
        let builtin = Some(ImportRole::JsString(JsStringBuiltin::Length));
        assert_eq!(roles(&compile(Profile::Latest, &all).unwrap()), (builtin, Some(ImportRole::StringConstant)));
        assert_eq!(roles(&compile(Profile::Node24, &all).unwrap()), (builtin, Some(ImportRole::StringConstant)));
        // V8 12.4 has no imported string constants; V8 11.3 ignores the options.
        assert_eq!(roles(&compile(Profile::Node22, &all).unwrap()), (builtin, None));
        assert_eq!(roles(&compile(Profile::Node20, &all).unwrap()), (None, None));
    }

    #[test]
    fn a_mismatch_is_a_compile_time_import_error_at_the_import() {
        let bytes = crate::text::wat_to_wasm(
            r#"(module (import "wasm:js-string" "cast" (func (param i32) (result externref))))"#,
        )
        .unwrap();
        let opts = BuiltinOptions { js_string: true, imported_string_constants: None };
        let e = Module::with_builtins(&bytes, Profile::Latest, CompileOptions::default(), &opts).err().unwrap();
        assert_eq!(e.kind, crate::error::CompileErrorKind::CompileTimeImport);
        assert_eq!(e.to_string(), "Imported builtin function \"wasm:js-string\" \"cast\" has incorrect signature @+19");
        assert!(Module::with_builtins(&bytes, Profile::Latest, CompileOptions::default(), &BuiltinOptions::default())
            .is_ok());
    }
}
