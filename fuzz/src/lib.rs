//! Helpers shared by the fuzz targets: the wasm-smith configuration of the features the engine
//! executes, dummy imports, and calling every exported function.

use arbitrary::{Result, Unstructured};
use jitless_wasm_core::{
    CompileError, Error, Extern, ExternType, FuncRef, FuncType, Global, HostFunc, Instance, Memory, Module, Table, Tag,
    Val, ValType,
};

/// A wasm-smith configuration with the features `Profile::Latest` executes (each optional
/// feature switched on or off by the input).
pub fn config(u: &mut Unstructured<'_>) -> Result<wasm_smith::Config> {
    let mut c = wasm_smith::Config {
        gc_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        shared_everything_threads_enabled: false,
        compact_imports_enabled: false,
        ..wasm_smith::Config::default()
    };
    c.max_memories = 1 + u.int_in_range(0..=2)?;
    c.max_tables = 1 + u.int_in_range(0..=2)?;
    c.max_memory32_bytes = 4 << 20;
    c.max_memory64_bytes = 4 << 20;
    c.max_table_elements = 10_000;
    c.canonicalize_nans = u.arbitrary()?;
    c.simd_enabled = u.arbitrary()?;
    c.relaxed_simd_enabled = c.simd_enabled && u.arbitrary()?;
    c.threads_enabled = u.arbitrary()?;
    c.exceptions_enabled = u.arbitrary()?;
    c.memory64_enabled = u.arbitrary()?;
    Ok(c)
}

/// A generated module's bytes; with `fuel`, every loop and call consumes fuel so that each
/// call ends. `None` when the input does not make a module.
pub fn smith(u: &mut Unstructured<'_>, fuel: Option<u32>) -> Option<Vec<u8>> {
    let config = config(u).ok()?;
    let mut module = wasm_smith::Module::new(config, u).ok()?;
    if let Some(fuel) = fuel {
        module.ensure_termination(fuel).ok()?;
    }
    Some(module.to_bytes())
}

/// Whether `bytes` could block forever: a wait instruction and a shared memory.
pub fn may_wait(bytes: &[u8]) -> bool {
    let mut waits = false;
    let mut shared = false;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::MemorySection(r)) => shared |= r.into_iter().any(|m| m.is_ok_and(|m| m.shared)),
            Ok(wasmparser::Payload::ImportSection(r)) => {
                shared |= r
                    .into_imports()
                    .any(|i| matches!(i, Ok(i) if matches!(i.ty, wasmparser::TypeRef::Memory(m) if m.shared)))
            }
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => {
                let Ok(mut ops) = body.get_operators_reader() else { return true };
                while !ops.eof() {
                    match ops.read() {
                        Ok(
                            wasmparser::Operator::MemoryAtomicWait32 { .. }
                            | wasmparser::Operator::MemoryAtomicWait64 { .. },
                        ) => waits = true,
                        Ok(_) => {}
                        Err(_) => return true,
                    }
                }
            }
            Err(_) => return true,
            _ => {}
        }
    }
    waits && shared
}

/// Panics on an internal error (a translation bug).
pub fn check_internal(e: &CompileError) {
    if e.message.contains("internal error") {
        panic!("internal error: {e}");
    }
}

/// A host function that returns the default value of each result.
struct Defaults(FuncType);

impl HostFunc for Defaults {
    fn call(&self, _args: &[Val], results: &mut Vec<Val>) -> std::result::Result<(), Error> {
        results.extend(self.0.results().iter().map(|&t| Val::default_for(t)));
        Ok(())
    }
}

/// An import value for each of `module`'s imports, or `None` if one cannot be made.
pub fn dummy_imports(module: &Module) -> Option<Vec<Extern>> {
    module
        .imports()
        .iter()
        .map(|import| {
            Some(match &import.ty {
                ExternType::Func(t) => Extern::Func(FuncRef::host(t.clone(), Defaults(t.clone()))),
                ExternType::Memory(t) => Extern::Memory(Memory::new(*t).ok()?),
                ExternType::Table(t) => Extern::Table(Table::new(*t, Val::default_for(ValType::Ref(t.element))).ok()?),
                ExternType::Global(t) => Extern::Global(Global::new(*t, Val::default_for(t.content)).ok()?),
                ExternType::Tag(t) => Extern::Tag(Tag::new(t.clone())),
            })
        })
        .collect()
}

/// Calls every exported function of `instance` with default arguments, twice.
pub fn call_exports(instance: &Instance) {
    let mut results = Vec::new();
    for _ in 0..2 {
        for (_, export) in instance.exports() {
            if let Extern::Func(f) = export {
                let args: Vec<Val> = f.ty().params().iter().map(|&t| Val::default_for(t)).collect();
                results.clear();
                if let Err(Error::Compile(e)) = f.call(&args, &mut results) {
                    check_internal(&e);
                }
            }
        }
    }
}
