//! The operating-system layer of the runtime: address-space reservation for linear memories
//! (reserve once, commit on grow, release), second mappings of a shared memory's pages, the
//! address-space limit, and the current thread's stack bounds. One file per OS family; the rest
//! of the crate calls only these functions.
//!
//! | function | Linux | macOS | Windows |
//! |---|---|---|---|
//! | [`reserve`] | `mmap(PROT_NONE, MAP_NORESERVE)` | `mmap(PROT_NONE)` | `VirtualAlloc(MEM_RESERVE)` |
//! | [`commit`] | `mprotect(RW)` | `mprotect(RW)` | `VirtualAlloc(MEM_COMMIT)` |
//! | [`release`] | `munmap` | `munmap` | `VirtualFree(MEM_RELEASE)` |
//! | [`alias`] | `mremap(old size 0)` | none | none |
//! | [`share_in_place`] | `mmap(MAP_SHARED)` + copy + `mremap(MREMAP_FIXED)` | none | none |
//! | [`alias_at`] | `mremap(old size 0, MREMAP_FIXED)` | none | none |
//! | [`stack_low`] | `pthread_getattr_np` | `pthread_get_stackaddr_np` | `GetCurrentThreadStackLimits` |
//!
//! A reservation's base never moves: committing only changes what is accessible in place.
//! [`alias`] is only needed by the binding's V8 shim (Linux only); elsewhere shared memories'
//! bytes come from the host's SharedArrayBuffers. [`share_in_place`] and [`alias_at`] let the
//! binding map a memory's pages into a resizable buffer's reservation that V8 made (Linux only).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::*;
