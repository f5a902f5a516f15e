//! The one place where core errors become JS exceptions, with V8's message formats.
//!
//! * [`Error::Compile`] → `WebAssembly.CompileError`: "`<api>`: `<message>` @+`<offset>`", where
//!   `<api>` is the calling API ("WebAssembly.Module()", "WebAssembly.compile()",
//!   "WebAssembly.instantiate()", …); inside a function body the message starts with
//!   "Compiling function #`<index>` failed: " as V8's does. The message body is wasmparser's
//!   (V8's differs), except for the module header, whose V8 texts are reproduced.
//! * [`Error::Link`] → `WebAssembly.LinkError`:
//!   "`<api>`: Import #`<i>` module="`<m>`" function="`<n>`" error: `<message>`"; a size mismatch of
//!   an imported memory or table is reported without the import label, as V8 does. The texts
//!   for import values the binding rejects ([`ImportValueError`]: not callable, not a Memory, …)
//!   are here too; the core's [`LinkError`] variants carry the import and the types.
//! * [`Error::Resource`] at instantiation → a table over the size limit is a `RangeError` (as
//!   V8), a memory that cannot be allocated a `LinkError`; [`Error::ValueType`] → `TypeError`.
//! * [`Error::Trap`] → `WebAssembly.RuntimeError` with exactly [`TrapCode::message`], except
//!   [`TrapCode::StackOverflow`] → `RangeError` (as a JS stack overflow). A segment that is out of
//!   bounds at instantiation, or a constant expression's allocation that failed ([`TrapOrigin`]),
//!   is prefixed with the API, and a data segment's
//!   text names the segment, offset, length and memory size from Node 22 ("WebAssembly.Instance():
//!   data segment 0 is out of bounds (offset 70000, length 1, memory size 65536)"); a trap in the
//!   start function is not prefixed.
//!
//! Every decision (JS class, wording) is a `match` on the core's typed errors; no message text
//! is parsed.
//! * [`Error::Host`] → the original JS value, rethrown by identity.
//! * [`Error::Exception`] → the uncaught exception's JS value: the JS value it wraps, or its
//!   `WebAssembly.Exception` object (see `src/exception.rs`).
//!
//! The errors made for traps carry a type tag ([`is_trap_error`]): when one comes back into wasm
//! through a JS import it stays uncatchable, as in V8.
//!
//! A trap's `stack` lists its wasm frames (innermost first) between the message line and the
//! JS frames, in V8's format: `    at <name> (wasm://wasm/<hash>:wasm-function[<index>]:0x<offset>)`
//! or, without a name in the module's name section, `    at wasm://wasm/<hash>:wasm-function[…]…`;
//! a module named in its name section is `wasm://wasm/<module>-<hash>` and its functions
//! `<module>.<function>`. `<hash>` is our hash of the module's bytes (V8's differs), the offset
//! is the module byte offset of the trapping instruction or of the call (a stack overflow's
//! top frame is the function being entered, at the start of its body, as V8's). At most
//! `Error.stackTraceLimit` frames are listed in all, as V8 does.
//!
//! The three error classes are defined in JS (`lib/errors.js`) and handed over by `init`; they
//! are instantiated with `napi_new_instance` so `instanceof`, `name` and stacks are right.

use std::rc::Rc;

use jitless_wasm_core::{
    CompileError, CompileErrorKind, Error, ExternType, ImportMismatch, Limits, LimitsOf, LimitsRule, LinkError, Module,
    Profile, ResourceError, Trap, TrapCode, TrapFrame, TrapOrigin,
};

use crate::convert::Persistent;
use crate::raw::{Env, JsResult, JsType, Pending, Ref, TypeTag, Value};
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

// ----- compile errors -----------------------------------------------------------------------

