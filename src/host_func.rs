//! Host functions: JS callables imported by a module
//! (https://webassembly.github.io/spec/js-api/#create-a-host-function).
//!
//! The callable is held through a *weak* reference: the JS side keeps it alive (the `Instance`
//! object and every Exported Function of the instance retain the import values), so an
//! instance whose imports close over its own exports can still be collected.
//!
//! A JS exception thrown by the callable (or by the conversion of its result) is taken off the
//! env and thrown into wasm as a core exception ([`crate::exception::from_js`]): wasm handlers
//! can catch it, and if none does, the outermost Exported Function rethrows the very same
//! value. Only the errors of traps (which wasm must never catch, even after they went through
//! JS) travel as an uncatchable [`HostError`] holding a [`Persistent`].

use std::rc::Rc;

use jitless_wasm_core::{Error, FuncRef, FuncType, HostError, HostFunc, TrapCode, Val, ValType};

use crate::convert::{self, Persistent, TYPE_INCOMPATIBLE};
use crate::js_objects::JsCell;
use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;

/// A JS callable as a core host function.
pub(crate) struct JsHostFunc {
    pub(crate) callable: Ref,
    ty: FuncType,
    pub(crate) has_v128: bool,
    state: Rc<State>,
    /// The import index it was created for (its Exported Function's `name`).
    pub(crate) index: u32,
    /// A suspending function (JSPI, `src/jspi.rs`): made from a `WebAssembly.Suspending`.
    suspending: bool,
    /// The cache cell of the function's Exported Function (the binding's data on its own
    /// host functions: see `js_objects.rs`).
    export: JsCell,
}

/// The host function for import `index` from `callable` (already known callable);
/// `suspending`: from the [[WrappedFunction]] of a `WebAssembly.Suspending` (JSPI). Not yet a
/// `FuncRef` ([`JsHostFunc::into_func`]): the native WASI functions (`src/wasi_native.rs`) wrap it.
pub(crate) fn new(
    env: Env,
    st: &Rc<State>,
    callable: Value,
    ty: FuncType,
    index: u32,
    suspending: bool,
) -> JsResult<JsHostFunc> {
    let weak = env.reference(callable, 0)?;
    let has_v128 = ty.params().iter().chain(ty.results()).any(|t| matches!(*t, ValType::V128 | ValType::EXNREF));
    let export = JsCell::new(st);
    Ok(JsHostFunc { callable: weak, ty, has_v128, state: st.clone(), index, suspending, export })
}

impl Drop for JsHostFunc {
    fn drop(&mut self) {
        self.state.delete_ref(self.callable);
    }
}

impl JsHostFunc {
    /// The host function as a core function.
    pub(crate) fn into_func(self) -> FuncRef {
        FuncRef::host(self.ty.clone(), self)
    }

    /// The weak reference to the JS callable.
    pub(crate) fn callable(&self) -> Ref {
        self.callable
    }

    /// The cache cell of the function's Exported Function in the env of `st`: a host function
    /// belongs to the env that made it (`None` in any other).
    #[inline]
    pub(crate) fn export_cell(&self, st: &State) -> Option<&JsCell> {
        (self.state.id() == st.id()).then_some(&self.export)
    }
}

impl HostFunc for JsHostFunc {
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        let st = &self.state;
        let env = st.env;
        st.host_scope(|| match self.dispatch(env, args, results) {
            Ok(()) => Ok(()),
            Err(_) => Err(self.thrown(env)),
        })
    }

    /// The fast path for numeric types: a plain (not suspending) host function without v128
    /// or exnref, called with raw bits.
    fn has_numeric_call(&self) -> bool {
        !self.suspending && !self.has_v128
    }

    fn call_numeric(&self, args: &[u64], results: &mut [u64]) -> Result<(), Error> {
        let st = &self.state;
        let env = st.env;
        st.host_scope(|| match self.call_js_numeric(env, args, results) {
            Ok(()) => Ok(()),
            Err(_) => Err(self.thrown(env)),
        })
    }
}

