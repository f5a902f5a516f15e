//! Value conversions between JS and WebAssembly: ToWebAssemblyValue and ToJSValue
//! (https://webassembly.github.io/spec/js-api/#towebassemblyvalue), BigInt ↔ i64, and the
//! boxing of JS values as `externref`s.

use std::rc::Rc;

use jitless_wasm_core::{AnyRef, ExternRef, HeapType, RefType, TypeKind, Val, ValType};

use crate::exported_function;
use crate::gc_values::{self, Site};
use crate::raw::{Env, JsResult, JsType, Ref, Value};
use crate::state::State;

/// V8's message for values that cannot cross the boundary (v128, non-function funcrefs).
pub(crate) const TYPE_INCOMPATIBLE: &str = "type incompatibility when transforming from/to JS";

/// A strong reference to any JS value. Objects and functions are referenced directly; other
/// values (which Node-API 8 cannot reference) are kept in a one-element array.
pub(crate) struct Persistent {
    r: Ref,
    boxed: bool,
    state: Rc<State>,
}

impl Persistent {
    /// Keeps `value` alive until this is dropped.
    pub(crate) fn new(env: Env, st: &Rc<State>, value: Value) -> JsResult<Persistent> {
        let boxed = !matches!(env.type_of(value), JsType::Object | JsType::Function);
        let target = if boxed { env.array_of(&[value])? } else { value };
        let r = env.reference(target, 1)?;
        Ok(Persistent { r, boxed, state: st.clone() })
    }

    /// The value.
    pub(crate) fn get(&self, env: Env) -> JsResult<Value> {
        let Some(v) = env.reference_value(self.r) else {
            return Ok(env.undefined());
        };
        if self.boxed {
            env.get_element(v, 0)
        } else {
            Ok(v)
        }
    }
}

impl Drop for Persistent {
    fn drop(&mut self) {
        self.state.delete_ref(self.r);
    }
}

/// The `externref` for a JS value (`null` is `ref.null extern`; with GC, a GC object or an
/// i31-range Number is that internal value made external).
pub(crate) fn to_externref(env: Env, st: &Rc<State>, value: Value) -> JsResult<Option<ExternRef>> {
    match env.type_of(value) {
        JsType::Null => return Ok(None),
        JsType::Object | JsType::Number => {
            if let Some(e) = gc_values::internal_as_extern(env, value) {
                return Ok(Some(e));
            }
        }
        _ => {}
    }
    Ok(Some(ExternRef::new(Persistent::new(env, st, value)?)))
}

/// The JS value of an `externref` (the very value that went in; a value of the internal
/// hierarchy made external by `extern.convert_any` as ToJSValue gives it).
pub(crate) fn externref_to_js(env: Env, r: &ExternRef) -> JsResult<Value> {
    if let Some(p) = r.data().downcast_ref::<Persistent>() {
        return p.get(env);
    }
    match r.data().downcast_ref::<AnyRef>() {
        Some(a) => gc_values::to_js(env, State::get(env), a),
        // Not created by this binding or the core (cannot happen today): undefined.
        None => Ok(env.undefined()),
    }
}

/// ToInt32 with ToNumber's user-visible steps (`valueOf`, TypeError for BigInt and Symbol).
#[inline]
pub(crate) fn to_i32(env: Env, value: Value) -> JsResult<i32> {
    if let Some(x) = env.get_i32(value) {
        return Ok(x);
    }
    Ok(f64_to_int32(env.to_number(value)?))
}

/// ToInt32 of a Number.
#[inline]
pub(crate) fn f64_to_int32(x: f64) -> i32 {
    // Exact for the common case of a value in i32 range (the cast saturates otherwise).
    let i = x as i32;
    if i as f64 == x {
        return i;
    }
    if !x.is_finite() {
        return 0;
    }
    (x.trunc().rem_euclid(4_294_967_296.0) as u64 as u32) as i32
}

