//! Calls: deep recursion on the heap stack, stack exhaustion, host functions (results, errors,
//! re-entry), calls into other instances, and `call_indirect`.

mod engine_util;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use engine_util::*;
use jitless_wasm_core::{Error, Extern, HostError, Instance, TrapCode, Val, ValType};

const RECURSION: &str = r#"(module
  (func $sum (export "sum") (param i64) (result i64)
    local.get 0 i64.eqz
    if (result i64) i64.const 0
    else local.get 0 local.get 0 i64.const 1 i64.sub call $sum i64.add end)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else
      local.get 0 i32.const 1 i32.sub call $fib
      local.get 0 i32.const 2 i32.sub call $fib
      i32.add
    end)
  (func $forever (export "forever") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $forever)
  (func $wide (export "wide") (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    local.get 0 call $wide))"#;

#[test]
fn deep_recursion_runs_on_the_heap() {
    let inst = instance(RECURSION);
    // 50,000 nested wasm frames: far more than the native stack of a test thread would allow
    // if each wasm call recursed natively.
    assert_eq!(call_i64(&inst, "sum", &[Val::I64(50_000)]), 50_000 * 50_001 / 2);
    assert_eq!(call_i32(&inst, "fib", &[Val::I32(20)]), 6765);
}

#[test]
fn stack_exhaustion_traps_and_the_engine_stays_usable() {
    let inst = instance(RECURSION);
    assert_eq!(trap_of(call(&inst, "forever", &[Val::I32(0)])), TrapCode::StackOverflow);
    // Frames with many locals exhaust the value stack before the frame limit.
    assert_eq!(trap_of(call(&inst, "wide", &[Val::I32(0)])), TrapCode::StackOverflow);
    // Everything was unwound: the next calls work and can go deep again.
    assert_eq!(call_i64(&inst, "sum", &[Val::I64(10_000)]), 10_000 * 10_001 / 2);
    assert_eq!(trap_of(call(&inst, "forever", &[Val::I32(0)])), TrapCode::StackOverflow);
    assert_eq!(call_i32(&inst, "fib", &[Val::I32(10)]), 55);
}

#[test]
fn host_functions_get_arguments_and_return_several_results() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    let divmod = host(&[ValType::I32, ValType::I64, ValType::F32], &[ValType::I64, ValType::I32], move |args, res| {
        l.borrow_mut().push(args.to_vec());
        let (Val::I32(a), Val::I64(b)) = (&args[0], &args[1]) else { panic!() };
        res.push(Val::I64(*b / *a as i64));
        res.push(Val::I32((*b % *a as i64) as i32));
        Ok(())
    });
    let inst = instance_with(
        r#"(module
      (import "env" "divmod" (func $divmod (param i32 i64 f32) (result i64 i32)))
      (func (export "run") (param i32 i64) (result i64 i32 i32)
        (local i32)
        i32.const 77 local.set 2
        local.get 0 local.get 1 f32.const 2.5 call $divmod
        local.get 2))"#,
        &[divmod],
    );
    assert_eq!(call_ok(&inst, "run", &[Val::I32(7), Val::I64(100)]), vec![Val::I64(14), Val::I32(2), Val::I32(77)]);
    assert_eq!(log.borrow()[0], vec![Val::I32(7), Val::I64(100), Val::from_f32(2.5)]);
}

/// A host error payload whose identity the test can check.
#[derive(Debug, PartialEq)]
struct Thrown(u32);

#[test]
fn host_errors_pass_through_unchanged_and_unwind() {
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    let fail = host(&[ValType::I32], &[ValType::I32], move |args, res| {
        c.set(c.get() + 1);
        match args[0] {
            Val::I32(0) => Err(Error::Host(HostError(Box::new(Thrown(42))))),
            Val::I32(v) => {
                res.push(Val::I32(v * 2));
                Ok(())
            }
            _ => unreachable!(),
        }
    });
    let inst = instance_with(
        r#"(module
      (import "env" "f" (func $f (param i32) (result i32)))
      (func $deep (param i32) (result i32)
        local.get 0 i32.eqz
        if (result i32) i32.const 0 call $f
        else local.get 0 i32.const 1 i32.sub call $deep end)
      (func (export "deep") (param i32) (result i32) local.get 0 call $deep)
      (func (export "twice") (param i32) (result i32) local.get 0 call $f))"#,
        &[fail],
    );
    match call(&inst, "deep", &[Val::I32(1000)]) {
        Err(Error::Host(HostError(payload))) => assert_eq!(payload.downcast_ref::<Thrown>(), Some(&Thrown(42))),
        other => panic!("expected the host error, got {other:?}"),
    }
    assert_eq!(call_i32(&inst, "twice", &[Val::I32(21)]), 42);
    assert_eq!(calls.get(), 2);
}

