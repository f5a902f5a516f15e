//! The `WebAssembly` namespace (https://webassembly.github.io/spec/js-api/#webassembly-namespace):
//! the native parts of `validate`, `compile` and `instantiate` (the promise plumbing lives in
//! `lib/namespace.js`), and `init`, which receives the JS classes and helpers.
//!
//! The asynchronous compile (`compileAsync`) decodes, validates and translates on the libuv
//! thread pool through Node-API async work, so the event loop keeps running meanwhile. Only the
//! bytes go to the pool and only a [`Module`] (an `Arc`, `Send + Sync`) or a [`CompileError`]
//! comes back; every JS value is created on the JS thread, in the completion callback.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use jitless_wasm_core::{CompileError, CompileErrorKind, Module, Profile};

use crate::errors;
use crate::handle::new_module_handle;
use crate::module::copy_buffer_source;
use crate::raw::{is_ok, native_fn, AsyncWork, Deferred, Env, JsResult, RawEnv, Status, Value};
use crate::state::{Helpers, State};

native_fn!(
    /// `validate(bytes, jsString, constants) → boolean` (`jsString`, `constants`: the JS
    /// String Builtins compile options, see `src/js_string.rs`)
    /// https://webassembly.github.io/spec/js-api/#dom-webassembly-validate
    /// https://webassembly.github.io/js-string-builtins/js-api/#dom-webassembly-validate
    ///
    /// AD-HOC: a DataView is accepted (a BufferSource, as the spec says); V8 rejects it.
    validate, 3, |cx| {
        let env = cx.env;
        let [source, js_string, constants] = cx.args;
        // 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
        let bytes = copy_buffer_source(env, source, "WebAssembly.validate()")?;
        let builtins = crate::js_string::options(env, js_string, constants)?;
        // 2. Compile stableBytes as a WebAssembly module and store the results as module.
        // 3. If module is error, return false.  4.–6. If validating the builtins and imported
        //    strings fails, return false.  7. Return true.
        let options = crate::limits::compile_options();
        Ok(env.boolean(crate::js_string::compile(&bytes, crate::profile::current(), options, &builtins).is_ok()))
    }
);

/// One asynchronous compile: owned by the async work from `compileAsync` until its completion
/// callback.
struct CompileJob {
    /// The stable copy of the source bytes (read by the pool thread).
    bytes: Vec<u8>,
    /// The feature profile current when the compile started.
    profile: Profile,
    /// The limited namespace's compile options (`jitless-wasm/limits`), read at the start.
    options: jitless_wasm_core::CompileOptions,
    /// The JS String Builtins compile options.
    builtins: jitless_wasm_core::BuiltinOptions,
    /// The API named in a CompileError ("WebAssembly.compile()", …).
    prefix: String,
    /// Whether the bytes are a streamed body (`compileStreaming`, `instantiateStreaming`).
    streaming: bool,
    /// The result, written by the pool thread.
    result: Option<Result<Module, CompileError>>,
    /// The promise to settle (JS thread only).
    deferred: Deferred,
    /// The async work itself (JS thread only).
    work: AsyncWork,
}

/// What crosses to the pool thread and back must be `Send` (the job is passed as a raw pointer,
/// so the compiler does not check it by itself).
#[allow(dead_code)]
fn assert_job_is_send() {
    fn send<T: Send>() {}
    send::<Vec<u8>>();
    send::<jitless_wasm_core::BuiltinOptions>();
    send::<Option<Result<Module, CompileError>>>();
}

/// Runs on a thread-pool thread: no Node-API calls here.
unsafe extern "C" fn compile_execute(_env: RawEnv, data: *mut c_void) {
    // SAFETY: `data` is the job leaked by `compileAsync`; until the completion callback runs,
    // only this function touches it, and it does not touch the JS-thread fields.
    let job = unsafe { &mut *(data as *mut CompileJob) };
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::js_string::compile(&job.bytes, job.profile, job.options, &job.builtins)
    }))
    .unwrap_or_else(|_| {
        Err(CompileError::of_kind(CompileErrorKind::Internal, "internal error: the compiler panicked", None))
    });
    job.result = Some(result);
}

