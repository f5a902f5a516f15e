//! Exception handling through the public API: tags (host tags, imports, exports, identity, link
//! errors), uncaught exceptions leaving `call`, and exceptions thrown by host functions (caught by
//! tag or by `catch_all`, rethrown by identity; uncatchable host errors and traps pass through).

use std::cell::RefCell;
use std::rc::Rc;

use jitless_wasm_core::{
    Error, Exn, Extern, ExternType, FuncRef, FuncType, HostError, HostFunc, ImportMismatch, Instance, LinkError,
    Module, Tag, TrapCode, Val, ValType,
};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module compiles")
}

fn func(instance: &Instance, name: &str) -> FuncRef {
    match instance.export(name) {
        Some(Extern::Func(f)) => f,
        other => panic!("no exported function {name}: {other:?}"),
    }
}

fn call(f: &FuncRef, args: &[Val]) -> Result<Vec<Val>, Error> {
    let mut results = Vec::new();
    f.call(args, &mut results).map(|()| results)
}

/// A host function that fails with the error `make` returns.
struct Fails(Box<dyn Fn() -> Error>);

impl HostFunc for Fails {
    fn call(&self, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
        Err((self.0)())
    }
}

fn failing(make: impl Fn() -> Error + 'static) -> FuncRef {
    FuncRef::host(FuncType::new([], []), Fails(Box::new(make)))
}

fn i32_tag() -> Tag {
    Tag::new(FuncType::new([ValType::I32], []))
}

const CATCHER: &str = r#"(module
  (import "m" "t" (tag $t (param i32)))
  (import "m" "f" (func $f))
  (func (export "by_tag") (result i32)
    try (result i32) call $f i32.const -1 catch $t end)
  (func (export "catch_all") (result i32)
    try (result i32) call $f i32.const -1 catch_all i32.const 7 end)
  (func (export "rethrow")
    try call $f catch_all rethrow 0 end)
  (func (export "throw_ref")
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $f))
      (return))
    (throw_ref)))"#;

#[test]
fn host_tags_have_identity_and_a_type() {
    let a = i32_tag();
    let b = i32_tag();
    assert!(Tag::ptr_eq(&a, &a.clone()));
    assert!(!Tag::ptr_eq(&a, &b));
    assert_eq!(a.ty().params(), &[ValType::I32]);
    assert!(a.ty().results().is_empty());
}

#[test]
fn tag_imports_exports_and_link_errors() {
    let m = module(
        r#"(module (import "m" "t" (tag $t (param i32))) (export "t" (tag $t)) (tag (export "u") (param f64)))"#,
    );
    assert_eq!(m.imports()[0].ty, ExternType::Tag(FuncType::new([ValType::I32], [])));
    assert_eq!(m.exports()[0].kind_name(), "tag");
    assert_eq!(m.export_type(&m.exports()[1]), ExternType::Tag(FuncType::new([ValType::F64], [])));
    let t = i32_tag();
    let inst = Instance::new(&m, &[Extern::Tag(t.clone())]).unwrap();
    let Some(Extern::Tag(re)) = inst.export("t") else { panic!("tag export") };
    assert!(Tag::ptr_eq(&re, &t), "an imported tag is re-exported as the same tag");
    let Some(Extern::Tag(u1)) = inst.export("u") else { panic!("tag export") };
    let Some(Extern::Tag(u2)) = inst.export("u") else { panic!("tag export") };
    assert!(Tag::ptr_eq(&u1, &u2));
    let other = Instance::new(&m, &[Extern::Tag(t)]).unwrap();
    let Some(Extern::Tag(u3)) = other.export("u") else { panic!("tag export") };
    assert!(!Tag::ptr_eq(&u1, &u3), "each instance defines its own tags");

    let wrong = Tag::new(FuncType::new([ValType::I64], []));
    match Instance::new(&m, &[Extern::Tag(wrong)]) {
        Err(Error::Link(e)) => {
            let LinkError::Import { reason, .. } = *e else { panic!("{e:?}") };
            assert!(matches!(reason, ImportMismatch::TagType { .. }), "{reason:?}")
        }
        other => panic!("expected a link error, got {other:?}"),
    }
    match Instance::new(&m, &[Extern::Func(failing(|| TrapCode::Unreachable.into()))]) {
        Err(Error::Link(e)) => assert_eq!(e.import_index(), Some(0)),
        other => panic!("expected a link error, got {other:?}"),
    }
}

