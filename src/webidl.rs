//! WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) as the JS API uses them:
//! dictionaries read member by member, `[EnforceRange] unsigned long`, enumerations.
//!
//! Messages follow V8's wording (e.g. "WebAssembly.Memory(): Property 'initial' is required").

use std::ffi::CStr;

use jitless_wasm_core::{RefType, ValType};

use crate::raw::{Env, JsResult, JsType, Value};

/// A dictionary argument (https://webidl.spec.whatwg.org/#es-dictionary): `None` stands for
/// `undefined`/`null` (every member missing); any other non-object is a TypeError.
pub(crate) fn dictionary(env: Env, value: Value, ctx: &str, what: &str) -> JsResult<Option<Value>> {
    match env.type_of(value) {
        JsType::Undefined | JsType::Null => Ok(None),
        JsType::Object | JsType::Function => Ok(Some(value)),
        _ => Err(env.throw_type_error(&format!("{ctx}: Argument 0 must be a {what}"))),
    }
}

/// `Get(dict, name)` ([[Get]]: getters and proxy traps run), or `undefined` for a missing dictionary.
pub(crate) fn member(env: Env, dict: Option<Value>, name: &CStr) -> JsResult<Value> {
    match dict {
        Some(d) => env.get_named(d, name),
        None => Ok(env.undefined()),
    }
}

/// Whether a member value is "not present" (`undefined`).
pub(crate) fn is_undefined(env: Env, value: Value) -> bool {
    env.type_of(value) == JsType::Undefined
}

/// `[EnforceRange] unsigned long` (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint):
/// ToNumber, then TypeError for NaN/±Infinity or a value outside 0..2^32-1 after truncation.
/// `what` names the value in messages (e.g. "WebAssembly.Memory(): Property 'initial'").
pub(crate) fn enforce_range_u32(env: Env, value: Value, what: &str) -> JsResult<u32> {
    // 1. Let x be ? ToNumber(V).
    let x = env.to_number(value)?;
    // 2. If x is NaN, +∞, or −∞, throw a TypeError.
    if !x.is_finite() {
        return Err(env.throw_type_error(&format!("{what} must be convertible to a valid number")));
    }
    // 3. Set x to IntegerPart(x).
    let x = x.trunc();
    // 4. If x < lowerBound or x > upperBound, throw a TypeError.
    if x < 0.0 {
        return Err(env.throw_type_error(&format!("{what} must be non-negative")));
    }
    if x > u32::MAX as f64 {
        return Err(env.throw_type_error(&format!("{what} must be in the unsigned long range")));
    }
    Ok(x as u32)
}

/// A RangeError when `x` exceeds `upper` (the JS-API implementation limits).
pub(crate) fn check_upper(env: Env, x: u32, upper: u64, what: &str) -> JsResult<u32> {
    if x as u64 > upper {
        return Err(env.throw_range_error(&format!("{what}: value {x} is above the upper bound {upper}")));
    }
    Ok(x)
}

/// A required `[EnforceRange] unsigned long` dictionary member.
pub(crate) fn required_u32(env: Env, dict: Option<Value>, name: &CStr, ctx: &str, upper: u64) -> JsResult<u32> {
    let what = format!("{ctx}: Property '{}'", name.to_string_lossy());
    let v = member(env, dict, name)?;
    if is_undefined(env, v) {
        return Err(env.throw_type_error(&format!("{what} is required")));
    }
    let x = enforce_range_u32(env, v, &what)?;
    check_upper(env, x, upper, &what)
}

/// An optional `[EnforceRange] unsigned long` dictionary member.
pub(crate) fn optional_u32(env: Env, dict: Option<Value>, name: &CStr, ctx: &str, upper: u64) -> JsResult<Option<u32>> {
    let what = format!("{ctx}: Property '{}'", name.to_string_lossy());
    let v = member(env, dict, name)?;
    if is_undefined(env, v) {
        return Ok(None);
    }
    let x = enforce_range_u32(env, v, &what)?;
    check_upper(env, x, upper, &what).map(Some)
}

/// The `ValueType` enumeration (https://webassembly.github.io/spec/js-api/#enumdef-valuetype)
/// mapped by ToValueType.
pub(crate) fn value_type(name: &str) -> Option<ValType> {
    Some(match name {
        "i32" => ValType::I32,
        "i64" => ValType::I64,
        "f32" => ValType::F32,
        "f64" => ValType::F64,
        "v128" => ValType::V128,
        "externref" => ValType::EXTERNREF,
        "anyfunc" => ValType::FUNCREF,
        _ => return None,
    })
}

/// The `TableKind` enumeration (https://webassembly.github.io/spec/js-api/#enumdef-tablekind).
pub(crate) fn table_kind(name: &str) -> Option<RefType> {
    match name {
        "externref" => Some(RefType::ExternRef),
        "anyfunc" => Some(RefType::FuncRef),
        _ => None,
    }
}
