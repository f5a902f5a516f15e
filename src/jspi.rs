//! JavaScript Promise Integration (https://webassembly.github.io/js-promise-integration/js-api/#jspi):
//! the native side of `lib/jspi.js`.
//!
//! * A promising function (`jspiCall`) runs its wasm function as the core's promising invocation
//!   (`engine::call_promising`: a stack segment of its own). Each step reports into the `out`
//!   array of `lib/jspi.js`: fulfilled with the results, rejected with the error, or suspended
//!   with the promise to await and a *token*, an External owning the suspended stack
//!   (`engine::Continuation`). `jspiResume` resumes it with the settled value.
//! * A suspending function (an import made from a `WebAssembly.Suspending`) is a
//!   [`JsHostFunc`] with its `suspending` flag: [`call_suspending`] takes the core's permit,
//!   calls the JS function, and asks the core to suspend, awaiting `PromiseResolve(result)`; a
//!   refused permit throws a `WebAssembly.SuspendError` into wasm (after the call, as V8 does).
//! * A token is owned through the reclaimer (`src/reclaim.rs`): when the awaited promise is
//!   collected without settling, the closures holding the token go with it, and the suspended
//!   stack (frames, cells, the references it roots) is dropped by the next sweep or finalizer.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use jitless_wasm_core::engine::{
    call_promising, request_suspend, take_suspend_permit, Continuation, SuspendRefusal, Suspension,
};
use jitless_wasm_core::{Error, TrapCode, Val, ValType};

use crate::convert::{self, Persistent, TYPE_INCOMPATIBLE};
use crate::host_func::{convert_results, host_error, JsHostFunc};
use crate::raw::{native_fn, Env, JsResult, JsType, Ref, TypeTag, Value};
use crate::state::State;
use crate::{errors, exported_function, reclaim};

/// The type tag of the import values `lib/instance.js` makes from Suspending objects.
const SUSPENDING_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x6a73_7069_0000_0001 };

/// How a step of a promising function ended (`lib/jspi.js` knows the numbers).
#[derive(Clone, Copy)]
enum Status {
    /// `out[0]` is the result.
    Fulfilled = 0,
    /// `out[0]` is the error.
    Rejected = 1,
    /// `out[0]` is the promise to await, `out[1]` the token of the suspended stack.
    Suspended = 2,
}

thread_local! {
    /// This thread's env's `WebAssembly.SuspendError` and `(v) => Promise.resolve(v)` (strong
    /// references; one env per thread in Node).
    static HELPERS: Cell<(Ref, Ref)> = const { Cell::new((ptr::null_mut(), ptr::null_mut())) };
    /// Whether a refused suspension is thrown before the JS function is called (the spec, and
    /// V8 from Node 26) rather than after it returned (Node 24's V8).
    static REFUSE_BEFORE_CALL: Cell<bool> = const { Cell::new(false) };
}

/// The helper picked by `pick`.
fn helper(env: Env, pick: fn((Ref, Ref)) -> Ref) -> JsResult<Value> {
    let r = pick(HELPERS.get());
    if r.is_null() {
        return Err(env.throw_error("jitless-wasm: JSPI was not initialised (load it through index.js)"));
    }
    env.reference_value(r).ok_or_else(|| env.throw_error("jitless-wasm: a JSPI helper was collected"))
}

/// A suspended promising invocation, owned by its token.
struct Suspended(RefCell<Option<Continuation>>);

/// The token External of `value`.
fn suspended<'a>(env: Env, value: Value) -> JsResult<&'a Suspended> {
    if env.type_of(value) != JsType::External {
        return Err(env.throw_type_error("jitless-wasm: not a JSPI token"));
    }
    // SAFETY: the only Externals `lib/jspi.js` passes here are the tokens made by `report`, over
    // a `Suspended` that lives as long as the External (the caller's handle keeps it).
    unsafe { env.external_data::<Suspended>(value) }
        .ok_or_else(|| env.throw_type_error("jitless-wasm: not a JSPI token"))
}

