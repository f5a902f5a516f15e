//! Exported Functions (https://webassembly.github.io/spec/js-api/#exported-function): the JS
//! functions that call wasm functions. This is the hot path, so it is written on raw Node-API
//! callbacks (~100 ns per call) rather than napi-rs macros (~400 ns).
//!
//! * One JS function per wasm function: a weak reference cached on the function's instance
//!   (its `InstanceData`, by function index) or on its host function (`JsHostFunc`), removed
//!   by the function's native data when the function is collected (`js_objects.rs`).
//! * `name` is the function index (imports counted), `length` the parameter count; `new f()`
//!   throws a TypeError.
//! * The native data is attached with `napi_wrap` and the function carries [`FUNC_TAG`], so a
//!   funcref argument can be turned back into its `FuncRef` (and identity survives re-export).
//! * The function keeps the JS values its wasm code may call alive (see [`retain_for`]): the
//!   import values of its instance, or the callable of a host function.

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;

use jitless_wasm_core::{Error, FuncRef, FuncType, NumericFunc, Val, ValType};

use crate::convert::{self, TYPE_INCOMPATIBLE};
use crate::errors;
use crate::host_func::JsHostFunc;
use crate::js_objects::InstanceData;
use crate::raw::{guard, CallbackInfo, Env, JsResult, JsType, PropertyAttributes, RawEnv, Ref, TypeTag, Value};
use crate::reclaim::attach;
use crate::state::State;

/// The type tag of Exported Functions.
const FUNC_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x6675_6e63_0000_0001 };

/// Arguments read without a heap allocation.
const INLINE_ARGS: usize = 6;

/// The native data of one Exported Function, owned by the raw JS function through the
/// reclaimer (freed by the first sweep after the function was collected, or by its finalizer).
pub(crate) struct FuncData {
    func: FuncRef,
    ty: FuncType,
    /// Whether a parameter or result is a v128 or an exnref (every call is then a TypeError).
    has_v128: bool,
    /// The fast path: a wasm function of numeric types only, with at most [`INLINE_ARGS`]
    /// parameters and at most one result, is called with raw bits (no `Val` vectors).
    numeric: Option<NumericFunc>,
    state: Rc<State>,
    /// The id of the cache entry this function occupies.
    id: u64,
    /// The reference of the wrap that attaches this data to the bound function.
    wrap_ref: Cell<Ref>,
}

impl Drop for FuncData {
    fn drop(&mut self) {
        uncache(&self.state, &self.func, self.id);
        self.state.delete_ref(self.wrap_ref.get());
        // The function may have been what kept a cyclic instance alive.
        jitless_wasm_core::runtime::note_release();
    }
}

