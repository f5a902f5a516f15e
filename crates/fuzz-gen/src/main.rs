//! `jitless-wasm-fuzz-gen`: writes seeded random WebAssembly modules (wasm-smith, the node20
//! feature set, or with `--profile node26` the node26 one with WasmGC; fuel-bounded so every
//! call terminates) and the calls to make on them, as one JSON plan that
//! `scripts/fuzz/differential.mjs` runs on V8 and on ours.
//!
//! Usage: `jitless-wasm-fuzz-gen --seed N [--from K] [--count M] [--calls C] [--fuel F]
//! [--profile node20|node26]` (plan on stdout). Module `i` depends only on the seed, the
//! profile and `i`: `--from i --count 1` reproduces it.

mod config;
mod config_gc;
mod describe;
mod json;
mod plan;
mod rng;

use arbitrary::Unstructured;
use describe::{Description, Item};
use rng::Rng;
use std::io::Write;

/// Command-line options.
struct Options {
    seed: u64,
    from: u64,
    count: u64,
    calls: u64,
    fuel: u32,
    /// GC modules of the node26 profile (`--profile node26`) rather than node20 ones.
    gc: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut o = Options { seed: 1, from: 0, count: 10, calls: 12, fuel: 2000, gc: false };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        if flag == "--profile" {
            o.gc = match value.as_str() {
                "node20" => false,
                "node26" => true,
                _ => return Err(format!("--profile: node20 or node26, not {value}")),
            };
            continue;
        }
        let n: u64 = value.parse().map_err(|_| format!("{flag}: not a number: {value}"))?;
        match flag.as_str() {
            "--seed" => o.seed = n,
            "--from" => o.from = n,
            "--count" => o.count = n,
            "--calls" => o.calls = n,
            "--fuel" => o.fuel = u32::try_from(n).map_err(|_| "--fuel is too large".to_string())?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(o)
}

/// Module `index`'s bytes and description (a few attempts until wasm-smith succeeds and the
/// module cannot block in `memory.atomic.wait`).
fn generate(rng: &mut Rng, fuel: u32, gc: bool) -> (Vec<u8>, bool, Description) {
    loop {
        let config = if gc { config_gc::node26_gc_config(rng) } else { config::node20_config(rng) };
        let canonical = config.canonicalize_nans;
        let len = 1024 + rng.below(32 << 10) as usize;
        let data = rng.bytes(len);
        let Ok(mut module) = wasm_smith::Module::new(config, &mut Unstructured::new(&data)) else {
            continue;
        };
        if module.ensure_termination(fuel).is_err() {
            continue;
        }
        let bytes = module.to_bytes();
        match describe::describe(&bytes) {
            Ok(d) if !d.may_wait => return (bytes, canonical, d),
            _ => continue,
        }
    }
}

fn item_json(item: &Item) -> String {
    match item {
        Item::Func { params, results } => {
            format!("\"kind\":\"func\",\"params\":{},\"results\":{}", json::strings(params), json::strings(results))
        }
        Item::Memory { initial, maximum, shared, memory64 } => format!(
            "\"kind\":\"memory\",\"initial\":{initial},\"maximum\":{},\"shared\":{shared}{}",
            maximum.map_or("null".into(), |m| m.to_string()),
            if *memory64 { ",\"address\":\"i64\"" } else { "" }
        ),
        Item::Table { element, initial, maximum, table64 } => format!(
            "\"kind\":\"table\",\"element\":\"{element}\",\"initial\":{initial},\"maximum\":{}{}",
            maximum.map_or("null".into(), |m| m.to_string()),
            if *table64 { ",\"address\":\"i64\"" } else { "" }
        ),
        Item::Global { value, mutable } => format!("\"kind\":\"global\",\"value\":\"{value}\",\"mutable\":{mutable}"),
        Item::Tag { params } => format!("\"kind\":\"tag\",\"params\":{}", json::strings(params)),
        Item::Other => "\"kind\":\"other\"".into(),
    }
}

/// The JSON plan of module `index`.
fn module_json(o: &Options, index: u64) -> String {
    let seed = rng::module_seed(o.seed, index);
    let mut rng = Rng::new(seed);
    let (bytes, canonical, d) = generate(&mut rng, o.fuel, o.gc);
    let imports = json::array(d.imports.iter().map(|i| {
        let throws = matches!(i.item, Item::Func { .. }) && rng.one_in(4);
        format!(
            "{{\"module\":{},\"name\":{},{},\"throws\":{throws}}}",
            json::string(&i.module),
            json::string(&i.name),
            item_json(&i.item)
        )
    }));
    let exports = json::array(
        d.exports.iter().map(|(name, item)| format!("{{\"name\":{},{}}}", json::string(name), item_json(item))),
    );
    let calls = plan::calls(&mut rng, &d.exports, o.calls, o.gc);
    format!(
        "{{\"index\":{index},\"seed\":\"{seed}\",\"canonicalNans\":{canonical},\"wasm\":\"{}\",\"imports\":{imports},\"exports\":{exports},\"calls\":{calls}}}",
        json::base64(&bytes)
    )
}

fn main() {
    let o = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("jitless-wasm-fuzz-gen: {e}");
            std::process::exit(2);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let modules: Vec<String> = (o.from..o.from + o.count).map(|i| module_json(&o, i)).collect();
    writeln!(out, "{{\"seed\":{},\"modules\":[\n{}\n]}}", o.seed, modules.join(",\n")).expect("write the plan");
}
