//! Object access with the slot resolved by the caller (the interpreter resolves a field's
//! offset, size and kind, or an array's element size, when it translates the instruction: no
//! layout look-up per access), and the bulk array operations (`array.fill`, `array.copy`,
//! `array.new_data`/`array.init_data`) over the payload's bytes.
//!
//! The payload's bytes are its words' little-endian bytes (what [`Heap::read`] and
//! [`Heap::write`] shift out and in), so the byte view below needs a little-endian host (every
//! target the addon is built for).

#[cfg(target_endian = "big")]
compile_error!("the GC heap's byte view of payloads assumes a little-endian host");

use super::heap::header_len;
use super::{GcRef, Heap, Shape, SlotKind};

impl Heap {
    /// The `size` bytes at byte `offset` of object `r`'s payload, zero-extended (a field
    /// resolved by the caller; `r` must be a live object with such a field).
    #[inline]
    pub fn field_get(&self, r: GcRef, offset: u32, size: u32) -> u128 {
        self.read(self.header_of(r).0, offset, size)
    }

    /// Writes the low `size` bytes of `value` at byte `offset` of object `r`'s payload, a
    /// field of kind `kind` (a reference goes through the write barrier).
    #[inline(always)]
    pub fn field_set(&mut self, r: GcRef, offset: u32, size: u32, kind: SlotKind, value: u128) {
        let addr = self.header_of(r).0;
        self.write_slot(addr, offset, size, kind, value)
    }

    /// Element `i` of array `r` whose elements are `size` bytes (`None`: out of bounds).
    #[inline]
    pub fn element_get(&self, r: GcRef, i: u32, size: u32) -> Option<u128> {
        let (addr, h) = self.header_of(r);
        (i < header_len(h)).then(|| self.read(addr, i * size, size))
    }

    /// Sets element `i` of array `r` whose elements are `size` bytes of kind `kind` (`None`:
    /// out of bounds, nothing written).
    #[inline(always)]
    pub fn element_set(&mut self, r: GcRef, i: u32, size: u32, kind: SlotKind, value: u128) -> Option<()> {
        let (addr, h) = self.header_of(r);
        if i >= header_len(h) {
            return None;
        }
        self.write_slot(addr, i * size, size, kind, value);
        Some(())
    }

    /// The byte range of elements `at..at + n` (of `size` bytes) of array `r` in the heap's
    /// byte view (`None`: out of bounds).
    fn element_bytes(&self, r: GcRef, at: u32, n: u32, size: u32) -> Option<std::ops::Range<usize>> {
        let (addr, h) = self.header_of(r);
        if u64::from(at) + u64::from(n) > u64::from(header_len(h)) {
            return None;
        }
        let start = (addr + 1) * 8 + at as usize * size as usize;
        Some(start..start + n as usize * size as usize)
    }

    /// The heap's words as bytes.
    fn bytes_mut(&mut self) -> &mut [u8] {
        let len = self.words.len() * 8;
        // SAFETY: the words are initialised, `u8` has alignment 1 and no invalid values, and
        // the slice covers exactly the words' bytes while borrowing them mutably.
        unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast::<u8>(), len) }
    }

    /// `array.fill`: elements `at..at + n` (of `size` bytes, of kind `kind`) of array `r` set
    /// to `value` (`None`: out of bounds, nothing written).
    pub fn array_fill(&mut self, r: GcRef, at: u32, n: u32, size: u32, kind: SlotKind, value: u128) -> Option<()> {
        let range = self.element_bytes(r, at, n, size)?;
        self.barrier(kind, value as u64);
        let v = value.to_le_bytes();
        let bytes = &mut self.bytes_mut()[range];
        if size == 1 {
            bytes.fill(v[0]);
        } else {
            for e in bytes.chunks_exact_mut(size as usize) {
                e.copy_from_slice(&v[..size as usize]);
            }
        }
        Some(())
    }

    /// `array.copy`: elements `sat..sat + n` of array `s` to `dat..` of array `d` (both of
    /// `size`-byte elements; overlapping ranges copy as if through a temporary). `None`: out
    /// of bounds, nothing written.
    pub fn array_copy(&mut self, d: GcRef, dat: u32, s: GcRef, sat: u32, n: u32, size: u32) -> Option<()> {
        let to = self.element_bytes(d, dat, n, size)?;
        let from = self.element_bytes(s, sat, n, size)?;
        if self.is_marking() {
            self.shade_copied(d, from.clone());
        }
        self.bytes_mut().copy_within(from, to.start);
        Some(())
    }

    /// While marking: the write barrier of `array.copy` into array `d` of the elements at byte
    /// range `from` of the heap (shaded before they are copied, when `d` holds references).
    #[cold]
    fn shade_copied(&mut self, d: GcRef, from: std::ops::Range<usize>) {
        if let Shape::Array(a) = self.shape(self.shape_of(d)) {
            if a.kind != SlotKind::Bytes {
                for word in from.start / 8..from.end / 8 {
                    self.shade(self.words[word]);
                }
            }
        }
    }

    /// `array.new_data`/`array.init_data`: elements `at..` of array `r` (of `size` bytes) from
    /// `bytes` (a whole number of elements, little-endian; numbers only, as validation ensures:
    /// no write barrier). `None`: out of bounds.
    pub fn array_write_bytes(&mut self, r: GcRef, at: u32, size: u32, bytes: &[u8]) -> Option<()> {
        let n = u32::try_from(bytes.len() / size as usize).ok()?;
        let range = self.element_bytes(r, at, n, size)?;
        self.bytes_mut()[range].copy_from_slice(bytes);
        Some(())
    }
}
