//! Trap backtraces: the trapping instruction's function and byte offset, then every wasm
//! caller at its call site, across instances, in duplicated loop code, capped in depth.

use jitless_wasm_core::{Error, Extern, Instance, Module, Trap, TrapCode, Val, MAX_BACKTRACE};
use wasmparser::{Parser, Payload};

/// A host function from a closure.
struct Host<F>(F);

impl<F: Fn(&[Val], &mut Vec<Val>) -> Result<(), Error>> jitless_wasm_core::HostFunc for Host<F> {
    fn call(&self, args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
        (self.0)(args, results)
    }
}

/// The module byte offset of every operator of every defined function, with its debug name
/// (`"I32DivS"`, `"Call { function_index: 0 }"`), by defined-function order.
fn operators(bytes: &[u8]) -> Vec<Vec<(u32, String)>> {
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::CodeSectionEntry(body) = payload.unwrap() {
            let mut ops = Vec::new();
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                let (op, offset) = reader.read_with_offset().unwrap();
                ops.push((offset as u32, format!("{op:?}")));
            }
            out.push(ops);
        }
    }
    out
}

/// The offset of the `nth` operator whose debug name starts with `name` in defined function
/// `func`.
fn offset_of(bytes: &[u8], func: usize, name: &str, nth: usize) -> u32 {
    operators(bytes)[func].iter().filter(|(_, n)| n.starts_with(name)).nth(nth).expect(name).0
}

fn trap_of(inst: &Instance, name: &str, args: &[Val]) -> Trap {
    let Some(Extern::Func(f)) = inst.export(name) else { panic!("no export {name}") };
    match f.call(args, &mut Vec::new()) {
        Err(Error::Trap(t)) => t,
        other => panic!("{name}: expected a trap, got {other:?}"),
    }
}

/// A frame's function index and byte offset.
type Location = (u32, Option<u32>);

/// `(function index, offset)` of every frame.
fn frames(t: &Trap) -> Vec<Location> {
    t.backtrace.iter().map(|f| (f.func_index, f.offset)).collect()
}

const CALLS: &str = r#"(module
  (import "m" "f" (func $imp))
  (memory 1)
  (table 2 funcref)
  (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_s)
  (func $middle (export "run") (param i32) (result i32) nop local.get 0 call $inner i32.const 1 i32.add)
  (func (export "unreachable") i32.const 1 drop unreachable)
  (func (export "indirect") i32.const 1 call_indirect (type 0))
  (func (export "walk") (param i32)
    (loop $l
      local.get 0 i32.load drop
      local.get 0 i32.const 4096 i32.add local.set 0
      br $l))
  (func $rec (export "rec") call $rec)
)"#;

fn calls() -> (Vec<u8>, Instance) {
    let bytes = wat::parse_str(CALLS).unwrap();
    let module = Module::new(&bytes).unwrap();
    let imp = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(|_: &[Val], _: &mut Vec<Val>| Ok(())),
    );
    (bytes, Instance::new(&module, &[Extern::Func(imp)]).unwrap())
}

#[test]
fn innermost_frame_then_callers_at_their_call_sites() {
    let (bytes, inst) = calls();
    let t = trap_of(&inst, "run", &[Val::I32(7)]);
    assert_eq!(t.code, TrapCode::DivByZero);
    // Function indices count the import: $inner is 1, $middle 2 (defined functions 0 and 1).
    assert_eq!(frames(&t), [(1, Some(offset_of(&bytes, 0, "I32DivS", 0))), (2, Some(offset_of(&bytes, 1, "Call", 0)))]);
    assert!(t.backtrace[0].same_module(&t.backtrace[1]));
}

#[test]
fn single_frame_traps() {
    let (bytes, inst) = calls();
    let t = trap_of(&inst, "unreachable", &[]);
    assert_eq!(frames(&t), [(3, Some(offset_of(&bytes, 2, "Unreachable", 0)))]);
    let t = trap_of(&inst, "indirect", &[]);
    assert_eq!(t.code, TrapCode::FuncSigMismatch);
    assert_eq!(frames(&t), [(4, Some(offset_of(&bytes, 3, "CallIndirect", 0)))]);
}

#[test]
fn a_load_in_a_duplicated_loop_header_keeps_its_offset() {
    let (bytes, inst) = calls();
    // Traps in some iteration, in the loop's code or in its back-edge copy.
    for start in [0, 4096 * 3, 65536 - 4096] {
        let t = trap_of(&inst, "walk", &[Val::I32(start)]);
        assert_eq!(t.code, TrapCode::MemOutOfBounds);
        assert_eq!(frames(&t), [(5, Some(offset_of(&bytes, 4, "I32Load", 0)))]);
    }
}

