//! JS Promise Integration in the core: promising invocations suspended by a host function and
//! resumed later (results, exceptions at the call site, traps), the permit rules (no promising
//! invocation, frames in between), many suspended segments at once, re-entry while suspended,
//! and what dropping a suspended invocation releases.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jitless_wasm_core::engine::{call_promising, request_suspend, take_suspend_permit, SuspendRefusal, Suspension};
use jitless_wasm_core::runtime::InterruptHandle;
use jitless_wasm_core::{Error, Exn, Extern, FuncRef, FuncType, HostFunc, Tag, TrapCode, Val, ValType};

mod engine_util;
use engine_util::{func, instance_with as instance};

/// A suspending host function: takes the permit, records the outcome, and (when permitted)
/// suspends with its first argument as the payload.
struct Suspends {
    refusals: Rc<RefCell<Vec<SuspendRefusal>>>,
    /// Runs before the permit is used (to call wasm again from "JS").
    inner: Option<Box<dyn Fn()>>,
}

impl HostFunc for Suspends {
    fn call(&self, args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
        // The permit is keyed by the host object's address.
        let permit = take_suspend_permit(self as *const Self as *const () as usize);
        if let Some(inner) = &self.inner {
            inner();
        }
        match permit {
            Ok(()) => {
                request_suspend(Box::new(args.first().cloned()));
                Ok(())
            }
            Err(r) => {
                self.refusals.borrow_mut().push(r);
                Err(TrapCode::Unreachable.into())
            }
        }
    }
}

struct Fixture {
    suspend: FuncRef,
    refusals: Rc<RefCell<Vec<SuspendRefusal>>>,
}

fn suspending(params: &[ValType], results: &[ValType], inner: Option<Box<dyn Fn()>>) -> Fixture {
    let refusals = Rc::new(RefCell::new(Vec::new()));
    let host = Suspends { refusals: refusals.clone(), inner };
    let suspend = FuncRef::host(FuncType::new(params.to_vec(), results.to_vec()), host);
    Fixture { suspend, refusals }
}

const LOOP: &str = r#"(module
  (import "m" "await" (func $await (param i32) (result i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $add (param i32) (result i32)
    (i32.add (call $await (local.get 0)) (i32.const 1000)))
  ;; sum of await(i) + 1000 for i in 0..n, through a nested call
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $out (loop $l
      (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (call $add (local.get $i))))
      (global.set $g (local.get $s))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "plain") (result i32) (call $await (i32.const 5))))"#;

/// Resumes `s` with `f(payload)` until the invocation finishes.
fn run_to_end(mut s: Option<Suspension>, results: &mut Vec<Val>, f: impl Fn(i32) -> i32) -> (Result<(), Error>, usize) {
    let mut rounds = 0;
    while let Some(Suspension { payload, continuation }) = s {
        rounds += 1;
        let Some(Val::I32(x)) = *payload.downcast::<Option<Val>>().expect("our payload") else { panic!() };
        assert_eq!(continuation.result_types(), &[ValType::I32]);
        match continuation.resume(Ok(vec![Val::I32(f(x))]), results) {
            Ok(next) => s = next,
            Err(e) => return (Err(e), rounds),
        }
    }
    (Ok(()), rounds)
}

#[test]
fn promising_invocation_suspends_at_each_await_and_resumes_with_the_results() {
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(LOOP, &[Extern::Func(fx.suspend.clone())]);
    let mut results = Vec::new();
    let s = call_promising(&func(&inst, "sum"), &[Val::I32(10)], &mut results).unwrap();
    assert!(s.is_some(), "suspended at the first await");
    // A suspended stack does not leave the thread marked as running wasm (the watchdog idles).
    assert!(!InterruptHandle::current().is_running());
    assert!(results.is_empty());
    let (r, rounds) = run_to_end(s, &mut results, |x| x * 2);
    r.unwrap();
    assert_eq!(rounds, 10);
    assert_eq!(results, vec![Val::I32((0..10).map(|i| i * 2 + 1000).sum())]);
}