/// Writes the outcome of a step into `out` and returns its status. A suspended stack goes into
/// `token` (the one it was resumed from), or a new token when it suspends for the first time.
fn report(
    env: Env,
    st: &Rc<State>,
    outcome: Result<Option<Suspension>, Error>,
    results: &[Val],
    out: Value,
    token: Option<(&Suspended, Value)>,
) -> JsResult<Value> {
    let status = match outcome {
        Ok(None) => {
            let v = convert::results_to_js(env, st, results)?;
            env.set_element(out, 0, v)?;
            Status::Fulfilled
        }
        Ok(Some(Suspension { payload, continuation })) => {
            let Ok(promise) = payload.downcast::<Persistent>() else {
                return Err(env.throw_error("jitless-wasm: a foreign suspension"));
            };
            let token = match token {
                Some((held, token)) => {
                    *held.0.borrow_mut() = Some(continuation);
                    token
                }
                None => {
                    let owned = Box::new(Suspended(RefCell::new(Some(continuation))));
                    let token = env.external_unowned(&*owned as *const Suspended as *mut c_void)?;
                    reclaim::attach(env, st, token, owned)?;
                    token
                }
            };
            let promise = promise.get(env)?;
            env.set_element(out, 0, promise)?;
            env.set_element(out, 1, token)?;
            Status::Suspended
        }
        Err(e) => {
            let pending = errors::throw_error(env, st, e);
            // Node is stopping the thread: the termination goes on.
            if crate::interrupt::is_stopping(env) {
                return Err(pending);
            }
            let error = env.take_exception();
            env.set_element(out, 0, error)?;
            Status::Rejected
        }
    };
    env.uint32(status as u32)
}

native_fn!(
    /// `jspiInit({ SuspendError, promiseResolve, refuseBeforeCall })`: the helpers of this env.
    jspi_init, 1, |cx| {
        let env = cx.env;
        let [o] = cx.args;
        let error = env.get_named(o, c"SuspendError")?;
        let resolve = env.get_named(o, c"promiseResolve")?;
        // Called again when the profile changes: the helpers are the same objects, kept once.
        if HELPERS.get().0.is_null() {
            HELPERS.set((env.reference(error, 1)?, env.reference(resolve, 1)?));
        }
        let before = env.get_named(o, c"refuseBeforeCall")?;
        REFUSE_BEFORE_CALL.set(env.get_bool(before) == Some(true));
        Ok(env.undefined())
    }
);

native_fn!(
    /// `jspiSuspendingImport(fn)`: the import value for a Suspending object wrapping `fn`.
    jspi_suspending_import, 1, |cx| {
        let env = cx.env;
        let [f] = cx.args;
        let marker = env.object()?;
        env.set_named(marker, c"fn", f)?;
        env.type_tag(marker, &SUSPENDING_TAG)?;
        Ok(marker)
    }
);

/// The JS function of an import value made by `jspiSuspendingImport`, or `None`.
pub(crate) fn suspending_import(env: Env, v: Value) -> Option<Value> {
    if env.type_of(v) != JsType::Object || !env.has_type_tag(v, &SUSPENDING_TAG) {
        return None;
    }
    env.get_named(v, c"fn").ok().filter(|&f| env.type_of(f) == JsType::Function)
}

native_fn!(
    /// `jspiIsExported(f)`: whether `f` has a [[FunctionAddress]] (an Exported Function).
    jspi_is_exported, 1, |cx| {
        let env = cx.env;
        Ok(env.boolean(exported_function::from_js(env, cx.args[0]).is_some()))
    }
);

native_fn!(
    /// `jspiCall(wasmFunc, args, out) → status`
    /// https://webassembly.github.io/js-promise-integration/js-api/#evaluate-a-promising-function
    jspi_call, 3, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [f, args, out] = cx.args;
        let Some(func) = exported_function::from_js(env, f) else {
            return Err(env.throw_type_error("WebAssembly.promising(): Argument 0 must be a WebAssembly exported function"));
        };
        let ty = func.ty().clone();
        if ty.params().iter().chain(ty.results()).any(|t| matches!(*t, ValType::V128 | ValType::EXNREF)) {
            return Err(env.throw_type_error(TYPE_INCOMPATIBLE));
        }
        // 3. Let args be the result of coercing arguments (functype, arguments).
        let n = env.array_length(args)?;
        let mut vals = Vec::with_capacity(ty.params().len());
        for (i, &t) in ty.params().iter().enumerate() {
            let v = if (i as u32) < n { env.get_element(args, i as u32)? } else { env.undefined() };
            vals.push(convert::to_wasm(env, st, v, t)?);
        }
        // 4–8. Invoke on a stack of its own (the status map's entry is the core's segment).
        let mut results = st.take_results();
        let outcome = {
            let _scope = st.enter_call();
            call_promising(&func, &vals, &mut results)
        };
        drop(vals);
        let r = report(env, st, outcome, &results, out, None);
        st.put_results(results);
        r
    }
);

