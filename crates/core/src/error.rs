//! Errors of the core: compile (decode/validate), link, trap, and host errors.
//!
//! The binding maps each kind to exactly one JS error type (in `src/errors.rs`):
//! [`ErrorOf::Compile`] → `WebAssembly.CompileError`, [`ErrorOf::Link`] → `WebAssembly.LinkError`,
//! [`ErrorOf::Trap`] → `WebAssembly.RuntimeError` (except [`TrapCode::StackOverflow`] → `RangeError`),
//! [`ErrorOf::Host`] → the original JS value, rethrown by identity, [`ErrorOf::Exception`] → a
//! `WebAssembly.Exception` (or the JS value it wraps).

use std::any::Any;
use std::fmt;

use std::sync::Arc;

mod link;

pub use link::{ImportMismatch, ImportRef, LimitsOf, LimitsRule, LinkError, ResourceError, ValueTypeError};

/// What kind of problem a [`CompileError`] is: embedders choose their wording from this, never
/// from [`CompileError::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The module is malformed or invalid; the message is wasmparser's text (or ours).
    Invalid,
    /// The bytes end inside the 8-byte header: in the magic number (offset 0) or the version
    /// (offset 4).
    HeaderTruncated,
    /// The first four bytes are not `\0asm`.
    BadMagic {
        /// The bytes found.
        found: [u8; 4],
    },
    /// The version field is not 1 (a module).
    BadVersion {
        /// The bytes found.
        found: [u8; 4],
    },
    /// An implementation limit of the JS API is exceeded.
    Limit {
        /// Which limit.
        limit: CompileLimit,
        /// The module's value (for [`CompileLimit::FrameSlots`] a lower bound: slots are not
        /// counted past the limit).
        value: u64,
        /// The limit.
        max: u64,
    },
    /// The module uses a feature that is not enabled (GC types and instructions, shared
    /// globals, or a WebAssembly 3.0 instruction outside the Node 20 profile).
    Disabled {
        /// The feature.
        feature: Feature,
    },
    /// A bug: translating a validated function failed.
    Internal,
    /// A compile-time import (JS String Builtins: a `wasm:js-string` function or an imported
    /// string constant) does not match its builtin or constant (V8's asynchronous compile
    /// reports it without an offset).
    CompileTimeImport,
}

/// The JS-API implementation limits a module can exceed
/// (https://webassembly.github.io/spec/js-api/#limits), and the engine's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompileLimit {
    /// The module's size in bytes.
    ModuleSize,
    /// The number of imports.
    Imports,
    /// The number of exports.
    Exports,
    /// The number of element segments.
    ElementSegments,
    /// A 64-bit memory type's initial size, in pages.
    Memory64Initial,
    /// A 64-bit memory type's maximum size, in pages.
    Memory64Maximum,
    /// A function's frame, in value slots (the engine's limit).
    FrameSlots,
}

/// A feature a module can use that this engine does not enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Garbage-collected types and instructions.
    Gc,
    /// Shared globals (shared-everything threads).
    SharedGlobals,
    /// WebAssembly 3.0 exception handling (`try_table`, `throw_ref`, `exnref`), outside the
    /// Node 20 profile.
    ExnRef,
    /// 64-bit tables (memory64), outside the Node 20 and Node 22 profiles.
    Table64,
}

/// A module failed to decode or validate, or uses a feature this engine does not execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// What kind of problem it is.
    pub kind: CompileErrorKind,
    /// Human-readable message (wasmparser's text, or ours).
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

    /// An [`CompileErrorKind::Invalid`] error with a message and an optional byte offset.
    pub fn new(message: impl Into<String>, offset: Option<usize>) -> Self {
        CompileError::of_kind(CompileErrorKind::Invalid, message, offset)
    }

    /// An error of `kind` with a message and an optional byte offset.
    pub fn of_kind(kind: CompileErrorKind, message: impl Into<String>, offset: Option<usize>) -> Self {
        CompileError { kind, message: message.into(), offset, func_index: None }
    }

    /// A [`CompileErrorKind::Limit`] error: `value` is over `max`; `message` describes it.
    pub(crate) fn limit(
        limit: CompileLimit,
        value: u64,
        max: u64,
        message: impl Into<String>,
        offset: Option<usize>,
    ) -> Self {
        CompileError::of_kind(CompileErrorKind::Limit { limit, value, max }, message, offset)
    }

    /// A [`CompileErrorKind::Disabled`] error for `feature`; `message` describes it.
    pub(crate) fn disabled(feature: Feature, message: impl Into<String>, offset: Option<usize>) -> Self {
        CompileError::of_kind(CompileErrorKind::Disabled { feature }, message, offset)
    }
}

