//! Linear memory instances.
//!
//! The bytes live in an address-space reservation made once for the memory's maximum
//! (`crate::sys::reserve`: `mmap(PROT_NONE)`, or `VirtualAlloc(MEM_RESERVE)`); growing commits more of it (`sys::commit`). The base pointer therefore never
//! moves, so an embedder may alias the bytes (the binding's `Memory.buffer` is an external
//! ArrayBuffer over them) for as long as it holds a handle. Bounds are always checked
//! explicitly: no guard-page tricks (inside Node, V8 owns the SIGSEGV handler).
//!
//! The bytes and the current length are in an `Arc`ed [`Bytes`], so that a *shared* memory
//! (threads proposal) can be handed to another thread ([`Memory::share`],
//! [`SharedMemory::memory`]): every handle over the same bytes sees one length, and grows are
//! serialised by a lock.
//!
//! Size limits: 32-bit memories as in the JS API (65,536 pages, 4 GiB); 64-bit memories at most
//! [`MAX_PAGES64`] pages (16 GiB, V8's limit), whatever their declared maximum: a grow beyond it
//! fails (`memory.grow` returns -1) and a larger *minimum* fails to instantiate.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::reservation::{with_reservation, Reservation};
use crate::error::{ResourceError, TrapCode};
use crate::runtime::Error;
use crate::sys;
use crate::types::{Limits, MemoryType};

/// Bytes per wasm page.
pub const PAGE_SIZE: usize = 65_536;
/// The most pages a 32-bit memory may have (4 GiB), as in the JS-API limits.
pub const MAX_PAGES: u64 = 65_536;
/// The most pages a 64-bit memory may have here (16 GiB, as V8): the address space reserved
/// for a memory without a smaller declared maximum.
pub const MAX_PAGES64: u64 = 262_144;

/// A linear memory. Cheap to clone (shared).
#[derive(Clone)]
pub struct Memory(pub(crate) Rc<MemoryInner>);

/// A callback run after every successful grow (from the embedder or from wasm).
pub type GrowHook = Rc<dyn Fn(&Memory)>;

/// A callback that makes the first `n` bytes of an externally provided backing usable (the
/// embedder grows its buffer); `false` when it cannot.
pub type CommitHook = Box<dyn Fn(usize) -> bool>;

/// `memory.atomic.wait`/`notify` for a memory whose bytes the embedder owns, so that wasm's
/// waiters and the embedder's own (e.g. JS `Atomics.wait` on the same SharedArrayBuffer) meet.
pub trait ExternalAtomics {
    /// Waits at byte `offset` (aligned, in bounds) while the `1 << size`-byte value there
    /// (size 2 or 3) equals `expected`, for at most `timeout_ns` (negative: forever). Returns
    /// 0 (woken), 1 (not equal) or 2 (timed out); an error traps.
    fn wait(&self, offset: usize, size: u8, expected: u64, timeout_ns: i64) -> Result<u32, TrapCode>;
    /// Wakes up to `count` waiters at byte `offset`; returns how many.
    fn notify(&self, offset: usize, count: u32) -> u32;
}

/// Allocates the bytes of *shared* memories for an embedder whose shared memories need a
/// backing of its own (the binding: a JS `SharedArrayBuffer`); see
/// [`set_shared_memory_allocator`].
pub type SharedMemoryAllocator = Rc<dyn Fn(MemoryType) -> Result<Memory, Error>>;

thread_local! {
    /// This thread's [`SharedMemoryAllocator`], if the embedder installed one.
    static SHARED_ALLOCATOR: RefCell<Option<SharedMemoryAllocator>> = const { RefCell::new(None) };
}

/// Installs (or removes) the allocator [`Memory::new`] uses for shared memory types on this
/// thread (from the embedder's API and for memories a module defines).
pub fn set_shared_memory_allocator(allocator: Option<SharedMemoryAllocator>) {
    SHARED_ALLOCATOR.with(|a| *a.borrow_mut() = allocator);
}

