//! Converts spec-testsuite `.wast` scripts into JSON command lists for the JS-API runner
//! (`scripts/wast-jsapi.mjs`), which replays them through a `WebAssembly` namespace (ours or
//! V8's) and compares. Modules are encoded to binaries here with the `wast` crate; the JSON
//! carries them as hex.
//!
//! Usage: `cargo run -p jitless-wasm-core --release --example wast2json -- <out-dir> <suite>...`
//! where a suite is `wasm-v1`, `wasm-v2`, `wasm-v3` or `proposals/<name>`. Writes
//! `<out-dir>/<suite, '/' as '+'>/<file>.json`.

#[path = "../tests/spec/files.rs"]
#[allow(dead_code)]
mod files;
#[path = "wast2json/wrapper.rs"]
mod wrapper;

use std::fmt::Write as _;
use std::path::Path;

use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, F32, F64};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out, suites)) = args.split_first() else {
        eprintln!("usage: wast2json <out-dir> <suite>...");
        std::process::exit(2);
    };
    for suite in suites {
        let dir = Path::new(out).join(suite.replace('/', "+"));
        std::fs::create_dir_all(&dir).expect("create the output directory");
        let names = files::file_names(suite);
        if names.is_empty() {
            eprintln!("no files in suite {suite}");
            std::process::exit(1);
        }
        for name in names {
            let text = files::contents(suite, &name).expect("listed file");
            let json = convert(text);
            std::fs::write(dir.join(format!("{name}.json")), json).expect("write the JSON");
        }
    }
}

/// The JSON command list of one script.
fn convert(text: &str) -> String {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return format!("{{\"error\":{}}}", json_str(&e.to_string())),
    };
    let wast = match parser::parse::<Wast<'_>>(&buf) {
        Ok(w) => w,
        Err(e) => return format!("{{\"error\":{}}}", json_str(&e.to_string())),
    };
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut commands = Vec::new();
    let mut modules = Modules::default();
    for directive in wast.directives {
        let line = starts.partition_point(|&s| s <= directive.span().offset());
        commands.push(format!("{{\"line\":{line},{}}}", command(directive, &mut modules)));
    }
    format!("{{\"commands\":[\n{}\n]}}\n", commands.join(",\n"))
}

/// The binaries of the script's modules seen so far, to find the types of invoked exports.
#[derive(Default)]
struct Modules {
    /// The current (last instantiated) module.
    current: Option<Vec<u8>>,
    /// Instances named with `$id`.
    named: std::collections::HashMap<String, Vec<u8>>,
    /// Module definitions (`module definition`), the last one under `None`.
    definitions: std::collections::HashMap<Option<String>, Vec<u8>>,
}

impl Modules {
    fn of(&self, module: Option<Id<'_>>) -> Option<&[u8]> {
        match module {
            Some(id) => self.named.get(id.name()).map(|b| b.as_slice()),
            None => self.current.as_deref(),
        }
    }
}

