//! Stopping wasm when Node stops the thread that runs it: `worker.terminate()`, or
//! `process.exit()` in the main thread (which stops every Worker first) or in the Worker.
//!
//! Node cannot stop native code: it marks the Worker's environment as stopping, asks V8 to
//! terminate its JS, and waits for the thread to return to the event loop; wasm running in our
//! interpreter never would. So every thread that loads the binding installs an *interrupt
//! hook* in the core ([`set_interrupt_hook`]), and the core's watchdog asks it every 10 ms
//! while the thread runs wasm. The hook probes the env: once Node is stopping it,
//! `Environment::can_call_into_js()` is false and every Node-API function that starts with
//! `NAPI_PREAMBLE` (here `napi_strict_equals`) fails with `napi_pending_exception` (or
//! `napi_cannot_run_js` for modules built against the experimental API) while no exception is
//! pending. Then the wasm traps with `TrapCode::Interrupted`, every wasm frame unwinds, and the
//! Exported Function returns to V8 without throwing (Node-API cannot throw any more); with the
//! V8 shim, `src/v8_terminate.cc` first makes V8's termination propagate from that callback, so
//! the calling JS stops at once as with V8's own wasm (without it, JS runs on to V8's next
//! interrupt check: the next JS function call or loop iteration). The thread reaches its event
//! loop and exits. This holds for Node 20 to 26 (`NAPI_PREAMBLE` and
//! `node_napi_env__::can_call_into_js` are the same in all of them) and needs no V8 headers.
//!
//! A JS import that fails because the thread is stopping (`src/host_func.rs` asks [`is_stopping`])
//! traps the same way instead of becoming a wasm exception, so that no `catch_all` can keep wasm running.

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use jitless_wasm_core::runtime::{set_interrupt_hook, start_watchdog};

use crate::raw::{Env, JsResult, RawEnv};

thread_local! {
    /// The env whose probe is this thread's interrupt hook (null without one).
    static HOOKED_ENV: Cell<RawEnv> = const { Cell::new(ptr::null_mut()) };
}

/// Makes wasm on this thread stoppable by Node (see the module docs): installs the interrupt
/// hook for `env`, removed again when the env is torn down, and starts the watchdog.
pub(crate) fn install(env: Env) -> JsResult<()> {
    let raw = env.raw();
    unsafe extern "C" fn cleanup(arg: *mut c_void) {
        let env = arg as RawEnv;
        // Only if the hook is still this env's (a later env on the thread replaces it).
        if HOOKED_ENV.with(|h| h.get()) == env {
            HOOKED_ENV.with(|h| h.set(ptr::null_mut()));
            set_interrupt_hook(None);
        }
    }
    // SAFETY: live env; the hook only compares and clears the thread's hook.
    unsafe { env.add_cleanup_hook(cleanup, raw as *mut c_void) }?;
    HOOKED_ENV.with(|h| h.set(raw));
    set_interrupt_hook(Some(Rc::new(move || {
        // SAFETY: the hook is removed by the env's cleanup hook, before the env goes away, and
        // it runs on the env's thread, inside wasm called from one of its callbacks.
        is_stopping(unsafe { Env::from_raw(raw) })
    })));
    start_watchdog();
    Ok(())
}

/// Whether Node is stopping `env`'s thread: a `NAPI_PREAMBLE` function fails although no
/// exception is pending. (With an exception pending the probe cannot tell, and says no.)
pub(crate) fn is_stopping(env: Env) -> bool {
    if env.is_exception_pending() {
        return false;
    }
    env.scoped(|| {
        let undefined = env.undefined();
        env.strict_equals(undefined, undefined).is_err() && !env.is_exception_pending()
    })
}

#[cfg(jitless_v8_shim)]
extern "C" {
    /// See `src/v8_terminate.cc`.
    fn jitless_wasm_terminate_now();
}

/// After wasm trapped with `Interrupted`: whether Node is stopping the thread. If so, makes V8
/// terminate the calling JS as soon as the current callback returns (with the V8 shim; without
/// it, at V8's next interrupt check), and the caller returns without throwing.
pub(crate) fn stop_js(env: Env) -> bool {
    if !is_stopping(env) {
        return false;
    }
    #[cfg(jitless_v8_shim)]
    if crate::v8_api::features().terminate {
        // SAFETY: called inside a Node-API callback of this thread, which Node is stopping.
        unsafe { jitless_wasm_terminate_now() };
    }
    true
}