/// The Exported Function of `func` (https://webassembly.github.io/spec/js-api/#a-new-exported-function):
/// the cached one if it is alive, else a new one. `index` is the function index to use as `name`
/// when `func` is a host function re-exported by an instance.
pub(crate) fn to_js(env: Env, st: &Rc<State>, func: &FuncRef, index: Option<u32>) -> JsResult<Value> {
    // 1. Let map be the surrounding agent's associated Exported Function cache.
    // 2. If map[funcaddr] exists, return map[funcaddr].
    if let Some(f) = cached(env, st, func) {
        return Ok(f);
    }
    // 3. Let steps be "call the Exported Function funcaddr with arguments."
    // 4. Let realm be the current Realm.
    // 5. Let store be the surrounding agent's associated store.
    // 6. Let functype be func_type(store, funcaddr).
    let ty = func.ty().clone();
    // 8. Let name be the name of the WebAssembly function funcaddr.
    let name_index = func
        .wasm_index()
        .or(index)
        .or_else(|| func.host_data::<JsHostFunc>().map(|h| h.index))
        .or_else(|| func.host_data::<crate::js_string::JsStringFunc>().map(|h| h.index))
        .unwrap_or(0);
    let has_v128 = ty.params().iter().chain(ty.results()).any(|t| matches!(*t, ValType::V128 | ValType::EXNREF));
    let nparams = ty.params().len() as u32;
    let numeric = NumericFunc::new(func).filter(|_| ty.params().len() <= INLINE_ARGS && ty.results().len() <= 1);
    let id = st.next_id();
    let data = Box::new(FuncData {
        func: func.clone(),
        ty,
        has_v128,
        numeric,
        state: st.clone(),
        id,
        wrap_ref: Cell::new(ptr::null_mut()),
    });
    let p = &*data as *const FuncData;
    // 9. Let function be ! CreateBuiltinFunction(steps, arity, « [[FunctionAddress]] », realm).
    // AD-HOC: a Node-API function always has a `prototype` and is a constructor, so JS sees a
    // bound function over it: no `prototype`, `new` reaches the native new.target check, and
    // calls cost no more (V8's bound-function trampoline is a builtin).
    let name = name_index.to_string();
    // (If this fails, `data` is dropped: nothing points at it.)
    let raw = env.function(&name, call, p as *mut c_void)?;
    // `raw` owns the data from here on: it lives until `raw` was collected, and the callback
    // only runs while `raw` is alive.
    attach(env, st, raw, data)?;
    let bind = st.helper(env, |h| h.bind)?;
    let undefined = env.undefined();
    let f = env.call(raw, bind, &[undefined])?;
    // The native data is found again from the bound function (funcref arguments, re-export).
    // SAFETY: `f` keeps `raw` alive, and `raw` the data.
    let wrap_ref = unsafe { env.wrap_unowned(f, p as *mut c_void)? };
    // SAFETY: `raw` (in scope) keeps the data alive.
    unsafe { (*p).wrap_ref.set(wrap_ref) };
    env.type_tag(f, &FUNC_TAG)?;
    // 10. Perform ! SetFunctionName(function, name).
    let name = env.string(&name)?;
    env.define_value(f, c"name", name, PropertyAttributes::configurable)?;
    // 11. Perform ! SetFunctionLength(function, arity).
    let length = env.uint32(nparams)?;
    env.define_value(f, c"length", length, PropertyAttributes::configurable)?;
    // 12. Set map[funcaddr] to function.
    cache(env, st, func, id, f)?;
    retain_for(env, st, f, func)?;
    // 13. Return function.
    Ok(f)
}

/// The cached Exported Function of `func` in the env of `st`, if it is alive.
#[inline]
fn cached(env: Env, st: &State, func: &FuncRef) -> Option<Value> {
    match func.instance_index() {
        Some((instance, index)) => InstanceData::cached_func(env, st, instance, index),
        None => host_cell(func, st)?.get(env),
    }
}

/// The cache cell of a host function of the binding (a JS callable, or a JS string builtin) in
/// the env of `st`.
fn host_cell<'a>(func: &'a FuncRef, st: &State) -> Option<&'a crate::js_objects::JsCell> {
    match func.host_data::<JsHostFunc>() {
        Some(h) => h.export_cell(st),
        None => func.host_data::<crate::js_string::JsStringFunc>()?.export_cell(st),
    }
}

/// Caches `f` as the Exported Function of `func` for the native data with `id`. (Every host
/// function of the binding is a `JsHostFunc`; another would simply not be cached.)
fn cache(env: Env, st: &Rc<State>, func: &FuncRef, id: u64, f: Value) -> JsResult<()> {
    match func.instance_index() {
        Some((instance, index)) => InstanceData::of(st, instance).put_func(st, env, index, id, f),
        None => match host_cell(func, st) {
            Some(cell) => cell.put(st, env, id, f),
            None => Ok(()),
        },
    }
}

/// Clears the cache entry of `func` if it still belongs to the native data with `id`.
fn uncache(st: &State, func: &FuncRef, id: u64) {
    match func.instance_index() {
        Some((instance, index)) => {
            if let Some(data) = InstanceData::get(st, instance) {
                data.clear_func(index, id);
            }
        }
        None => {
            if let Some(cell) = host_cell(func, st) {
                cell.clear(id);
            }
        }
    }
}

