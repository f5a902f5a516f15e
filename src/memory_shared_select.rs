//! The `buffer`s of shared memories, by the way this process makes them (decided once, see
//! `v8_api.rs`): fixed-length SharedArrayBuffers over the core's bytes through the V8 shim
//! (`memory_shared.rs`) when it is usable, else growable SharedArrayBuffers that V8 allocates
//! (`memory_shared_growable.rs`: Deno, Bun, builds without the shim).

use std::rc::Rc;

use jitless_wasm_core::Memory;

use crate::memory_shared_growable as growable;
use crate::raw::{Env, JsResult, Value};
use crate::state::State;

/// Whether the V8 shim makes this process's shared buffers.
fn with_shim() -> bool {
    cfg!(jitless_v8_shim) && crate::v8_api::features().sab
}

/// Whether a shared memory's bytes are ours (reported to V8 as external memory).
pub(crate) fn own_bytes() -> bool {
    with_shim()
}

/// The `buffer` state of a shared memory.
pub(crate) enum SharedBuffers {
    #[cfg(jitless_v8_shim)]
    Shim(crate::memory_shared::SharedBuffers),
    Growable(growable::SharedBuffers),
}

impl SharedBuffers {
    /// The buffer state of `mem` if it is shared.
    pub(crate) fn of(st: &Rc<State>, mem: &Memory) -> Option<SharedBuffers> {
        #[cfg(jitless_v8_shim)]
        if with_shim() {
            return crate::memory_shared::SharedBuffers::of(st, mem).map(SharedBuffers::Shim);
        }
        growable::SharedBuffers::of(st, mem).map(SharedBuffers::Growable)
    }

    /// The grow hook's part: the next `buffer` is a new object.
    pub(crate) fn grown(&self) {
        match self {
            #[cfg(jitless_v8_shim)]
            SharedBuffers::Shim(s) => s.grown(),
            SharedBuffers::Growable(s) => s.grown(),
        }
    }

    /// `buffer`: https://webassembly.github.io/threads/js-api/#dom-memory-buffer
    pub(crate) fn buffer(&self, env: Env, mem: &Memory) -> JsResult<Value> {
        match self {
            #[cfg(jitless_v8_shim)]
            SharedBuffers::Shim(s) => s.buffer(env, mem),
            SharedBuffers::Growable(s) => s.buffer(env, mem),
        }
    }
}

/// Installs this thread's shared-memory allocator when V8 must allocate the bytes.
pub(crate) fn install(st: &Rc<State>) {
    if !with_shim() {
        growable::install(st);
    }
}