/// The bytes `bytes` as V8 prints them ("00 61 73 6d").
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// The message of a compile error of `bytes` for the API called `prefix` (e.g.
/// "WebAssembly.Module()"), in V8's format. `streaming`: the bytes are a streamed body
/// (`compileStreaming`, `instantiateStreaming`).
pub(crate) fn compile_message(prefix: &str, e: &CompileError, bytes: &[u8], streaming: bool) -> String {
    // V8 rejects an empty BufferSource before decoding anything (an empty streamed body is
    // decoded: "expected 4 bytes, fell off end").
    if bytes.is_empty() && !streaming {
        return format!("{prefix}: BufferSource argument is empty");
    }
    // The module header's errors in V8's words (wasmparser's text for the others).
    let body = match e.kind {
        CompileErrorKind::HeaderTruncated => "expected 4 bytes, fell off end".to_string(),
        CompileErrorKind::BadMagic { found } => format!("expected magic word 00 61 73 6d, found {}", hex(&found)),
        CompileErrorKind::BadVersion { found } => format!("expected version 01 00 00 00, found {}", hex(&found)),
        CompileErrorKind::Invalid
        | CompileErrorKind::Limit { .. }
        | CompileErrorKind::Disabled { .. }
        | CompileErrorKind::Internal
        | CompileErrorKind::CompileTimeImport => e.message.clone(),
    };
    let body = match e.func_index {
        Some(i) => format!("Compiling function #{i} failed: {body}"),
        None => body,
    };
    match e.offset {
        Some(off) => format!("{prefix}: {body} @+{off}"),
        None => format!("{prefix}: {body}"),
    }
}

/// Creates (does not throw) the `CompileError` for compiling `bytes` (see [`compile_message`]).
pub(crate) fn create_compile(
    env: Env,
    st: &State,
    prefix: &str,
    e: &CompileError,
    bytes: &[u8],
    streaming: bool,
) -> JsResult<Value> {
    // V8's asynchronous compile reports a compile-time import mismatch without its offset.
    if e.kind == CompileErrorKind::CompileTimeImport {
        let e = CompileError { offset: None, ..e.clone() };
        return create(env, st, compile_kind(&e), &compile_message(prefix, &e, bytes, streaming));
    }
    create(env, st, Kind::Compile, &compile_message(prefix, e, bytes, streaming))
}

/// Throws the `CompileError` for compiling `bytes` (not streamed).
pub(crate) fn throw_compile(env: Env, st: &State, prefix: &str, e: &CompileError, bytes: &[u8]) -> Pending {
    if e.kind == CompileErrorKind::CompileTimeImport && crate::profile::current() == Profile::Node22 {
        let e = CompileError { offset: None, ..e.clone() };
        return throw(env, st, compile_kind(&e), &compile_message(prefix, &e, bytes, false));
    }
    throw(env, st, Kind::Compile, &compile_message(prefix, e, bytes, false))
}

/// The error class of a compile error: a JS String Builtins mismatch is a `LinkError` in V8
/// 12.4 (Node 22, without offset), a `CompileError` from 13.6.
fn compile_kind(e: &CompileError) -> Kind {
    match (e.kind, crate::profile::current()) {
        (CompileErrorKind::CompileTimeImport, Profile::Node22) => Kind::Link,
        _ => Kind::Compile,
    }
}

// ----- link errors --------------------------------------------------------------------------

/// V8's label of import `index` (module name `module`, field `name`), as the V8 of the current
/// profile's Node line writes it (V8 says "function" for every kind of import):
/// `Import #i module="m" function="n" error` (V8 11.3, Node 20), `Import #i module="m"
/// function="n"` (V8 12.4, Node 22), `Import #i "m" "n"` (V8 13.6 on, Node 24 and 26).
fn import_label(index: u32, module: &str, name: &str) -> String {
    match crate::profile::current() {
        Profile::Node20 => format!("Import #{index} module=\"{module}\" function=\"{name}\" error"),
        Profile::Node22 => format!("Import #{index} module=\"{module}\" function=\"{name}\""),
        Profile::Node24 | Profile::Node26 | Profile::Latest => format!("Import #{index} \"{module}\" \"{name}\""),
    }
}

/// A JS import value the binding cannot use for its import (found while reading the imports,
/// before the core links them).
#[derive(Clone, Copy, Debug)]
pub(crate) enum ImportValueError {
    /// Not of the import's kind: not callable, not a `Memory`, `Table` or `Tag`.
    Kind,
    /// A `Global` whose mutability differs from the declared one.
    GlobalMutability,
    /// Neither a `Global` nor a value a global import can be made of.
    NotGlobalValue,
    /// A JS value (not a `Global`) for a mutable global import.
    MutableGlobalValue,
    /// A JS value for a global import of type v128.
    V128GlobalValue,
    /// A value that does not convert to the reference type of a global import.
    GlobalReference,
}