/// A module whose export `rec(n)` calls the host import `back(n)`, which calls `rec(n - 1)`
/// again until n = 0: `n` nested invocations.
const REENTRY: &str = r#"(module
  (import "env" "back" (func $back (param i32) (result i32)))
  (memory 1)
  (func (export "rec") (param i32) (result i32)
    (local i32)
    ;; keep a value in a local and in memory across the host call
    local.get 0 i32.const 1000 i32.mul local.set 1
    i32.const 0 local.get 0 i32.store
    local.get 0 i32.eqz
    if (result i32) i32.const 0
    else
      local.get 0 i32.const 1 i32.sub call $back
      local.get 1 i32.add
    end))"#;

/// Instantiates [`REENTRY`] with a host function that calls back into the instance.
fn reentrant_instance(fail_at: Option<i32>) -> Instance {
    let slot: Rc<RefCell<Option<Instance>>> = Rc::new(RefCell::new(None));
    let s = slot.clone();
    let back = host(&[ValType::I32], &[ValType::I32], move |args, res| {
        let Val::I32(n) = args[0] else { unreachable!() };
        if Some(n) == fail_at {
            return Err(Error::Host(HostError(Box::new(Thrown(n as u32)))));
        }
        let inst = s.borrow().clone().expect("instance set");
        let mut r = Vec::new();
        func(&inst, "rec").call(&[Val::I32(n)], &mut r)?;
        res.extend(r);
        Ok(())
    });
    let inst = instance_with(REENTRY, &[back]);
    *slot.borrow_mut() = Some(inst.clone());
    inst
}

#[test]
fn host_functions_can_reenter_wasm() {
    let inst = reentrant_instance(None);
    // rec(n) = 1000 * (n + (n-1) + ... + 1)
    assert_eq!(call_i32(&inst, "rec", &[Val::I32(50)]), 1000 * 50 * 51 / 2);
    // An error deep inside nested invocations reaches the outermost caller unchanged.
    let inst = reentrant_instance(Some(3));
    match call(&inst, "rec", &[Val::I32(40)]) {
        Err(Error::Host(HostError(p))) => assert_eq!(p.downcast_ref::<Thrown>(), Some(&Thrown(3))),
        other => panic!("expected the host error, got {other:?}"),
    }
    // And the engine is usable afterwards.
    assert_eq!(call_i32(&inst, "rec", &[Val::I32(2)]), 1000 * 3);
}

#[test]
fn nested_reentry_is_bounded() {
    // Unbounded host → wasm → host recursion ends with StackOverflow rather than a crash. Runs
    // on a thread with a big native stack so the limit is the engine's, not the thread's.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let inst = reentrant_instance(None);
            let r = call(&inst, "rec", &[Val::I32(1_000_000)]);
            let code = trap_of(r);
            // Still usable.
            (code, call_i32(&inst, "rec", &[Val::I32(3)]))
        })
        .unwrap();
    let (code, after) = handle.join().unwrap();
    assert_eq!(code, TrapCode::StackOverflow);
    assert_eq!(after, 6000);
}

#[test]
fn calls_into_other_instances() {
    let lib = instance(
        r#"(module
      (memory (export "mem") 1)
      (global $g (export "g") (mut i32) (i32.const 5))
      (table $t (export "tab") 2 funcref)
      (elem (i32.const 0) $peek $bump)
      (func $peek (export "peek") (param i32) (result i32) local.get 0 i32.load8_u)
      (func $bump (export "bump") (result i32)
        global.get $g i32.const 1 i32.add global.set $g
        i32.const 1 memory.grow drop
        global.get $g))"#,
    );
    let imports = [
        lib.export("peek").unwrap(),
        lib.export("bump").unwrap(),
        lib.export("tab").unwrap(),
        lib.export("mem").unwrap(),
    ];
    let app = instance_with(
        r#"(module
      (import "lib" "peek" (func $peek (param i32) (result i32)))
      (import "lib" "bump" (func $bump (result i32)))
      (import "lib" "tab" (table 2 funcref))
      (import "lib" "mem" (memory 1))
      (type $peek_t (func (param i32) (result i32)))
      (type $bump_t (func (result i32)))
      (func (export "run") (result i32)
        i32.const 3 i32.const 42 i32.store8
        ;; direct call of an imported wasm function, which reads the shared memory
        i32.const 3 call $peek
        ;; the callee grows the shared memory: our cached bounds must follow
        call $bump drop
        i32.const 70000 i32.const 9 i32.store8
        i32.const 70000 i32.const 0 call_indirect (type $peek_t)
        i32.const 1 call_indirect (type $bump_t)
        memory.size
        i32.const 100 i32.mul i32.add
        i32.const 1000 i32.mul i32.add
        i32.const 1000 i32.mul i32.add))"#,
        &imports,
    );
    // peek = 42, peek(70000) = 9, bump -> g = 7, memory.size = 3
    assert_eq!(call_i32(&app, "run", &[]), ((7 + 300) * 1000 + 9) * 1000 + 42);
}