native_fn!(
    /// `jspiResume(token, fulfilled, value, out) → status`: resumes a suspended stack with the
    /// settled value of the promise it awaited
    /// (https://webassembly.github.io/js-promise-integration/js-api/#create-a-suspending-function,
    /// the steps after "Await(promise)").
    jspi_resume, 4, |cx| {
        let env = cx.env;
        let st = State::get(env);
        let [token, fulfilled, value, out] = cx.args;
        let held = suspended(env, token)?;
        let Some(cont) = held.0.borrow_mut().take() else {
            return Err(env.throw_error("jitless-wasm: this stack was resumed already"));
        };
        let outcome = if env.get_bool(fulfilled) == Some(true) {
            // Return the result of coercing a JavaScript return on resultTypes and awaitResult.
            let mut vals = Vec::new();
            match convert_results(env, st, cont.result_types(), value, &mut vals) {
                Ok(()) => Ok(vals),
                Err(_) => Err(thrown(env, st, env.take_exception())),
            }
        } else {
            // If awaitResult is a throw completion, throw it into wasm.
            Err(thrown(env, st, value))
        };
        let mut results = st.take_results();
        let outcome = {
            let _scope = st.enter_call();
            cont.resume(outcome, &mut results)
        };
        let r = report(env, st, outcome, &results, out, Some((held, token)));
        st.put_results(results);
        r
    }
);

/// The core error for a JS value thrown into wasm at a resumed call site.
fn thrown(env: Env, st: &Rc<State>, value: Value) -> Error {
    if crate::interrupt::is_stopping(env) {
        return TrapCode::Interrupted.into();
    }
    host_error(env, st, value)
}

/// Runs a suspending function
/// (https://webassembly.github.io/js-promise-integration/js-api/#create-a-suspending-function).
/// AD-HOC (spec): Node 24's V8 calls the function first and throws the SuspendError after it
/// returned; the spec, and V8 from Node 26 on, check before the call ([`REFUSE_BEFORE_CALL`]).
pub(crate) fn call_suspending(h: &JsHostFunc, env: Env, args: &[Val]) -> JsResult<()> {
    // (The permit is taken before any JS runs, so that nothing the function calls can use it.)
    let permit = take_suspend_permit(h as *const JsHostFunc as *const () as usize);
    // If the entry for async_context in map is not active, throw a SuspendError.
    if let (Err(refusal), true) = (permit, REFUSE_BEFORE_CALL.get()) {
        return Err(throw_suspend_error(env, refusal));
    }
    let Some(f) = env.reference_value(h.callable) else {
        return Err(env.throw_error("jitless-wasm: the imported JS function was garbage-collected"));
    };
    if h.has_v128 {
        return Err(env.throw_type_error(TYPE_INCOMPATIBLE));
    }
    // Let ret be Completion(Call(func, undefined, jsArguments)).
    let ret = h.convert_and_call(env, f, args)?;
    if let Err(refusal) = permit {
        return Err(throw_suspend_error(env, refusal));
    }
    // Let promise be ? PromiseResolve(%Promise%, ret); set the entry to paused; Await(promise).
    let resolve = helper(env, |h| h.1)?;
    let undefined = env.undefined();
    let promise = env.call(undefined, resolve, &[ret])?;
    let st = State::get(env);
    request_suspend(Box::new(Persistent::new(env, st, promise)?));
    Ok(())
}

/// Throws the `WebAssembly.SuspendError` of a refused suspension, with V8's text.
fn throw_suspend_error(env: Env, refusal: SuspendRefusal) -> crate::raw::Pending {
    let message = match refusal {
        SuspendRefusal::NoPromising => "trying to suspend without WebAssembly.promising",
        SuspendRefusal::JsFrames => "trying to suspend JS frames",
    };
    let made = helper(env, |h| h.0).and_then(|ctor| {
        let text = env.string(message)?;
        env.construct(ctor, &[text])
    });
    match made {
        Ok(error) => env.throw(error),
        Err(pending) => pending,
    }
}

/// Registers the native functions of `lib/jspi.js`.
pub(crate) fn register(r: &mut crate::Registrar) -> JsResult<()> {
    r.add("jspiInit", jspi_init)?;
    r.add("jspiSuspendingImport", jspi_suspending_import)?;
    r.add("jspiIsExported", jspi_is_exported)?;
    r.add("jspiCall", jspi_call)?;
    r.add("jspiResume", jspi_resume)
}