/// The bytes of a memory and its current length; shared by every handle of the memory, in
/// any thread.
pub(crate) struct Bytes {
    base: *mut u8,
    /// Current size in bytes (only grows).
    len: AtomicUsize,
    /// Size of the reservation in bytes (the effective maximum).
    reserved: usize,
    /// Whether `base..base+reserved` is our own mapping (unmapped on drop).
    owned: bool,
    /// Whether that mapping's pages are shared (a shared memory's from the start; an unshared
    /// memory's once [`Memory::alias_into`] made them so), so they can be mapped again.
    pages_shared: std::sync::atomic::AtomicBool,
    /// Serialises grows (of shared memories from several threads).
    grow_lock: Mutex<()>,
    /// The share of the address-space budget that the reservation holds (own mappings only).
    _share: Option<Reservation>,
    /// The embedder's data on the bytes, shared by every thread (for the binding: the V8
    /// backing stores of a shared memory's buffers).
    embedder: super::SharedSlot,
}

// SAFETY: `Bytes` owns (or, for an external backing, is kept alive together with) a fixed
// mapping; the length is atomic and grows are serialised by `grow_lock`. Concurrent accesses
// to the bytes themselves are wasm's shared-memory semantics (atomics use atomic instructions).
unsafe impl Send for Bytes {}
// SAFETY: as above.
unsafe impl Sync for Bytes {}

pub(crate) struct MemoryInner {
    /// The declared type (`limits.min` is the initial size).
    ty: MemoryType,
    bytes: Arc<Bytes>,
    /// A copy of `bytes.base` (one indirection less on the hot paths).
    base: *mut u8,
    grow_hook: RefCell<Option<GrowHook>>,
    /// For an external backing: grows the embedder's buffer.
    commit_hook: Option<CommitHook>,
    /// For an external backing: what keeps it alive (the embedder's data about it).
    keep: Option<Box<dyn Any>>,
    /// The embedder's wait/notify (else the process-wide parking lot).
    atomics: RefCell<Option<Rc<dyn ExternalAtomics>>>,
    /// In a limited namespace: the memory's bytes in its `maxMemoryBytes` budget.
    limit: std::cell::OnceCell<super::limiter::Charge>,
    /// The embedder's data (for the binding: the JS wrapper and the `buffer` state), one per
    /// handle: each thread's handle over a shared memory's bytes has its own.
    embedder: super::EmbedderSlot,
}

/// A handle to a shared memory's bytes that can be sent to another thread, where
/// [`SharedMemory::memory`] makes a [`Memory`] over the same bytes.
#[derive(Clone)]
pub struct SharedMemory {
    ty: MemoryType,
    bytes: Arc<Bytes>,
}

impl SharedMemory {
    /// A memory handle (for the current thread) over the shared bytes.
    pub fn memory(&self) -> Memory {
        Memory(Rc::new(MemoryInner {
            ty: self.ty,
            base: self.bytes.base,
            bytes: self.bytes.clone(),
            grow_hook: RefCell::new(None),
            commit_hook: None,
            keep: None,
            atomics: RefCell::new(None),
            limit: std::cell::OnceCell::new(),
            embedder: super::EmbedderSlot::new(),
        }))
    }

    /// The embedder's data on the shared bytes (one for the process).
    pub fn embedder(&self) -> &super::SharedSlot {
        &self.bytes.embedder
    }

    /// The base address of the bytes (stable; valid for [`SharedMemory::data_len`] bytes).
    pub fn data_ptr(&self) -> *mut u8 {
        self.bytes.base
    }

    /// The current size in bytes (only grows; another thread may grow it at any time).
    pub fn data_len(&self) -> usize {
        self.bytes.len.load(Ordering::Acquire)
    }

    /// The first `len` bytes (at most the current length) mapped once more, at a new address:
    /// the same pages, so writes through either are seen through both. (The binding gives each
    /// JS `buffer` of a different length its own address: V8 assumes that two live buffers
    /// with different backing stores never share an address.) `None` when the system refuses.
    /// (Linux only: `None` elsewhere, see `crate::sys`.)
    pub fn alias(&self, len: usize) -> Option<MemoryAlias> {
        if len > self.data_len() {
            return None;
        }
        if len == 0 {
            return Some(MemoryAlias { ptr: std::ptr::NonNull::dangling().as_ptr(), len });
        }
        // SAFETY: `base..base+len` is committed (readable and writable) in our own shared
        // reservation (a shared memory's pages are shared, see `new_mapped`).
        let p = unsafe { sys::alias(self.bytes.base, len) }?;
        Some(MemoryAlias { ptr: p, len })
    }
}