#[test]
fn call_indirect_checks() {
    let inst = instance(
        r#"(module
      (type $i (func (result i32)))
      (type $i2 (func (result i32)))
      (type $ii (func (param i32) (result i32)))
      (table 4 funcref)
      (elem (i32.const 0) $one $inc)
      (func $one (type $i) i32.const 1)
      (func $inc (type $ii) local.get 0 i32.const 1 i32.add)
      (func (export "via_same_type") (param i32) (result i32) local.get 0 call_indirect (type $i))
      (func (export "via_equal_type") (param i32) (result i32) local.get 0 call_indirect (type $i2))
      (func (export "inc") (param i32 i32) (result i32) local.get 0 local.get 1 call_indirect (type $ii)))"#,
    );
    assert_eq!(call_i32(&inst, "via_same_type", &[Val::I32(0)]), 1);
    // A structurally equal type with another index matches.
    assert_eq!(call_i32(&inst, "via_equal_type", &[Val::I32(0)]), 1);
    assert_eq!(call_i32(&inst, "inc", &[Val::I32(41), Val::I32(1)]), 42);
    assert_eq!(trap_of(call(&inst, "via_same_type", &[Val::I32(1)])), TrapCode::FuncSigMismatch);
    assert_eq!(trap_of(call(&inst, "via_same_type", &[Val::I32(2)])), TrapCode::FuncSigMismatch);
    assert_eq!(trap_of(call(&inst, "via_same_type", &[Val::I32(4)])), TrapCode::TableOutOfBounds);
    assert_eq!(trap_of(call(&inst, "via_same_type", &[Val::I32(-1)])), TrapCode::TableOutOfBounds);
}

#[test]
fn host_function_in_a_table() {
    let seen = Rc::new(Cell::new(0));
    let s = seen.clone();
    let h = host(&[ValType::I32], &[], move |args, _| {
        let Val::I32(v) = args[0] else { unreachable!() };
        s.set(v);
        Ok(())
    });
    let inst = instance_with(
        r#"(module
      (import "env" "h" (func $h (param i32)))
      (table 1 funcref)
      (elem (i32.const 0) $h)
      (func (export "run") (param i32)
        local.get 0 i32.const 0 call_indirect (param i32)))"#,
        &[h],
    );
    call_ok(&inst, "run", &[Val::I32(1234)]);
    assert_eq!(seen.get(), 1234);
}

#[test]
fn calling_exports_directly_and_host_funcs_directly() {
    let h = host(&[ValType::I32], &[ValType::I32], |args, res| {
        res.push(args[0].clone());
        Ok(())
    });
    let Extern::Func(hf) = &h else { unreachable!() };
    let mut r = Vec::new();
    hf.call(&[Val::I32(5)], &mut r).unwrap();
    assert_eq!(r, vec![Val::I32(5)]);
}

// ---- tail calls ----

#[test]
fn tail_recursion_runs_in_constant_space() {
    let inst = instance(
        r#"(module
      (func $even (export "even") (param i64) (result i32)
        local.get 0 i64.eqz
        if (result i32) i32.const 1
        else local.get 0 i64.const 1 i64.sub return_call $odd end)
      (func $odd (param i64) (result i32)
        local.get 0 i64.eqz
        if (result i32) i32.const 0
        else local.get 0 i64.const 1 i64.sub return_call $even end)
      ;; a tail callee with a larger frame than its caller, many times over
      (func $count (export "count") (param i64 i64) (result i64)
        local.get 0 i64.eqz
        if (result i64) local.get 1
        else local.get 0 i64.const 1 i64.sub local.get 1 i64.const 2 i64.add
          i32.const 0 return_call $wide end)
      (func $wide (param i64 i64 i32) (result i64)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        local.get 3 i64.eqz i32.eqz if unreachable end
        local.get 0 local.get 1 i64.const 1 i64.sub return_call $count))"#,
    );
    // Far beyond the frame limit: tail calls do not push frames.
    assert_eq!(call_i32(&inst, "even", &[Val::I64(1_000_000)]), 1);
    assert_eq!(call_i32(&inst, "even", &[Val::I64(1_000_001)]), 0);
    assert_eq!(call_i64(&inst, "count", &[Val::I64(300_000), Val::I64(0)]), 300_000);
}

