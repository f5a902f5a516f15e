//! `WebAssembly.Module` (https://webassembly.github.io/spec/js-api/#modules): the native side of
//! `lib/module.js` (compilation and the static reflection functions).

use jitless_wasm_core::ExternType;

use crate::errors;
use crate::handle::{module_of, new_module_handle};
use crate::raw::{native_fn, Env, JsResult, Value};
use crate::state::State;

/// The bytes of a `BufferSource` argument, copied; TypeError if it is not one.
pub(crate) fn copy_buffer_source(env: Env, value: Value, prefix: &str) -> JsResult<Vec<u8>> {
    match env.with_buffer_source_bytes(value, <[u8]>::to_vec) {
        Some(bytes) => Ok(bytes),
        None => Err(env.throw_type_error(&format!("{prefix}: Argument 0 must be a buffer source"))),
    }
}

/// The JS-API "kind" string of an import or export type.
fn kind_name(ty: &ExternType) -> &'static str {
    ty.kind_name()
}

native_fn!(
    /// `moduleNew(bytes, prefix, jsString, constants) → handle`: compiles a BufferSource
    /// synchronously (the asynchronous compile is `compileAsync` in `namespace.rs`), with the
    /// JS String Builtins compile options. CompileError messages start with `prefix`.
    /// https://webassembly.github.io/spec/js-api/#dom-module-module
    module_new, 4, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [source, prefix, js_string, constants] = cx.args;
        let builtins = crate::js_string::options(env, js_string, constants)?;
        let prefix = env.get_string(prefix).unwrap_or_else(|_| "WebAssembly.Module()".into());
        // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
        let bytes = copy_buffer_source(env, source, &prefix)?;
        // 2. Compile the WebAssembly module stableBytes and store the result as module.
        // (JS String Builtins) 3. If validating the builtins and imported strings fails, throw a
        //    CompileError.
        let profile = crate::profile::current();
        match crate::js_string::compile(&bytes, profile, crate::limits::compile_options(), &builtins) {
            // 3. If module is error, throw a CompileError exception.
            Err(e) => Err(errors::throw_compile(env, st, &prefix, &e, &bytes)),
            // 7. Set this.[[Module]] to module.
            Ok(module) => new_module_handle(env, st, module, bytes.len()),
        }
    }
);

native_fn!(
    /// `moduleExports(handle) → [{name, kind}]`
    /// https://webassembly.github.io/spec/js-api/#dom-module-exports
    module_exports, 1, |cx| {
        let env = cx.env;
        let module = module_of(env, cx.args[0])?;
        let exports = module.exports();
        let arr = env.array(exports.len())?;
        for (i, e) in exports.iter().enumerate() {
            let obj = env.object()?;
            env.set_named(obj, c"name", env.string(&e.name)?)?;
            env.set_named(obj, c"kind", env.string(kind_name(&module.export_type(e)))?)?;
            env.set_element(arr, i as u32, obj)?;
        }
        Ok(arr)
    }
);

native_fn!(
    /// `moduleImports(handle, all) → [{module, name, kind}]`: without the compile-time
    /// imports (JS string builtins, imported string constants); with `all`, every import, and
    /// the compile-time ones as `{module, name, kind, builtin: true}` (for reading the imports).
    /// https://webassembly.github.io/spec/js-api/#dom-module-imports
    /// https://webassembly.github.io/js-string-builtins/js-api/#dom-module-imports
    module_imports, 2, |cx| {
        let env = cx.env;
        let module = module_of(env, cx.args[0])?;
        let all = env.get_bool(cx.args[1]).unwrap_or(false);
        let imports = module.imports();
        let compile_time = module.compile_time_imports();
        let listed = imports.len() - (0..imports.len()).filter(|&i| !compile_time.is_ordinary(i)).count();
        let arr = env.array(if all { imports.len() } else { listed })?;
        let mut n = 0;
        for (i, imp) in imports.iter().enumerate() {
            // (JS String Builtins) Skip the builtins and the imported string constants.
            let ordinary = compile_time.is_ordinary(i);
            if !ordinary && !all {
                continue;
            }
            let obj = env.object()?;
            env.set_named(obj, c"module", env.string(&imp.module)?)?;
            env.set_named(obj, c"name", env.string(&imp.name)?)?;
            env.set_named(obj, c"kind", env.string(kind_name(&imp.ty))?)?;
            if !ordinary {
                env.set_named(obj, c"builtin", env.boolean(true))?;
            }
            env.set_element(arr, n, obj)?;
            n += 1;
        }
        Ok(arr)
    }
);

native_fn!(
    /// `moduleCustomSections(handle, sectionName) → [ArrayBuffer]` (fresh copies every call)
    /// https://webassembly.github.io/spec/js-api/#dom-module-customsections
    module_custom_sections, 2, |cx| {
        let env = cx.env;
        let [h, name] = cx.args;
        let module = module_of(env, h)?;
        let name = env.to_string(name)?;
        let sections: Vec<&[u8]> = module.custom_sections(&name).collect();
        let arr = env.array(sections.len())?;
        for (i, bytes) in sections.into_iter().enumerate() {
            let ab = env.arraybuffer_copy(bytes)?;
            env.set_element(arr, i as u32, ab)?;
        }
        Ok(arr)
    }
);

/// Registers the native functions of this interface.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("moduleNew", module_new)?;
    r.add("moduleExports", module_exports)?;
    r.add("moduleImports", module_imports)?;
    r.add("moduleCustomSections", module_custom_sections)
}
