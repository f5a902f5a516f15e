//! Multi-memory, memory64 and threads through the engine, beyond what the spec testsuite
//! covers: atomics from two threads on one shared memory, wait/notify wake-ups and timeouts,
//! `memory.copy` between (and within) non-zero memories, 64-bit addresses near and beyond 4 GiB.

mod engine_util;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use engine_util::*;
use jitless_wasm_core::{Extern, Limits, Memory, MemoryType, Module, TrapCode, Val};

fn shared_memory(min: u64, max: u64) -> Memory {
    Memory::new(MemoryType { limits: Limits { min, max: Some(max) }, shared: true, memory64: false }).unwrap()
}

const ATOMICS: &str = r#"(module
  (import "env" "mem" (memory 1 1 shared))
  (func (export "add_many") (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "cas_many") (param $n i32) (local $old i32)
    ;; increments the i64 at 8 with a compare-exchange loop
    (loop $l
      (block $retry
        (local.set $old (i32.wrap_i64 (i64.atomic.load (i32.const 8))))
        (br_if $retry (i64.ne
          (i64.atomic.rmw.cmpxchg (i32.const 8) (i64.extend_i32_u (local.get $old))
            (i64.extend_i32_u (i32.add (local.get $old) (i32.const 1))))
          (i64.extend_i32_u (local.get $old))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1))))
      (br_if $l (local.get $n))))
  (func (export "get") (result i32) (i32.atomic.load (i32.const 0)))
  (func (export "get64") (result i64) (i64.atomic.load (i32.const 8)))
  (func (export "wait") (param $expected i32) (param $timeout i64) (result i32)
    (memory.atomic.wait32 (i32.const 64) (local.get $expected) (local.get $timeout)))
  (func (export "notify") (param $count i32) (result i32)
    (memory.atomic.notify (i32.const 64) (local.get $count)))
  (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2))))"#;