#[test]
fn indirect_and_reference_tail_recursion_runs_in_constant_space() {
    let inst = instance(
        r#"(module
      (type $t (func (param i64) (result i64)))
      (table 1 funcref)
      (elem (i32.const 0) $via_table)
      (elem declare func $via_ref)
      (func $via_table (export "via_table") (type $t)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 7))
          (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
      (func $via_ref (export "via_ref") (type $t)
        (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 9))
          (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1)) (ref.func $via_ref))))))"#,
    );
    assert_eq!(call_i64(&inst, "via_table", &[Val::I64(1_000_000)]), 7);
    assert_eq!(call_i64(&inst, "via_ref", &[Val::I64(1_000_000)]), 9);
}

#[test]
fn tail_calls_move_overlapping_arguments() {
    let inst = instance(
        r#"(module
      ;; rotate the parameters: the argument span overlaps the parameters it replaces
      (func $rot (export "rot") (param i32 i32 i32 i32) (result i32 i32 i32 i32)
        local.get 3 i32.eqz
        if (result i32 i32 i32 i32)
          local.get 0 local.get 1 local.get 2 local.get 3
        else
          local.get 1 local.get 2 local.get 0 local.get 3 i32.const 1 i32.sub return_call $rot
        end)
      ;; more parameters than the caller has cells below its operand stack
      (func (export "spread") (param i32) (result i32)
        local.get 0 local.get 0 i32.const 1 i32.add local.get 0 i32.const 2 i32.add
        local.get 0 i32.const 3 i32.add local.get 0 i32.const 4 i32.add return_call $sum5)
      (func $sum5 (param i32 i32 i32 i32 i32) (result i32)
        (local i32)
        local.get 5 if unreachable end
        local.get 0 local.get 1 i32.add local.get 2 i32.add local.get 3 i32.add
        local.get 4 i32.const 10 i32.mul i32.add))"#,
    );
    let r = call_ok(&inst, "rot", &[Val::I32(1), Val::I32(2), Val::I32(3), Val::I32(4)]);
    // four rotations of (a b c) leave (b c a)
    assert_eq!(r, vec![Val::I32(2), Val::I32(3), Val::I32(1), Val::I32(0)]);
    assert_eq!(call_i32(&inst, "spread", &[Val::I32(1)]), 1 + 2 + 3 + 4 + 50);
}

#[test]
fn tail_calls_to_host_functions_return_the_host_results() {
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    let swap = host(&[ValType::I32, ValType::I64], &[ValType::I64, ValType::I32], move |args, res| {
        c.set(c.get() + 1);
        res.push(args[1].clone());
        res.push(args[0].clone());
        Ok(())
    });
    let seven = host(&[], &[ValType::F64], |_, res| {
        res.push(Val::from_f64(7.5));
        Ok(())
    });
    let inst = instance_with(
        r#"(module
      (import "env" "swap" (func $swap (param i32 i64) (result i64 i32)))
      (import "env" "seven" (func $seven (result f64)))
      (type $s (func (param i32 i64) (result i64 i32)))
      (table 2 funcref)
      (elem (i32.const 0) $swap $seven)
      (func (export "direct") (param i32 i64) (result i64 i32)
        (local i32 i32 i32)
        local.get 0 local.get 1 return_call $swap)
      (func (export "indirect") (param i32 i64) (result i64 i32)
        local.get 0 local.get 1 i32.const 0 return_call_indirect (type $s))
      (func (export "single") (result f64) return_call $seven)
      ;; the tail call's results reach a caller that called normally
      (func (export "outer") (result f64) call $inner f64.const 1 f64.add)
      (func $inner (result f64) i32.const 1 return_call_indirect (result f64)))"#,
        &[swap, seven],
    );
    assert_eq!(call_ok(&inst, "direct", &[Val::I32(3), Val::I64(4)]), vec![Val::I64(4), Val::I32(3)]);
    assert_eq!(call_ok(&inst, "indirect", &[Val::I32(5), Val::I64(6)]), vec![Val::I64(6), Val::I32(5)]);
    assert_eq!(calls.get(), 2);
    assert_eq!(call_ok(&inst, "single", &[]), vec![Val::from_f64(7.5)]);
    assert_eq!(call_ok(&inst, "outer", &[]), vec![Val::from_f64(8.5)]);
}