/// The module byte offset where defined function `func`'s body starts (its local
/// declarations, after the body size).
fn body_start(bytes: &[u8], func: usize) -> u32 {
    Parser::new(0)
        .parse_all(bytes)
        .filter_map(|p| match p.unwrap() {
            Payload::CodeSectionEntry(body) => Some(body.range().start as u32),
            _ => None,
        })
        .nth(func)
        .expect("a body")
}

#[test]
fn stack_overflow_lists_the_function_being_entered_then_every_frame() {
    let (bytes, inst) = calls();
    let t = trap_of(&inst, "rec", &[]);
    assert_eq!(t.code, TrapCode::StackOverflow);
    // As V8: the callee at its entry, then the caller at the call, then all the callers.
    assert_eq!(t.backtrace.len(), MAX_BACKTRACE);
    assert_eq!(frames(&t)[0], (6, Some(body_start(&bytes, 5))));
    let call = offset_of(&bytes, 5, "Call", 0);
    assert!(frames(&t)[1..].iter().all(|&f| f == (6, Some(call))));
}

#[test]
fn stack_overflow_in_mutual_and_indirect_recursion_starts_at_the_callee() {
    let bytes = wat::parse_str(
        r#"(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref) (elem (i32.const 0) $ind)
  (func $ping (export "ping") (param i32) (result i32) local.get 0 call $pong)
  (func $pong (param i32) (result i32) (local i64 v128) nop local.get 0 call $ping)
  (func $ind (export "ind") (param i32) (result i32) local.get 0 i32.const 0 call_indirect (type $t))
  (func $tail (export "tail") (param i32) (result i32) (local v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128
      v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128 v128)
    local.get 0 call $tail_callee)
  (func $tail_callee (param i32) (result i32) local.get 0 return_call $tail))"#,
    )
    .unwrap();
    let inst = Instance::new(&Module::new(&bytes).unwrap(), &[]).unwrap();
    let t = trap_of(&inst, "ping", &[Val::I32(0)]);
    assert_eq!(t.code, TrapCode::StackOverflow);
    let (ping, pong) = (offset_of(&bytes, 0, "Call", 0), offset_of(&bytes, 1, "Call", 0));
    let top = frames(&t)[..4].to_vec();
    // Frames alternate; which of the two is being entered depends on the depth reached.
    let expected = if top[0].0 == 1 {
        [(1, Some(body_start(&bytes, 1))), (0, Some(ping)), (1, Some(pong)), (0, Some(ping))]
    } else {
        [(0, Some(body_start(&bytes, 0))), (1, Some(pong)), (0, Some(ping)), (1, Some(pong))]
    };
    assert_eq!(top, expected);
    let t = trap_of(&inst, "ind", &[Val::I32(0)]);
    let call = offset_of(&bytes, 2, "CallIndirect", 0);
    assert_eq!(frames(&t)[..3], [(2, Some(body_start(&bytes, 2))), (2, Some(call)), (2, Some(call))]);
    // Through a tail call: the tail-calling frame is gone, the callee is being entered.
    let t = trap_of(&inst, "tail", &[Val::I32(0)]);
    assert_eq!(t.code, TrapCode::StackOverflow);
    let first = frames(&t)[0];
    assert!(first == (3, Some(body_start(&bytes, 3))) || first == (4, Some(body_start(&bytes, 4))), "{first:?}");
    assert_eq!(frames(&t)[1], (3, Some(offset_of(&bytes, 3, "Call", 0))));
}

#[test]
fn frames_of_another_instance_name_their_own_module() {
    let lib_bytes =
        wat::parse_str(r#"(module (memory 0) (func (export "boom") (param i32) (result i32) local.get 0 i32.load))"#)
            .unwrap();
    let lib_module = Module::new(&lib_bytes).unwrap();
    let lib = Instance::new(&lib_module, &[]).unwrap();
    let Some(boom) = lib.export("boom") else { panic!() };
    let app_bytes = wat::parse_str(
        r#"(module (import "lib" "boom" (func $boom (param i32) (result i32)))
             (func (export "go") (result i32) i32.const 8 call $boom))"#,
    )
    .unwrap();
    let app_module = Module::new(&app_bytes).unwrap();
    let app = Instance::new(&app_module, &[boom]).unwrap();
    let t = trap_of(&app, "go", &[]);
    assert_eq!(t.code, TrapCode::MemOutOfBounds);
    assert_eq!(
        frames(&t),
        [(0, Some(offset_of(&lib_bytes, 0, "I32Load", 0))), (1, Some(offset_of(&app_bytes, 0, "Call", 0)))]
    );
    assert!(lib_module.owns_frame(&t.backtrace[0]));
    assert!(app_module.owns_frame(&t.backtrace[1]));
}