#[test]
fn suspending_without_a_promising_invocation_is_refused() {
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(LOOP, &[Extern::Func(fx.suspend.clone())]);
    let mut results = Vec::new();
    let r = func(&inst, "plain").call(&[], &mut results);
    assert!(matches!(r, Err(Error::Trap(t)) if t.code == TrapCode::Unreachable));
    assert_eq!(*fx.refusals.borrow(), vec![SuspendRefusal::NoPromising]);
}

#[test]
fn suspending_with_frames_in_between_is_refused() {
    // promising(outer) → host "js" → plain call of inner → suspending import: JS frames.
    let inner_slot: Rc<RefCell<Option<FuncRef>>> = Rc::default();
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    struct Js(Rc<RefCell<Option<FuncRef>>>);
    impl HostFunc for Js {
        fn call(&self, _args: &[Val], results: &mut Vec<Val>) -> Result<(), Error> {
            let f = self.0.borrow().clone().unwrap();
            f.call(&[], results)
        }
    }
    let js = FuncRef::host(FuncType::new([], [ValType::I32]), Js(inner_slot.clone()));
    let inst = instance(
        r#"(module (import "m" "await" (func $await (param i32) (result i32)))
             (import "m" "js" (func $js (result i32)))
             (func (export "outer") (result i32) (call $js))
             (func (export "inner") (result i32) (call $await (i32.const 1))))"#,
        &[Extern::Func(fx.suspend.clone()), Extern::Func(js)],
    );
    *inner_slot.borrow_mut() = Some(func(&inst, "inner"));
    let mut results = Vec::new();
    let r = call_promising(&func(&inst, "outer"), &[], &mut results);
    assert!(matches!(r, Err(Error::Trap(t)) if t.code == TrapCode::Unreachable));
    assert_eq!(*fx.refusals.borrow(), vec![SuspendRefusal::JsFrames]);
    *inner_slot.borrow_mut() = None;
}

#[test]
fn a_suspending_function_cannot_pass_its_permit_to_nested_calls() {
    // The suspending function itself calls wasm that calls it again: the nested call is refused
    // (JS frames), the outer one suspends.
    let slot: Rc<RefCell<Option<FuncRef>>> = Rc::default();
    let slot2 = slot.clone();
    let inner = Box::new(move || {
        let f = slot2.borrow_mut().take();
        if let Some(f) = f {
            let mut r = Vec::new();
            assert!(f.call(&[], &mut r).is_err());
        }
    });
    let fx = suspending(&[ValType::I32], &[ValType::I32], Some(inner));
    let inst = instance(LOOP, &[Extern::Func(fx.suspend.clone())]);
    *slot.borrow_mut() = Some(func(&inst, "plain"));
    let mut results = Vec::new();
    let s = call_promising(&func(&inst, "plain"), &[], &mut results).unwrap();
    assert_eq!(*fx.refusals.borrow(), vec![SuspendRefusal::JsFrames]);
    let (r, rounds) = run_to_end(s, &mut results, |x| x + 1);
    r.unwrap();
    assert_eq!((rounds, results), (1, vec![Val::I32(6)]));
}

#[test]
fn an_exception_at_resumption_is_thrown_at_the_call_site_and_caught_there() {
    let tag = Tag::new(FuncType::new([ValType::I32], []));
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(
        r#"(module (import "m" "await" (func $await (param i32) (result i32)))
             (import "m" "t" (tag $t (param i32)))
             (func (export "caught") (result i32)
               (block $h (result i32)
                 (try_table (result i32) (catch $t $h) (call $await (i32.const 1)))
                 (return))
               (i32.add (i32.const 100)))
             (func (export "uncaught") (result i32) (call $await (i32.const 1))))"#,
        &[Extern::Func(fx.suspend.clone()), Extern::Tag(tag.clone())],
    );
    for (name, expect_caught) in [("caught", true), ("uncaught", false)] {
        let mut results = Vec::new();
        let s = call_promising(&func(&inst, name), &[], &mut results).unwrap().expect("suspends");
        let exn = Exn::new(tag.clone(), vec![Val::I32(7)]);
        let r = s.continuation.resume(Err(Error::Exception(exn.clone())), &mut results);
        if expect_caught {
            assert!(r.unwrap().is_none());
            assert_eq!(results, vec![Val::I32(107)]);
        } else {
            assert!(matches!(r, Err(Error::Exception(e)) if Exn::ptr_eq(&e, &exn)));
        }
    }
}