impl From<wasmparser::BinaryReaderError> for CompileError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        CompileError::new(e.message(), Some(e.offset() as usize))
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
    /// `table.init` reading past the end of its element segment (a dropped segment is empty);
    /// V8 checks the table range first.
    ElemSegmentOutOfBounds,
    /// `call_indirect` on a null entry or a function of another signature.
    FuncSigMismatch,
    /// A data segment was out of bounds at instantiation, or `memory.init` out of bounds.
    DataSegmentOutOfBounds,
    /// `array.new_data`/`array.init_data` reading past the end of its data segment (a dropped
    /// segment is empty): V8's "data segment out of bounds" (found by the differential fuzzer's
    /// GC run, seed 7, module 15).
    DataSegmentRangeOutOfBounds,
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
    /// A JS string builtin (`wasm:js-string`) was given a value that is not a string (or null
    /// where a string is required): V8's "illegal cast".
    IllegalCast,
    /// A JS string builtin (`charCodeAt`, `codePointAt`) was given an index past the string.
    StringOffsetOutOfBounds,
    /// A GC array access (`array.get`/`set`/`fill`/`copy`/`init_*`) out of the array's bounds.
    ArrayOutOfBounds,
    /// `array.new*` of a length no array can have.
    ArrayTooLarge,
    /// A GC allocation that does not fit in the thread's GC heap, even after a collection.
    HeapLimit,
    /// The JS string builtin `fromCodePoint` was given a value above 0x10FFFF (the value is in
    /// [`TrapOrigin::CodePoint`], which V8's text names).
    InvalidCodePoint,
    /// The embedder interrupted the running wasm ([`crate::runtime::InterruptHandle`]). V8 has
    /// no such trap (its termination is not an exception), so the message is ours.
    Interrupted,
    /// A limited namespace's fuel ran out (`jitless-wasm/limits`).
    OutOfFuel,
    /// A limited namespace's call ran past its deadline.
    DeadlineExceeded,
    /// A limited namespace's interrupt flag was set.
    InterruptRequested,
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
            TrapCode::ElemSegmentOutOfBounds => "element segment out of bounds",
            TrapCode::FuncSigMismatch => "null function or function signature mismatch",
            TrapCode::DataSegmentOutOfBounds => "data segment is out of bounds",
            TrapCode::DataSegmentRangeOutOfBounds => "data segment out of bounds",
            TrapCode::StackOverflow => "Maximum call stack size exceeded",
            TrapCode::NullDereference => "dereferencing a null pointer",
            TrapCode::UnalignedAtomic => "operation does not support unaligned accesses",
            TrapCode::WaitOnUnsharedMemory => "Atomics.wait cannot be called in this context",
            TrapCode::RethrowNull => "rethrowing null value",
            TrapCode::IllegalCast => "illegal cast",
            TrapCode::StringOffsetOutOfBounds => "string offset out of bounds",
            TrapCode::ArrayOutOfBounds => "array element access out of bounds",
            TrapCode::ArrayTooLarge => "requested new array is too large",
            // V8 aborts the process when its heap is exhausted; this is a catchable trap.
            TrapCode::HeapLimit => "GC heap limit exceeded: the allocation does not fit after a collection",
            TrapCode::InvalidCodePoint => "Invalid code point",
            TrapCode::Interrupted => "wasm execution was interrupted",
            TrapCode::OutOfFuel => {
                "all fuel consumed: the namespace's fuel budget is exhausted (addFuel() to continue)"
            }
            TrapCode::DeadlineExceeded => "deadline exceeded: the call ran longer than the namespace's deadline",
            TrapCode::InterruptRequested => "interrupted: the namespace's interrupt flag is set",
        }
    }
}