/// Makes `holder` keep alive the JS values that `func` may call: the import values of its
/// instance (wasm functions) or its callable (host functions). Rust only holds those weakly, so
/// that JS ↔ wasm cycles stay collectable.
pub(crate) fn retain_for(env: Env, st: &State, holder: Value, func: &FuncRef) -> JsResult<()> {
    let target = match func.host_data::<JsHostFunc>() {
        Some(host) => Some(host.callable()),
        None if func.is_host() => None,
        None => func.instance_index().and_then(|(instance, _)| InstanceData::get(st, instance)).map(|d| d.imports()),
    };
    let Some(value) = target.filter(|r| !r.is_null()).and_then(|r| env.reference_value(r)) else {
        return Ok(());
    };
    let retain = st.helper(env, |h| h.retain)?;
    let undefined = env.undefined();
    env.call(undefined, retain, &[holder, value])?;
    Ok(())
}

/// The `FuncRef` of an Exported Function, or `None` if `value` is not one.
pub(crate) fn from_js(env: Env, value: Value) -> Option<FuncRef> {
    if env.type_of(value) != JsType::Function || !env.has_type_tag(value, &FUNC_TAG) {
        return None;
    }
    let p = env.unwrap(value)?;
    // SAFETY: functions tagged with FUNC_TAG are wrapped with the `FuncData` of the raw function
    // they are bound to, which they keep alive; `value` is a live handle.
    let fd = unsafe { &*(p as *const FuncData) };
    Some(fd.func.clone())
}

/// The native callback of every Exported Function.
unsafe extern "C" fn call(raw_env: RawEnv, info: CallbackInfo) -> Value {
    // SAFETY: Node-API passes its live env.
    let env = unsafe { Env::from_raw(raw_env) };
    guard(env, || call_exported(env, info))
}

/// Calls the Exported Function (https://webassembly.github.io/spec/js-api/#call-an-exported-function).
///
/// This frame stays on the native stack while wasm runs (and maybe calls JS again), so it
/// holds little: the argument handles and their conversion live in [`prepare`]'s frame, which
/// returns first, and the converted arguments in a pooled vector or, on the numeric fast path,
/// a few raw cells (issue #11: native stack per re-entry level).
fn call_exported(env: Env, info: CallbackInfo) -> JsResult<Value> {
    let (fd, args) = prepare(env, info)?;
    let st = &fd.state;
    let args = match args {
        Args::Numeric(cells) => return call_numeric(env, fd, &cells),
        Args::Vals(args) => args,
    };
    let mut results = st.take_results();
    let outcome = {
        let _scope = st.enter_call();
        fd.func.call(&args, &mut results)
    };
    st.put_results(args);
    // 9–12. The results, or the error.
    let out = finish(env, st, outcome, &results);
    st.put_results(results);
    out
}

/// Steps 7–12 on the numeric fast path: the raw arguments in `cells` (one per parameter).
#[inline(always)]
fn call_numeric(env: Env, fd: &FuncData, cells: &[u64; INLINE_ARGS]) -> JsResult<Value> {
    let Some(numeric) = &fd.numeric else { unreachable!("numeric arguments of a general function") };
    let st = &fd.state;
    let mut out = [0u64; 1];
    let (nparams, nresults) = (fd.ty.params().len(), fd.ty.results().len());
    let outcome = {
        let _scope = st.enter_call();
        numeric.call(&cells[..nparams], &mut out[..nresults])
    };
    match (outcome, fd.ty.results().first()) {
        (Ok(()), None) => Ok(env.undefined()),
        (Ok(()), Some(&t)) => convert::raw_to_js(env, out[0], t),
        (Err(e), _) => Err(errors::throw_error(env, st, e)),
    }
}

/// The converted arguments of a call.
enum Args {
    /// The raw bits of the arguments of a [`NumericFunc`] (one cell per parameter).
    Numeric([u64; INLINE_ARGS]),
    /// The arguments as values (in a vector of the results pool).
    Vals(Vec<Val>),
}