/// ToBigInt64: a BigInt modulo 2^64; other values go through ToBigInt (booleans and numeric
/// strings are accepted, a Number is a TypeError).
#[inline]
pub(crate) fn to_i64(env: Env, st: &State, value: Value) -> JsResult<i64> {
    if let Some(x) = env.get_bigint_i64(value) {
        return Ok(x);
    }
    let f = st.helper(env, |h| h.to_bigint64)?;
    let undefined = env.undefined();
    let b = env.call(undefined, f, &[value])?;
    Ok(env.get_bigint_i64(b).unwrap_or(0))
}

/// ToNumber.
#[inline]
pub(crate) fn to_f64(env: Env, value: Value) -> JsResult<f64> {
    env.to_number(value)
}

/// ToWebAssemblyValue(v, ty).
pub(crate) fn to_wasm(env: Env, st: &Rc<State>, value: Value, ty: ValType) -> JsResult<Val> {
    Ok(match ty {
        ValType::I32 => Val::I32(to_i32(env, value)?),
        ValType::I64 => Val::I64(to_i64(env, st, value)?),
        ValType::F32 => Val::F32((to_f64(env, value)? as f32).to_bits()),
        ValType::F64 => Val::F64(to_f64(env, value)?.to_bits()),
        // (exnref cannot cross the JS boundary.)
        ValType::V128 => return Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        ValType::Ref(r) if r.top() == RefType::ExnRef => return Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        ValType::Ref(r) => to_wasm_ref(env, st, value, r, Site::Call)?,
    })
}

/// ToWebAssemblyValue(v, ty) at `site`, which picks V8's TypeError text for the GC types.
pub(crate) fn to_wasm_at(env: Env, st: &Rc<State>, value: Value, ty: ValType, site: Site) -> JsResult<Val> {
    match ty {
        ValType::Ref(r) if r.heap_type().is_gc() => to_wasm_ref(env, st, value, r, site),
        _ => to_wasm(env, st, value, ty),
    }
}

/// ToWebAssemblyValue(v, ty) for a reference type
/// (https://webassembly.github.io/spec/js-api/#towebassemblyvalue): `null` for a nullable
/// type; any value for `extern`; an Exported Function (of a matching type, for a concrete
/// function type) for `func`; anything else is a TypeError.
fn to_wasm_ref(env: Env, st: &Rc<State>, value: Value, ty: RefType, site: Site) -> JsResult<Val> {
    if env.type_of(value) == JsType::Null {
        return match ty.is_nullable() {
            true => Ok(Val::null(ty)),
            false if ty.heap_type().is_gc() => Err(gc_values::refused(env, ty.heap_type(), false, site)),
            false => Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        };
    }
    match ty.heap_type() {
        HeapType::Extern => Ok(Val::ExternRef(to_externref(env, st, value)?)),
        HeapType::Func => match exported_function::from_js(env, value) {
            Some(f) => Ok(Val::FuncRef(Some(f))),
            None => Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        },
        HeapType::Concrete(id) if id.kind() == TypeKind::Func => match exported_function::from_js(env, value) {
            Some(f) if f.ty().matches(&id.func_type()) => Ok(Val::FuncRef(Some(f))),
            _ => Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        },
        // The internal hierarchy (WasmGC): `none` takes only null (refused in `to_wasm`).
        heap @ (HeapType::Any
        | HeapType::Eq
        | HeapType::I31
        | HeapType::Struct
        | HeapType::Array
        | HeapType::None
        | HeapType::Concrete(_)) => gc_values::to_wasm(env, st, value, heap, site),
        // Only null is a value of the other bottom types; exception references never cross.
        HeapType::NoFunc | HeapType::NoExtern | HeapType::Exn | HeapType::NoExn => {
            Err(env.throw_type_error(TYPE_INCOMPATIBLE))
        }
    }
}

/// DefaultValue(ty) (https://webassembly.github.io/spec/js-api/#defaultvalue): `undefined` for
/// externref, a TypeError for non-nullable references, the zero/null value otherwise.
pub(crate) fn default_value(env: Env, st: &Rc<State>, ty: ValType) -> JsResult<Val> {
    match ty {
        ValType::Ref(RefType::ExternRef) => to_wasm(env, st, env.undefined(), ty),
        // A non-nullable reference type has no default value.
        ValType::Ref(r) if !r.is_nullable() => Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        _ => Ok(Val::default_for(ty)),
    }
}