/// A second mapping of the first bytes of a shared memory (see [`SharedMemory::alias`]),
/// unmapped on drop.
pub struct MemoryAlias {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the alias is a plain mapping of shared pages that only its owner unmaps (once, on
// drop); which thread does so does not matter.
unsafe impl Send for MemoryAlias {}

impl MemoryAlias {
    /// The address of the alias (dangling, never dereferenced, when empty).
    pub fn ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for MemoryAlias {
    fn drop(&mut self) {
        if self.len != 0 {
            // SAFETY: `ptr..ptr+len` is the mapping `SharedMemory::alias` made, owned by this
            // value alone.
            unsafe { sys::release(self.ptr, self.len) };
        }
    }
}

/// The effective maximum in pages of a memory of type `ty`.
fn max_pages(ty: &MemoryType) -> u64 {
    let limit = if ty.memory64 { MAX_PAGES64 } else { MAX_PAGES };
    ty.limits.max.unwrap_or(limit).min(limit)
}

impl Memory {
    /// A new zeroed memory of type `ty` (`limits.min` pages committed, address space for
    /// `limits.max` (or [`MAX_PAGES`] / [`MAX_PAGES64`]) reserved).
    /// A shared type goes to this thread's [`SharedMemoryAllocator`] if there is one.
    pub fn new(ty: MemoryType) -> Result<Memory, Error> {
        if ty.shared {
            if let Some(allocate) = SHARED_ALLOCATOR.with(|a| a.borrow().clone()) {
                return allocate(ty);
            }
        }
        Self::new_mapped(ty)
    }

    /// A new zeroed memory in a reservation of its own (see [`Memory::new`]). The reservation
    /// draws on the process-wide budget ([`super::reservation`]); when the budget or the system
    /// cannot provide it, unreachable objects are reclaimed and the allocation is retried once,
    /// then it fails with [`ResourceError::MemoryReserve`] (the binding throws a `RangeError`, as V8).
    pub fn new_mapped(ty: MemoryType) -> Result<Memory, Error> {
        let max = max_pages(&ty);
        if ty.limits.min > max {
            return Err(ResourceError::MemorySize { pages: ty.limits.min, max }.into());
        }
        let reserved = max as usize * PAGE_SIZE;
        let initial = ty.limits.min as usize * PAGE_SIZE;
        let mem = with_reservation(reserved, |share| {
            let base = if reserved == 0 {
                std::ptr::NonNull::<u8>::dangling().as_ptr()
            } else {
                // A shared memory's pages are shared, so that [`SharedMemory::alias`] can map
                // them at a second address.
                sys::reserve(reserved, ty.shared)?
            };
            let bytes = Arc::new(Bytes {
                base,
                len: AtomicUsize::new(0),
                reserved,
                owned: true,
                pages_shared: ty.shared.into(),
                grow_lock: Mutex::new(()),
                _share: Some(share),
                embedder: super::SharedSlot::new(),
            });
            let mem = MemoryInner {
                ty,
                bytes,
                base,
                grow_hook: RefCell::new(None),
                commit_hook: None,
                keep: None,
                atomics: RefCell::new(None),
                limit: std::cell::OnceCell::new(),
                embedder: super::EmbedderSlot::new(),
            };
            // (On failure the mapping and the budget share go with `mem`.)
            mem.commit(initial).then_some(mem)
        });
        mem.map(|m| Memory(Rc::new(m))).ok_or_else(|| ResourceError::MemoryReserve { bytes: reserved }.into())
    }

    /// A memory of type `ty` over bytes the embedder provides: `base` is valid for `reserved`
    /// bytes once committed, of which the first `ty.limits.min` pages already are (zeroed);
    /// `commit(n)` makes the first `n` bytes usable on a grow; `keep` keeps the backing alive
    /// as long as this memory; `atomics`, if given, implements wait/notify. Used for shared
    /// memories whose bytes a JS `SharedArrayBuffer` owns.
    ///
    /// # Safety
    /// `base` must stay valid for reads and writes of the committed length until `keep` is
    /// dropped, and never move.
    pub unsafe fn from_external(
        ty: MemoryType,
        base: *mut u8,
        reserved: usize,
        commit: CommitHook,
        keep: Box<dyn Any>,
        atomics: Option<Box<dyn ExternalAtomics>>,
    ) -> Result<Memory, Error> {
        let len = ty.limits.min as usize * PAGE_SIZE;
        if len > reserved || ty.limits.min > max_pages(&ty) {
            let max = max_pages(&ty).min((reserved / PAGE_SIZE) as u64);
            return Err(ResourceError::MemorySize { pages: ty.limits.min, max }.into());
        }
        let bytes = Arc::new(Bytes {
            base,
            len: AtomicUsize::new(len),
            reserved,
            owned: false,
            pages_shared: false.into(),
            grow_lock: Mutex::new(()),
            _share: None,
            embedder: super::SharedSlot::new(),
        });
        Ok(Memory(Rc::new(MemoryInner {
            ty,
            bytes,
            base,
            grow_hook: RefCell::new(None),
            commit_hook: Some(commit),
            keep: Some(keep),
            atomics: RefCell::new(atomics.map(Rc::from)),
            limit: std::cell::OnceCell::new(),
            embedder: super::EmbedderSlot::new(),
        })))
    }

    /// For a shared memory with its own mapping, a handle that another thread can turn into a
    /// [`Memory`] over the same bytes; `None` for an unshared or externally backed memory.
    pub fn share(&self) -> Option<SharedMemory> {
        (self.0.ty.shared && self.0.bytes.owned).then(|| SharedMemory { ty: self.0.ty, bytes: self.0.bytes.clone() })
    }

    /// The size in bytes of the address space reserved for the memory: its effective maximum
    /// (`maximum` pages, capped at [`MAX_PAGES`] or [`MAX_PAGES64`]).
    pub fn reserved_len(&self) -> usize {
        self.0.bytes.reserved
    }

    /// Maps the memory's whole reservation once more over the `reserved_len()` bytes at
    /// `target`, readable and writable: the same pages, so writes through either address are
    /// seen through both, and a grow of the memory makes more of them meaningful at both. The
    /// binding aliases a memory into the reservation of a resizable buffer that V8 made. An
    /// unshared memory's pages are first made shared, in place (a copy of the committed bytes,
    /// once). `false` (nothing at `target` changed) for an empty reservation, a memory whose
    /// bytes the embedder provides, or where the system cannot (Linux only, see `crate::sys`).
    ///
    /// The alias stays valid after the memory is dropped (the pages live while any mapping of
    /// them does); unmapping it is up to whoever owns `target`.
    ///
    /// # Safety
    /// `target` must be page-aligned and `target..target+reserved_len()` address space that the
    /// caller may replace (its old contents are lost).
    pub unsafe fn alias_into(&self, target: *mut u8) -> bool {
        let b = &*self.0.bytes;
        if !b.owned || b.reserved == 0 {
            return false;
        }
        let _guard = b.grow_lock.lock().unwrap_or_else(|e| e.into_inner());
        if !b.pages_shared.load(Ordering::Acquire) {
            // SAFETY: our own whole reservation, its committed length read under the grow lock;
            // the pages are private only for an unshared memory, which this thread alone uses.
            if !unsafe { sys::share_in_place(b.base, b.len.load(Ordering::Acquire), b.reserved) } {
                return false;
            }
            b.pages_shared.store(true, Ordering::Release);
        }
        // SAFETY: `base..base+reserved` is our shared reservation; `target` is the caller's.
        unsafe { sys::alias_at(b.base, b.reserved, target) }
    }

    /// The memory's current type (`limits.min` is the current size in pages).
    pub fn ty(&self) -> MemoryType {
        let ty = self.0.ty;
        MemoryType { limits: Limits { min: self.size_pages(), max: ty.limits.max }, ..ty }
    }

    /// Whether the memory is indexed by i64.
    #[inline]
    pub fn is_64(&self) -> bool {
        self.0.ty.memory64
    }

    /// Whether the memory is shared.
    #[inline]
    pub fn is_shared(&self) -> bool {
        self.0.ty.shared
    }

    /// Current size in pages.
    pub fn size_pages(&self) -> u64 {
        (self.data_len() / PAGE_SIZE) as u64
    }

    /// Current size in bytes.
    #[inline]
    pub fn data_len(&self) -> usize {
        self.0.bytes.len.load(Ordering::Acquire)
    }

    /// The base address of the bytes. Stable for the memory's whole life; valid for
    /// [`Memory::data_len`] bytes (which only grows).
    #[inline]
    pub fn data_ptr(&self) -> *mut u8 {
        self.0.base
    }

    /// Counts this memory's bytes (now and after each grow) against `limits`'s
    /// `maxMemoryBytes`; an error naming the cap if its current size does not fit. A memory
    /// counts against one namespace only (later calls do nothing).
    pub fn set_limits(&self, limits: &Rc<super::NamespaceLimits>) -> Result<(), Error> {
        if self.0.limit.get().is_some() {
            return Ok(());
        }
        let charge = super::limiter::Charge::take(limits, super::LimitKind::MemoryBytes, self.data_len() as u64)?;
        let _ = self.0.limit.set(charge);
        Ok(())
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` when the maximum would
    /// be exceeded or the system refuses. Runs the grow hook after a successful grow (even of 0
    /// pages: the JS API replaces the buffer on every grow).
    pub fn grow(&self, delta: u64) -> Option<u64> {
        let old = {
            let _guard = self.0.bytes.grow_lock.lock().unwrap_or_else(|e| e.into_inner());
            let old = self.size_pages();
            let new = old.checked_add(delta)?;
            if new > max_pages(&self.0.ty) {
                return None;
            }
            // A limited namespace's cap: refused growth is -1 in wasm, a RangeError in JS.
            if let Some(limit) = self.0.limit.get() {
                if !limit.grow(delta * PAGE_SIZE as u64) {
                    return None;
                }
            }
            if !self.0.commit(new as usize * PAGE_SIZE) {
                // (A failed commit leaves the charge taken: the namespace is out of memory anyway.)
                return None;
            }
            old
        };
        let hook = self.0.grow_hook.borrow().clone();
        if let Some(hook) = hook {
            hook(self);
        }
        Some(old)
    }

    /// `memory.atomic.wait` at byte `offset` (aligned and in bounds) of a shared memory: see
    /// [`ExternalAtomics::wait`].
    pub(crate) fn wait(&self, offset: usize, size: u8, expected: u64, timeout_ns: i64) -> Result<u32, TrapCode> {
        let external = self.0.atomics.borrow().clone();
        if let Some(a) = external {
            return a.wait(offset, size, expected, timeout_ns);
        }
        let p = self.0.base.wrapping_add(offset);
        let still = || {
            // SAFETY: the caller checked that `offset` is an aligned in-bounds address of
            // `1 << size` bytes; the memory is live.
            let v = unsafe {
                if size == 2 {
                    std::sync::atomic::AtomicU32::from_ptr(p as *mut u32).load(Ordering::SeqCst).to_le() as u64
                } else {
                    std::sync::atomic::AtomicU64::from_ptr(p as *mut u64).load(Ordering::SeqCst).to_le()
                }
            };
            v == if size == 2 { expected as u32 as u64 } else { expected }
        };
        super::parking::wait(p as usize, still, timeout_ns).map(|r| r as u32)
    }

    /// `memory.atomic.notify` at byte `offset` of a shared memory: see [`ExternalAtomics::notify`].
    pub(crate) fn notify(&self, offset: usize, count: u32) -> u32 {
        let external = self.0.atomics.borrow().clone();
        match external {
            Some(a) => a.notify(offset, count),
            None => super::parking::notify(self.0.base.wrapping_add(offset) as usize, count),
        }
    }

    /// Installs (or removes) the embedder's `memory.atomic.wait`/`notify` for this handle (see
    /// [`ExternalAtomics`]); without one, the process-wide parking lot is used.
    pub fn set_external_atomics(&self, atomics: Option<Rc<dyn ExternalAtomics>>) {
        *self.0.atomics.borrow_mut() = atomics;
    }

    /// Installs (or removes) the callback run after every successful grow.
    pub fn set_grow_hook(&self, hook: Option<GrowHook>) {
        *self.0.grow_hook.borrow_mut() = hook;
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`; traps when out of bounds.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let start = self.check(offset, buf.len() as u64)?;
        // SAFETY: `check` proved start..start+len lies within the committed bytes.
        unsafe { std::ptr::copy_nonoverlapping(self.0.base.add(start), buf.as_mut_ptr(), buf.len()) };
        Ok(())
    }

    /// Copies `data` to `offset`; traps when out of bounds (nothing is written then).
    pub fn write(&self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let start = self.check(offset, data.len() as u64)?;
        // SAFETY: `check` proved start..start+len lies within the committed bytes; `data` is a
        // Rust slice and cannot overlap memory we only reach through the raw base pointer
        // unless the caller built it from `data_ptr`, in which case copy (memmove) is safe.
        unsafe { std::ptr::copy(data.as_ptr(), self.0.base.add(start), data.len()) };
        Ok(())
    }

    /// Checks that `offset..offset+len` is in bounds; returns `offset` as a usize.
    #[inline]
    pub fn check(&self, offset: u64, len: u64) -> Result<usize, Error> {
        match offset.checked_add(len) {
            Some(end) if end <= self.data_len() as u64 => Ok(offset as usize),
            _ => Err(TrapCode::MemOutOfBounds.into()),
        }
    }

    /// Whether two handles denote the same memory.
    pub fn ptr_eq(a: &Memory, b: &Memory) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The `keep` object of a memory over external bytes ([`Memory::from_external`]): the
    /// embedder's own data about its backing (`None` for other memories).
    pub fn external_keep(&self) -> Option<&dyn Any> {
        self.0.keep.as_deref()
    }

    /// The embedder's data on this memory handle.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
    }

    /// The address of the memory, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl MemoryInner {
    /// Makes the first `bytes` bytes readable and writable (zeroed when new). Called with the
    /// grow lock held (or before the memory is shared).
    fn commit(&self, bytes: usize) -> bool {
        let b = &*self.bytes;
        let cur = b.len.load(Ordering::Acquire);
        if bytes <= cur {
            return true;
        }
        if bytes > b.reserved {
            return false;
        }
        if let Some(commit) = &self.commit_hook {
            if !commit(bytes) {
                return false;
            }
        } else {
            // SAFETY: cur..bytes lies inside our own reservation, not released while `b` lives.
            if !unsafe { sys::commit(b.base.add(cur), bytes - cur) } {
                return false;
            }
        }
        b.len.store(bytes, Ordering::Release);
        true
    }
}

impl Drop for Bytes {
    fn drop(&mut self) {
        if self.owned && self.reserved != 0 {
            // SAFETY: we own the reservation and nothing refers to it any more (every alias holds
            // an `Arc` of these bytes, and this is the last one).
            unsafe { sys::release(self.base, self.reserved) };
        }
    }
}

impl fmt::Debug for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Memory({:?}, {} pages)", self.ty(), self.size_pages())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn ty(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType { limits: Limits { min, max }, shared: false, memory64: false }
    }