/// Steps 1–6: the function's native data and its arguments converted.
#[inline(never)]
fn prepare<'a>(env: Env, info: CallbackInfo) -> JsResult<(&'a FuncData, Args)> {
    let mut argv = [ptr::null_mut(); INLINE_ARGS];
    let (_, data) = env.cb_info(info, &mut argv)?;
    // SAFETY: every function using this callback was created by `to_js` with a `FuncData`
    // that lives as long as the function, which is being called.
    let fd = unsafe { &*(data as *const FuncData) };
    // Exported Functions are not constructors.
    if env.is_construct_call(info)? {
        return Err(env.throw_type_error("WebAssembly function is not a constructor"));
    }
    // 3. If parameters or results contain v128 or exnref, throw a TypeError.
    if fd.has_v128 {
        return Err(env.throw_type_error(TYPE_INCOMPATIBLE));
    }
    // 4–6. Convert the arguments.
    if fd.numeric.is_some() {
        let mut cells = [0u64; INLINE_ARGS];
        convert_raw(env, fd, &argv, &mut cells)?;
        return Ok((fd, Args::Numeric(cells)));
    }
    let st = &fd.state;
    let mut args = st.take_results();
    let converted = if fd.ty.params().len() <= INLINE_ARGS {
        convert_inline(env, fd, &argv, &mut args)
    } else {
        convert_spread(env, info, fd, &mut args)
    };
    match converted {
        Ok(()) => Ok((fd, Args::Vals(args))),
        Err(e) => {
            st.put_results(args);
            Err(e)
        }
    }
}

/// Steps 4–6 on the numeric fast path: the raw bits of each argument (at most
/// [`INLINE_ARGS`], their handles in `argv`) into `cells`.
#[inline(always)]
fn convert_raw(env: Env, fd: &FuncData, argv: &[Value; INLINE_ARGS], cells: &mut [u64; INLINE_ARGS]) -> JsResult<()> {
    for ((&v, &t), cell) in argv.iter().zip(fd.ty.params()).zip(cells.iter_mut()) {
        *cell = convert::to_wasm_raw(env, &fd.state, v, t)?;
    }
    Ok(())
}

/// Steps 4–6 for at most [`INLINE_ARGS`] parameters (their handles in `argv`).
#[inline(always)]
fn convert_inline(env: Env, fd: &FuncData, argv: &[Value; INLINE_ARGS], args: &mut Vec<Val>) -> JsResult<()> {
    let st = &fd.state;
    let params = fd.ty.params();
    args.reserve(params.len());
    for (&v, &t) in argv.iter().zip(params) {
        // The common numeric cases inline; the rest (and every slow path) in `to_wasm`.
        args.push(match t {
            ValType::I32 => match env.get_i32(v) {
                Some(x) => Val::I32(x),
                None => convert::to_wasm(env, st, v, t)?,
            },
            ValType::F32 | ValType::F64 => match env.get_f64(v) {
                Some(x) if t == ValType::F64 => Val::F64(x.to_bits()),
                Some(x) => Val::F32((x as f32).to_bits()),
                None => convert::to_wasm(env, st, v, t)?,
            },
            _ => convert::to_wasm(env, st, v, t)?,
        });
    }
    Ok(())
}

/// Steps 4–6 for more than [`INLINE_ARGS`] parameters.
#[inline(never)]
fn convert_spread(env: Env, info: CallbackInfo, fd: &FuncData, args: &mut Vec<Val>) -> JsResult<()> {
    let (st, params) = (&fd.state, fd.ty.params());
    let n = params.len();
    let mut all = vec![ptr::null_mut(); n];
    env.cb_info(info, &mut all)?;
    args.reserve(n);
    for (&v, &t) in all.iter().zip(params) {
        args.push(convert::to_wasm(env, st, v, t)?);
    }
    Ok(())
}

/// Steps 9–12: throws for an error (RuntimeError for traps, the JS value for host errors);
/// returns undefined, the single result, or an Array of the results.
#[inline(never)]
fn finish(env: Env, st: &Rc<State>, outcome: Result<(), Error>, results: &[Val]) -> JsResult<Value> {
    match outcome {
        Ok(()) => convert::results_to_js(env, st, results),
        Err(e) => Err(errors::throw_error(env, st, e)),
    }
}
