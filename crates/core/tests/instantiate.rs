//! Instantiation: import matching (link errors), segment application, globals, start function.

use jitless_wasm_core::{
    DataSegmentFault, Error, Extern, FuncRef, FuncType, Global, GlobalType, HostFunc, ImportMismatch, Instance, Limits,
    LimitsOf, LimitsRule, LinkError, Memory, MemoryType, Module, RefType, ResourceError, Table, TableType, TrapCode,
    TrapOrigin, Val, ValType,
};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module compiles")
}

fn memory(min: u64, max: Option<u64>) -> Memory {
    Memory::new(MemoryType { limits: Limits { min, max }, shared: false, memory64: false }).unwrap()
}

fn table(element: RefType, min: u64, max: Option<u64>) -> Table {
    Table::new(TableType { element, limits: Limits { min, max }, table64: false }, Val::null(element)).unwrap()
}

fn global(content: ValType, mutable: bool, value: Val) -> Global {
    Global::new(GlobalType { content, mutable }, value).unwrap()
}

struct Nop;

impl HostFunc for Nop {
    fn call(&self, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
        Ok(())
    }
}

fn host(params: &[ValType], results: &[ValType]) -> FuncRef {
    FuncRef::host(FuncType::new(params, results), Nop)
}

/// Instantiates `wat` with one import and expects a link error naming import 0.
fn link_error(wat: &str, import: Extern) -> String {
    match Instance::new(&module(wat), &[import]) {
        Err(Error::Link(e)) => {
            assert_eq!(e.import_index(), Some(0), "{e:?}");
            e.to_string()
        }
        other => panic!("expected a link error, got {other:?}"),
    }
}

fn trap_code(r: Result<Instance, Error>) -> TrapCode {
    match r {
        Err(Error::Trap(t)) => t.code,
        other => panic!("expected a trap, got {other:?}"),
    }
}

fn read_byte(m: &Memory, at: u64) -> u8 {
    let mut b = [0u8];
    m.read(at, &mut b).unwrap();
    b[0]
}

