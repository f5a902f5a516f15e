//! Conversions between `.wast` values and the core's [`Val`], result matching, and the table
//! from the spec interpreter's trap messages to our [`TrapCode`]s.

use jitless_wasm_core::{AnyRef, ExternRef, TrapCode, TypeKind, Val};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{Index, F32, F64};
use wast::{WastArg, WastRet};

/// Converts an invocation argument.
pub fn arg(a: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(a) = a else { return Err("component-model argument".into()) };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Func, .. }) => Val::FuncRef(None),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Extern, .. }) => Val::ExternRef(None),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::NoFunc, .. }) => Val::FuncRef(None),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::NoExtern, .. }) => Val::ExternRef(None),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. }) => {
            Val::ExnRef(None)
        }
        WastArgCore::RefNull(HeapType::Abstract { ty, .. }) if is_internal(ty) => Val::AnyRef(None),
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(*n))),
        // The spec interpreter's host values are in the internal hierarchy; `extern.convert_any`
        // of `ref.host n` is `ref.extern n` (the same host value).
        WastArgCore::RefHost(n) => Val::AnyRef(Some(AnyRef::Extern(ExternRef::new(*n)))),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

/// Whether an abstract heap type is of the internal (GC) hierarchy.
fn is_internal(ty: &AbstractHeapType) -> bool {
    use AbstractHeapType as A;
    matches!(ty, A::Any | A::Eq | A::I31 | A::Struct | A::Array | A::None)
}

/// Checks `actual` against the expected results; `Err` describes the first mismatch.
pub fn check_results(expected: &[WastRet<'_>], actual: &[Val]) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!("expected {} results, got {} ({actual:?})", expected.len(), actual.len()));
    }
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        let WastRet::Core(e) = e else { return Err("component-model result".into()) };
        if !matches_ret(e, a)? {
            return Err(format!("result {i}: expected {}, got {}", show_ret(e), show_val(a)));
        }
    }
    Ok(())
}

fn matches_ret(e: &WastRetCore<'_>, a: &Val) -> Result<bool, String> {
    Ok(match (e, a) {
        (WastRetCore::I32(x), Val::I32(y)) => x == y,
        (WastRetCore::I64(x), Val::I64(y)) => x == y,
        (WastRetCore::F32(p), Val::F32(bits)) => f32_matches(p, *bits),
        (WastRetCore::F64(p), Val::F64(bits)) => f64_matches(p, *bits),
        (WastRetCore::V128(p), Val::V128(v)) => v128_matches(p, *v),
        (WastRetCore::RefNull(ty), v) => match (ty, v) {
            (None, v) => v.is_null_ref(),
            (Some(HeapType::Abstract { ty: AbstractHeapType::Func | AbstractHeapType::NoFunc, .. }), v) => {
                matches!(v, Val::FuncRef(None))
            }
            (Some(HeapType::Abstract { ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern, .. }), v) => {
                matches!(v, Val::ExternRef(None))
            }
            (Some(HeapType::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. }), v) => {
                matches!(v, Val::ExnRef(None))
            }
            (Some(HeapType::Abstract { ty, .. }), v) if is_internal(ty) => matches!(v, Val::AnyRef(None)),
            (Some(HeapType::Concrete(_)), v) => v.is_null_ref(),
            (Some(other), _) => return Err(format!("unsupported null type {other:?}")),
        },
        (WastRetCore::RefExtern(n), Val::ExternRef(Some(r))) => match n {
            None => true,
            Some(n) => r.data().downcast_ref::<u32>() == Some(n),
        },
        (WastRetCore::RefFunc(idx), Val::FuncRef(Some(f))) => match idx {
            Some(Index::Num(n, _)) => f.wasm_index().is_none_or(|i| i == *n),
            _ => true,
        },
        (WastRetCore::Either(options), v) => {
            for o in options {
                if matches_ret(o, v)? {
                    return Ok(true);
                }
            }
            false
        }
        (WastRetCore::RefHost(n), Val::AnyRef(Some(AnyRef::Extern(r)))) => r.data().downcast_ref::<u32>() == Some(n),
        (WastRetCore::RefAny, Val::AnyRef(Some(_))) => true,
        (WastRetCore::RefEq, Val::AnyRef(Some(a))) => !matches!(a, AnyRef::Extern(_)),
        (WastRetCore::RefI31, Val::AnyRef(Some(AnyRef::I31(_)))) => true,
        (WastRetCore::RefStruct, Val::AnyRef(Some(AnyRef::Object(o)))) => o.ty().kind() == TypeKind::Struct,
        (WastRetCore::RefArray, Val::AnyRef(Some(AnyRef::Object(o)))) => o.ty().kind() == TypeKind::Array,
        (WastRetCore::RefI31Shared, _) => return Err(format!("unsupported expected result {e:?}")),
        _ => false,
    })
}

