//! The `spectest` host module, as the spec's reference interpreter defines it.

use std::collections::HashMap;

use jitless_wasm_core::{
    Error, Extern, FuncRef, FuncType, Global, GlobalType, HostFunc, Limits, Memory, MemoryType, RefType, Table,
    TableType, Val, ValType,
};

/// A `print*` function: accepts its arguments and does nothing.
struct Print;

impl HostFunc for Print {
    fn call(&self, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
        Ok(())
    }
}

fn global(content: ValType, value: Val) -> Extern {
    Extern::Global(Global::new(GlobalType { content, mutable: false }, value).expect("spectest global"))
}

/// The exports of a fresh `spectest` instance.
pub fn exports() -> HashMap<String, Extern> {
    use ValType::*;
    let mut m = HashMap::new();
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in prints {
        m.insert(name.to_string(), Extern::Func(FuncRef::host(FuncType::new(params, []), Print)));
    }
    m.insert("global_i32".into(), global(I32, Val::I32(666)));
    m.insert("global_i64".into(), global(I64, Val::I64(666)));
    m.insert("global_f32".into(), global(F32, Val::from_f32(666.6)));
    m.insert("global_f64".into(), global(F64, Val::from_f64(666.6)));
    let table_ty = TableType { element: RefType::FuncRef, limits: Limits { min: 10, max: Some(20) }, table64: false };
    m.insert("table".into(), Extern::Table(Table::new(table_ty, Val::FuncRef(None)).expect("spectest table")));
    let table64_ty = TableType { table64: true, ..table_ty };
    m.insert("table64".into(), Extern::Table(Table::new(table64_ty, Val::FuncRef(None)).expect("spectest table64")));
    let memory_ty = MemoryType { limits: Limits { min: 1, max: Some(2) }, shared: false, memory64: false };
    m.insert("memory".into(), Extern::Memory(Memory::new(memory_ty).expect("spectest memory")));
    let shared_ty = MemoryType { limits: Limits { min: 1, max: Some(2) }, shared: true, memory64: false };
    m.insert("shared_memory".into(), Extern::Memory(Memory::new(shared_ty).expect("spectest shared memory")));
    m
}
