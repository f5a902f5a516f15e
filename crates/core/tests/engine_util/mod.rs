//! Helpers shared by the `engine_*` integration tests.

#![allow(dead_code)]

use jitless_wasm_core::{Error, Extern, FuncRef, FuncType, HostFunc, Instance, Module, Val, ValType};

/// Compiles and instantiates a module written in the text format.
pub fn instance_with(wat: &str, imports: &[Extern]) -> Instance {
    let bytes = jitless_wasm_core::text::wat_to_wasm(wat).unwrap_or_else(|e| panic!("bad wat: {e}"));
    let module = Module::new(&bytes).unwrap_or_else(|e| panic!("compile error: {e}"));
    Instance::new(&module, imports).unwrap_or_else(|e| panic!("instantiation failed: {e}"))
}

/// Compiles and instantiates a module without imports.
pub fn instance(wat: &str) -> Instance {
    instance_with(wat, &[])
}

/// The exported function `name`.
pub fn func(inst: &Instance, name: &str) -> FuncRef {
    match inst.export(name) {
        Some(Extern::Func(f)) => f,
        _ => panic!("no exported function {name}"),
    }
}

/// Calls export `name`.
pub fn call(inst: &Instance, name: &str, args: &[Val]) -> Result<Vec<Val>, Error> {
    let mut results = Vec::new();
    func(inst, name).call(args, &mut results).map(|()| results)
}

/// Calls export `name`, panicking on an error.
#[track_caller]
pub fn call_ok(inst: &Instance, name: &str, args: &[Val]) -> Vec<Val> {
    call(inst, name, args).unwrap_or_else(|e| panic!("{name}({args:?}) failed: {e}"))
}

/// Calls export `name` expecting exactly one i32 result.
#[track_caller]
pub fn call_i32(inst: &Instance, name: &str, args: &[Val]) -> i32 {
    match call_ok(inst, name, args).as_slice() {
        [Val::I32(v)] => *v,
        other => panic!("{name}: expected one i32, got {other:?}"),
    }
}

/// Calls export `name` expecting exactly one i64 result.
#[track_caller]
pub fn call_i64(inst: &Instance, name: &str, args: &[Val]) -> i64 {
    match call_ok(inst, name, args).as_slice() {
        [Val::I64(v)] => *v,
        other => panic!("{name}: expected one i64, got {other:?}"),
    }
}

/// The trap code of a failed call.
#[track_caller]
pub fn trap_of(r: Result<Vec<Val>, Error>) -> jitless_wasm_core::TrapCode {
    match r {
        Err(Error::Trap(t)) => t.code,
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// A host function from a closure.
pub struct Host<F>(pub F);

impl<F: Fn(&[Val], &mut Vec<Val>) -> Result<(), Error>> HostFunc for Host<F> {
    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        (self.0)(args, results)
    }
}

/// A host function of type `params -> results` from a closure.
pub fn host(
    params: &[ValType],
    results: &[ValType],
    f: impl Fn(&[Val], &mut Vec<Val>) -> Result<(), Error> + 'static,
) -> Extern {
    Extern::Func(FuncRef::host(FuncType::new(params.to_vec(), results.to_vec()), Host(f)))
}