#[test]
fn wrong_number_of_imports() {
    let m = module(r#"(module (import "m" "f" (func)))"#);
    assert!(matches!(Instance::new(&m, &[]), Err(Error::Link(_))));
    let f = Extern::Func(host(&[], &[]));
    assert!(matches!(Instance::new(&m, &[f.clone(), f]), Err(Error::Link(_))));
}

#[test]
fn function_import_type_mismatch() {
    let wat = r#"(module (import "m" "f" (func (param i32) (result i64))))"#;
    link_error(wat, Extern::Func(host(&[ValType::I32], &[])));
    link_error(wat, Extern::Func(host(&[ValType::I64], &[ValType::I64])));
    Instance::new(&module(wat), &[Extern::Func(host(&[ValType::I32], &[ValType::I64]))]).unwrap();
}

#[test]
fn import_kind_mismatch() {
    let mem = Extern::Memory(memory(1, None));
    let tab = Extern::Table(table(RefType::FuncRef, 1, None));
    let glob = Extern::Global(global(ValType::I32, false, Val::I32(0)));
    let func = Extern::Func(host(&[], &[]));
    link_error(r#"(module (import "m" "f" (func)))"#, mem.clone());
    link_error(r#"(module (import "m" "t" (table 1 funcref)))"#, func.clone());
    link_error(r#"(module (import "m" "m" (memory 1)))"#, tab);
    link_error(r#"(module (import "m" "g" (global i32)))"#, mem);
    link_error(r#"(module (import "m" "m" (memory 1)))"#, glob);
}

#[test]
fn table_import_mismatch() {
    let wat = r#"(module (import "m" "t" (table 2 4 funcref)))"#;
    link_error(wat, Extern::Table(table(RefType::ExternRef, 2, Some(4))));
    link_error(wat, Extern::Table(table(RefType::FuncRef, 1, Some(4))));
    link_error(wat, Extern::Table(table(RefType::FuncRef, 2, None)));
    link_error(wat, Extern::Table(table(RefType::FuncRef, 2, Some(5))));
    Instance::new(&module(wat), &[Extern::Table(table(RefType::FuncRef, 3, Some(3)))]).unwrap();
}

#[test]
fn memory_import_mismatch() {
    let wat = r#"(module (import "m" "m" (memory 2 4)))"#;
    link_error(wat, Extern::Memory(memory(1, Some(4))));
    link_error(wat, Extern::Memory(memory(2, None)));
    link_error(wat, Extern::Memory(memory(2, Some(5))));
    Instance::new(&module(wat), &[Extern::Memory(memory(3, Some(4)))]).unwrap();
}

#[test]
fn memory_import_limits_use_the_current_size() {
    let wat = r#"(module (import "m" "m" (memory 2)))"#;
    let mem = memory(1, None);
    link_error(wat, Extern::Memory(mem.clone()));
    mem.grow(1).unwrap();
    Instance::new(&module(wat), &[Extern::Memory(mem)]).unwrap();
}

#[test]
fn global_import_mismatch() {
    let wat = r#"(module (import "m" "g" (global i32)))"#;
    link_error(wat, Extern::Global(global(ValType::I64, false, Val::I64(0))));
    link_error(wat, Extern::Global(global(ValType::I32, true, Val::I32(0))));
    let wat_mut = r#"(module (import "m" "g" (global (mut i32))))"#;
    link_error(wat_mut, Extern::Global(global(ValType::I32, false, Val::I32(0))));
    Instance::new(&module(wat_mut), &[Extern::Global(global(ValType::I32, true, Val::I32(0)))]).unwrap();
}

#[test]
fn link_error_names_the_first_bad_import() {
    let m = module(r#"(module (import "m" "a" (func)) (import "m" "b" (global i32)))"#);
    let imports = [Extern::Func(host(&[], &[])), Extern::Func(host(&[], &[]))];
    match Instance::new(&m, &imports) {
        Err(Error::Link(e)) => assert_eq!(e.import_index(), Some(1)),
        other => panic!("expected a link error, got {other:?}"),
    }
}

#[test]
fn imported_objects_are_shared_and_reexported() {
    let mem = memory(1, None);
    let g = global(ValType::I32, true, Val::I32(3));
    let m = module(
        r#"(module
            (import "m" "m" (memory 1)) (import "m" "g" (global (mut i32)))
            (export "mem" (memory 0)) (export "glob" (global 0))
            (data (i32.const 5) "\2a"))"#,
    );
    let inst = Instance::new(&m, &[Extern::Memory(mem.clone()), Extern::Global(g.clone())]).unwrap();
    assert_eq!(read_byte(&mem, 5), 42);
    let Some(Extern::Memory(exported)) = inst.export("mem") else { panic!("no memory export") };
    assert!(Memory::ptr_eq(&exported, &mem));
    let Some(Extern::Global(eg)) = inst.export("glob") else { panic!("no global export") };
    assert!(Global::ptr_eq(&eg, &g));
    assert!(inst.export("nope").is_none());
}

#[test]
fn globals_initialised_from_imported_globals() {
    let m = module(
        r#"(module (import "m" "g" (global i64))
            (global (export "a") i64 (global.get 0))
            (global (export "b") (mut f32) (f32.const -0.0)))"#,
    );
    let inst = Instance::new(&m, &[Extern::Global(global(ValType::I64, false, Val::I64(-7)))]).unwrap();
    let Some(Extern::Global(a)) = inst.export("a") else { panic!() };
    assert_eq!(a.get(), Val::I64(-7));
    let Some(Extern::Global(b)) = inst.export("b") else { panic!() };
    assert_eq!(b.get(), Val::F32(0x8000_0000));
    assert!(b.ty().mutable);
}

#[test]
fn element_segments_fill_tables() {
    let m = module(
        r#"(module (table (export "t") 4 funcref)
            (func $a) (func $b)
            (elem (i32.const 1) $b $a)
            (elem funcref (ref.func $a))
            (export "a" (func $a)))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    let Some(Extern::Table(t)) = inst.export("t") else { panic!() };
    assert_eq!(t.get(0), Some(Val::FuncRef(None)));
    let Some(Val::FuncRef(Some(b))) = t.get(1) else { panic!("slot 1 empty") };
    assert_eq!(b.wasm_index(), Some(1));
    let Some(Extern::Func(a)) = inst.export("a") else { panic!() };
    assert_eq!(t.get(2), Some(Val::FuncRef(Some(a))), "a table entry equals the exported function");
    assert_eq!(t.get(3), Some(Val::FuncRef(None)), "passive segments are not applied");
}

#[test]
fn data_segment_out_of_bounds_traps_and_keeps_earlier_segments() {
    let mem = memory(1, None);
    let m = module(
        r#"(module (import "m" "m" (memory 1))
            (data (i32.const 0) "\01")
            (data (i32.const 65535) "\02\03")
            (data (i32.const 1) "\04"))"#,
    );
    assert_eq!(trap_code(Instance::new(&m, &[Extern::Memory(mem.clone())])), TrapCode::DataSegmentOutOfBounds);
    assert_eq!(read_byte(&mem, 0), 1, "the first segment stays applied");
    assert_eq!(read_byte(&mem, 65535), 0, "the failing segment writes nothing");
    assert_eq!(read_byte(&mem, 1), 0, "later segments are not applied");
}

#[test]
fn element_segment_out_of_bounds_traps_and_keeps_earlier_segments() {
    let tab = table(RefType::FuncRef, 2, None);
    let mem = memory(1, None);
    let m = module(
        r#"(module (import "m" "t" (table 2 funcref)) (import "m" "m" (memory 1))
            (func $f)
            (elem (i32.const 0) $f)
            (elem (i32.const 1) $f $f)
            (data (i32.const 0) "\01"))"#,
    );
    let code = trap_code(Instance::new(&m, &[Extern::Table(tab.clone()), Extern::Memory(mem.clone())]));
    assert!(matches!(code, TrapCode::TableOutOfBounds), "{code:?}");
    assert!(matches!(tab.get(0), Some(Val::FuncRef(Some(_)))), "the first segment stays applied");
    assert_eq!(tab.get(1), Some(Val::FuncRef(None)), "the failing segment writes nothing");
    assert_eq!(read_byte(&mem, 0), 0, "data segments come after element segments");
}

#[test]
fn zero_length_segment_at_the_end_is_in_bounds() {
    let m = module(
        r#"(module (memory 1) (table 2 funcref)
            (data (i32.const 65536) "")
            (elem (i32.const 2) func))"#,
    );
    Instance::new(&m, &[]).unwrap();
}

#[test]
fn start_function_runs() {
    let m = module(
        r#"(module (global (export "g") (mut i32) (i32.const 1))
            (func $start global.get 0 i32.const 41 i32.add global.set 0)
            (start $start))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    let Some(Extern::Global(g)) = inst.export("g") else { panic!() };
    assert_eq!(g.get(), Val::I32(42));
}

#[test]
fn start_function_sees_segments_and_its_trap_fails_instantiation() {
    let mem = memory(1, None);
    let m = module(
        r#"(module (import "m" "m" (memory 1))
            (data (i32.const 0) "\07")
            (func $start
              i32.const 1 i32.const 0 i32.load8_u i32.store8
              unreachable)
            (start $start))"#,
    );
    assert_eq!(trap_code(Instance::new(&m, &[Extern::Memory(mem.clone())])), TrapCode::Unreachable);
    assert_eq!(read_byte(&mem, 1), 7, "the start function ran after the data segments");
}

#[test]
fn start_function_may_call_an_import() {
    use std::cell::Cell;
    use std::rc::Rc;
    struct Count(Rc<Cell<u32>>);
    impl HostFunc for Count {
        fn call(&self, args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
            assert_eq!(args, [Val::I32(5)]);
            self.0.set(self.0.get() + 1);
            Ok(())
        }
    }
    let count = Rc::new(Cell::new(0));
    let f = FuncRef::host(FuncType::new([ValType::I32], []), Count(count.clone()));
    let m = module(
        r#"(module (import "m" "f" (func $f (param i32)))
            (func $start i32.const 5 call $f)
            (start $start))"#,
    );
    Instance::new(&m, &[Extern::Func(f)]).unwrap();
    assert_eq!(count.get(), 1);
}

