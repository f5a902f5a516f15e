//! Linear memory instances.
//!
//! The bytes live in an address-space reservation made once for the memory's maximum
//! (`mmap(PROT_NONE)`); growing commits more of it (`mprotect`). The base pointer therefore never
//! moves, so an embedder may alias the bytes (the binding's `Memory.buffer` is an external
//! ArrayBuffer over them) for as long as it holds a handle. Bounds are always checked
//! explicitly: no guard-page tricks (inside Node, V8 owns the SIGSEGV handler).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::error::{Error, TrapCode};
use crate::types::{Limits, MemoryType};

/// Bytes per wasm page.
pub const PAGE_SIZE: usize = 65_536;
/// The most pages a 32-bit memory may have (4 GiB), as in the JS-API limits.
pub const MAX_PAGES: u64 = 65_536;

/// A linear memory. Cheap to clone (shared).
#[derive(Clone)]
pub struct Memory(pub(crate) Rc<MemoryInner>);

/// A callback run after every successful grow (from the embedder or from wasm).
pub type GrowHook = Rc<dyn Fn(&Memory)>;

pub(crate) struct MemoryInner {
    ty: Cell<MemoryType>,
    base: *mut u8,
    /// Current size in bytes.
    len: Cell<usize>,
    /// Size of the reservation in bytes.
    reserved: usize,
    grow_hook: RefCell<Option<GrowHook>>,
}

impl Memory {
    /// A new zeroed memory of type `ty` (`limits.min` pages committed, address space for
    /// `limits.max` (or [`MAX_PAGES`]) reserved).
    pub fn new(ty: MemoryType) -> Result<Memory, Error> {
        if ty.memory64 || ty.shared {
            return Err(Error::link("shared and 64-bit memories are not supported yet", None));
        }
        let max_pages = ty.limits.max.unwrap_or(MAX_PAGES).min(MAX_PAGES);
        if ty.limits.min > max_pages {
            return Err(Error::link("memory size exceeds the maximum", None));
        }
        let reserved = max_pages as usize * PAGE_SIZE;
        let base = if reserved == 0 {
            std::ptr::NonNull::<u8>::dangling().as_ptr()
        } else {
            // SAFETY: an anonymous private PROT_NONE mapping of `reserved` bytes; no existing
            // memory is touched. The result is checked for MAP_FAILED below.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    reserved,
                    libc::PROT_NONE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if p == libc::MAP_FAILED {
                return Err(Error::link("could not reserve address space for a memory", None));
            }
            p as *mut u8
        };
        let mem = MemoryInner { ty: Cell::new(ty), base, len: Cell::new(0), reserved, grow_hook: RefCell::new(None) };
        let bytes = ty.limits.min as usize * PAGE_SIZE;
        if !mem.commit(bytes) {
            return Err(Error::link("could not allocate the memory", None));
        }
        Ok(Memory(Rc::new(mem)))
    }

    /// The memory's current type (`limits.min` is the current size in pages).
    pub fn ty(&self) -> MemoryType {
        self.0.ty.get()
    }

    /// Current size in pages.
    pub fn size_pages(&self) -> u64 {
        (self.0.len.get() / PAGE_SIZE) as u64
    }

    /// Current size in bytes.
    #[inline]
    pub fn data_len(&self) -> usize {
        self.0.len.get()
    }

    /// The base address of the bytes. Stable for the memory's whole life; valid for
    /// [`Memory::data_len`] bytes (which only grows).
    #[inline]
    pub fn data_ptr(&self) -> *mut u8 {
        self.0.base
    }

    /// Grows by `delta` pages; returns the old size in pages, or `None` when the maximum would
    /// be exceeded or the system refuses. Runs the grow hook after a successful grow (even of 0
    /// pages: the JS API replaces the buffer on every grow).
    pub fn grow(&self, delta: u64) -> Option<u64> {
        let ty = self.ty();
        let old = self.size_pages();
        let new = old.checked_add(delta)?;
        if new > ty.limits.max.unwrap_or(MAX_PAGES).min(MAX_PAGES) {
            return None;
        }
        if !self.0.commit(new as usize * PAGE_SIZE) {
            return None;
        }
        self.0.ty.set(MemoryType { limits: Limits { min: new, max: ty.limits.max }, ..ty });
        let hook = self.0.grow_hook.borrow().clone();
        if let Some(hook) = hook {
            hook(self);
        }
        Some(old)
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
            Some(end) if end <= self.0.len.get() as u64 => Ok(offset as usize),
            _ => Err(TrapCode::MemOutOfBounds.into()),
        }
    }

    /// Whether two handles denote the same memory.
    pub fn ptr_eq(a: &Memory, b: &Memory) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The address of the memory, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl MemoryInner {
    /// Makes the first `bytes` bytes readable and writable (zeroed when new).
    fn commit(&self, bytes: usize) -> bool {
        let cur = self.len.get();
        if bytes <= cur {
            self.len.set(bytes.max(cur));
            return true;
        }
        if bytes > self.reserved {
            return false;
        }
        // SAFETY: cur..bytes lies inside our own reservation; mprotect only changes protection.
        let rc = unsafe {
            libc::mprotect(self.base.add(cur) as *mut libc::c_void, bytes - cur, libc::PROT_READ | libc::PROT_WRITE)
        };
        if rc != 0 {
            return false;
        }
        self.len.set(bytes);
        true
    }
}

impl Drop for MemoryInner {
    fn drop(&mut self) {
        if self.reserved != 0 {
            // SAFETY: we own the reservation and nothing refers to it any more (every alias holds
            // an `Rc` of this memory, and this is the last one).
            unsafe { libc::munmap(self.base as *mut libc::c_void, self.reserved) };
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
}