/// V8's text for a JS import value of `ty`'s import that the binding cannot use.
fn import_value_text(e: ImportValueError, ty: &ExternType) -> &'static str {
    match e {
        ImportValueError::Kind => match ty {
            ExternType::Func(_) => "function import requires a callable",
            ExternType::Memory(_) => "memory import must be a WebAssembly.Memory object",
            ExternType::Table(_) => "table import requires a WebAssembly.Table",
            ExternType::Tag(_) => "tag import requires a WebAssembly.Tag",
            ExternType::Global(_) => {
                "global import must be a number, valid Wasm reference, or WebAssembly.Global object"
            }
        },
        ImportValueError::GlobalMutability => "imported global does not match the expected mutability",
        ImportValueError::NotGlobalValue => {
            "global import must be a number, valid Wasm reference, or WebAssembly.Global object"
        }
        ImportValueError::MutableGlobalValue => "imported mutable global must be a WebAssembly.Global object",
        ImportValueError::V128GlobalValue => "global import of type v128 cannot be provided as a JS value",
        ImportValueError::GlobalReference => {
            "function-typed object must be null (if nullable) or a Wasm function object"
        }
    }
}

/// The message of the `LinkError` for import `index` of `module`, whose value `e` rejects (API
/// prefix `prefix`).
pub(crate) fn import_link_message(prefix: &str, module: &Module, index: u32, e: ImportValueError) -> String {
    match module.imports().get(index as usize) {
        Some(imp) => {
            format!("{prefix}: {}: {}", import_label(index, &imp.module, &imp.name), import_value_text(e, &imp.ty))
        }
        None => format!("{prefix}: Import #{index} error"),
    }
}

/// V8's text for a core link error (without the API prefix): the import label and the
/// mismatch, except for a size mismatch of an imported memory or table, which V8 reports
/// without the label.
fn link_text(e: &LinkError) -> String {
    let (import, reason) = match e {
        LinkError::ImportCount { expected, actual } => return format!("expected {expected} imports, got {actual}"),
        LinkError::Import { import, reason } => (import, reason),
    };
    let text = match reason {
        ImportMismatch::Limits { of, expected, actual } => {
            let label = || import_label(import.index, &import.module, &import.name);
            return limits_text(*of, import.index, label, expected, actual);
        }
        ImportMismatch::Kind { expected } => format!("{0} import requires a {0}", expected.kind_name()),
        ImportMismatch::FuncType { .. } => "imported function does not match the expected type".into(),
        ImportMismatch::TableType { .. } => "imported table does not match the expected type".into(),
        ImportMismatch::MemoryType { .. } => "imported memory does not match the expected type".into(),
        ImportMismatch::GlobalType { .. } => "imported global does not match the expected type".into(),
        ImportMismatch::TagType { .. } => "imported tag does not match the expected type".into(),
        ImportMismatch::MemoryShared { expected, actual } => {
            format!("mismatch in shared state of memory, declared = {}, imported = {}", *expected as u8, *actual as u8)
        }
    };
    format!("{}: {text}", import_label(import.index, &import.module, &import.name))
}

/// V8's text for the limits of imported table or memory `index` (labelled `label()`) that do
/// not match, as the V8 of the current profile's Node line writes it: V8 12.4 (Node 22) labels
/// the memory texts as the other link errors and words "smaller" differently; V8 13.6 (Node 24)
/// words a table's missing maximum differently. (For a memory without a maximum V8 prints
/// "expected at most 4294967295" whatever the declared maximum is; we print the declared maximum.)
fn limits_text(of: LimitsOf, index: u32, label: impl Fn() -> String, expected: &Limits, actual: &Limits) -> String {
    let profile = crate::profile::current();
    let kind = match of {
        LimitsOf::Table => "table",
        LimitsOf::Memory => "memory",
    };
    let labelled_memory = of == LimitsOf::Memory && profile != Profile::Node20;
    let expected_max = expected.max.unwrap_or(0);
    let text = match ImportMismatch::limits_rule(expected, actual) {
        LimitsRule::Smaller if labelled_memory => format!(
            "memory import has {} pages which is smaller than the declared initial of {}",
            actual.min, expected.min
        ),
        LimitsRule::Smaller => {
            format!("{kind} import {index} is smaller than initial {}, got {}", expected.min, actual.min)
        }
        LimitsRule::NoMaximum => match of {
            LimitsOf::Table if matches!(profile, Profile::Node20 | Profile::Node22) => {
                format!("table import {index} has no maximum length, expected {expected_max}")
            }
            LimitsOf::Table => format!("table import {index} has no maximum length; required: {expected_max}"),
            LimitsOf::Memory if labelled_memory => {
                format!("memory import has no maximum limit, expected at most {expected_max}")
            }
            LimitsOf::Memory => format!("memory import {index} has no maximum limit, expected at most {expected_max}"),
        },
        LimitsRule::LargerMaximum if labelled_memory => format!(
            "memory import has a larger maximum size {} than the module's declared maximum {expected_max}",
            actual.max.unwrap_or(0)
        ),
        LimitsRule::LargerMaximum => format!(
            "{kind} import {index} has a larger maximum size {} than the module's declared maximum {expected_max}",
            actual.max.unwrap_or(0)
        ),
    };
    if labelled_memory {
        format!("{}: {text}", label())
    } else {
        text
    }
}

