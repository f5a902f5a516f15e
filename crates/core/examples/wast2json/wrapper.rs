//! Wrapper modules for invocations JS cannot express: a call with `v128` arguments or results
//! is replayed by a small module that imports the export, calls it with the constant
//! arguments and checks the results in wasm (lane by lane, NaN patterns included), exporting
//! `run: () -> i32` (1 when every result matches). The JS runner instantiates the wrapper with
//! `{M: {f: <the export>}}`, so values never cross the JS boundary, much as the reference
//! interpreter's JS output does.

use std::fmt::Write as _;

use wasmparser::{Parser, Payload, TypeRef, ValType};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastInvoke, WastRet};

use crate::Modules;

/// `,"wrapper":"<hex>"` for an invocation that needs one (`expected` `None`: only call it and
/// drop the results), or an empty string.
pub fn field(modules: &Modules, invoke: &WastInvoke<'_>, expected: Option<&[WastRet<'_>]>) -> String {
    let Some(bytes) = modules.of(invoke.module) else { return String::new() };
    let Some((params, results)) = export_type(bytes, invoke.name) else { return String::new() };
    if !params.iter().chain(&results).any(|t| *t == ValType::V128) {
        return String::new();
    }
    match wat(&params, &results, &invoke.args, expected) {
        Some(text) => match wat::parse_str(&text) {
            Ok(bin) => format!(",\"wrapper\":\"{}\"", crate::hex(&bin)),
            Err(e) => panic!("wrapper does not assemble: {e}\n{text}"),
        },
        None => String::new(),
    }
}

/// The parameter and result types of exported function `name`, if it has only numeric and
/// `v128` types.
fn export_type(bytes: &[u8], name: &str) -> Option<(Vec<ValType>, Vec<ValType>)> {
    let mut types = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut export = None;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.ok()? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group.ok()?.into_types() {
                        match sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => {
                                types.push(Some((f.params().to_vec(), f.results().to_vec())))
                            }
                            _ => types.push(None),
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    if let TypeRef::Func(t) | TypeRef::FuncExact(t) = imp.ok()?.ty {
                        funcs.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t.ok()?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.ok()?;
                    if e.name == name && e.kind == wasmparser::ExternalKind::Func {
                        export = Some(e.index);
                    }
                }
            }
            _ => {}
        }
    }
    let (params, results) = types.get(*funcs.get(export? as usize)? as usize)?.clone()?;
    let simple = |t: &ValType| matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64 | ValType::V128);
    (params.iter().all(simple) && results.iter().all(simple)).then_some((params, results))
}

fn ty(t: &ValType) -> &'static str {
    match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => "v128",
    }
}

/// The wrapper's text, or `None` if an argument or result can't be written in it.
fn wat(
    params: &[ValType],
    results: &[ValType],
    args: &[WastArg<'_>],
    expected: Option<&[WastRet<'_>]>,
) -> Option<String> {
    let list = |ts: &[ValType]| ts.iter().map(ty).collect::<Vec<_>>().join(" ");
    let mut w = String::new();
    let _ = writeln!(w, "(module");
    let _ = writeln!(w, "  (import \"M\" \"f\" (func $f (param {}) (result {})))", list(params), list(results));
    let result = if expected.is_some() { "(result i32)" } else { "" };
    let locals: Vec<String> = results.iter().enumerate().map(|(i, t)| format!("(local $r{i} {})", ty(t))).collect();
    let _ = writeln!(w, "  (func (export \"run\") {result} {}", locals.join(" "));
    if args.len() != params.len() {
        return None;
    }
    for a in args {
        let WastArg::Core(a) = a else { return None };
        w.push_str("    ");
        w.push_str(&arg(a)?);
        w.push('\n');
    }
    w.push_str("    call $f\n");
    match expected {
        None => {
            for _ in results {
                w.push_str("    drop\n");
            }
        }
        Some(expected) => {
            if expected.len() != results.len() {
                return None;
            }
            for i in (0..results.len()).rev() {
                let _ = writeln!(w, "    local.set $r{i}");
            }
            w.push_str("    i32.const 1\n");
            for (i, e) in expected.iter().enumerate() {
                let WastRet::Core(e) = e else { return None };
                w.push_str(&check(e, &format!("local.get $r{i}"))?);
                w.push_str("    i32.and\n");
            }
        }
    }
    w.push_str("  )\n)\n");
    Some(w)
}

fn arg(a: &WastArgCore<'_>) -> Option<String> {
    Some(match a {
        WastArgCore::I32(v) => format!("i32.const {v}"),
        WastArgCore::I64(v) => format!("i64.const {v}"),
        WastArgCore::F32(v) => format!("i32.const {} f32.reinterpret_i32", v.bits as i32),
        WastArgCore::F64(v) => format!("i64.const {} f64.reinterpret_i64", v.bits as i64),
        WastArgCore::V128(v) => v128_const(&v.to_le_bytes()),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Func, .. }) => "ref.null func".into(),
        WastArgCore::RefNull(HeapType::Abstract { ty: AbstractHeapType::Extern, .. }) => "ref.null extern".into(),
        _ => return None,
    })
}