#[test]
fn a_trap_inside_a_host_reentry_only_lists_its_own_invocation() {
    // The host function calls back into wasm, which traps; the inner trap's frames are those
    // of the inner invocation.
    let bytes = wat::parse_str(
        r#"(module (import "m" "cb" (func $cb)) (func (export "outer") call $cb)
             (func (export "inner") unreachable))"#,
    )
    .unwrap();
    let module = Module::new(&bytes).unwrap();
    let slot: std::rc::Rc<std::cell::RefCell<Option<Instance>>> = Default::default();
    let seen: std::rc::Rc<std::cell::RefCell<Option<Trap>>> = Default::default();
    let (slot2, seen2) = (slot.clone(), seen.clone());
    let cb = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(move |_: &[Val], _: &mut Vec<Val>| {
            let inst = slot2.borrow().clone().unwrap();
            *seen2.borrow_mut() = Some(trap_of(&inst, "inner", &[]));
            Ok(())
        }),
    );
    let inst = Instance::new(&module, &[Extern::Func(cb)]).unwrap();
    *slot.borrow_mut() = Some(inst.clone());
    let Some(Extern::Func(outer)) = inst.export("outer") else { panic!() };
    outer.call(&[], &mut Vec::new()).unwrap();
    let t = seen.borrow_mut().take().unwrap();
    assert_eq!(frames(&t), [(2, Some(offset_of(&bytes, 1, "Unreachable", 0)))]);
    slot.borrow_mut().take();
}

#[test]
fn a_host_function_sees_the_wasm_frames_that_called_it() {
    let bytes = wat::parse_str(
        r#"(module (import "m" "h" (func $h)) (func $inner call $h) (func (export "outer") nop call $inner))"#,
    )
    .unwrap();
    let module = Module::new(&bytes).unwrap();
    let seen: std::rc::Rc<std::cell::RefCell<Vec<Location>>> = Default::default();
    let seen2 = seen.clone();
    let h = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(move |_: &[Val], _: &mut Vec<Val>| {
            let frames = jitless_wasm_core::host_caller_backtrace(MAX_BACKTRACE);
            *seen2.borrow_mut() = frames.iter().map(|f| (f.func_index, f.offset)).collect();
            Ok(())
        }),
    );
    let inst = Instance::new(&module, &[Extern::Func(h)]).unwrap();
    let Some(Extern::Func(outer)) = inst.export("outer") else { panic!() };
    outer.call(&[], &mut Vec::new()).unwrap();
    assert_eq!(
        *seen.borrow(),
        [(1, Some(offset_of(&bytes, 0, "Call", 0))), (2, Some(offset_of(&bytes, 1, "Call", 0)))]
    );
    assert!(jitless_wasm_core::host_caller_backtrace(MAX_BACKTRACE).is_empty());
}

#[test]
fn a_host_reentry_out_of_stack_lists_the_function_being_entered() {
    // Wasm recursion fills the frame limit, then a host function calls wasm again: the nested
    // invocation fails on entry, with the function it was entering as its only frame.
    let bytes = wat::parse_str(
        r#"(module (import "m" "h" (func $h))
             (func $rec (export "rec") (param i32)
               (if (i32.eqz (local.get 0)) (then (call $h))
                 (else (call $rec (i32.sub (local.get 0) (i32.const 1))))))
             (func (export "leaf") nop))"#,
    )
    .unwrap();
    let module = Module::new(&bytes).unwrap();
    let slot: std::rc::Rc<std::cell::RefCell<Option<Instance>>> = Default::default();
    let slot2 = slot.clone();
    let h = jitless_wasm_core::FuncRef::host(
        jitless_wasm_core::FuncType::new(vec![], vec![]),
        Host(move |_: &[Val], _: &mut Vec<Val>| {
            let inst = slot2.borrow().clone().unwrap();
            let Some(Extern::Func(leaf)) = inst.export("leaf") else { panic!() };
            leaf.call(&[], &mut Vec::new())
        }),
    );
    let inst = Instance::new(&module, &[Extern::Func(h)]).unwrap();
    *slot.borrow_mut() = Some(inst.clone());
    // `rec(n)` saves n frames before calling the host: the frame limit (every frame of an
    // invocation fits a backtrace, with the running function and one being entered).
    let depth = (MAX_BACKTRACE - 2) as i32;
    let t = trap_of(&inst, "rec", &[Val::I32(depth)]);
    assert_eq!(t.code, TrapCode::StackOverflow);
    assert_eq!(frames(&t), [(2, Some(body_start(&bytes, 1)))]);
    slot.borrow_mut().take();
}
