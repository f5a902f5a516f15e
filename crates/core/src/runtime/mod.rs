//! Runtime objects of the store: functions, memories, tables, globals and instances.
//!
//! Objects are reference-counted handles (`Rc`): cloning a handle shares the object, and an
//! object lives as long as any handle (a JS wrapper, an instance, a table slot) refers to it.
//! They are single-threaded (`!Send`); a [`crate::Module`] is `Send + Sync` and can be compiled
//! on another thread.

mod cycles;
mod embedder;
mod exception;
mod func;
pub mod gc;
mod global;
mod instance;
mod instantiate;
pub(crate) mod interrupt;
pub(crate) mod limiter;
mod memory;
pub(crate) mod parking;
mod reservation;
mod table;
mod tag;
mod watchdog;

pub use cycles::{collect_cycles, collector_work, note_release};
pub use embedder::{EmbedderSlot, SharedSlot};
pub use exception::Exn;
pub(crate) use func::FuncInst;
pub use func::{FuncRef, HostFunc, NumericFunc};
pub use global::Global;
pub use instance::Instance;
pub(crate) use instance::InstanceInner;
pub use interrupt::{set_interrupt_hook, InterruptHandle, InterruptHook, INTERRUPT_POLL, INTERRUPT_STOP};
pub use limiter::{CompileOptions, InterruptFlag, LimitKind, LimitsConfig, NamespaceLimits, WATCH_PERIOD};
pub use memory::{
    set_shared_memory_allocator, CommitHook, ExternalAtomics, Memory, MemoryAlias, SharedMemory, SharedMemoryAllocator,
    MAX_PAGES, MAX_PAGES64, PAGE_SIZE,
};
pub use reservation::{
    reclaim_count, reservation_limits, reservation_usage, set_reclaim_hook, set_reservation_limits, ReclaimHook,
};
pub use table::Table;

/// An error of the core: [`crate::error::ErrorOf`] with the store's exceptions.
pub type Error = crate::error::ErrorOf<Exn>;

/// A value of the store: [`crate::value::ValOf`] with the store's function and exception
/// references.
pub type Val = crate::value::ValOf<FuncRef, Exn>;
pub use tag::Tag;
pub use watchdog::{start_watchdog, PERIOD as WATCHDOG_PERIOD};

/// An external value: what a module imports or exports.
#[derive(Debug, Clone)]
pub enum Extern {
    /// A function.
    Func(FuncRef),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
    /// A tag (exception handling).
    Tag(Tag),
}

impl Extern {
    /// The JS-API "kind" string: "function", "table", "memory", "global" or "tag".
    pub fn kind_name(&self) -> &'static str {
        match self {
            Extern::Func(_) => "function",
            Extern::Table(_) => "table",
            Extern::Memory(_) => "memory",
            Extern::Global(_) => "global",
            Extern::Tag(_) => "tag",
        }
    }
}
