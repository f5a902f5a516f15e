//! # jitless-wasm-core
//!
//! A WebAssembly interpreter in pure Rust, with no dependency on Node or napi. It decodes and
//! validates modules with `wasmparser`, translates each function body once into a compact
//! slot-addressed internal form ([`engine`]), and executes it on a heap-allocated stack (wasm
//! calls never recurse on the native stack).
//!
//! The public API mirrors the WebAssembly core spec's runtime vocabulary:
//!
//! * [`Module`]: a validated, translated module (`Module::new(bytes)`).
//! * [`Instance`]: an instantiated module (`Instance::new(&module, &imports)`).
//! * [`Memory`], [`Table`], [`Global`], [`FuncRef`]: the external values a module imports and
//!   exports ([`Extern`]).
//! * [`Tag`], [`Exn`]: exception tags and exception instances (exception handling).
//! * [`EmbedderSlot`]: the embedder's typed data on instances, memories, tables, globals, tags
//!   and exceptions (for the binding: their JS objects), one entry per embedder context.
//! * [`Val`]: a typed value at the API boundary (floats kept as raw bits so NaN payloads survive).
//! * [`Error`]: compile, link, trap and host errors; [`TrapCode`] carries V8's message texts.
//!
//! ```
//! use jitless_wasm_core::{Module, Instance, Val, Extern};
//! let bytes = jitless_wasm_core::text::wat_to_wasm(
//!     r#"(module (func (export "add") (param i32 i32) (result i32)
//!            local.get 0 local.get 1 i32.add))"#).unwrap();
//! let module = Module::new(&bytes).unwrap();
//! let instance = Instance::new(&module, &[]).unwrap();
//! let Some(Extern::Func(add)) = instance.export("add") else { panic!() };
//! let mut results = Vec::new();
//! add.call(&[Val::I32(2), Val::I32(40)], &mut results).unwrap();
//! assert_eq!(results, vec![Val::I32(42)]);
//! ```

#![deny(missing_docs)]

pub mod engine;
pub mod error;
pub mod module;
pub mod native_stack;
pub mod runtime;
mod sys;
pub mod text;
pub mod types;
pub mod value;

pub use engine::Module;
pub use error::{
    CompileError, CompileErrorKind, CompileLimit, DataSegmentFault, ErrorOf, Feature, FrameModule, HostError,
    ImportMismatch, ImportRef, LimitsOf, LimitsRule, LinkError, ResourceError, Trap, TrapCode, TrapFrame, TrapOrigin,
    ValueTypeError, MAX_BACKTRACE,
};
pub use module::{
    BuiltinOptions, CompileTimeImports, ExportDesc, ImportDesc, ImportRole, JsStringBuiltin, Profile, PROFILES,
};
pub use runtime::{
    CompileOptions, EmbedderSlot, Error, Exn, Extern, FuncRef, Global, HostFunc, Instance, InterruptFlag, LimitKind,
    LimitsConfig, Memory, NamespaceLimits, NumericFunc, SharedMemory, Table, Tag, Val, WATCH_PERIOD,
};
pub use types::{
    ArrayType, CompositeType, ExternType, FieldType, FuncType, FuncTypeId, GlobalType, HeapType, Limits, MemoryType,
    RefType, StorageType, StructType, SubType, TableType, TypeKind, ValType,
};
pub use value::{AnyRef, ExternRef, FuncHandle, ObjectRef, ValOf};

/// While a host function runs (called from wasm): the wasm frames that called it, innermost
/// first (the calling function at its call site, then its callers, at most `limit`), as a
/// trap's backtrace would list them; empty outside a host call. For embedders that add wasm
/// frames to the errors their host functions throw.
pub fn host_caller_backtrace(limit: usize) -> Vec<TrapFrame> {
    engine::host_caller_backtrace(limit)
}
