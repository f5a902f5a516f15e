//! `memory.atomic.wait/notify` of a shared memory through JS `Atomics.wait/notify` on views of
//! its SharedArrayBuffers, so that wasm waiters, JS waiters and those of other threads
//! (Workers) on the same bytes all meet in V8's futex table.

use std::rc::{Rc, Weak};

use crate::raw::{Env, JsResult, Ref, Value};
use crate::state::State;

/// `Atomics.wait` and `Atomics.notify` of one env (strong references, deleted on drop).
pub(crate) struct JsAtomics {
    state: Weak<State>,
    wait: Ref,
    notify: Ref,
}

impl JsAtomics {
    /// The Atomics functions of `env`'s global object.
    pub(crate) fn new(env: Env, st: &Rc<State>) -> JsResult<JsAtomics> {
        let atomics = env.get_named(global(env)?, c"Atomics")?;
        let wait = env.get_named(atomics, c"wait")?;
        let notify = env.get_named(atomics, c"notify")?;
        Ok(JsAtomics { state: Rc::downgrade(st), wait: env.reference(wait, 1)?, notify: env.reference(notify, 1)? })
    }

    /// The env's state, while it exists.
    pub(crate) fn state(&self) -> Option<Rc<State>> {
        self.state.upgrade()
    }

    /// Runs `f` with the live env in a handle scope; `None` when the env is gone or `f` threw
    /// (the exception is cleared).
    pub(crate) fn with_env<R>(&self, f: impl FnOnce(Env) -> JsResult<R>) -> Option<R> {
        let st = self.state.upgrade()?;
        if !st.alive() {
            return None;
        }
        let env = st.env;
        env.scoped(|| match f(env) {
            Ok(r) => Some(r),
            Err(_) => {
                if env.is_exception_pending() {
                    env.take_exception();
                }
                None
            }
        })
    }

    /// `Atomics.wait(view, index, expected, timeout)` with a wasm operand: `view` is an
    /// `Int32Array` (size 2) or a `BigInt64Array` (size 3); a negative timeout waits forever.
    /// Returns 0 ("ok"), 1 ("not-equal") or 2 ("timed-out").
    pub(crate) fn wait(
        &self,
        env: Env,
        view: Value,
        index: usize,
        size: u8,
        expected: u64,
        timeout_ns: i64,
    ) -> JsResult<u32> {
        let expected =
            if size == 2 { env.double(expected as u32 as i32 as f64)? } else { env.bigint_i64(expected as i64)? };
        let timeout = if timeout_ns < 0 { f64::INFINITY } else { timeout_ns as f64 / 1e6 };
        let wait = self.value(env, self.wait)?;
        let args = [view, env.double(index as f64)?, expected, env.double(timeout)?];
        let r = env.call(env.undefined(), wait, &args)?;
        Ok(match env.get_string(r)?.as_str() {
            "ok" => 0,
            "not-equal" => 1,
            _ => 2,
        })
    }

    /// `Atomics.notify(view, index, count)` on an `Int32Array`; returns how many were woken.
    pub(crate) fn notify(&self, env: Env, view: Value, index: usize, count: u32) -> JsResult<u32> {
        let notify = self.value(env, self.notify)?;
        let args = [view, env.double(index as f64)?, env.double(count as f64)?];
        let r = env.call(env.undefined(), notify, &args)?;
        Ok(env.get_f64(r).unwrap_or(0.0) as u32)
    }

    fn value(&self, env: Env, r: Ref) -> JsResult<Value> {
        env.reference_value(r).ok_or_else(|| env.throw_error("jitless-wasm: an Atomics helper was collected"))
    }
}

impl Drop for JsAtomics {
    fn drop(&mut self) {
        if let Some(st) = self.state.upgrade() {
            st.delete_ref(self.wait);
            st.delete_ref(self.notify);
        }
    }
}

/// The global object.
pub(crate) fn global(env: Env) -> JsResult<Value> {
    env.global()
}
