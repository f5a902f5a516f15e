//! The one place where core errors become JS exceptions.
//!
//! * [`Error::Compile`] → `WebAssembly.CompileError` ("WebAssembly.Module(): <message> @+<offset>",
//!   with the prefix of the calling API).
//! * [`Error::Link`] → `WebAssembly.LinkError` ("WebAssembly.Instance(): Import #i "m" "n": …").
//! * [`Error::Trap`] → `WebAssembly.RuntimeError` with exactly [`TrapCode::message`], except
//!   [`TrapCode::StackOverflow`] → `RangeError` (as a JS stack overflow).
//! * [`Error::Host`] → the original JS value, rethrown by identity.
//!
//! The three error classes are defined in JS (`lib/errors.js`) and handed over by `init`; they
//! are instantiated with `napi_new_instance` so `instanceof`, `name` and stacks are right.

use std::rc::Rc;

use jitless_wasm_core::{CompileError, Error, Module, TrapCode};

use crate::convert::Persistent;
use crate::raw::{Env, JsResult, Pending, Ref, Value};
use crate::state::{Helpers, State};

/// Which of the WebAssembly error classes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// `WebAssembly.CompileError`.
    Compile,
    /// `WebAssembly.LinkError`.
    Link,
    /// `WebAssembly.RuntimeError`.
    Runtime,
}

/// The helper holding the constructor of `kind`.
fn ctor_of(kind: Kind) -> fn(&Helpers) -> Ref {
    match kind {
        Kind::Compile => |h| h.compile_error,
        Kind::Link => |h| h.link_error,
        Kind::Runtime => |h| h.runtime_error,
    }
}

/// A new error of `kind` with `message` (not thrown).
pub(crate) fn create(env: Env, st: &State, kind: Kind, message: &str) -> JsResult<Value> {
    let ctor = st.helper(env, ctor_of(kind))?;
    let msg = env.string(message)?;
    env.construct(ctor, &[msg])
}

/// Throws a new error of `kind` with `message`.
pub(crate) fn throw(env: Env, st: &State, kind: Kind, message: &str) -> Pending {
    match create(env, st, kind, message) {
        Ok(e) => env.throw(e),
        Err(p) => p,
    }
}

/// The message of a compile error for the API called `prefix` (e.g. "WebAssembly.Module()").
pub(crate) fn compile_message(prefix: &str, e: &CompileError) -> String {
    match e.offset {
        Some(off) => format!("{prefix}: {} @+{off}", e.message),
        None => format!("{prefix}: {}", e.message),
    }
}

/// Throws a `CompileError`.
pub(crate) fn throw_compile(env: Env, st: &State, prefix: &str, e: &CompileError) -> Pending {
    throw(env, st, Kind::Compile, &compile_message(prefix, e))
}

/// The prefix naming import `index` of `module`: `Import #i "module" "name"`.
pub(crate) fn import_label(module: &Module, index: u32) -> String {
    match module.imports().get(index as usize) {
        Some(imp) => format!("Import #{index} \"{}\" \"{}\"", imp.module, imp.name),
        None => format!("Import #{index}"),
    }
}

/// Throws the JS exception for an error of `Instance::new` (API prefix `prefix`).
pub(crate) fn throw_instantiate(env: Env, st: &Rc<State>, prefix: &str, module: &Module, err: Error) -> Pending {
    match err {
        Error::Link(e) => {
            let msg = match e.import_index {
                Some(i) => format!("{prefix}: {}: {}", import_label(module, i), e.message),
                None => format!("{prefix}: {}", e.message),
            };
            throw(env, st, Kind::Link, &msg)
        }
        Error::Compile(e) => throw_compile(env, st, prefix, &e),
        other => throw_error(env, st, other),
    }
}

/// Throws the JS exception for a core error raised while running wasm code.
pub(crate) fn throw_error(env: Env, st: &Rc<State>, err: Error) -> Pending {
    match err {
        Error::Trap(t) => throw_trap(env, st, t.code),
        Error::Host(h) => match h.0.downcast_ref::<Persistent>() {
            Some(p) => match p.get(env) {
                Ok(v) => env.throw(v),
                Err(p) => p,
            },
            None => env.throw_error("jitless-wasm: a host function failed"),
        },
        Error::Link(e) => throw(env, st, Kind::Link, &e.message),
        Error::Compile(e) => throw(env, st, Kind::Compile, &e.to_string()),
    }
}

/// Throws the JS exception for a trap.
pub(crate) fn throw_trap(env: Env, st: &State, code: TrapCode) -> Pending {
    match code {
        TrapCode::StackOverflow => env.throw_range_error(code.message()),
        _ => throw(env, st, Kind::Runtime, code.message()),
    }
}

/// Throws a `LinkError` for import `index` of `module`.
pub(crate) fn throw_import_link(env: Env, st: &State, prefix: &str, module: &Module, index: u32, msg: &str) -> Pending {
    throw(env, st, Kind::Link, &format!("{prefix}: {}: {msg}", import_label(module, index)))
}