/// Where a trap happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrapOrigin {
    /// Running wasm code called by the embedder.
    #[default]
    Code,
    /// Instantiation, writing active element segment `n` to its table.
    ElementSegment(u32),
    /// Instantiation, writing an active data segment to its memory (boxed: keeps [`Trap`] and
    /// every `Result` of the engine small).
    DataSegment(Box<DataSegmentFault>),
    /// Instantiation, running the start function.
    StartFunction,
    /// Instantiation, evaluating a constant expression (a global's or table's initialiser, an
    /// element segment's item or offset): an allocation that failed.
    ConstExpr,
    /// Running wasm code, in the JS string builtin `fromCodePoint` given this value
    /// ([`TrapCode::InvalidCodePoint`]: V8's text names it).
    CodePoint(u32),
}

/// An active data segment that did not fit at instantiation: `length` bytes at `offset` in a
/// memory of `memory_size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSegmentFault {
    /// The segment's index in the module.
    pub index: u32,
    /// The segment's evaluated offset.
    pub offset: u64,
    /// The segment's length in bytes.
    pub length: u64,
    /// The memory's size in bytes at the time.
    pub memory_size: u64,
}

impl TrapOrigin {
    /// Whether the trap came from writing a segment at instantiation.
    pub fn is_segment(&self) -> bool {
        matches!(self, TrapOrigin::ElementSegment(_) | TrapOrigin::DataSegment(_))
    }

    /// Whether the trap came from an instantiation step rather than from running wasm code
    /// (the start function's): writing a segment or evaluating a constant expression. V8
    /// prefixes these with the API ("WebAssembly.Instance(): ").
    pub fn is_instantiation_step(&self) -> bool {
        self.is_segment() || matches!(self, TrapOrigin::ConstExpr)
    }
}

/// A trap: execution stopped abnormally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// The reason.
    pub code: TrapCode,
    /// Where it happened.
    pub origin: TrapOrigin,
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

/// What a backtrace frame tells of its module (implemented by the core's module, which this
/// ground layer does not name).
pub trait FrameModule: Send + Sync {
    /// A 32-bit hash of the module's bytes (see `Module::hash`).
    fn hash(&self) -> u32;
    /// The module's name from its "name" section, if it has one.
    fn name(&self) -> Option<&str>;
    /// The name of function `index` from the module's "name" section, if it has one.
    fn func_name(&self, index: u32) -> Option<&str>;
}

/// One wasm frame of a trap's backtrace.
#[derive(Clone)]
pub struct TrapFrame {
    /// The module of the function (`Module::owns_frame` tells which one it is).
    pub module: Arc<dyn FrameModule>,
    /// The function's index (imports first).
    pub func_index: u32,
    /// The module byte offset of the trapping instruction (innermost frame) or of the call
    /// (caller frames), when known.
    pub offset: Option<u32>,
}

impl TrapFrame {
    /// Whether `self` and `other` are frames of functions of the same module.
    pub fn same_module(&self, other: &TrapFrame) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.module), Arc::as_ptr(&other.module))
    }
}

impl PartialEq for TrapFrame {
    fn eq(&self, other: &Self) -> bool {
        self.same_module(other) && self.func_index == other.func_index && self.offset == other.offset
    }
}

impl Eq for TrapFrame {}

impl fmt::Debug for TrapFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrapFrame")
            .field("module", &format_args!("{:08x}", self.module.hash()))
            .field("func_index", &self.func_index)
            .field("offset", &self.offset)
            .finish()
    }
}

impl From<TrapCode> for Trap {
    fn from(code: TrapCode) -> Self {
        Trap { code, origin: TrapOrigin::Code, backtrace: Vec::new() }
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.message())
    }
}

/// An error raised by a host function that wasm must not catch, carried through wasm frames
/// untouched and handed back to the embedder at the outermost call. (A host function throws a
/// catchable exception with [`ErrorOf::Exception`] instead.)
pub struct HostError(pub Box<dyn Any>);

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostError(..)")
    }
}