#[test]
fn tail_calls_into_other_instances() {
    let lib = instance(
        r#"(module
      (memory (export "mem") 1)
      (table (export "tab") 1 funcref)
      (elem (i32.const 0) $peek)
      (func $peek (export "peek") (param i32 i32) (result i32)
        local.get 0 i32.load8_u local.get 1 i32.add))"#,
    );
    let imports = [lib.export("peek").unwrap(), lib.export("tab").unwrap()];
    let app = instance_with(
        r#"(module
      (import "lib" "peek" (func $peek (param i32 i32) (result i32)))
      (import "lib" "tab" (table 1 funcref))
      (memory 1)
      (data (i32.const 0) "\07")
      (func (export "direct") (result i32) i32.const 0 i32.const 100 return_call $peek)
      (func (export "indirect") (result i32) i32.const 0 i32.const 200 i32.const 0 return_call_indirect (param i32 i32) (result i32))
      ;; after a normal call returns from a tail-called function of the other instance, this
      ;; instance's memory is in use again
      (func (export "mixed") (result i32) call $t i32.const 0 i32.load8_u i32.add)
      (func $t (result i32) i32.const 0 i32.const 1000 return_call $peek))"#,
        &imports,
    );
    let Extern::Memory(m) = lib.export("mem").unwrap() else { unreachable!() };
    m.write(0, &[42]).unwrap();
    assert_eq!(call_i32(&app, "direct", &[]), 142);
    assert_eq!(call_i32(&app, "indirect", &[]), 242);
    assert_eq!(call_i32(&app, "mixed", &[]), 1049);
}

#[test]
fn return_call_indirect_checks() {
    let inst = instance(
        r#"(module
      (type $i (func (result i32)))
      (type $ii (func (param i32) (result i32)))
      (table 4 funcref)
      (elem (i32.const 0) $one $inc)
      (func $one (type $i) i32.const 1)
      (func $inc (type $ii) local.get 0 i32.const 1 i32.add)
      (func (export "call") (param i32) (result i32) local.get 0 return_call_indirect (type $i)))"#,
    );
    assert_eq!(call_i32(&inst, "call", &[Val::I32(0)]), 1);
    assert_eq!(trap_of(call(&inst, "call", &[Val::I32(1)])), TrapCode::FuncSigMismatch);
    assert_eq!(trap_of(call(&inst, "call", &[Val::I32(2)])), TrapCode::FuncSigMismatch);
    assert_eq!(trap_of(call(&inst, "call", &[Val::I32(4)])), TrapCode::TableOutOfBounds);
    assert_eq!(TrapCode::FuncSigMismatch.message(), "null function or function signature mismatch");
}

#[test]
fn many_calls_into_other_instances_do_not_grow_the_native_stack() {
    let lib = instance(
        r#"(module
      (table (export "tab") 1 funcref)
      (elem (i32.const 0) $inc)
      (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))"#,
    );
    let app = instance_with(
        r#"(module
      (type $t (func (param i32) (result i32)))
      (import "lib" "inc" (func $inc (type $t)))
      (import "lib" "tab" (table 1 funcref))
      (elem declare func $inc)
      (func (export "loop") (param i32) (result i32)
        (local $acc i32)
        (loop $l
          (local.set $acc (call $inc (local.get $acc)))
          (local.set $acc (call_indirect (type $t) (local.get $acc) (i32.const 0)))
          (local.set $acc (call_ref $t (local.get $acc) (ref.func $inc)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get $acc)))"#,
        &[lib.export("inc").unwrap(), lib.export("tab").unwrap()],
    );
    assert_eq!(call_i32(&app, "loop", &[Val::I32(300_000)]), 900_000);
}

#[test]
fn nested_reentry_on_a_small_native_stack_is_a_stack_overflow() {
    // Issue #11: the guard on re-entry reads the thread's real stack bounds, so a thread with a
    // small stack (a Node Worker's, say) gets StackOverflow, never a crash, well before the
    // count limit.
    for stack in [512 << 10, 1 << 20, 4 << 20] {
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(|| {
                let inst = reentrant_instance(None);
                let code = trap_of(call(&inst, "rec", &[Val::I32(1_000_000)]));
                // Still usable, and moderate depths still work.
                (code, call_i32(&inst, "rec", &[Val::I32(3)]), call_i32(&inst, "rec", &[Val::I32(100)]))
            })
            .unwrap();
        let (code, small, hundred) = handle.join().unwrap();
        assert_eq!(code, TrapCode::StackOverflow, "stack of {stack} bytes");
        assert_eq!((small, hundred), (6000, 1000 * 100 * 101 / 2));
    }
}