#[test]
fn atomics_from_two_threads_do_not_lose_updates() {
    let bytes = jitless_wasm_core::text::wat_to_wasm(ATOMICS).unwrap();
    let module = Module::new(&bytes).unwrap();
    let mem = shared_memory(1, 1);
    let shared = mem.share().expect("a shared memory can be shared");
    const N: i32 = 20_000;
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (module, shared) = (module.clone(), shared.clone());
            std::thread::spawn(move || {
                let inst = jitless_wasm_core::Instance::new(&module, &[Extern::Memory(shared.memory())]).unwrap();
                call_ok(&inst, "add_many", &[Val::I32(N)]);
                call_ok(&inst, "cas_many", &[Val::I32(N)]);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let inst = instance_with(ATOMICS, &[Extern::Memory(mem)]);
    assert_eq!(call_i32(&inst, "get", &[]), 2 * N);
    assert_eq!(call_i64(&inst, "get64", &[]), 2 * N as i64);
    assert_eq!(trap_of(call(&inst, "unaligned", &[])), TrapCode::UnalignedAtomic);
}

#[test]
fn notify_wakes_a_waiter_on_another_thread() {
    let bytes = jitless_wasm_core::text::wat_to_wasm(ATOMICS).unwrap();
    let module = Module::new(&bytes).unwrap();
    let mem = shared_memory(1, 1);
    let shared = mem.share().unwrap();
    let started = Arc::new(AtomicBool::new(false));
    let flag = started.clone();
    let waiter = std::thread::spawn(move || {
        let inst = jitless_wasm_core::Instance::new(&module, &[Extern::Memory(shared.memory())]).unwrap();
        flag.store(true, Ordering::SeqCst);
        // Up to 20 s; a notify ends it early with 0 ("ok").
        call_i32(&inst, "wait", &[Val::I32(0), Val::I64(20_000_000_000)])
    });
    let inst = instance_with(ATOMICS, &[Extern::Memory(mem)]);
    while !started.load(Ordering::SeqCst) {
        std::thread::yield_now();
    }
    let t0 = Instant::now();
    // The waiter may not be parked yet: notify until one thread is woken.
    loop {
        let woken = call_i32(&inst, "notify", &[Val::I32(1)]);
        assert!(woken <= 1);
        if woken == 1 {
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "the waiter never parked");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(waiter.join().unwrap(), 0);
    assert!(t0.elapsed() < Duration::from_secs(10));
}

#[test]
fn wait_times_out_or_sees_another_value() {
    let inst = instance_with(ATOMICS, &[Extern::Memory(shared_memory(1, 1))]);
    let t0 = Instant::now();
    assert_eq!(call_i32(&inst, "wait", &[Val::I32(0), Val::I64(30_000_000)]), 2);
    assert!(t0.elapsed() >= Duration::from_millis(30));
    assert_eq!(call_i32(&inst, "wait", &[Val::I32(1), Val::I64(-1)]), 1, "not-equal returns at once");
    assert_eq!(call_i32(&inst, "notify", &[Val::I32(5)]), 0, "nobody waits");
}

#[test]
fn wait_on_an_unshared_memory_traps() {
    let inst = instance(
        r#"(module (memory 1)
          (func (export "wait") (result i32) (memory.atomic.wait64 (i32.const 0) (i64.const 0) (i64.const 0)))
          (func (export "notify") (result i32) (memory.atomic.notify (i32.const 0) (i32.const 1))))"#,
    );
    assert_eq!(trap_of(call(&inst, "wait", &[])), TrapCode::WaitOnUnsharedMemory);
    assert_eq!(call_i32(&inst, "notify", &[]), 0);
}

#[test]
fn copy_between_and_within_memories() {
    let inst = instance(
        r#"(module
          (memory $a 1) (memory $b 1 2)
          (data (memory $a) (i32.const 0) "abcdefgh")
          (func (export "a_to_b") (param i32 i32 i32) (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
          (func (export "b_to_b") (param i32 i32 i32) (memory.copy $b $b (local.get 0) (local.get 1) (local.get 2)))
          (func (export "b8") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
          (func (export "grow_b") (result i32) (memory.grow $b (i32.const 1)))
          (func (export "sizes") (result i32 i32) (memory.size $a) (memory.size $b)))"#,
    );
    let b = |at: i32| call_i32(&inst, "b8", &[Val::I32(at)]) as u8;
    call_ok(&inst, "a_to_b", &[Val::I32(10), Val::I32(0), Val::I32(8)]);
    assert_eq!((10..18).map(b).collect::<Vec<_>>(), b"abcdefgh");
    // Overlapping forwards and backwards within memory 1 (memmove semantics).
    call_ok(&inst, "b_to_b", &[Val::I32(12), Val::I32(10), Val::I32(8)]);
    assert_eq!((10..20).map(b).collect::<Vec<_>>(), b"ababcdefgh");
    call_ok(&inst, "b_to_b", &[Val::I32(10), Val::I32(12), Val::I32(8)]);
    assert_eq!((10..18).map(b).collect::<Vec<_>>(), b"abcdefgh");
    // Out of bounds in the destination: nothing is written.
    assert_eq!(trap_of(call(&inst, "a_to_b", &[Val::I32(65_535), Val::I32(0), Val::I32(2)])), TrapCode::MemOutOfBounds);
    assert_eq!(b(65_535), 0);
    // Memory 1 grows on its own; the copy then fits.
    assert_eq!(call_i32(&inst, "grow_b", &[]), 1);
    assert_eq!(call_ok(&inst, "sizes", &[]), vec![Val::I32(1), Val::I32(2)]);
    call_ok(&inst, "a_to_b", &[Val::I32(65_535), Val::I32(0), Val::I32(2)]);
    assert_eq!((b(65_535), b(65_536)), (b'a', b'b'));
    assert_eq!(call_i32(&inst, "grow_b", &[]), -1);
}

#[test]
fn memory64_addresses_near_and_beyond_4_gib() {
    // 65,537 pages: one page past 4 GiB (address space is reserved, only touched pages cost).
    let inst = instance(
        r#"(module
          (memory i64 65537 65537)
          (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
          (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
          (func (export "load_off") (param i64) (result i64) (i64.load offset=0xffffffffffffff00 (local.get 0)))
          (func (export "size") (result i64) (memory.size))
          (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
          (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))"#,
    );
    let end = 65_537i64 * 65_536;
    call_ok(&inst, "store", &[Val::I64(1 << 32), Val::I64(0x1122_3344_5566_7788)]);
    assert_eq!(call_i64(&inst, "load", &[Val::I64(1 << 32)]), 0x1122_3344_5566_7788);
    call_ok(&inst, "store", &[Val::I64(end - 8), Val::I64(-1)]);
    assert_eq!(call_i64(&inst, "load", &[Val::I64(end - 8)]), -1);
    assert_eq!(trap_of(call(&inst, "load", &[Val::I64(end - 7)])), TrapCode::MemOutOfBounds);
    // A 32-bit wrap of the address would land in bounds: it must not.
    assert_eq!(trap_of(call(&inst, "load", &[Val::I64((1 << 33) + 8)])), TrapCode::MemOutOfBounds);
    // Address + offset overflows 64 bits: a trap, not a wrap to a small address.
    assert_eq!(trap_of(call(&inst, "load_off", &[Val::I64(0x200)])), TrapCode::MemOutOfBounds);
    assert_eq!(trap_of(call(&inst, "load", &[Val::I64(-8)])), TrapCode::MemOutOfBounds);
    assert_eq!(call_i64(&inst, "size", &[]), 65_537);
    assert_eq!(call_i64(&inst, "grow", &[Val::I64(1)]), -1, "the declared maximum");
    assert_eq!(call_i64(&inst, "grow", &[Val::I64(i64::MAX)]), -1);
    call_ok(&inst, "fill", &[Val::I64(end - 4), Val::I32(0xab), Val::I64(4)]);
    assert_eq!(call_i64(&inst, "load", &[Val::I64(end - 8)]) as u64, 0xabab_abab_ffff_ffff);
    assert_eq!(trap_of(call(&inst, "fill", &[Val::I64(end - 4), Val::I32(0), Val::I64(5)])), TrapCode::MemOutOfBounds);
    assert_eq!(
        trap_of(call(&inst, "fill", &[Val::I64(8), Val::I32(0), Val::I64(u64::MAX as i64)])),
        TrapCode::MemOutOfBounds
    );
}

#[test]
fn memory64_without_a_maximum_grows_to_16_gib_at_most() {
    let inst = instance(
        r#"(module (memory i64 1)
          (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))"#,
    );
    assert_eq!(call_i64(&inst, "grow", &[Val::I64(262_144)]), -1);
    assert_eq!(call_i64(&inst, "grow", &[Val::I64(1 << 48)]), -1);
    assert_eq!(call_i64(&inst, "grow", &[Val::I64(2)]), 1);
}