/// The fields of one command (without braces).
fn command(directive: WastDirective<'_>, modules: &mut Modules) -> String {
    match directive {
        WastDirective::Module(mut m) => {
            let name = m.name().map(|i| i.name().to_string());
            let field = quote_wasm(&mut m);
            modules.current = encoded(&field);
            if let (Some(n), Some(b)) = (name.clone(), modules.current.clone()) {
                modules.named.insert(n, b);
            }
            format!("\"cmd\":\"module\",\"name\":{},{field}", opt_str(name.as_deref()))
        }
        WastDirective::ModuleDefinition(mut m) => {
            let name = m.name().map(|i| i.name().to_string());
            let field = quote_wasm(&mut m);
            if let Some(b) = encoded(&field) {
                modules.definitions.insert(None, b.clone());
                if let Some(n) = name.clone() {
                    modules.definitions.insert(Some(n), b);
                }
            }
            format!("\"cmd\":\"module_definition\",\"name\":{},{field}", opt_str(name.as_deref()))
        }
        WastDirective::ModuleInstance { instance, module, .. } => {
            let bytes = modules.definitions.get(&module.map(|m| m.name().to_string())).cloned();
            modules.current = bytes.clone();
            if let (Some(i), Some(b)) = (instance, bytes) {
                modules.named.insert(i.name().to_string(), b);
            }
            format!("\"cmd\":\"module_instance\",\"name\":{},\"module\":{}", id(instance), id(module))
        }
        WastDirective::Register { name, module, .. } => {
            format!("\"cmd\":\"register\",\"as\":{},\"module\":{}", json_str(name), id(module))
        }
        WastDirective::Invoke(i) => {
            let w = wrapper::field(modules, &i, None);
            format!("\"cmd\":\"action\",\"action\":{}{w}", invoke(&i))
        }
        WastDirective::AssertReturn { exec, results, .. } => {
            let expected: Vec<String> = results.iter().map(ret).collect();
            let w = match &exec {
                WastExecute::Invoke(i) => wrapper::field(modules, i, Some(&results)),
                _ => String::new(),
            };
            format!("\"cmd\":\"assert_return\",\"action\":{},\"expected\":[{}]{w}", execute(exec), expected.join(","))
        }
        WastDirective::AssertTrap { exec, message, .. } => {
            let w = match &exec {
                WastExecute::Invoke(i) => wrapper::field(modules, i, None),
                _ => String::new(),
            };
            format!("\"cmd\":\"assert_trap\",\"action\":{},\"text\":{}{w}", execute(exec), json_str(message))
        }
        WastDirective::AssertExhaustion { call, message, .. } => {
            format!("\"cmd\":\"assert_exhaustion\",\"action\":{},\"text\":{}", invoke(&call), json_str(message))
        }
        WastDirective::AssertInvalid { mut module, message, .. } => {
            format!("\"cmd\":\"assert_invalid\",{},\"text\":{}", quote_wasm(&mut module), json_str(message))
        }
        WastDirective::AssertMalformed { mut module, message, .. } => {
            format!("\"cmd\":\"assert_malformed\",{},\"text\":{}", quote_wasm(&mut module), json_str(message))
        }
        WastDirective::AssertUnlinkable { mut module, message, .. } => {
            format!("\"cmd\":\"assert_unlinkable\",{},\"text\":{}", wat_wasm(&mut module), json_str(message))
        }
        WastDirective::AssertException { exec, .. } => {
            format!("\"cmd\":\"assert_exception\",\"action\":{}", execute(exec))
        }
        WastDirective::AssertSuspension { .. } => skip("stack switching"),
        WastDirective::Thread(_) | WastDirective::Wait { .. } => skip("wast threads"),
        WastDirective::AssertInvalidCustom { .. } | WastDirective::AssertMalformedCustom { .. } => {
            skip("custom-section assertions")
        }
    }
}

fn skip(why: &str) -> String {
    format!("\"cmd\":\"skip\",\"reason\":{}", json_str(why))
}

/// `"wasm":"<hex>"`, or `"wasm":null,"encode_error":…` for a module that does not encode
/// (malformed text), or a component.
fn quote_wasm(m: &mut QuoteWat<'_>) -> String {
    if matches!(m, QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))) {
        return "\"wasm\":null,\"component\":true".into();
    }
    match m.encode() {
        Ok(bytes) => format!("\"wasm\":\"{}\"", hex(&bytes)),
        Err(e) => format!("\"wasm\":null,\"encode_error\":{}", json_str(&e.to_string())),
    }
}

fn wat_wasm(m: &mut Wat<'_>) -> String {
    match m.encode() {
        Ok(bytes) => format!("\"wasm\":\"{}\"", hex(&bytes)),
        Err(e) => format!("\"wasm\":null,\"encode_error\":{}", json_str(&e.to_string())),
    }
}

fn execute(exec: WastExecute<'_>) -> String {
    match exec {
        WastExecute::Invoke(i) => invoke(&i),
        WastExecute::Get { module, global, .. } => {
            format!("{{\"type\":\"get\",\"module\":{},\"field\":{}}}", id(module), json_str(global))
        }
        WastExecute::Wat(mut w) => format!("{{\"type\":\"instantiate\",{}}}", wat_wasm(&mut w)),
    }
}

fn invoke(i: &WastInvoke<'_>) -> String {
    let args: Vec<String> = i.args.iter().map(arg).collect();
    format!(
        "{{\"type\":\"invoke\",\"module\":{},\"field\":{},\"args\":[{}]}}",
        id(i.module),
        json_str(i.name),
        args.join(",")
    )
}

