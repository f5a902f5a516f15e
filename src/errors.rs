//! The one place where core errors become JS exceptions, with V8's message formats.
//!
//! * [`Error::Compile`] → `WebAssembly.CompileError`: "`<api>`: `<message>` @+`<offset>`", where
//!   `<api>` is the calling API ("WebAssembly.Module()", "WebAssembly.compile()",
//!   "WebAssembly.instantiate()", …); inside a function body the message starts with
//!   "Compiling function #`<index>` failed: " as V8's does. The message body is wasmparser's
//!   (V8's differs), except for the module header, whose V8 texts are reproduced.
//! * [`Error::Link`] → `WebAssembly.LinkError`:
//!   "`<api>`: Import #`<i>` module="`<m>`" function="`<n>`" error: `<message>`"; a size mismatch of
//!   an imported memory or table is reported without the import label, as V8 does.
//! * [`Error::Trap`] → `WebAssembly.RuntimeError` with exactly [`TrapCode::message`], except
//!   [`TrapCode::StackOverflow`] → `RangeError` (as a JS stack overflow). A segment that is out of
//!   bounds at instantiation is prefixed with the API ("WebAssembly.Instance(): data segment is
//!   out of bounds"); a trap in the start function is not.
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

use jitless_wasm_core::{CompileError, Error, Module, Trap, TrapCode, TrapFrame};

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

/// The bytes `bytes[range]` as V8 prints them ("00 61 73 6d").
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// V8's text for the errors in the 8-byte module header, where wasmparser's differs (its magic
/// number message is a multi-line debug dump). `None` keeps wasmparser's message.
fn header_message(e: &CompileError, bytes: &[u8]) -> Option<(String, usize)> {
    let off = e.offset?;
    if off >= 8 {
        return None;
    }
    if e.message == "unexpected end-of-file" && bytes.len() < 8 {
        // The magic word or the version is incomplete: V8 reports the field's start.
        return Some(("expected 4 bytes, fell off end".into(), if bytes.len() < 4 { 0 } else { 4 }));
    }
    if e.message.starts_with("magic header not detected") && bytes.len() >= 4 {
        return Some((format!("expected magic word 00 61 73 6d, found {}", hex(&bytes[..4])), 0));
    }
    if e.message.starts_with("unknown binary version") && bytes.len() >= 8 {
        return Some((format!("expected version 01 00 00 00, found {}", hex(&bytes[4..8])), 4));
    }
    None
}

/// The message of a compile error of `bytes` for the API called `prefix` (e.g.
/// "WebAssembly.Module()"), in V8's format.
pub(crate) fn compile_message(prefix: &str, e: &CompileError, bytes: &[u8]) -> String {
    // V8 rejects an empty BufferSource before decoding anything (an empty streamed body is
    // decoded: "expected 4 bytes, fell off end").
    if bytes.is_empty() && !prefix.ends_with("Streaming()") {
        return format!("{prefix}: BufferSource argument is empty");
    }
    let (body, offset) = match header_message(e, bytes) {
        Some((body, off)) => (body, Some(off)),
        None => (e.message.clone(), e.offset),
    };
    let body = match e.func_index {
        Some(i) => format!("Compiling function #{i} failed: {body}"),
        None => body,
    };
    match offset {
        Some(off) => format!("{prefix}: {body} @+{off}"),
        None => format!("{prefix}: {body}"),
    }
}

/// Creates (does not throw) the `CompileError` for compiling `bytes`.
pub(crate) fn create_compile(env: Env, st: &State, prefix: &str, e: &CompileError, bytes: &[u8]) -> JsResult<Value> {
    create(env, st, Kind::Compile, &compile_message(prefix, e, bytes))
}

/// Throws the `CompileError` for compiling `bytes`.
pub(crate) fn throw_compile(env: Env, st: &State, prefix: &str, e: &CompileError, bytes: &[u8]) -> Pending {
    throw(env, st, Kind::Compile, &compile_message(prefix, e, bytes))
}

// ----- link errors --------------------------------------------------------------------------

/// V8's label of import `index` of `module`: `Import #i module="m" function="n" error` (V8 says
/// "function" for every kind of import).
pub(crate) fn import_label(module: &Module, index: u32) -> String {
    match module.imports().get(index as usize) {
        Some(imp) => format!("Import #{index} module=\"{}\" function=\"{}\" error", imp.module, imp.name),
        None => format!("Import #{index} error"),
    }
}

