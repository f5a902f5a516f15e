//! Errors of the core: compile (decode/validate), link, trap, and host errors.
//!
//! The binding maps each kind to exactly one JS error type (in `src/errors.rs`):
//! [`Error::Compile`] → `WebAssembly.CompileError`, [`Error::Link`] → `WebAssembly.LinkError`,
//! [`Error::Trap`] → `WebAssembly.RuntimeError` (except [`TrapCode::StackOverflow`] → `RangeError`),
//! [`Error::Host`] → the original JS value, rethrown by identity, [`Error::Exception`] → a
//! `WebAssembly.Exception` (or the JS value it wraps).

use std::any::Any;
use std::fmt;

use crate::module::Module;

/// A module failed to decode or validate, or uses a feature this engine does not execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Human-readable message (wasmparser's text, or "… is not supported" for features we reject).
    pub message: String,
    /// Byte offset into the module where the problem was found, when known.
    pub offset: Option<usize>,
    /// The function index (imports included) when the problem is inside a function body.
    pub func_index: Option<u32>,
}

impl CompileError {
    /// This error, with `offset` if it has none yet.
    pub(crate) fn or_offset(mut self, offset: usize) -> CompileError {
        self.offset = self.offset.or(Some(offset));
        self
    }

    /// A compile error with a message and an optional byte offset.
    pub fn new(message: impl Into<String>, offset: Option<usize>) -> Self {
        CompileError { message: message.into(), offset, func_index: None }
    }
}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError { message: e.message().to_string(), offset: Some(e.offset() as usize), func_index: None }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(off) => write!(f, "{} @+{}", self.message, off),
            None => f.write_str(&self.message),
        }
    }
}

/// Instantiation failed because an import does not match what the module declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    /// Index of the offending import in the module's import list, when the error is about one.
    pub import_index: Option<u32>,
    /// Message text, e.g. "imported function does not match the expected type".
    pub message: String,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why execution trapped. Every variant's [`TrapCode::message`] is V8's text for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrapCode {
    /// `unreachable` was executed.
    Unreachable,
    /// A load, store or bulk memory operation was out of bounds of its memory.
    MemOutOfBounds,
    /// Integer division by zero.
    DivByZero,
    /// Signed integer division overflow (`INT_MIN / -1`).
    DivUnrepresentable,
    /// Integer remainder by zero.
    RemByZero,
    /// A float-to-int truncation whose input was NaN or out of range.
    FloatUnrepresentable,
    /// A table access (`table.get/set/fill/copy/init`, `call_indirect`) out of bounds.
    TableOutOfBounds,
    /// `call_indirect` on a null entry or a function of another signature.
    FuncSigMismatch,
    /// A data segment was out of bounds at instantiation, or `memory.init` out of bounds.
    DataSegmentOutOfBounds,
    /// The wasm call stack is exhausted (maps to JS `RangeError`).
    StackOverflow,
    /// A null reference was dereferenced (typed function references: `call_ref`, `ref.as_non_null`).
    NullDereference,
    /// An atomic access at an address that is not a multiple of its size (threads).
    UnalignedAtomic,
    /// `memory.atomic.wait32/64` on a memory that is not shared (threads).
    WaitOnUnsharedMemory,
    /// `throw_ref` (or a rethrow) of a null `exnref`.
    RethrowNull,
    /// The embedder interrupted the running wasm ([`crate::runtime::InterruptHandle`]). V8 has
    /// no such trap (its termination is not an exception), so the message is ours.
    Interrupted,
}

impl TrapCode {
    /// V8's message text for this trap (from V8's `message-template.h`).
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemOutOfBounds => "memory access out of bounds",
            TrapCode::DivByZero => "divide by zero",
            TrapCode::DivUnrepresentable => "divide result unrepresentable",
            TrapCode::RemByZero => "remainder by zero",
            TrapCode::FloatUnrepresentable => "float unrepresentable in integer range",
            TrapCode::TableOutOfBounds => "table index is out of bounds",
            TrapCode::FuncSigMismatch => "null function or function signature mismatch",
            TrapCode::DataSegmentOutOfBounds => "data segment is out of bounds",
            TrapCode::StackOverflow => "Maximum call stack size exceeded",
            TrapCode::NullDereference => "dereferencing a null pointer",
            TrapCode::UnalignedAtomic => "operation does not support unaligned accesses",
            TrapCode::WaitOnUnsharedMemory => "Atomics.wait cannot be called in this context",
            TrapCode::RethrowNull => "rethrowing null value",
            TrapCode::Interrupted => "wasm execution was interrupted",
        }
    }
}

