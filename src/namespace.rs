//! The `WebAssembly` namespace (https://webassembly.github.io/spec/js-api/#webassembly-namespace):
//! the native parts of `validate`, `compile` and `instantiate` (the promise plumbing lives in
//! `lib/namespace.js`), and `init`, which receives the JS classes and helpers.

use jitless_wasm_core::Module;

use crate::handle::{new_handle, Handle};
use crate::module::copy_buffer_source;
use crate::raw::{native_fn, JsResult};
use crate::state::{Helpers, State};

native_fn!(
    /// `validate(bytes) → boolean`
    /// https://webassembly.github.io/spec/js-api/#dom-webassembly-validate
    ///
    /// AD-HOC: a DataView is accepted (a BufferSource, as the spec says); V8 rejects it.
    validate, 1, |cx| {
        let env = cx.env;
        // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
        let bytes = copy_buffer_source(env, cx.args[0], "WebAssembly.validate()")?;
        // 2. Compile stableBytes as a WebAssembly module and store the results as module.
        // 3. If module is error, return false.  4. Return true.
        Ok(env.boolean(Module::validate(&bytes).is_ok()))
    }
);

native_fn!(
    /// `copyBytes(bytes, prefix) → handle`: the bytes of a BufferSource, copied at call time
    /// for an asynchronous compile.
    copy_bytes, 2, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [source, prefix] = cx.args;
        let prefix = env.get_string(prefix).unwrap_or_default();
        let bytes = copy_buffer_source(env, source, &prefix)?;
        new_handle(env, st, Handle::Bytes(bytes), None)
    }
);

native_fn!(
    /// `init({CompileError, LinkError, RuntimeError, makeMemory, makeTable, makeGlobal, retain,
    /// toBigInt64, iterate, bind})`: hands the JS classes and helpers to the binding (once).
    init, 1, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let config = cx.args[0];
        let get = |name: &std::ffi::CStr| -> JsResult<crate::raw::Ref> {
            let v = env.get_named(config, name)?;
            env.reference(v, 1)
        };
        let helpers = Helpers {
            compile_error: get(c"CompileError")?,
            link_error: get(c"LinkError")?,
            runtime_error: get(c"RuntimeError")?,
            make_memory: get(c"makeMemory")?,
            make_table: get(c"makeTable")?,
            make_global: get(c"makeGlobal")?,
            retain: get(c"retain")?,
            to_bigint64: get(c"toBigInt64")?,
            iterate: get(c"iterate")?,
            bind: get(c"bind")?,
        };
        Ok(env.boolean(st.set_helpers(helpers)))
    }
);

/// Registers the native functions of the namespace.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("init", init)?;
    r.add("validate", validate)?;
    r.add("copyBytes", copy_bytes)
}
