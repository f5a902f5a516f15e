//! WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) as the JS API uses them:
//! dictionaries read member by member, `[EnforceRange] unsigned long`, enumerations.
//!
//! Messages follow V8's wording (e.g. "WebAssembly.Memory(): Property 'initial' is required").

use std::ffi::CStr;

use jitless_wasm_core::types::GcTypes;
use jitless_wasm_core::{HeapType, Profile, RefType, ValType};

use crate::raw::{Env, JsResult, JsType, Value};
use crate::state::State;

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

/// The descriptor an address type is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Descriptor {
    /// A `MemoryDescriptor`.
    Memory,
    /// A `TableDescriptor`.
    Table,
}

/// The `AddressType` enumeration (https://webassembly.github.io/spec/js-api/#enumdef-addresstype)
/// of a descriptor's optional `address` member: `Get`, then (when present) ToString and a
/// TypeError for a value other than "i32"/"i64". Whether the address type is i64.
///
/// As the current profile's V8 reads it: V8 11.3 (Node 20) reads no such member; V8 12.4
/// (Node 22) reads a memory descriptor's `index` (its name before the memory64 proposal renamed
/// it) and no table member; later V8 reads `address`.
pub(crate) fn address_type(env: Env, dict: Option<Value>, ctx: &str, of: Descriptor) -> JsResult<bool> {
    let key = match (crate::profile::current(), of) {
        (Profile::Node20, _) | (Profile::Node22, Descriptor::Table) => return Ok(false),
        (Profile::Node22, Descriptor::Memory) => c"index",
        _ => c"address",
    };
    let v = member(env, dict, key)?;
    if is_undefined(env, v) {
        return Ok(false);
    }
    match env.to_string(v)?.as_str() {
        "i32" => Ok(false),
        "i64" => Ok(true),
        _ if key == c"index" => Err(env.throw_type_error(&format!("{ctx}: Unknown memory index"))),
        other => Err(env.throw_type_error(&format!("{ctx}: Unknown address type '{other}'; pass 'i32' or 'i64'"))),
    }
}

/// Whether the JS-API values (sizes, indexes, deltas) of a memory or table with address type
/// i64 (`is64`) are BigInts: V8 12.4 (Node 22) takes and returns Numbers (an `[EnforceRange]
/// unsigned long`) for them, later V8 BigInts.
pub(crate) fn bigint_addresses(is64: bool) -> bool {
    is64 && crate::profile::current() != Profile::Node22
}

/// AddressValueToU64(v, addrtype) (https://webassembly.github.io/spec/js-api/#addressvaluetou64):
/// `[EnforceRange] unsigned long` for "i32"; for "i64", ToBigInt(v), a TypeError outside
/// [0, 2^64). `what` names the value in messages.
pub(crate) fn address_value_to_u64(env: Env, v: Value, is64: bool, what: &str) -> JsResult<u64> {
    if !is64 {
        return enforce_range_u32(env, v, what).map(u64::from);
    }
    // 1. Let n be ? ToBigInt(v) (a BigInt is itself; the rest goes through the JS helper).
    let n = match env.get_bigint_u64(v) {
        Some(n) => n,
        None => {
            let f = State::get(env).helper(env, |h| h.to_bigint)?;
            let b = env.call(env.undefined(), f, &[v])?;
            env.get_bigint_u64(b).flatten()
        }
    };
    // 2. If n < 0 or n > 2^64 − 1, throw a TypeError.
    n.ok_or_else(|| env.throw_type_error(&format!("{what} must be a BigInt in the range [0, 2^64)")))
}

/// The `initial` (required) and `maximum` (optional) AddressValue members of a Memory or Table
/// descriptor, each read and converted with AddressValueToU64 in turn (as V8 and the JS-API
/// tests order them; the spec text converts after reading the whole dictionary).
pub(crate) fn address_limits(env: Env, dict: Option<Value>, is64: bool, ctx: &str) -> JsResult<(u64, Option<u64>)> {
    let initial_v = member(env, dict, c"initial")?;
    if is_undefined(env, initial_v) {
        return Err(env.throw_type_error(&format!("{ctx}: Property 'initial' is required")));
    }
    let initial = address_value_to_u64(env, initial_v, is64, &format!("{ctx}: Property 'initial'"))?;
    let maximum_v = member(env, dict, c"maximum")?;
    let maximum = if is_undefined(env, maximum_v) {
        None
    } else {
        Some(address_value_to_u64(env, maximum_v, is64, &format!("{ctx}: Property 'maximum'"))?)
    };
    Ok((initial, maximum))
}

/// U64ToAddressValue(v, addrtype) (https://webassembly.github.io/spec/js-api/#u64toaddressvalue):
/// a Number for "i32", a BigInt for "i64".
pub(crate) fn u64_to_address_value(env: Env, v: u64, is64: bool) -> JsResult<Value> {
    if is64 {
        env.bigint_u64(v)
    } else {
        env.double(v as f64)
    }
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
        _ => return gc_ref_type(name).map(ValType::Ref),
    })
}

/// The WasmGC reference types the `ValueType` and `TableKind` enumerations name (`anyref`,
/// `eqref`, `i31ref`, `structref`, `arrayref`; V8 has no name for the bottom types), only while
/// the current profile executes GC.
pub(crate) fn gc_ref_type(name: &str) -> Option<RefType> {
    if crate::profile::current().gc() != GcTypes::Decode {
        return None;
    }
    let heap = match name {
        "anyref" => HeapType::Any,
        "eqref" => HeapType::Eq,
        "i31ref" => HeapType::I31,
        "structref" => HeapType::Struct,
        "arrayref" => HeapType::Array,
        _ => return None,
    };
    Some(RefType::new(true, heap))
}

/// The `TableKind` enumeration (https://webassembly.github.io/spec/js-api/#enumdef-tablekind).
pub(crate) fn table_kind(name: &str) -> Option<RefType> {
    match name {
        "externref" => Some(RefType::ExternRef),
        "anyfunc" => Some(RefType::FuncRef),
        _ => gc_ref_type(name),
    }
}