fn f32_matches(p: &NanPattern<F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        // (In deterministic mode every arithmetic NaN must be the canonical one.)
        NanPattern::ArithmeticNan if crate::runner::deterministic() => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<F64>, bits: u64) -> bool {
    const QUIET: u64 = 0x7ff8_0000_0000_0000;
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == QUIET,
        NanPattern::ArithmeticNan if crate::runner::deterministic() => bits & 0x7fff_ffff_ffff_ffff == QUIET,
        NanPattern::ArithmeticNan => bits & QUIET == QUIET,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(p: &V128Pattern, v: u128) -> bool {
    let b = v.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        let mut buf = [0u8; 8];
        buf[..n].copy_from_slice(&b[i * n..i * n + n]);
        u64::from_le_bytes(buf)
    };
    match p {
        V128Pattern::I8x16(x) => x.iter().enumerate().all(|(i, &e)| lane(i, 1) == e as u8 as u64),
        V128Pattern::I16x8(x) => x.iter().enumerate().all(|(i, &e)| lane(i, 2) == e as u16 as u64),
        V128Pattern::I32x4(x) => x.iter().enumerate().all(|(i, &e)| lane(i, 4) == e as u32 as u64),
        V128Pattern::I64x2(x) => x.iter().enumerate().all(|(i, &e)| lane(i, 8) == e as u64),
        V128Pattern::F32x4(x) => x.iter().enumerate().all(|(i, e)| f32_matches(e, lane(i, 4) as u32)),
        V128Pattern::F64x2(x) => x.iter().enumerate().all(|(i, e)| f64_matches(e, lane(i, 8))),
    }
}

fn show_ret(e: &WastRetCore<'_>) -> String {
    fn nan<T>(p: &NanPattern<T>, bits: impl Fn(&T) -> String) -> String {
        match p {
            NanPattern::CanonicalNan => "nan:canonical".into(),
            NanPattern::ArithmeticNan => "nan:arithmetic".into(),
            NanPattern::Value(v) => bits(v),
        }
    }
    match e {
        WastRetCore::I32(v) => format!("i32 {v}"),
        WastRetCore::I64(v) => format!("i64 {v}"),
        WastRetCore::F32(p) => format!("f32 {}", nan(p, |v| format!("{} ({:#x})", f32::from_bits(v.bits), v.bits))),
        WastRetCore::F64(p) => format!("f64 {}", nan(p, |v| format!("{} ({:#x})", f64::from_bits(v.bits), v.bits))),
        other => format!("{other:?}"),
    }
}

/// A short human-readable rendering of a value.
pub fn show_val(v: &Val) -> String {
    match v {
        Val::I32(v) => format!("i32 {v}"),
        Val::I64(v) => format!("i64 {v}"),
        Val::F32(b) => format!("f32 {} ({b:#x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64 {} ({b:#x})", f64::from_bits(*b)),
        Val::V128(b) => format!("v128 {b:#034x}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(f)) => format!("ref.func {:?}", f.wasm_index()),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(r)) => match r.data().downcast_ref::<u32>() {
            Some(n) => format!("ref.extern {n}"),
            None => "ref.extern (foreign)".into(),
        },
        Val::ExnRef(None) => "ref.null exn".into(),
        Val::ExnRef(Some(e)) => format!("ref.exn {e:?}"),
        Val::AnyRef(None) => "ref.null any".into(),
        Val::AnyRef(Some(AnyRef::I31(v))) => format!("ref.i31 {v}"),
        Val::AnyRef(Some(AnyRef::Object(o))) => format!("ref.object {o:?} of kind {:?}", o.ty().kind()),
        Val::AnyRef(Some(AnyRef::Extern(r))) => match r.data().downcast_ref::<u32>() {
            Some(n) => format!("ref.host {n}"),
            None => "ref.host (foreign)".into(),
        },
    }
}