/// Arguments of a numeric host call converted into a handle array in the frame (more go to
/// a pooled vector).
const INLINE_ARGS: usize = 4;

impl JsHostFunc {
    /// The core error for the JS exception a call threw (taken off the env).
    #[inline(never)]
    fn thrown(&self, env: Env) -> Error {
        let exception = env.take_exception();
        // Node is stopping the thread: no wasm handler may catch that.
        if crate::interrupt::is_stopping(env) {
            return TrapCode::Interrupted.into();
        }
        host_error(env, &self.state, exception)
    }

    /// Runs the host function with raw numeric arguments and results
    /// (https://webassembly.github.io/spec/js-api/#run-a-host-function; see
    /// [`jitless_wasm_core::NumericFunc`] for the raw bits).
    fn call_js_numeric(&self, env: Env, args: &[u64], results: &mut [u64]) -> JsResult<()> {
        let Some(f) = env.reference_value(self.callable) else {
            return Err(env.throw_error("jitless-wasm: the imported JS function was garbage-collected"));
        };
        // 3. Let jsArguments be « ToJSValue(arg) for each arg ».
        // 4. Let ret be ? Call(func, undefined, jsArguments).
        let ret = if args.len() <= INLINE_ARGS {
            let mut argv = [std::ptr::null_mut(); INLINE_ARGS];
            for ((a, &t), v) in args.iter().zip(self.ty.params()).zip(argv.iter_mut()) {
                *v = convert::raw_to_js(env, *a, t)?;
            }
            let undefined = env.undefined();
            env.call(undefined, f, &argv[..args.len()])?
        } else {
            self.call_spread_numeric(env, f, args)?
        };
        // 5–7. Convert the result.
        match self.ty.results() {
            [] => Ok(()),
            [t] => {
                results[0] = convert::to_wasm_raw(env, &self.state, ret, *t)?;
                Ok(())
            }
            _ => self.convert_results_numeric(env, ret, results),
        }
    }

    /// Steps 3–4 of a numeric host call with more than [`INLINE_ARGS`] arguments.
    #[inline(never)]
    fn call_spread_numeric(&self, env: Env, f: Value, args: &[u64]) -> JsResult<Value> {
        let params = self.ty.params();
        self.call_pooled(env, f, args.len(), |i| convert::raw_to_js(env, args[i], params[i]))
    }

    /// Calls `f` with `n` arguments, the handles `to_js` gives for each index, in a pooled
    /// vector (not in the frame that stays live while the JS function runs).
    #[inline(always)]
    fn call_pooled(
        &self,
        env: Env,
        f: Value,
        n: usize,
        mut to_js: impl FnMut(usize) -> JsResult<Value>,
    ) -> JsResult<Value> {
        let st = &self.state;
        let mut argv = st.take_argv();
        argv.reserve(n);
        for i in 0..n {
            match to_js(i) {
                Ok(v) => argv.push(v),
                Err(e) => {
                    st.put_argv(argv);
                    return Err(e);
                }
            }
        }
        let undefined = env.undefined();
        let ret = env.call(undefined, f, &argv);
        st.put_argv(argv);
        ret
    }

    /// Steps 5–7 of a numeric host call with several results.
    #[inline(never)]
    fn convert_results_numeric(&self, env: Env, ret: Value, results: &mut [u64]) -> JsResult<()> {
        let mut vals = self.state.take_results();
        let converted = self.convert_results(env, ret, &mut vals);
        if converted.is_ok() {
            for (r, v) in results.iter_mut().zip(&vals) {
                *r = convert::raw_of(v);
            }
        }
        self.state.put_results(vals);
        converted
    }

    /// Runs the host function, or the suspending function (JSPI).
    #[inline(always)]
    fn dispatch(&self, env: Env, args: &[Val], results: &mut Vec<Val>) -> JsResult<()> {
        if self.suspending {
            return crate::jspi::call_suspending(self, env, args);
        }
        self.call_js(env, args, results)
    }

