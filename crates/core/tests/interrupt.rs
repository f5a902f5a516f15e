//! Interrupting running wasm from another thread (`InterruptHandle`), the interrupt hook and
//! the watchdog: every kind of long-running code stops with `TrapCode::Interrupted`, and the
//! instance stays usable afterwards.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use engine_util::{call, instance};
use jitless_wasm_core::runtime::{set_interrupt_hook, start_watchdog, InterruptHandle, INTERRUPT_POLL};
use jitless_wasm_core::{Error, Extern, Instance, TrapCode, Val};

mod engine_util;

const MODULE: &str = r#"(module
  (memory (export "mem") 1100)
  (table $t 200000 funcref)
  (elem declare func $spin)
  (func $spin (export "spin") (loop $l (br $l)))
  (func (export "spin_latch") (local i32)
    (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br_if $l (i32.ne (local.get 0) (i32.const -1))))
    (loop $m (br $m)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $tail (export "tail") (param i32) (return_call $tail (i32.add (local.get 0) (i32.const 1))))
  (func (export "br_table") (local i32)
    (loop $l (block $b (br_table $l $b (local.get 0)))))
  (func (export "fill") (memory.fill (i32.const 0) (i32.const 7) (i32.const 0x4000000)))
  (func (export "copy") (memory.copy (i32.const 1) (i32.const 0) (i32.const 0x4000000)))
  (func (export "table_fill") (table.fill $t (i32.const 0) (ref.func $spin) (i32.const 200000)))
  (func (export "table_copy") (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 199999)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; a loop run by one instruction (`StoreImmLoop`) that never ends: a step of 0
  (func (export "store_loop") (param $step i32) (local $j i32)
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $j) (i32.const 16)))
      (i32.store8 (local.get $j) (i32.const 0))
      (local.set $j (i32.add (local.get $j) (local.get $step)))
      (br $l))))
)"#;

const WAIT: &str = r#"(module
  (memory 1 1 shared)
  (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
  (func (export "wait_timeout") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 30000000)))
)"#;

#[track_caller]
fn assert_interrupted(r: Result<Vec<Val>, Error>) {
    match r {
        Err(Error::Trap(t)) => assert_eq!(t.code, TrapCode::Interrupted),
        other => panic!("expected an Interrupted trap, got {other:?}"),
    }
}

/// Calls `name` on a fresh instance of `text` on this thread while another thread interrupts
/// it after 30 ms; returns how long the call took.
fn interrupted_from_another_thread(text: &str, name: &str, args: &[Val]) -> (Instance, Duration) {
    let inst = instance(text);
    let handle = InterruptHandle::current();
    let (tx, rx) = mpsc::channel::<()>();
    let killer = thread::spawn(move || {
        rx.recv().unwrap();
        // Wait until the call is running, then interrupt it.
        while !handle.is_running() {
            thread::yield_now();
        }
        thread::sleep(Duration::from_millis(30));
        handle.interrupt();
    });
    tx.send(()).unwrap();
    let start = Instant::now();
    assert_interrupted(call(&inst, name, args));
    let took = start.elapsed();
    killer.join().unwrap();
    (inst, took)
}

#[test]
fn loops_stop_and_the_instance_stays_usable() {
    for name in ["spin", "spin_latch", "br_table"] {
        let (inst, took) = interrupted_from_another_thread(MODULE, name, &[]);
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
        assert_eq!(call(&inst, "add", &[Val::I32(2), Val::I32(3)]).unwrap(), vec![Val::I32(5)]);
    }
    let (inst, took) = interrupted_from_another_thread(MODULE, "store_loop", &[Val::I32(0)]);
    assert!(took < Duration::from_secs(10), "store_loop: {took:?}");
    assert_eq!(call(&inst, "add", &[Val::I32(2), Val::I32(3)]).unwrap(), vec![Val::I32(5)]);
}

#[test]
fn recursion_and_tail_calls_stop() {
    // fib(60) makes ~10^12 calls and no loop iteration.
    let (inst, _) = interrupted_from_another_thread(MODULE, "fib", &[Val::I32(60)]);
    assert_eq!(call(&inst, "fib", &[Val::I32(10)]).unwrap(), vec![Val::I32(55)]);
    let (inst, _) = interrupted_from_another_thread(MODULE, "tail", &[Val::I32(0)]);
    assert_eq!(call(&inst, "add", &[Val::I32(1), Val::I32(1)]).unwrap(), vec![Val::I32(2)]);
}

#[test]
fn infinite_wait_stops() {
    let (inst, _) = interrupted_from_another_thread(WAIT, "wait", &[]);
    // The waiter left the queue: a bounded wait afterwards times out normally.
    assert_eq!(call(&inst, "wait_timeout", &[]).unwrap(), vec![Val::I32(2)]);
}

#[test]
fn bulk_operations_check_between_chunks() {
    // A request made while no wasm runs is seen at the next check: inside the bulk operation
    // itself here (the functions have no branch and no call).
    let inst = instance(MODULE);
    let handle = InterruptHandle::current();
    for name in ["fill", "copy", "table_fill", "table_copy"] {
        handle.interrupt();
        assert_interrupted(call(&inst, name, &[]));
        // Taken by the trap: the next call runs to completion.
        call(&inst, name, &[]).unwrap();
    }
    let Some(Extern::Memory(mem)) = inst.export("mem") else { panic!("no memory") };
    let mut bytes = [0u8; 2];
    mem.read(0x3ff_fffe, &mut bytes).unwrap();
    assert_eq!(bytes, [7, 7]);
}

#[test]
fn the_hook_decides_on_poll() {
    let inst = instance(MODULE);
    let polls = Rc::new(Cell::new(0));
    let seen = polls.clone();
    // Continue twice, stop on the third poll.
    set_interrupt_hook(Some(Rc::new(move || {
        seen.set(seen.get() + 1);
        seen.get() >= 3
    })));
    let handle = InterruptHandle::current();
    let poller = thread::spawn(move || {
        for _ in 0..200 {
            thread::sleep(Duration::from_millis(5));
            handle.request(INTERRUPT_POLL);
        }
    });
    assert_interrupted(call(&inst, "spin", &[]));
    assert_eq!(polls.get(), 3);
    set_interrupt_hook(None);
    poller.join().unwrap();
    // Leftover poll bits without a hook do not stop anything.
    assert_eq!(call(&inst, "fib", &[Val::I32(15)]).unwrap(), vec![Val::I32(610)]);
}

#[test]
fn the_watchdog_polls_hooked_threads() {
    let worker = thread::spawn(|| {
        let inst = instance(MODULE);
        let polls = Rc::new(Cell::new(0u32));
        let seen = polls.clone();
        // Stops on every fifth poll.
        set_interrupt_hook(Some(Rc::new(move || {
            seen.set(seen.get() + 1);
            seen.get().is_multiple_of(5)
        })));
        start_watchdog();
        let start = Instant::now();
        assert_interrupted(call(&inst, "spin_latch", &[]));
        let took = start.elapsed();
        assert_eq!(polls.get(), 5);
        // A wait is polled too. (After a stop the hook is asked again at the next check.)
        let waits = instance(WAIT);
        assert_interrupted(call(&waits, "wait", &[]));
        assert_eq!(polls.get(), 10);
        set_interrupt_hook(None);
        took
    });
    let took = worker.join().unwrap();
    // Five polls, one per watchdog period (10 ms): generous bounds for a loaded machine.
    assert!(took >= Duration::from_millis(30), "{took:?}");
    assert!(took < Duration::from_secs(20), "{took:?}");
}