#[test]
fn a_trap_after_resumption_unwinds_the_segment() {
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(
        r#"(module (import "m" "await" (func $await (param i32) (result i32)))
             (func (export "t") (result i32) (drop (call $await (i32.const 1))) unreachable))"#,
        &[Extern::Func(fx.suspend.clone())],
    );
    let mut results = Vec::new();
    let s = call_promising(&func(&inst, "t"), &[], &mut results).unwrap();
    let (r, _) = run_to_end(s, &mut results, |x| x);
    assert!(matches!(r, Err(Error::Trap(t)) if t.code == TrapCode::Unreachable && !t.backtrace.is_empty()));
}

#[test]
fn many_segments_suspended_at_once_and_reentry_meanwhile() {
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(LOOP, &[Extern::Func(fx.suspend.clone())]);
    let sum = func(&inst, "sum");
    let mut pending = Vec::new();
    for _ in 0..2000 {
        let mut r = Vec::new();
        pending.push(call_promising(&sum, &[Val::I32(3)], &mut r).unwrap().expect("suspends"));
    }
    // Re-entry while 2,000 invocations are suspended: a plain synchronous call of another export
    // works (and, not promising, may not suspend).
    let add =
        instance(r#"(module (func (export "f") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#, &[]);
    let mut r = Vec::new();
    func(&add, "f").call(&[Val::I32(14)], &mut r).unwrap();
    assert_eq!(r, vec![Val::I32(42)]);
    // Resume them in reverse order, each to its end.
    for s in pending.into_iter().rev() {
        let mut results = Vec::new();
        let (r, rounds) = run_to_end(Some(s), &mut results, |x| x);
        r.unwrap();
        assert_eq!((rounds, results), (3, vec![Val::I32(3 + 3000)]));
    }
}

#[test]
fn dropping_a_suspended_invocation_releases_what_it_holds() {
    /// A host function that records its drop (it lives as long as the instance importing it).
    struct Marker(Rc<Cell<bool>>);
    impl HostFunc for Marker {
        fn call(&self, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
            Ok(())
        }
    }
    impl Drop for Marker {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Rc::new(Cell::new(false));
    let marker = FuncRef::host(FuncType::new([], []), Marker(dropped.clone()));
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let inst = instance(
        r#"(module (import "m" "await" (func $await (param i32) (result i32))) (import "m" "mark" (func $mark))
             (func (export "t") (result i32) (call $mark) (call $await (i32.const 1))))"#,
        &[Extern::Func(fx.suspend.clone()), Extern::Func(marker)],
    );
    let t = func(&inst, "t");
    let mut results = Vec::new();
    let s = call_promising(&t, &[], &mut results).unwrap().expect("suspends");
    drop((t, inst));
    assert!(!dropped.get(), "the suspended segment keeps its instance alive");
    drop(s);
    assert!(dropped.get(), "dropping the suspended invocation released its instance");
    // The thread's own stack is unaffected.
    let inst = instance(LOOP, &[Extern::Func(fx.suspend.clone())]);
    let s = call_promising(&func(&inst, "plain"), &[], &mut results).unwrap();
    let (r, _) = run_to_end(s, &mut results, |x| x);
    r.unwrap();
    assert_eq!(results, vec![Val::I32(5)]);
}

#[test]
fn promising_a_host_function_suspends_on_it() {
    let fx = suspending(&[ValType::I32], &[ValType::I32], None);
    let mut results = Vec::new();
    let s = call_promising(&fx.suspend, &[Val::I32(9)], &mut results).unwrap();
    let (r, rounds) = run_to_end(s, &mut results, |x| x * 3);
    r.unwrap();
    assert_eq!((rounds, results), (1, vec![Val::I32(27)]));
}