#[test]
fn exports_are_listed_in_order() {
    let m = module(
        r#"(module (func (export "f")) (memory (export "m") 1) (table (export "t") 1 funcref)
            (global (export "g") i32 (i32.const 0)))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    let kinds: Vec<(String, &str)> = inst.exports().into_iter().map(|(n, e)| (n, e.kind_name())).collect();
    let expected = [("f", "function"), ("m", "memory"), ("t", "table"), ("g", "global")];
    assert_eq!(kinds, expected.map(|(n, k)| (n.to_string(), k)));
    let Some(Extern::Func(f1)) = inst.export("f") else { panic!() };
    let Some(Extern::Func(f2)) = inst.export("f") else { panic!() };
    assert_eq!(f1, f2, "the same export is the same function");
}

/// A trap at instantiation says where it happened: a segment (even in a module with a start
/// function) or the start function.
#[test]
fn trap_origin_names_the_segment_or_the_start_function() {
    let origin = |wat: &str| match Instance::new(&module(wat), &[]) {
        Err(Error::Trap(t)) => (t.code, t.origin),
        other => panic!("expected a trap, got {other:?}"),
    };
    let elem =
        "(module (table 1 funcref) (func $f) (func $s) (start $s) (elem (i32.const 0) $f) (elem (i32.const 1) $f))";
    assert_eq!(origin(elem), (TrapCode::TableOutOfBounds, TrapOrigin::ElementSegment(1)));
    let data = r#"(module (memory 1) (data (i32.const 0) "a") (data (i32.const 65535) "ab"))"#;
    let data_origin =
        TrapOrigin::DataSegment(Box::new(DataSegmentFault { index: 1, offset: 65535, length: 2, memory_size: 65536 }));
    assert_eq!(origin(data), (TrapCode::DataSegmentOutOfBounds, data_origin));
    let start = "(module (table 1 funcref) (func $s i32.const 5 call_indirect) (start $s))";
    assert_eq!(origin(start), (TrapCode::TableOutOfBounds, TrapOrigin::StartFunction));
}

/// Link errors carry the import and the limits; allocation over a limit is a resource error.
#[test]
fn link_and_resource_errors_carry_their_data() {
    let m = module(r#"(module (import "env" "mem" (memory 2 4)))"#);
    match Instance::new(&m, &[Extern::Memory(memory(1, Some(4)))]) {
        Err(Error::Link(e)) => {
            let LinkError::Import { import, reason } = *e else { panic!("{e:?}") };
            assert_eq!((import.index, import.module.as_str(), import.name.as_str()), (0, "env", "mem"));
            let ImportMismatch::Limits { of, expected, actual } = reason else { panic!("{reason:?}") };
            assert_eq!(of, LimitsOf::Memory);
            assert_eq!(ImportMismatch::limits_rule(&expected, &actual), LimitsRule::Smaller);
        }
        other => panic!("expected a link error, got {other:?}"),
    }
    match Instance::new(&module("(module (table 10000001 funcref))"), &[]) {
        Err(Error::Resource(e)) => assert_eq!(e, ResourceError::TableSize { size: 10_000_001, limit: 10_000_000 }),
        other => panic!("expected a resource error, got {other:?}"),
    }
}