/// A trap: execution stopped abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// The reason.
    pub code: TrapCode,
    /// The wasm frames of the invocation that trapped, innermost first: the trapping
    /// instruction's function, then each caller at its call site (for
    /// [`TrapCode::StackOverflow`], first the function being entered, at the start of its
    /// body, as V8 reports it). Frames of outer invocations, across host calls, are not
    /// included. Empty when the trap did not come from running wasm code.
    pub backtrace: Vec<TrapFrame>,
}

/// The most frames a [`Trap::backtrace`] holds: every frame of an invocation (at most 100,000
/// saved frames, the running function, and the function a stack overflow was entering).
pub const MAX_BACKTRACE: usize = 100_002;

/// One wasm frame of a trap's backtrace.
#[derive(Debug, Clone)]
pub struct TrapFrame {
    /// The module of the function.
    pub module: Module,
    /// The function's index (imports first).
    pub func_index: u32,
    /// The module byte offset of the trapping instruction (innermost frame) or of the call
    /// (caller frames), when known.
    pub offset: Option<u32>,
}

impl PartialEq for TrapFrame {
    fn eq(&self, other: &Self) -> bool {
        Module::ptr_eq(&self.module, &other.module)
            && self.func_index == other.func_index
            && self.offset == other.offset
    }
}

impl Eq for TrapFrame {}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap { code, backtrace: Vec::new() }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.message())
    }
}

/// An error raised by a host function that wasm must not catch, carried through wasm frames
/// untouched and handed back to the embedder at the outermost call. (A host function throws a
/// catchable exception with [`Error::Exception`] instead.)
pub struct HostError(pub Box<dyn Any>);

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostError(..)")
    }
}

/// Any error of the core.
#[derive(Debug)]
pub enum Error {
    /// Decoding or validation failed.
    Compile(CompileError),
    /// Linking failed at instantiation.
    Link(LinkError),
    /// Execution trapped.
    Trap(Trap),
    /// A host function failed uncatchably; the payload is the embedder's.
    Host(HostError),
    /// An exception (thrown by wasm or by a host function) that no handler caught. A host
    /// function returns this to throw an exception that wasm handlers can catch.
    Exception(crate::runtime::Exn),
}

impl Error {
    /// The trap code if this is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        match self {
            Error::Trap(t) => Some(t.code),
            _ => None,
        }
    }

    /// A link error with a message and an optional import index.
    pub fn link(message: impl Into<String>, import_index: Option<u32>) -> Self {
        Error::Link(LinkError { import_index, message: message.into() })
    }
}

impl From<TrapCode> for Error {
    fn from(code: TrapCode) -> Self {
        Error::Trap(Trap::from(code))
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(e) => write!(f, "compile error: {e}"),
            Error::Link(e) => write!(f, "link error: {e}"),
            Error::Trap(t) => write!(f, "trap: {t}"),
            Error::Host(_) => f.write_str("host error"),
            Error::Exception(e) => write!(f, "uncaught exception: {e:?}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trap_has_v8_text() {
        let all = [
            (TrapCode::Unreachable, "unreachable"),
            (TrapCode::MemOutOfBounds, "memory access out of bounds"),
            (TrapCode::DivByZero, "divide by zero"),
            (TrapCode::DivUnrepresentable, "divide result unrepresentable"),
            (TrapCode::RemByZero, "remainder by zero"),
            (TrapCode::FloatUnrepresentable, "float unrepresentable in integer range"),
            (TrapCode::TableOutOfBounds, "table index is out of bounds"),
            (TrapCode::FuncSigMismatch, "null function or function signature mismatch"),
            (TrapCode::DataSegmentOutOfBounds, "data segment is out of bounds"),
            (TrapCode::StackOverflow, "Maximum call stack size exceeded"),
            (TrapCode::RethrowNull, "rethrowing null value"),
        ];
        for (code, text) in all {
            assert_eq!(code.message(), text);
            assert_eq!(Error::from(code).trap_code(), Some(code));
        }
    }
}