#[test]
fn uncaught_wasm_exception_leaves_call_with_tag_and_payload() {
    let m = module(
        r#"(module (tag $t (export "t") (param i32 i64 f32 f64 externref))
             (func (export "throw") (param externref)
               i32.const 1 i64.const -2 f32.const 3.5 f64.const -4.25 local.get 0 throw $t))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    let Some(Extern::Tag(t)) = inst.export("t") else { panic!("tag export") };
    let ext = jitless_wasm_core::ExternRef::new(99u32);
    match call(&func(&inst, "throw"), &[Val::ExternRef(Some(ext.clone()))]) {
        Err(Error::Exception(e)) => {
            assert!(Tag::ptr_eq(e.tag(), &t));
            assert_eq!(
                e.payload(),
                &[Val::I32(1), Val::I64(-2), Val::from_f32(3.5), Val::from_f64(-4.25), Val::ExternRef(Some(ext))]
            );
        }
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[test]
fn host_exception_caught_by_tag_and_by_catch_all() {
    let t = i32_tag();
    let thrown = Exn::new(t.clone(), vec![Val::I32(41)]);
    let e2 = thrown.clone();
    let f = failing(move || Error::Exception(e2.clone()));
    let inst = Instance::new(&module(CATCHER), &[Extern::Tag(t), Extern::Func(f)]).unwrap();
    assert_eq!(call(&func(&inst, "by_tag"), &[]).unwrap(), vec![Val::I32(41)]);
    assert_eq!(call(&func(&inst, "catch_all"), &[]).unwrap(), vec![Val::I32(7)]);
    for name in ["rethrow", "throw_ref"] {
        match call(&func(&inst, name), &[]) {
            Err(Error::Exception(e)) => assert!(Exn::ptr_eq(&e, &thrown), "{name} keeps the identity"),
            other => panic!("{name}: expected the exception, got {other:?}"),
        }
    }
}

#[test]
fn host_exception_of_another_tag_only_caught_by_catch_all() {
    let other = i32_tag();
    let f = failing(move || Error::Exception(Exn::new(other.clone(), vec![Val::I32(1)])));
    let inst = Instance::new(&module(CATCHER), &[Extern::Tag(i32_tag()), Extern::Func(f)]).unwrap();
    assert!(matches!(call(&func(&inst, "by_tag"), &[]), Err(Error::Exception(_))));
    assert_eq!(call(&func(&inst, "catch_all"), &[]).unwrap(), vec![Val::I32(7)]);
}

#[test]
fn uncatchable_host_errors_and_traps_pass_through() {
    let host = failing(|| Error::Host(HostError(Box::new("boom"))));
    let inst = Instance::new(&module(CATCHER), &[Extern::Tag(i32_tag()), Extern::Func(host)]).unwrap();
    match call(&func(&inst, "catch_all"), &[]) {
        Err(Error::Host(h)) => assert_eq!(h.0.downcast_ref::<&str>(), Some(&"boom")),
        other => panic!("expected the host error, got {other:?}"),
    }
    let trap = failing(|| TrapCode::DivByZero.into());
    let inst = Instance::new(&module(CATCHER), &[Extern::Tag(i32_tag()), Extern::Func(trap)]).unwrap();
    assert_eq!(call(&func(&inst, "catch_all"), &[]).unwrap_err().trap_code(), Some(TrapCode::DivByZero));
    assert_eq!(call(&func(&inst, "throw_ref"), &[]).unwrap_err().trap_code(), Some(TrapCode::DivByZero));
}

/// A host function that calls a wasm function (a nested invocation) and returns its error.
struct Reenter(Rc<RefCell<Option<FuncRef>>>);

impl HostFunc for Reenter {
    fn call(&self, _args: &[Val], _results: &mut Vec<Val>) -> Result<(), Error> {
        let f = self.0.borrow().clone().expect("callee set");
        let mut r = Vec::new();
        f.call(&[Val::I32(5)], &mut r)
    }
}

#[test]
fn exception_from_a_nested_invocation_is_caught_outside() {
    let thrower = Instance::new(
        &module(
            r#"(module (tag $t (export "t") (param i32)) (func (export "throw") (param i32) local.get 0 throw $t))"#,
        ),
        &[],
    )
    .unwrap();
    let Some(Extern::Tag(t)) = thrower.export("t") else { panic!("tag export") };
    let slot = Rc::new(RefCell::new(Some(func(&thrower, "throw"))));
    let f = FuncRef::host(FuncType::new([], []), Reenter(slot));
    let inst = Instance::new(&module(CATCHER), &[Extern::Tag(t), Extern::Func(f)]).unwrap();
    assert_eq!(call(&func(&inst, "by_tag"), &[]).unwrap(), vec![Val::I32(5)]);
    // The engine stays usable afterwards.
    assert_eq!(call(&func(&inst, "catch_all"), &[]).unwrap(), vec![Val::I32(7)]);
}

#[test]
fn deep_unwinding_and_catching_in_many_frames() {
    let m = module(
        r#"(module (tag $t (param i32))
          (func $down (param i32) (result i32)
            local.get 0 i32.eqz
            if (result i32) i32.const 0 throw $t
            else local.get 0 i32.const 1 i32.sub call $down end)
          (func $every (param i32) (result i32)
            local.get 0 i32.eqz
            if (result i32) i32.const 0 throw $t
            else
              try (result i32) local.get 0 i32.const 1 i32.sub call $every
              catch $t i32.const 1 i32.add throw $t end
            end)
          (func (export "down") (param i32) (result i32) try (result i32) local.get 0 call $down catch $t end)
          (func (export "every") (param i32) (result i32) try (result i32) local.get 0 call $every catch $t end))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    assert_eq!(call(&func(&inst, "down"), &[Val::I32(50_000)]).unwrap(), vec![Val::I32(0)]);
    assert_eq!(call(&func(&inst, "every"), &[Val::I32(20_000)]).unwrap(), vec![Val::I32(20_000)]);
    // Deeper than the frame limit: a stack overflow trap, never caught.
    assert_eq!(
        call(&func(&inst, "every"), &[Val::I32(200_000)]).unwrap_err().trap_code(),
        Some(TrapCode::StackOverflow)
    );
}

#[test]
fn exnref_values_cross_the_api_and_stay_alive() {
    let m = module(
        r#"(module (tag $t (export "t") (param i32))
          (global $g (export "g") (mut exnref) (ref.null exn))
          (func (export "make") (param i32) (result exnref)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $t (local.get 0)))
              (unreachable)))
          (func (export "keep") (param exnref) (global.set $g (local.get 0)))
          (func (export "rethrow") (param exnref) (throw_ref (local.get 0))))"#,
    );
    let inst = Instance::new(&m, &[]).unwrap();
    let Some(Extern::Tag(t)) = inst.export("t") else { panic!("tag export") };
    let made = call(&func(&inst, "make"), &[Val::I32(8)]).unwrap();
    let [Val::ExnRef(Some(exn))] = &made[..] else { panic!("expected an exnref, got {made:?}") };
    assert!(Tag::ptr_eq(exn.tag(), &t));
    assert_eq!(exn.payload(), &[Val::I32(8)]);
    call(&func(&inst, "keep"), &[Val::ExnRef(Some(exn.clone()))]).unwrap();
    drop(made);
    let Some(Extern::Global(g)) = inst.export("g") else { panic!("global export") };
    let Val::ExnRef(Some(kept)) = g.get() else { panic!("the global holds the exception") };
    match call(&func(&inst, "rethrow"), &[Val::ExnRef(Some(kept.clone()))]) {
        Err(Error::Exception(e)) => assert!(Exn::ptr_eq(&e, &kept)),
        other => panic!("expected the exception, got {other:?}"),
    }
    assert_eq!(
        call(&func(&inst, "rethrow"), &[Val::ExnRef(None)]).unwrap_err().trap_code(),
        Some(TrapCode::RethrowNull)
    );
}