/// ToJSValue(w).
#[inline]
pub(crate) fn to_js(env: Env, st: &Rc<State>, val: &Val) -> JsResult<Value> {
    match val {
        Val::I32(x) => env.int32(*x),
        Val::I64(x) => env.bigint_i64(*x),
        Val::F32(bits) => env.double(f32::from_bits(*bits) as f64),
        Val::F64(bits) => env.double(f64::from_bits(*bits)),
        Val::V128(_) | Val::ExnRef(_) => Err(env.throw_type_error(TYPE_INCOMPATIBLE)),
        Val::FuncRef(None) | Val::ExternRef(None) | Val::AnyRef(None) => Ok(env.null()),
        Val::AnyRef(Some(a)) => gc_values::to_js(env, st, a),
        Val::FuncRef(Some(f)) => exported_function::to_js(env, st, f, None),
        Val::ExternRef(Some(r)) => externref_to_js(env, r),
    }
}

/// ToJSValue of the raw bits of a numeric value of type `t` (see [`jitless_wasm_core::NumericFunc`]).
#[inline(always)]
pub(crate) fn raw_to_js(env: Env, bits: u64, t: ValType) -> JsResult<Value> {
    match t {
        ValType::I32 => env.int32(bits as u32 as i32),
        ValType::I64 => env.bigint_i64(bits as i64),
        ValType::F32 => env.double(f32::from_bits(bits as u32) as f64),
        _ => env.double(f64::from_bits(bits)),
    }
}

/// The raw bits of a numeric value (see [`jitless_wasm_core::NumericFunc`]).
#[inline]
pub(crate) fn raw_of(v: &Val) -> u64 {
    match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(bits) => bits as u64,
        Val::F64(bits) => bits,
        _ => unreachable!("a numeric function's value is a number"),
    }
}

/// ToWebAssemblyValue(v, t) as raw bits, for a numeric type `t` (see [`jitless_wasm_core::NumericFunc`]).
#[inline(always)]
pub(crate) fn to_wasm_raw(env: Env, st: &Rc<State>, value: Value, t: ValType) -> JsResult<u64> {
    // The common numeric cases inline; the rest (and every slow path) in `to_wasm`. (An i32
    // from a Number is Node-API's ToInt32: cheaper than reading the double and converting.)
    Ok(match t {
        ValType::I32 => match env.get_i32(value) {
            Some(x) => x as u32 as u64,
            None => raw_of(&to_wasm(env, st, value, t)?),
        },
        ValType::F32 | ValType::F64 => match env.get_f64(value) {
            Some(x) if t == ValType::F64 => x.to_bits(),
            Some(x) => (x as f32).to_bits() as u64,
            None => raw_of(&to_wasm(env, st, value, t)?),
        },
        _ => raw_of(&to_wasm(env, st, value, t)?),
    })
}

/// The JS value of a call's results: `undefined`, the single value, or an Array.
pub(crate) fn results_to_js(env: Env, st: &Rc<State>, results: &[Val]) -> JsResult<Value> {
    match results {
        [] => Ok(env.undefined()),
        [one] => to_js(env, st, one),
        many => {
            let arr = env.array(many.len())?;
            for (i, v) in many.iter().enumerate() {
                let js = to_js(env, st, v)?;
                env.set_element(arr, i as u32, js)?;
            }
            Ok(arr)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::f64_to_int32;

    #[test]
    fn to_int32() {
        assert_eq!(f64_to_int32(4_294_967_297.0), 1);
        assert_eq!(f64_to_int32(-1.5), -1);
        assert_eq!(f64_to_int32(2_147_483_648.0), i32::MIN);
        assert_eq!(f64_to_int32(f64::NAN), 0);
        assert_eq!(f64_to_int32(f64::NEG_INFINITY), 0);
    }
}