/// V8's text for an object that could not be allocated (without the API prefix).
fn resource_text(e: &ResourceError) -> String {
    match e {
        ResourceError::TableSize { size, limit } => {
            format!("initial table size ({size} elements) is larger than implementation limit ({limit} elements)")
        }
        ResourceError::MemorySize { .. } => "memory size exceeds the maximum".into(),
        ResourceError::MemoryReserve { .. } => "could not reserve address space for a memory".into(),
        ResourceError::MemoryCommit { .. } => "could not allocate the memory".into(),
        ResourceError::SharedMemory { step } => format!("could not allocate a shared memory: {step}"),
        e @ ResourceError::Limit { .. } => e.to_string(),
    }
}

// ----- instantiation ------------------------------------------------------------------------

/// Throws the JS exception for an error of `Instance::new` (API prefix `prefix`).
pub(crate) fn throw_instantiate(env: Env, st: &Rc<State>, prefix: &str, err: Error) -> Pending {
    match err {
        // A memory that could not be allocated (over the size limit, or the address space,
        // mappings or memory exhausted even after reclaiming): V8's RangeError.
        Error::Resource(
            ResourceError::MemorySize { .. } | ResourceError::MemoryReserve { .. } | ResourceError::MemoryCommit { .. },
        ) => env.throw_range_error(&format!("{prefix}: Out of memory: Cannot allocate Wasm memory for new instance")),
        // A limit exceeded while allocating: the JS-API text ("Implementation-defined limits")
        // says RuntimeError, but V8 throws a RangeError and the WPT test (limits.any.js,
        // "Instantiate initial table size over limit") expects one: we follow V8 and the test.
        // A cap of a limited namespace (jitless-wasm/limits): a RangeError, as creation past
        // a JS-API limit.
        Error::Resource(e @ ResourceError::Limit { .. }) => env.throw_range_error(&format!("{prefix}: {e}")),
        Error::Resource(e @ ResourceError::TableSize { .. }) => {
            env.throw_range_error(&format!("{prefix}: {}", resource_text(&e)))
        }
        Error::Resource(e) => throw(env, st, Kind::Link, &format!("{prefix}: {}", resource_text(&e))),
        Error::Link(e) => throw(env, st, Kind::Link, &format!("{prefix}: {}", link_text(&e))),
        Error::Compile(e) => throw(env, st, Kind::Compile, &format!("{prefix}: {e}")),
        // A segment out of bounds, or a constant expression's allocation that failed, is
        // reported with the API prefix (V8); a trap in the start function is not (the trap's
        // typed origin says which; the differential fuzzer found the old guess wrong: seed 3,
        // module 1944; the constant expressions: GC run, seed 1, module 9).
        Error::Trap(t) if t.origin.is_instantiation_step() => {
            throw(env, st, Kind::Runtime, &format!("{prefix}: {}", segment_message(&t)))
        }
        other => throw_error(env, st, other),
    }
}

/// The message of a segment that did not fit at instantiation: from V8 12.4 (Node 22) a data
/// segment's names its index, offset, length and the memory's size; V8 11.3 (Node 20) says only
/// "data segment is out of bounds".
fn segment_message(t: &Trap) -> String {
    match (&t.origin, crate::profile::current()) {
        (_, Profile::Node20) => trap_message(t.code).to_string(),
        (TrapOrigin::DataSegment(f), _) => format!(
            "data segment {} is out of bounds (offset {}, length {}, memory size {})",
            f.index, f.offset, f.length, f.memory_size
        ),
        _ => trap_message(t.code).to_string(),
    }
}

// ----- run time -----------------------------------------------------------------------------