fn arg(a: &WastArg<'_>) -> String {
    let WastArg::Core(a) = a else { return unsupported("component argument") };
    match a {
        WastArgCore::I32(v) => value("i32", &(*v as u32).to_string()),
        WastArgCore::I64(v) => value("i64", &(*v as u64).to_string()),
        WastArgCore::F32(v) => value("f32", &v.bits.to_string()),
        WastArgCore::F64(v) => value("f64", &v.bits.to_string()),
        WastArgCore::V128(_) => "{\"type\":\"v128\"}".into(),
        WastArgCore::RefNull(h) => format!("{{\"type\":\"refnull\",\"heap\":{}}}", json_str(&heap(h))),
        WastArgCore::RefExtern(n) => format!("{{\"type\":\"externref\",\"value\":{n}}}"),
        WastArgCore::RefHost(n) => format!("{{\"type\":\"hostref\",\"value\":{n}}}"),
    }
}

fn ret(r: &WastRet<'_>) -> String {
    let WastRet::Core(r) = r else { return unsupported("component result") };
    ret_core(r)
}

fn ret_core(r: &WastRetCore<'_>) -> String {
    match r {
        WastRetCore::I32(v) => value("i32", &(*v as u32).to_string()),
        WastRetCore::I64(v) => value("i64", &(*v as u64).to_string()),
        WastRetCore::F32(p) => value("f32", &nan_pattern_f32(p)),
        WastRetCore::F64(p) => value("f64", &nan_pattern_f64(p)),
        WastRetCore::V128(_) => "{\"type\":\"v128\"}".into(),
        WastRetCore::RefNull(h) => {
            let h = h.as_ref().map(heap).unwrap_or_else(|| "any".into());
            format!("{{\"type\":\"refnull\",\"heap\":{}}}", json_str(&h))
        }
        WastRetCore::RefExtern(n) => match n {
            Some(n) => format!("{{\"type\":\"externref\",\"value\":{n}}}"),
            None => "{\"type\":\"externref\",\"value\":null}".into(),
        },
        WastRetCore::RefFunc(_) => "{\"type\":\"funcref\"}".into(),
        WastRetCore::RefHost(n) => format!("{{\"type\":\"hostref\",\"value\":{n}}}"),
        WastRetCore::RefAny => "{\"type\":\"anyref\"}".into(),
        WastRetCore::RefEq => "{\"type\":\"eqref\"}".into(),
        WastRetCore::RefStruct => "{\"type\":\"structref\"}".into(),
        WastRetCore::RefArray => "{\"type\":\"arrayref\"}".into(),
        WastRetCore::RefI31 => "{\"type\":\"i31ref\"}".into(),
        WastRetCore::Either(options) => {
            let o: Vec<String> = options.iter().map(ret_core).collect();
            format!("{{\"type\":\"either\",\"values\":[{}]}}", o.join(","))
        }
        other => unsupported(&format!("{other:?}")),
    }
}

fn nan_pattern_f32(p: &NanPattern<F32>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => v.bits.to_string(),
    }
}

fn nan_pattern_f64(p: &NanPattern<F64>) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => v.bits.to_string(),
    }
}

fn heap(h: &HeapType<'_>) -> String {
    match h {
        HeapType::Abstract { ty, .. } => match ty {
            AbstractHeapType::Func => "func",
            AbstractHeapType::Extern => "extern",
            AbstractHeapType::Exn => "exn",
            AbstractHeapType::NoFunc => "nofunc",
            AbstractHeapType::NoExtern => "noextern",
            AbstractHeapType::NoExn => "noexn",
            AbstractHeapType::Any => "any",
            AbstractHeapType::None => "none",
            AbstractHeapType::Eq => "eq",
            AbstractHeapType::Struct => "struct",
            AbstractHeapType::Array => "array",
            AbstractHeapType::I31 => "i31",
            _ => "other",
        }
        .into(),
        HeapType::Concrete(_) | HeapType::Exact(_) => "concrete".into(),
    }
}

fn value(ty: &str, v: &str) -> String {
    format!("{{\"type\":\"{ty}\",\"value\":\"{v}\"}}")
}

fn unsupported(what: &str) -> String {
    format!("{{\"type\":\"unsupported\",\"what\":{}}}", json_str(what))
}

/// The module bytes of a `"wasm":"<hex>"` field, if it has them.
fn encoded(field: &str) -> Option<Vec<u8>> {
    let hex = field.strip_prefix("\"wasm\":\"")?.strip_suffix('"')?;
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok()).collect()
}

fn opt_str(s: Option<&str>) -> String {
    s.map(json_str).unwrap_or_else(|| "null".into())
}

fn id(i: Option<Id<'_>>) -> String {
    i.map(|i| json_str(i.name())).unwrap_or_else(|| "null".into())
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