/// Runs on the JS thread once the compile is done (or cancelled): settles the promise.
unsafe extern "C" fn compile_complete(raw_env: RawEnv, status: Status, data: *mut c_void) {
    // SAFETY: `data` is the job leaked by `compileAsync`; this callback runs exactly once and
    // takes it back.
    let job = unsafe { Box::from_raw(data as *mut CompileJob) };
    // SAFETY: Node-API hands us the live env of the work, on its JS thread.
    let env = unsafe { Env::from_raw(raw_env) };
    // SAFETY: the work is finished; it is deleted exactly once, here.
    unsafe { env.delete_async_work(job.work) };
    let CompileJob { bytes, prefix, streaming, result, deferred, .. } = *job;
    let settle = || -> JsResult<(bool, Value)> {
        // Cancelled (the env is going away): nothing to report to.
        if !is_ok(status) {
            return Ok((false, env.undefined()));
        }
        let st = State::get(env);
        match result {
            Some(Ok(module)) => Ok((true, new_module_handle(env, st, module, bytes.len())?)),
            Some(Err(e)) => Ok((false, errors::create_compile(env, st, &prefix, &e, &bytes, streaming)?)),
            None => Ok((false, env.undefined())),
        }
    };
    let (ok, value) = match catch_unwind(AssertUnwindSafe(settle)) {
        Ok(Ok(r)) => r,
        // Creating the value threw (or panicked): reject with what was thrown.
        _ => (false, env.take_exception()),
    };
    // SAFETY: `deferred` came from `Env::promise` and is settled exactly once, here. (If that
    // fails, the env is going away: the exception it leaves pending reaches no JS code.)
    let _settled = unsafe { env.settle(deferred, ok, value) };
}

/// Starts compiling `bytes` on the thread pool; returns the promise of a module handle.
/// https://webassembly.github.io/spec/js-api/#asynchronously-compile-a-webassembly-module
fn start_compile(
    env: Env,
    bytes: Vec<u8>,
    prefix: String,
    streaming: bool,
    builtins: jitless_wasm_core::BuiltinOptions,
) -> JsResult<Value> {
    // 1. Let promise be a new promise.
    let (deferred, promise) = env.promise()?;
    let profile = crate::profile::current();
    let job = Box::into_raw(Box::new(CompileJob {
        bytes,
        profile,
        options: crate::limits::compile_options(),
        builtins,
        prefix,
        streaming,
        result: None,
        deferred,
        work: ptr::null_mut(),
    }));
    let name = env.string("WebAssembly.compile")?;
    // 2. Run the following steps in parallel: compile the WebAssembly module bytes …
    // SAFETY: `job` stays valid until `compile_complete` frees it.
    let work = match unsafe { env.create_async_work(name, compile_execute, compile_complete, job as *mut c_void) } {
        Ok(work) => work,
        Err(e) => {
            // SAFETY: the work was not created, so the job is still ours.
            drop(unsafe { Box::from_raw(job) });
            return Err(e);
        }
    };
    // SAFETY: `job` is valid and nothing else touches it before the work is queued.
    unsafe { (*job).work = work };
    // … then queue a task (the completion callback) to settle the promise.
    if let Err(e) = env.queue_async_work(work) {
        // SAFETY: the work never ran: delete it and take the job back.
        unsafe {
            env.delete_async_work(work);
            drop(Box::from_raw(job));
        }
        return Err(e);
    }
    // 3. Return promise.
    Ok(promise)
}

native_fn!(
    /// `compileAsync(bytes, prefix, streaming, jsString, constants) → Promise<handle>`: copies a
    /// BufferSource now and compiles it on the thread pool; the promise resolves with a module
    /// handle or rejects with a CompileError whose message starts with `prefix` (`streaming`:
    /// the bytes are a streamed body, which may be empty; `jsString`, `constants`: the JS String
    /// Builtins compile options).
    compile_async, 5, |cx| {
        let env = cx.env;
        let [source, prefix, streaming, js_string, constants] = cx.args;
        let builtins = crate::js_string::options(env, js_string, constants)?;
        let streaming = env.get_bool(streaming).unwrap_or(false);
        let prefix = env.get_string(prefix).unwrap_or_else(|_| "WebAssembly.compile()".into());
        // (compile/instantiate 1.) Let stableBytes be a copy of the bytes held by the buffer.
        let bytes = copy_buffer_source(env, source, &prefix)?;
        start_compile(env, bytes, prefix, streaming, builtins)
    }
);

native_fn!(
    /// `init({CompileError, LinkError, RuntimeError, makeMemory, makeTable, makeGlobal, makeTag,
    /// makeException, unwrapException, retain, toBigInt64, toBigInt, iterate, bind, concat, makeGcObject})`:
    /// hands the JS classes and helpers to the binding (once).
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
            make_tag: get(c"makeTag")?,
            make_exception: get(c"makeException")?,
            unwrap_exception: get(c"unwrapException")?,
            retain: get(c"retain")?,
            to_bigint64: get(c"toBigInt64")?,
            to_bigint: get(c"toBigInt")?,
            iterate: get(c"iterate")?,
            bind: get(c"bind")?,
            concat: get(c"concat")?,
            make_gc_object: get(c"makeGcObject")?,
        };
        Ok(env.boolean(st.set_helpers(helpers)))
    }
);

/// Registers the native functions of the namespace.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("init", init)?;
    r.add("validate", validate)?;
    r.add("compileAsync", compile_async)
}