    #[test]
    fn grow_keeps_base_and_zeroes() {
        let m = Memory::new(ty(1, Some(3))).unwrap();
        let base = m.data_ptr();
        m.write(10, &[1, 2, 3]).unwrap();
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.data_ptr(), base);
        assert_eq!(m.data_len(), 3 * PAGE_SIZE);
        let mut b = [9u8; 4];
        m.read(10, &mut b).unwrap();
        assert_eq!(b, [1, 2, 3, 0]);
        m.read(3 * PAGE_SIZE as u64 - 4, &mut b).unwrap();
        assert_eq!(b, [0; 4]);
        assert_eq!(m.grow(1), None);
        assert!(m.read(3 * PAGE_SIZE as u64 - 3, &mut b).is_err());
    }

    #[test]
    fn grow_hook_runs_on_every_grow() {
        let m = Memory::new(ty(0, None)).unwrap();
        let count = Rc::new(Cell::new(0));
        let c = count.clone();
        m.set_grow_hook(Some(Rc::new(move |_| c.set(c.get() + 1))));
        m.grow(0).unwrap();
        m.grow(1).unwrap();
        assert_eq!(count.get(), 2);
        assert_eq!(m.grow(MAX_PAGES), None);
        assert_eq!(count.get(), 2);
    }

    #[test]
    fn memory64_is_capped_at_16_gib() {
        let t = MemoryType { limits: Limits { min: 1, max: Some(1 << 40) }, shared: false, memory64: true };
        let m = Memory::new(t).unwrap();
        assert_eq!(m.grow(MAX_PAGES64), None);
        assert_eq!(m.grow(u64::MAX), None);
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.data_len(), 3 * PAGE_SIZE);
        m.write(m.data_len() as u64 - 1, &[7]).unwrap();
        assert!(m.write(m.data_len() as u64, &[7]).is_err());
    }

    #[test]
    fn shared_handles_see_one_length() {
        let t = MemoryType { limits: Limits { min: 1, max: Some(4) }, shared: true, memory64: false };
        let m = Memory::new(t).unwrap();
        let s = m.share().unwrap();
        let other = std::thread::spawn(move || {
            let m2 = s.memory();
            m2.write(5, &[42]).unwrap();
            m2.grow(1)
        })
        .join()
        .unwrap();
        assert_eq!(other, Some(1));
        assert_eq!(m.size_pages(), 2);
        let mut b = [0u8];
        m.read(5, &mut b).unwrap();
        assert_eq!(b, [42]);
        assert!(Memory::new(ty(1, None)).unwrap().share().is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    #[cfg(target_os = "linux")]
    fn alias_into_maps_an_unshared_memory_at_a_given_address() {
        let m = Memory::new(ty(1, Some(3))).unwrap();
        m.write(10, &[1, 2, 3]).unwrap();
        let target = sys::reserve(m.reserved_len(), false).unwrap();
        // SAFETY: `target` is a fresh reservation of exactly that length, owned by this test.
        assert!(unsafe { m.alias_into(target) });
        let base = m.data_ptr();
        // SAFETY: both addresses map the memory's 3 reserved pages, readable and writable at
        // `target`; only the first (committed) page is read through `base`.
        unsafe {
            assert_eq!(std::slice::from_raw_parts(target.add(10), 3), &[1, 2, 3], "the contents moved with the pages");
            *target.add(20) = 7;
            assert_eq!(*base.add(20), 7);
            assert_eq!(m.grow(1), Some(1));
            *base.add(PAGE_SIZE + 5) = 9;
            assert_eq!(*target.add(PAGE_SIZE + 5), 9, "grown pages are shared too");
            assert_eq!(m.data_ptr(), base, "the base never moves");
            // A second alias of the same (now shared) pages.
            let second = sys::reserve(m.reserved_len(), false).unwrap();
            assert!(m.alias_into(second));
            assert_eq!(*second.add(PAGE_SIZE + 5), 9);
            drop(m);
            assert_eq!(*target.add(20), 7, "an alias outlives the memory");
            sys::release(second, 3 * PAGE_SIZE);
            sys::release(target, 3 * PAGE_SIZE);
        }
    }

    #[test]
    fn alias_into_refuses_an_empty_reservation() {
        let m = Memory::new(ty(0, Some(0))).unwrap();
        // SAFETY: nothing is mapped for an empty reservation.
        assert!(!unsafe { m.alias_into(std::ptr::NonNull::dangling().as_ptr()) });
    }

    #[test]
    fn an_alias_maps_the_same_pages() {
        let t = MemoryType { limits: Limits { min: 1, max: Some(3) }, shared: true, memory64: false };
        let m = Memory::new(t).unwrap();
        let s = m.share().unwrap();
        m.write(5, &[9]).unwrap();
        assert_eq!(m.grow(1), Some(1));
        let a = s.alias(2 * PAGE_SIZE).unwrap();
        assert_ne!(a.ptr(), m.data_ptr());
        assert_eq!(a.len(), 2 * PAGE_SIZE);
        // SAFETY: the alias maps 2 committed pages.
        let bytes = unsafe { std::slice::from_raw_parts_mut(a.ptr(), a.len()) };
        assert_eq!(bytes[5], 9);
        bytes[PAGE_SIZE + 1] = 4;
        let mut b = [0u8];
        m.read(PAGE_SIZE as u64 + 1, &mut b).unwrap();
        assert_eq!(b, [4]);
        assert!(s.alias(3 * PAGE_SIZE).is_none(), "only committed bytes");
        assert!(s.alias(0).unwrap().is_empty());
        drop(a);
        m.read(5, &mut b).unwrap();
        assert_eq!(b, [9]);
    }
}
