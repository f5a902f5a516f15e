//! The calls the runner makes on a module's exports, with arguments chosen from the seed.
//!
//! Arguments are written as JSON the runner turns into JS values: `i32` a number, `i64` a
//! decimal string (a BigInt), floats a string (`"nan"`, `"inf"`, `"-inf"`, `"-0"` or a decimal
//! that parses to the exact value), `externref` an index into the runner's fixed list of host
//! values, `anyfunc` and `v128` `null`.
//!
//! In GC plans (`--profile node26`) every reference argument is one of: `null`; `{"num": x}`
//! (a JS number: i31 values, their edges and non-integers); `{"ext": k}` (the runner's host
//! value `k`); `{"pool": k}` (the `k`-th GC object or function the module's earlier calls,
//! globals and tables gave back, modulo their count: identity round trips and type checks).

use crate::describe::Item;
use crate::json;
use crate::rng::Rng;

/// Values worth trying often: the edges of each integer and float type.
const I32_EDGES: [i32; 8] = [0, 1, -1, 2, i32::MIN, i32::MAX, 255, 65536];
const I64_EDGES: [i64; 8] = [0, 1, -1, 2, i64::MIN, i64::MAX, 1 << 32, -(1 << 53)];
const F64_EDGES: [f64; 10] =
    [0.0, -0.0, 1.0, -1.5, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 2147483648.0, -2147483649.0, 1e-310];

/// Numbers worth passing as GC references: i31 values and the edges of the i31 range.
const I31_EDGES: [f64; 10] =
    [0.0, 1.0, -1.0, 1073741823.0, -1073741824.0, 1073741824.0, -1073741825.0, 0.5, -0.0, 1e10];

/// One reference argument of a GC plan.
fn ref_arg(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 | 1 => "null".into(),
        2 | 3 => format!("{{\"num\":{}}}", json::string(&float(I31_EDGES[rng.below(10) as usize]))),
        4 => format!("{{\"ext\":{}}}", rng.below(4)),
        _ => format!("{{\"pool\":{}}}", rng.below(16)),
    }
}

/// Whether `ty` is a reference type (not a number or vector).
fn is_ref(ty: &str) -> bool {
    !matches!(ty, "i32" | "i64" | "f32" | "f64" | "v128")
}

/// One argument of type `ty`.
fn arg(rng: &mut Rng, ty: &str, gc: bool) -> String {
    if gc && is_ref(ty) {
        return ref_arg(rng);
    }
    let edge = rng.one_in(2);
    match ty {
        "i32" => {
            let v = if edge { I32_EDGES[rng.below(8) as usize] } else { rng.next_u64() as i32 >> rng.below(32) };
            v.to_string()
        }
        "i64" => {
            let v = if edge { I64_EDGES[rng.below(8) as usize] } else { rng.next_u64() as i64 >> rng.below(64) };
            json::string(&v.to_string())
        }
        "f32" | "f64" => {
            let v = if edge {
                F64_EDGES[rng.below(10) as usize]
            } else if ty == "f32" {
                f32::from_bits(rng.next_u64() as u32) as f64
            } else {
                f64::from_bits(rng.next_u64())
            };
            json::string(&float(v))
        }
        "externref" => rng.below(4).to_string(),
        _ => "null".to_string(),
    }
}

/// A float as the runner reads it.
fn float(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if v == 0.0 && v.is_sign_negative() {
        "-0".into()
    } else {
        format!("{v:e}")
    }
}

/// Up to `max` calls on the function exports of `exports`, as a JSON array of
/// `{"export": name, "args": [...]}`; `gc` picks the GC plans' reference arguments.
pub fn calls(rng: &mut Rng, exports: &[(String, Item)], max: u64, gc: bool) -> String {
    let funcs: Vec<(&String, &Vec<String>)> = exports
        .iter()
        .filter_map(|(name, item)| match item {
            // A v128 at the boundary is a TypeError on both sides: call those rarely.
            Item::Func { params, results } if !params.iter().chain(results).any(|t| t == "v128") || rng.one_in(8) => {
                Some((name, params))
            }
            _ => None,
        })
        .collect();
    if funcs.is_empty() {
        return "[]".into();
    }
    let n = 1 + rng.below(max);
    json::array((0..n).map(|_| {
        let (name, params) = funcs[rng.below(funcs.len() as u64) as usize];
        let args = json::array(params.iter().map(|t| arg(rng, t, gc)));
        format!("{{\"export\":{},\"args\":{args}}}", json::string(name))
    }))
}