/// Any error of the core, with the store's exceptions `X` (this ground layer does not name the
/// store: the core's error type is `runtime::Error`, `ErrorOf<Exn>`).
#[derive(Debug)]
pub enum ErrorOf<X> {
    /// Decoding or validation failed (boxed, as [`ErrorOf::Link`], to keep `Result`s small).
    Compile(Box<CompileError>),
    /// Linking failed at instantiation.
    Link(Box<LinkError>),
    /// An object could not be allocated (over a limit, or out of memory).
    Resource(ResourceError),
    /// A value of the wrong type was given where a table's or global's type requires another.
    ValueType(ValueTypeError),
    /// Execution trapped.
    Trap(Trap),
    /// A host function failed uncatchably; the payload is the embedder's.
    Host(HostError),
    /// An exception (thrown by wasm or by a host function) that no handler caught. A host
    /// function returns this to throw an exception that wasm handlers can catch.
    Exception(X),
}

impl<X> ErrorOf<X> {
    /// The trap code if this is a trap.
    pub fn trap_code(&self) -> Option<TrapCode> {
        match self {
            ErrorOf::Trap(t) => Some(t.code),
            _ => None,
        }
    }
}

impl<X> From<TrapCode> for ErrorOf<X> {
    fn from(code: TrapCode) -> Self {
        ErrorOf::Trap(Trap::from(code))
    }
}

impl<X> From<Trap> for ErrorOf<X> {
    fn from(t: Trap) -> Self {
        ErrorOf::Trap(t)
    }
}

impl<X> From<LinkError> for ErrorOf<X> {
    fn from(e: LinkError) -> Self {
        ErrorOf::Link(Box::new(e))
    }
}

impl<X> From<ResourceError> for ErrorOf<X> {
    fn from(e: ResourceError) -> Self {
        ErrorOf::Resource(e)
    }
}

impl<X> From<ValueTypeError> for ErrorOf<X> {
    fn from(e: ValueTypeError) -> Self {
        ErrorOf::ValueType(e)
    }
}

impl<X> From<CompileError> for ErrorOf<X> {
    fn from(e: CompileError) -> Self {
        ErrorOf::Compile(Box::new(e))
    }
}

impl<X: fmt::Debug> fmt::Display for ErrorOf<X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorOf::Compile(e) => write!(f, "compile error: {e}"),
            ErrorOf::Link(e) => write!(f, "link error: {e}"),
            ErrorOf::Resource(e) => write!(f, "resource error: {e}"),
            ErrorOf::ValueType(e) => write!(f, "type error: {e}"),
            ErrorOf::Trap(t) => write!(f, "trap: {t}"),
            ErrorOf::Host(_) => f.write_str("host error"),
            ErrorOf::Exception(e) => write!(f, "uncaught exception: {e:?}"),
        }
    }
}

impl<X: fmt::Debug> std::error::Error for ErrorOf<X> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The core's error type has exceptions of one pointer (`runtime::Exn` is an `Rc`).
    type Error = ErrorOf<std::rc::Rc<()>>;

    /// Typed errors must not make every `Result` of the engine much larger: the big variants are
    /// boxed (before the typed errors, `Error` was 48 bytes; a data segment's fault, boxed in
    /// [`TrapOrigin`], makes the origin two words and `Error` 56).
    #[test]
    fn error_stays_small() {
        assert!(std::mem::size_of::<Error>() <= 56, "{}", std::mem::size_of::<Error>());
    }

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
            (TrapCode::ElemSegmentOutOfBounds, "element segment out of bounds"),
            (TrapCode::FuncSigMismatch, "null function or function signature mismatch"),
            (TrapCode::DataSegmentOutOfBounds, "data segment is out of bounds"),
            (TrapCode::DataSegmentRangeOutOfBounds, "data segment out of bounds"),
            (TrapCode::StackOverflow, "Maximum call stack size exceeded"),
            (TrapCode::RethrowNull, "rethrowing null value"),
        ];
        for (code, text) in all {
            assert_eq!(code.message(), text);
            assert_eq!(Error::from(code).trap_code(), Some(code));
        }
    }
}