    /// Runs the host function (https://webassembly.github.io/spec/js-api/#run-a-host-function).
    ///
    /// Only a small frame stays on the native stack while the JS function runs, which may call
    /// wasm again: the argument handles are in a pooled vector, and the result conversion is a
    /// function of its own (issue #11: native stack per re-entry level).
    fn call_js(&self, env: Env, args: &[Val], results: &mut Vec<Val>) -> JsResult<()> {
        let Some(f) = env.reference_value(self.callable) else {
            return Err(env.throw_error("jitless-wasm: the imported JS function was garbage-collected"));
        };
        // 2. If parameters or results contain v128 or exnref, throw a TypeError.
        if self.has_v128 {
            return Err(env.throw_type_error(TYPE_INCOMPATIBLE));
        }
        let ret = self.convert_and_call(env, f, args)?;
        self.convert_results(env, ret, results)
    }

    /// Steps 3–4: converts the arguments and calls the JS function. (The argument handles are
    /// in a pooled vector, not in the frame that stays live while the JS function runs.)
    #[inline(always)]
    pub(crate) fn convert_and_call(&self, env: Env, f: Value, args: &[Val]) -> JsResult<Value> {
        let st = &self.state;
        // 3. Let jsArguments be « ToJSValue(arg) for each arg ».
        // 4. Let ret be ? Call(func, undefined, jsArguments).
        self.call_pooled(env, f, args.len(), |i| convert::to_js(env, st, &args[i]))
    }

    /// Steps 5–7: converts the result `ret` according to the number of results.
    #[inline(never)]
    fn convert_results(&self, env: Env, ret: Value, results: &mut Vec<Val>) -> JsResult<()> {
        convert_results(env, &self.state, self.ty.results(), ret, results)
    }
}

/// Steps 5–7 of running a host function: converts its result `ret` to values of types `tys`
/// (also the "coerce a JavaScript return" of a resumed suspending function).
pub(crate) fn convert_results(
    env: Env,
    st: &Rc<State>,
    tys: &[ValType],
    ret: Value,
    results: &mut Vec<Val>,
) -> JsResult<()> {
    {
        match tys {
            [] => {}
            [t] => results.push(convert::to_wasm(env, st, ret, *t)?),
            many => {
                // 7.1 Let method be ? GetMethod(ret, @@iterator) … values ? IteratorToList.
                let undefined = env.undefined();
                let iterate = st.helper(env, |h| h.iterate)?;
                let list = env.call(undefined, iterate, &[ret])?;
                let len = env.array_length(list)?;
                // 7.4 If values's size is not resultsSize, throw a TypeError.
                if len as usize != many.len() {
                    return Err(env.throw_type_error("multi-return length mismatch"));
                }
                for (i, t) in many.iter().enumerate() {
                    let v = env.get_element(list, i as u32)?;
                    results.push(convert::to_wasm(env, st, v, *t)?);
                }
            }
        }
        Ok(())
    }
}

/// The core error for a JS exception taken off the env, carrying it by identity: an exception
/// wasm can catch, or for the error of a trap an uncatchable host error.
#[inline(never)]
pub(crate) fn host_error(env: Env, st: &Rc<State>, exception: Value) -> Error {
    crate::errors::add_host_caller_frames(env, exception);
    if !crate::errors::is_trap_error(env, exception) {
        match crate::exception::from_js(env, st, exception) {
            Ok(exn) => return Error::Exception(exn),
            Err(_) => {
                env.take_exception();
            }
        }
    }
    match Persistent::new(env, st, exception) {
        Ok(p) => Error::Host(HostError(Box::new(p))),
        Err(_) => {
            let again = env.take_exception();
            match Persistent::new(env, st, again) {
                Ok(p) => Error::Host(HostError(Box::new(p))),
                Err(_) => Error::Host(HostError(Box::new(()))),
            }
        }
    }
}