/// The message of a trap, as the V8 of the current profile's Node line words it: V8 14.6
/// (Node 26) says "function signature mismatch" where earlier ones say "null function or
/// function signature mismatch".
fn trap_message(code: TrapCode) -> &'static str {
    match (code, crate::profile::current()) {
        (TrapCode::FuncSigMismatch, Profile::Node26 | Profile::Latest) => "function signature mismatch",
        (code, _) => code.message(),
    }
}

/// Throws the JS exception for a core error raised while running wasm code.
pub(crate) fn throw_error(env: Env, st: &Rc<State>, err: Error) -> Pending {
    match err {
        Error::Trap(t) => throw_trap(env, st, &t),
        Error::Host(h) => match h.0.downcast_ref::<Persistent>() {
            Some(p) => match p.get(env) {
                Ok(v) => env.throw(v),
                Err(p) => p,
            },
            None => env.throw_error("jitless-wasm: a host function failed"),
        },
        Error::Exception(exn) => match crate::exception::to_js(env, st, &exn) {
            Ok(v) => env.throw(v),
            Err(p) => p,
        },
        Error::Link(e) => throw(env, st, Kind::Link, &link_text(&e)),
        Error::Resource(e) => throw(env, st, Kind::Link, &resource_text(&e)),
        // A value of the wrong type for a table or global (the callers check types first).
        Error::ValueType(e) => env.throw_type_error(&e.to_string()),
        Error::Compile(e) => throw(env, st, Kind::Compile, &e.to_string()),
    }
}

/// The type tag of the errors made for traps.
const TRAP_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x7472_6170_0000_0001 };

/// Throws the JS exception for a trap, with its wasm frames in `stack`, tagged (see
/// [`is_trap_error`]).
pub(crate) fn throw_trap(env: Env, st: &State, trap: &Trap) -> Pending {
    // Interrupted because Node is stopping the thread: nothing to throw (see `src/interrupt.rs`).
    // (A limited namespace's deadline or interrupt flag may have fired at the same time.)
    let interrupted =
        matches!(trap.code, TrapCode::Interrupted | TrapCode::DeadlineExceeded | TrapCode::InterruptRequested);
    if interrupted && crate::interrupt::stop_js(env) {
        return Pending;
    }
    let error = match (trap.code, &trap.origin) {
        (TrapCode::StackOverflow, _) => env.range_error(trap.code.message()),
        // (JS String Builtins) V8 names the value `fromCodePoint` refused.
        (TrapCode::InvalidCodePoint, TrapOrigin::CodePoint(v)) => {
            create(env, st, Kind::Runtime, &format!("{} {v}", trap.code.message()))
        }
        (code, _) => create(env, st, Kind::Runtime, trap_message(code)),
    };
    match error {
        Ok(e) => {
            if !trap.backtrace.is_empty() {
                // Best effort: an error here leaves the stack as V8 captured it.
                if add_wasm_frames(env, e, &trap.backtrace).is_err() && env.is_exception_pending() {
                    env.take_exception();
                }
            }
            let _ = env.type_tag(e, &TRAP_TAG);
            env.throw(e)
        }
        Err(p) => p,
    }
}

/// Whether `value` is the error of a trap (which wasm handlers must not catch).
pub(crate) fn is_trap_error(env: Env, value: Value) -> bool {
    env.type_of(value) == JsType::Object && env.has_type_tag(value, &TRAP_TAG)
}

/// Adds the wasm frames that called the running host function to the `stack` of an Error it
/// threw, where V8 lists them: after the host function's own JS frames, before the JS frames
/// of the code that called into wasm. Best effort, and only for Error objects (a thrown
/// number or plain object is left alone, so exceptions used for control flow cost nothing).
pub(crate) fn add_host_caller_frames(env: Env, error: Value) {
    if env.type_of(error) != JsType::Object || !env.is_error(error) {
        return;
    }
    let spliced = stack_trace_limit(env).and_then(|limit| {
        let frames = jitless_wasm_core::host_caller_backtrace(limit);
        if frames.is_empty() {
            return Ok(());
        }
        splice_caller_frames(env, error, &frames, limit)
    });
    if spliced.is_err() && env.is_exception_pending() {
        env.take_exception();
    }
}