/// Whether a core link message is about the limits of an imported memory or table
/// ("memory import 0 is smaller than initial 2, got 1"): V8 prints those without the label.
fn is_limits_message(msg: &str) -> bool {
    let rest = msg.strip_prefix("memory import ").or_else(|| msg.strip_prefix("table import "));
    rest.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// V8's wording of a core limits message where it differs: a table without a maximum is
/// "has no maximum length, expected N". (For a memory V8 prints "expected at most 4294967295"
/// whatever the declared maximum is; we keep the declared maximum there.)
fn v8_limits_message(msg: &str) -> String {
    if msg.starts_with("table import ") {
        if let Some(p) = msg.find(" has no maximum limit, expected at most ") {
            let n = &msg[p + " has no maximum limit, expected at most ".len()..];
            return format!("{} has no maximum length, expected {n}", &msg[..p]);
        }
    }
    msg.to_string()
}

/// The JS-API table size limit (https://webassembly.github.io/spec/js-api/#limits) hit while
/// allocating a defined table: the core reports "table size N exceeds the limit of L". Returns
/// V8's text for it.
fn table_limit_message(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("table size ")?;
    let (n, limit) = rest.split_once(" exceeds the limit of ")?;
    Some(format!("initial table size ({n} elements) is larger than implementation limit ({limit} elements)"))
}

/// Throws a `LinkError` for import `index` of `module`.
pub(crate) fn throw_import_link(env: Env, st: &State, prefix: &str, module: &Module, index: u32, msg: &str) -> Pending {
    throw(env, st, Kind::Link, &format!("{prefix}: {}: {msg}", import_label(module, index)))
}

// ----- instantiation ------------------------------------------------------------------------

/// Throws the JS exception for an error of `Instance::new` (API prefix `prefix`).
pub(crate) fn throw_instantiate(env: Env, st: &Rc<State>, prefix: &str, module: &Module, err: Error) -> Pending {
    match err {
        // A limit exceeded while allocating: the JS-API text ("Implementation-defined limits")
        // says RuntimeError, but V8 throws a RangeError and the WPT test (limits.any.js,
        // "Instantiate initial table size over limit") expects one: we follow V8 and the test.
        Error::Link(e) if e.import_index.is_none() && table_limit_message(&e.message).is_some() => {
            let text = table_limit_message(&e.message).unwrap_or_default();
            env.throw_range_error(&format!("{prefix}: {text}"))
        }
        Error::Link(e) => {
            let msg = match e.import_index {
                Some(_) if is_limits_message(&e.message) => format!("{prefix}: {}", v8_limits_message(&e.message)),
                Some(i) => format!("{prefix}: {}: {}", import_label(module, i), e.message),
                None => format!("{prefix}: {}", e.message),
            };
            throw(env, st, Kind::Link, &msg)
        }
        Error::Compile(e) => throw(env, st, Kind::Compile, &format!("{prefix}: {e}")),
        // A segment out of bounds is reported with the API prefix (V8). The core gives no
        // location with a trap yet, so a table trap counts as a segment's only when the module
        // has no start function (it may have come from the start function otherwise).
        Error::Trap(t)
            if t.code == TrapCode::DataSegmentOutOfBounds
                || (t.code == TrapCode::TableOutOfBounds && module.start().is_none()) =>
        {
            throw(env, st, Kind::Runtime, &format!("{prefix}: {}", t.code.message()))
        }
        other => throw_error(env, st, other),
    }
}

// ----- run time -----------------------------------------------------------------------------

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
        Error::Link(e) => throw(env, st, Kind::Link, &e.message),
        Error::Compile(e) => throw(env, st, Kind::Compile, &e.to_string()),
    }
}

/// The type tag of the errors made for traps.
const TRAP_TAG: TypeTag = TypeTag { lower: 0x6a69_746c_6573_7377, upper: 0x7472_6170_0000_0001 };

/// Throws the JS exception for a trap, with its wasm frames in `stack`, tagged (see
/// [`is_trap_error`]).
pub(crate) fn throw_trap(env: Env, st: &State, trap: &Trap) -> Pending {
    // Interrupted because Node is stopping the thread: nothing to throw (see `src/interrupt.rs`).
    if trap.code == TrapCode::Interrupted && crate::interrupt::stop_js(env) {
        return Pending;
    }
    let error = match trap.code {
        TrapCode::StackOverflow => env.range_error(trap.code.message()),
        code => create(env, st, Kind::Runtime, code.message()),
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