/// The spec interpreter's trap messages and the trap codes each may map to. Where the spec uses
/// one text for traps V8 distinguishes (e.g. "integer overflow" for both `INT_MIN / -1` and an
/// out-of-range float truncation), every code V8 could report is accepted.
const TRAP_TABLE: &[(&str, &[TrapCode])] = &[
    ("unreachable", &[TrapCode::Unreachable]),
    ("integer divide by zero", &[TrapCode::DivByZero, TrapCode::RemByZero]),
    ("integer overflow", &[TrapCode::DivUnrepresentable, TrapCode::FloatUnrepresentable]),
    ("invalid conversion to integer", &[TrapCode::FloatUnrepresentable]),
    // `array.new_data`/`array.new_elem` of a length past V8's array limit: V8 (and ours) trap
    // "requested new array is too large" before looking at the segment (probed on Node 22–26).
    (
        "out of bounds memory access",
        &[
            TrapCode::MemOutOfBounds,
            TrapCode::DataSegmentOutOfBounds,
            TrapCode::DataSegmentRangeOutOfBounds,
            TrapCode::ArrayTooLarge,
        ],
    ),
    (
        "out of bounds table access",
        &[TrapCode::TableOutOfBounds, TrapCode::ElemSegmentOutOfBounds, TrapCode::ArrayTooLarge],
    ),
    ("undefined element", &[TrapCode::TableOutOfBounds]),
    ("uninitialized element", &[TrapCode::FuncSigMismatch]),
    ("indirect call type mismatch", &[TrapCode::FuncSigMismatch]),
    ("null function reference", &[TrapCode::NullDereference]),
    ("null reference", &[TrapCode::NullDereference]),
    ("null structure reference", &[TrapCode::NullDereference]),
    ("null array reference", &[TrapCode::NullDereference]),
    ("null i31 reference", &[TrapCode::NullDereference]),
    ("out of bounds array access", &[TrapCode::ArrayOutOfBounds]),
    ("array is too large", &[TrapCode::ArrayTooLarge]),
    ("cast failure", &[TrapCode::IllegalCast]),
    ("null exception reference", &[TrapCode::RethrowNull]),
    ("call stack exhausted", &[TrapCode::StackOverflow]),
    ("unaligned atomic", &[TrapCode::UnalignedAtomic]),
    ("expected shared memory", &[TrapCode::WaitOnUnsharedMemory]),
];

/// The trap codes acceptable for an `assert_trap` message, or `None` for an unknown message.
///
/// As in the spec interpreter, the expected text only has to be a prefix of the actual message
/// (older scripts write "out of bounds" or "undefined"); a message may also carry a suffix the
/// table omits ("uninitialized element 2").
pub fn expected_traps(message: &str) -> Option<Vec<TrapCode>> {
    let mut codes: Vec<TrapCode> = Vec::new();
    for (text, cs) in TRAP_TABLE {
        if !message.is_empty() && (text.starts_with(message) || message.starts_with(text)) {
            for c in cs.iter() {
                if !codes.contains(c) {
                    codes.push(*c);
                }
            }
        }
    }
    (!codes.is_empty()).then_some(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_messages_match_by_prefix() {
        assert_eq!(expected_traps("uninitialized element 2"), Some(vec![TrapCode::FuncSigMismatch]));
        assert_eq!(expected_traps("undefined"), Some(vec![TrapCode::TableOutOfBounds]));
        let oob = expected_traps("out of bounds").unwrap();
        assert!(oob.contains(&TrapCode::MemOutOfBounds) && oob.contains(&TrapCode::TableOutOfBounds));
        assert!(!oob.contains(&TrapCode::Unreachable));
        assert!(expected_traps("something else").is_none());
        assert!(expected_traps("").is_none());
    }
}