/// Inserts the lines of `frames` into `error.stack` before the first JS frame that is also the
/// first frame of the current JS stack (the caller of the wasm code), if there is one.
/// `limit` is `Error.stackTraceLimit`.
fn splice_caller_frames(env: Env, error: Value, frames: &[TrapFrame], limit: usize) -> JsResult<()> {
    let stack = env.get_named(error, c"stack")?;
    if env.type_of(stack) != JsType::String {
        return Ok(());
    }
    let text = env.get_string(stack)?;
    let wasm: Vec<String> = frames.iter().map(wasm_frame_line).collect();
    // Already listed (the Error passed this host call before): nothing to add. (A mark on the
    // object would be a type tag, and an Error made for a trap already carries one.)
    if wasm.first().is_some_and(|first| text.split('\n').any(|l| l == first)) {
        return Ok(());
    }
    let here = env.get_named(env.error_here()?, c"stack")?;
    if env.type_of(here) != JsType::String {
        return Ok(());
    }
    let here = env.get_string(here)?;
    let Some(caller) = here.split('\n').find(|l| l.starts_with("    at ")) else { return Ok(()) };
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(at) = lines.iter().position(|l| *l == caller) else { return Ok(()) };
    // V8 captures the host's JS frames, then the wasm frames, then the caller's JS frames, at
    // most `Error.stackTraceLimit` in all.
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + wasm.len());
    let mut kept = 0;
    for line in lines[..at].iter().map(|l| l.to_string()).chain(wasm).chain(lines[at..].iter().map(|l| l.to_string())) {
        if line.starts_with("    at ") {
            if kept == limit {
                break;
            }
            kept += 1;
        }
        out.push(line);
    }
    let joined = env.string(&out.join("\n"))?;
    env.set_named(error, c"stack", joined)
}

/// `Error.stackTraceLimit` as a frame count (0 when it is not a positive number).
fn stack_trace_limit(env: Env) -> JsResult<usize> {
    let error_ctor = env.get_named(env.global()?, c"Error")?;
    let limit = env.get_named(error_ctor, c"stackTraceLimit")?;
    Ok(match env.get_f64(limit) {
        Some(n) if n > 0.0 => n.min(usize::MAX as f64) as usize,
        _ => 0,
    })
}

/// V8's stack-trace line for one wasm frame (see the module documentation).
pub(crate) fn wasm_frame_line(frame: &TrapFrame) -> String {
    let m = &frame.module;
    let url = match m.name() {
        Some(name) => format!("wasm://wasm/{name}-{:08x}", m.hash()),
        None => format!("wasm://wasm/{:08x}", m.hash()),
    };
    let offset = frame.offset.map(|o| format!(":0x{o:x}")).unwrap_or_default();
    let location = format!("{url}:wasm-function[{}]{offset}", frame.func_index);
    let name = match (m.name(), m.func_name(frame.func_index)) {
        (Some(module), Some(func)) => Some(format!("{module}.{func}")),
        (Some(module), None) => Some(module.to_string()),
        (None, Some(func)) => Some(func.to_string()),
        (None, None) => None,
    };
    match name {
        Some(name) => format!("    at {name} ({location})"),
        None => format!("    at {location}"),
    }
}

/// Inserts the lines of `frames` into `error.stack` after the message, keeping at most
/// `Error.stackTraceLimit` frame lines in all (wasm frames first, as they are the innermost).
fn add_wasm_frames(env: Env, error: Value, frames: &[TrapFrame]) -> JsResult<()> {
    let stack = env.get_named(error, c"stack")?;
    if env.type_of(stack) != JsType::String {
        return Ok(()); // a custom Error.prepareStackTrace made something else
    }
    let text = env.get_string(stack)?;
    let error_ctor = env.get_named(env.global()?, c"Error")?;
    let limit = env.get_named(error_ctor, c"stackTraceLimit")?;
    let limit = match env.get_f64(limit) {
        Some(n) if n.is_nan() || n <= 0.0 => 0,
        Some(n) => n.min(usize::MAX as f64) as usize,
        None => return Ok(()), // V8 captures no stack then
    };
    // The message may span lines: the JS frames are the trailing lines starting with "    at ".
    let lines: Vec<&str> = text.split('\n').collect();
    let first_frame = lines.iter().rposition(|l| !l.starts_with("    at ")).map_or(0, |i| i + 1);
    let (head, js_frames) = lines.split_at(first_frame);
    let mut out: Vec<String> = head.iter().map(|l| l.to_string()).collect();
    let wasm: Vec<String> = frames.iter().take(limit).map(wasm_frame_line).collect();
    let room = limit.saturating_sub(wasm.len());
    out.extend(wasm);
    out.extend(js_frames.iter().take(room).map(|l| l.to_string()));
    let joined = env.string(&out.join("\n"))?;
    env.set_named(error, c"stack", joined)
}