fn v128_const(b: &[u8; 16]) -> String {
    let lo = i64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    let hi = i64::from_le_bytes(b[8..].try_into().expect("8 bytes"));
    format!("v128.const i64x2 {lo} {hi}")
}

/// Code that pushes 1 if the value pushed by `get` matches `e`, else 0.
fn check(e: &WastRetCore<'_>, get: &str) -> Option<String> {
    Some(match e {
        WastRetCore::I32(v) => format!("    {get} i32.const {v} i32.eq\n"),
        WastRetCore::I64(v) => format!("    {get} i64.const {v} i64.eq\n"),
        WastRetCore::F32(p) => format!("    {get} i32.reinterpret_f32\n{}", f32_check(p)),
        WastRetCore::F64(p) => format!("    {get} i64.reinterpret_f64\n{}", f64_check(p)),
        WastRetCore::V128(p) => v128_check(p, get),
        WastRetCore::Either(options) => {
            let mut s = String::from("    i32.const 0\n");
            for o in options {
                s.push_str(&check(o, get)?);
                s.push_str("    i32.or\n");
            }
            s
        }
        _ => return None,
    })
}

/// Consumes f32 bits (an i32) and pushes whether they match `p`.
fn f32_check(p: &NanPattern<F32>) -> String {
    match p {
        NanPattern::CanonicalNan => "    i32.const 0x7fffffff i32.and i32.const 0x7fc00000 i32.eq\n".into(),
        NanPattern::ArithmeticNan => "    i32.const 0x7fc00000 i32.and i32.const 0x7fc00000 i32.eq\n".into(),
        NanPattern::Value(v) => format!("    i32.const {} i32.eq\n", v.bits as i32),
    }
}

/// Consumes f64 bits (an i64) and pushes whether they match `p`.
fn f64_check(p: &NanPattern<F64>) -> String {
    match p {
        NanPattern::CanonicalNan => {
            "    i64.const 0x7fffffffffffffff i64.and i64.const 0x7ff8000000000000 i64.eq\n".into()
        }
        NanPattern::ArithmeticNan => {
            "    i64.const 0x7ff8000000000000 i64.and i64.const 0x7ff8000000000000 i64.eq\n".into()
        }
        NanPattern::Value(v) => format!("    i64.const {} i64.eq\n", v.bits as i64),
    }
}

fn v128_check(p: &V128Pattern, get: &str) -> String {
    let mut s = String::from("    i32.const 1\n");
    let mut lane = |code: String| {
        s.push_str(&code);
        s.push_str("    i32.and\n");
    };
    match p {
        V128Pattern::I8x16(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} i8x16.extract_lane_u {i} i32.const {} i32.eq\n", *v as u8));
            }
        }
        V128Pattern::I16x8(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} i16x8.extract_lane_u {i} i32.const {} i32.eq\n", *v as u16));
            }
        }
        V128Pattern::I32x4(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} i32x4.extract_lane {i} i32.const {v} i32.eq\n"));
            }
        }
        V128Pattern::I64x2(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} i64x2.extract_lane {i} i64.const {v} i64.eq\n"));
            }
        }
        V128Pattern::F32x4(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} f32x4.extract_lane {i} i32.reinterpret_f32\n{}", f32_check(v)));
            }
        }
        V128Pattern::F64x2(x) => {
            for (i, v) in x.iter().enumerate() {
                lane(format!("    {get} f64x2.extract_lane {i} i64.reinterpret_f64\n{}", f64_check(v)));
            }
        }
    }
    s
}
