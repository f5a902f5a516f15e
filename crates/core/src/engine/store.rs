//! The engine's one door to the store (`runtime/`): the runtime objects the interpreter names
//! and the accessors through which it reads an instance's state. No other file of `engine/`
//! imports `crate::runtime` (checked by `tests/layers.rs`), so this list is everything the
//! engine knows of the runtime. The accessors are `#[inline(always)]` methods of the runtime's
//! types: the same field loads as reading the fields.

pub(crate) use crate::runtime::gc;
pub(crate) use crate::runtime::interrupt::{
    ask_hook as ask_interrupt_hook, current as thread_interrupt, ThreadInterrupt,
};
pub(crate) use crate::runtime::{
    limiter, Error, Exn, FuncInst, FuncRef, Global, HostFunc, Instance, InstanceInner, Memory, NamespaceLimits, Table,
    Tag, Val, PAGE_SIZE,
};
