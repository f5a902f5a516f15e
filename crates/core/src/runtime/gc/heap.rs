//! The GC heap's storage and allocator: every object is a header word followed by its payload
//! words, in one growable vector of 64-bit words (objects are addressed by word index, so the
//! vector may reallocate). Word 0 is reserved, so no object has address 0 (null).
//!
//! Allocation takes a free cell of exactly the payload's size ([`super::free`]), else bumps
//! through the current free region (a larger free cell taken whole, carved from its start),
//! else bumps the end of the vector. The sweep ([`super::sweep`]) rebuilds the free cells
//! (coalescing neighbours) and gives a free tail back; while a lazy sweep is under way, an
//! allocation that finds no free cell first sweeps a step. The heap has a limit: an
//! allocation that would pass it fails with [`AllocError::HeapLimit`] (the caller collects with
//! its roots and retries, or traps).

use std::collections::HashMap;
use std::sync::Arc;

use super::free::FreeCells;
use super::incremental::Marking;
use super::layout::{ArrayLayout, Shape, SlotKind, StructLayout};
use super::sweep::{Sweep, STEP_WORDS};
use super::GcRef;
use crate::runtime::Val;
use crate::types::FuncTypeId;

/// A registered shape (the layout of one struct or array type) of a heap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeId(pub u32);

/// Why an allocation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocError {
    /// The heap would pass its limit (bytes, headers included).
    HeapLimit {
        /// The bytes the allocation needs.
        requested: u64,
        /// The heap's limit.
        limit: u64,
    },
    /// The object is larger than any object can be (an array of more than 2^31 − 1 elements
    /// or of more than 2^32 − 2 words, or of more elements than the V8 of the module's profile
    /// allows: [`Profile::max_array_len`](crate::Profile::max_array_len)), or the heap's address
    /// space (2^31 words) is full.
    TooLarge,
    /// The shape is not of the kind asked for (a struct's given to `alloc_array` or the
    /// reverse).
    ShapeKind,
}

/// The header word: bits 0–31 the shape (`FREE` for a free cell), bits 32–62 an array's length
/// or a free cell's payload words, bit 63 the mark.
pub(super) const FREE: u32 = u32::MAX;
/// The mark bit of a header.
pub(super) const MARK: u64 = 1 << 63;
/// The largest array length (31 bits of the header).
const MAX_LEN: u32 = (1 << 31) - 1;

/// A header word.
pub(super) fn header(shape: u32, len: u32) -> u64 {
    u64::from(shape) | (u64::from(len) << 32)
}

/// The shape of a header.
pub(super) fn header_shape(h: u64) -> u32 {
    h as u32
}

/// The length field of a header.
pub(super) fn header_len(h: u64) -> u32 {
    ((h & !MARK) >> 32) as u32
}

/// A GC heap: its objects, their shapes and the free cells.
#[derive(Debug)]
pub struct Heap {
    /// The objects (word 0 reserved).
    pub(super) words: Vec<u64>,
    /// The registered shapes, by [`ShapeId`].
    pub(super) shapes: Vec<Shape>,
    /// The shapes of canonical types registered through [`Heap::shape_for`], by the type's
    /// registry index (`u32::MAX`: none yet): no hashing per allocation.
    by_type: Vec<u32>,
    /// The canonical type of each shape registered through [`Heap::shape_for`].
    types: Vec<Option<FuncTypeId>>,
    /// The supertype chain ([`FuncTypeId::display`]) of each shape's type: casts read it
    /// without the type registry's lock.
    displays: Vec<Option<Arc<[FuncTypeId]>>>,
    /// One bit per word: set at the header of each live object (conservative roots are
    /// checked against it).
    pub(super) starts: Vec<u64>,
    /// The host values (functions, exceptions, `externref` payloads) whose addresses objects
    /// hold, by address: kept alive while a live object holds them (pruned by collections).
    pub(super) host: HashMap<u64, Val>,
    /// Free cells: header addresses by payload words.
    pub(super) free: FreeCells,
    /// The free region allocation bumps through: words `region.0..region.1`, a free cell
    /// (with its header) while not empty; reset when a sweep starts.
    pub(super) region: (u32, u32),
    /// Words held by objects (headers included; free cells excluded).
    pub(super) used: u64,
    /// Objects allocated and not yet found dead.
    pub(super) objects: u64,
    /// The lazy sweep under way, if any.
    pub(super) sweep: Option<Sweep>,
    /// Whether an incremental marking cycle is under way (the write barrier is on).
    pub(super) marking: bool,
    /// The marking cycle's state (its mark stack kept between cycles).
    pub(super) mark: Marking,
    /// The limit in words.
    limit: u64,
}

impl Heap {
    /// An empty heap whose objects may take at most `limit_bytes` (headers included).
    pub fn new(limit_bytes: u64) -> Heap {
        Heap {
            words: vec![0],
            shapes: Vec::new(),
            by_type: Vec::new(),
            types: Vec::new(),
            displays: Vec::new(),
            starts: vec![0],
            host: HashMap::new(),
            free: FreeCells::new(),
            region: (0, 0),
            used: 0,
            objects: 0,
            sweep: None,
            marking: false,
            mark: Marking::default(),
            limit: limit_bytes / 8,
        }
    }

    /// Registers a shape; objects of it are allocated with the returned id.
    pub fn add_shape(&mut self, shape: Shape) -> ShapeId {
        self.shapes.push(shape);
        self.types.push(None);
        self.displays.push(None);
        ShapeId(self.shapes.len() as u32 - 1)
    }

    /// The shape of canonical struct or array type `id`, registered on first use (`None` for a
    /// function type).
    #[inline]
    pub fn shape_for(&mut self, id: FuncTypeId) -> Option<ShapeId> {
        match self.by_type.get(id.index()) {
            Some(&shape) if shape != u32::MAX => Some(ShapeId(shape)),
            _ => self.register_shape(id),
        }
    }

    /// Registers the shape of canonical type `id` (see [`Heap::shape_for`]).
    #[cold]
    fn register_shape(&mut self, id: FuncTypeId) -> Option<ShapeId> {
        let shape = self.add_shape(Shape::of(id)?);
        self.types[shape.0 as usize] = Some(id);
        self.displays[shape.0 as usize] = Some(id.display());
        if self.by_type.len() <= id.index() {
            self.by_type.resize(id.index() + 1, u32::MAX);
        }
        self.by_type[id.index()] = shape.0;
        Some(shape)
    }

    /// Whether object `r` (of a shape registered through [`Heap::shape_for`]) is of type
    /// `expected` or a subtype, `depth` being `expected`'s depth in its hierarchy (its
    /// display's length − 1): O(1), without the type registry.
    pub fn is_of_type(&self, r: GcRef, expected: FuncTypeId, depth: usize) -> bool {
        match &self.displays[self.shape_of(r).0 as usize] {
            Some(d) => d.get(depth) == Some(&expected),
            None => false,
        }
    }

    /// The canonical type of object `r` (`None` for a shape added without a type).
    pub fn type_of(&self, r: GcRef) -> Option<FuncTypeId> {
        self.types[self.shape_of(r).0 as usize]
    }

    /// The shape registered for `shape` (its layout).
    pub fn shape(&self, shape: ShapeId) -> &Shape {
        &self.shapes[shape.0 as usize]
    }

    /// The limit in bytes.
    pub fn limit_bytes(&self) -> u64 {
        self.limit * 8
    }

    /// Sets the limit (objects already allocated stay).
    pub fn set_limit_bytes(&mut self, limit: u64) {
        self.limit = limit / 8;
    }

    /// Whether word `addr` is the header of a live object.
    pub(super) fn is_start(&self, addr: u32) -> bool {
        self.starts.get(addr as usize / 64).is_some_and(|w| w & (1 << (addr % 64)) != 0)
    }

    /// Sets or clears the start bit of word `addr`.
    pub(super) fn set_start(&mut self, addr: u32, on: bool) {
        let i = addr as usize / 64;
        if i >= self.starts.len() {
            self.starts.resize(i + 1, 0);
        }
        if on {
            self.starts[i] |= 1 << (addr % 64);
        } else {
            self.starts[i] &= !(1 << (addr % 64));
        }
    }

    /// Whether `r` refers to a live object of this heap.
    pub fn is_object(&self, r: GcRef) -> bool {
        r.addr().is_some_and(|a| self.is_start(a))
    }

    /// Keeps host value `v` (whose cell is `cell`) alive while an object holds its address.
    pub fn hold_host(&mut self, cell: u64, v: &Val) {
        self.host.entry(cell).or_insert_with(|| v.clone());
    }

    /// The host value with address `cell` that an object holds.
    pub fn host_value(&self, cell: u64) -> Option<&Val> {
        self.host.get(&cell)
    }

    /// The bytes held by objects (headers included).
    pub fn used_bytes(&self) -> u64 {
        self.used * 8
    }

    /// The bytes of the heap's storage (objects, free cells and the reserved word).
    pub fn heap_bytes(&self) -> u64 {
        self.words.len() as u64 * 8
    }

    /// The bytes the heap's storage has reserved (its vector's capacity: growing it copies the
    /// objects, a pause of its own).
    pub fn reserved_bytes(&self) -> u64 {
        self.words.capacity() as u64 * 8
    }

    /// The payload words of an object with header `h`.
    pub(super) fn payload_words(&self, h: u64) -> u32 {
        match self.shapes.get(header_shape(h) as usize) {
            Some(Shape::Struct(s)) => s.words,
            Some(Shape::Array(a)) => a.words(header_len(h)).unwrap_or(0),
            None => header_len(h), // a free cell
        }
    }

    /// Allocates a struct of shape `shape` (which must be a struct's), every field zero (null).
    pub fn alloc_struct(&mut self, shape: ShapeId) -> Result<GcRef, AllocError> {
        let words = match &self.shapes[shape.0 as usize] {
            Shape::Struct(s) => s.words,
            Shape::Array(_) => return Err(AllocError::ShapeKind),
        };
        self.alloc(header(shape.0, 0), words)
    }

    /// Allocates an array of shape `shape` (which must be an array's) of `len` elements, each
    /// zero (null).
    pub fn alloc_array(&mut self, shape: ShapeId, len: u32) -> Result<GcRef, AllocError> {
        let words = match &self.shapes[shape.0 as usize] {
            Shape::Array(a) if len <= MAX_LEN => a.words(len).filter(|&w| w < u32::MAX - 1),
            Shape::Array(_) => None,
            Shape::Struct(_) => return Err(AllocError::ShapeKind),
        };
        self.alloc(header(shape.0, len), words.ok_or(AllocError::TooLarge)?)
    }

    /// Allocates a cell of `payload` words with header `h`, zeroed.
    fn alloc(&mut self, h: u64, payload: u32) -> Result<GcRef, AllocError> {
        let need = u64::from(payload) + 1;
        if self.used + need > self.limit {
            return Err(AllocError::HeapLimit { requested: need * 8, limit: self.limit * 8 });
        }
        let mut h = h;
        let addr = match self.take_free(payload, need as u32) {
            Some(addr) => addr,
            None => match self.sweep_then_take(payload, need as u32) {
                Some(addr) => addr,
                None => {
                    let addr = self.words.len();
                    if addr as u64 + need > 1 << 31 {
                        return Err(AllocError::TooLarge);
                    }
                    self.words.resize(addr + need as usize, 0);
                    if self.sweeping() {
                        h |= MARK; // ahead of the sweep: it keeps the object (see super::sweep)
                    }
                    addr as u32
                }
            },
        };
        let start = addr as usize;
        self.words[start] = h;
        self.words[start + 1..start + need as usize].fill(0);
        self.used += need;
        self.objects += 1;
        self.set_start(addr, true);
        if self.marking {
            self.allocated_marked(addr, need);
        }
        Ok(GcRef::object(addr))
    }

    /// While a lazy sweep is under way: one step of it, then [`Heap::take_free`].
    #[cold]
    fn sweep_then_take(&mut self, payload: u32, need: u32) -> Option<u32> {
        if !self.sweeping() {
            return None;
        }
        self.sweep_step(STEP_WORDS.max(4 * need as usize));
        self.take_free(payload, need)
    }

    /// A free cell of exactly `payload` words, else `need` (= `payload` + 1) words from the
    /// start of the free region, else the smallest larger free cell, which becomes the region
    /// (what is left of the old one goes back to the free cells).
    #[inline]
    fn take_free(&mut self, payload: u32, need: u32) -> Option<u32> {
        if let Some(addr) = self.free.pop_exact(payload) {
            return Some(addr);
        }
        let (start, end) = self.region;
        if end - start < need {
            let (size, addr) = self.free.pop_larger(payload)?;
            if start < end {
                self.free.push(end - start - 1, start);
            }
            self.region = (addr, addr + size + 1);
        }
        let (addr, end) = self.region;
        let rest = addr + need;
        if rest < end {
            self.words[rest as usize] = header(FREE, end - rest - 1);
        }
        self.region.0 = rest;
        Some(addr)
    }

    /// The header of object `r` (`r` must refer to a live object of this heap).
    #[inline]
    pub(super) fn header_of(&self, r: GcRef) -> (usize, u64) {
        let addr = r.addr().expect("a reference to an object") as usize;
        (addr, self.words[addr])
    }

    /// The shape of object `r`.
    pub fn shape_of(&self, r: GcRef) -> ShapeId {
        ShapeId(header_shape(self.header_of(r).1))
    }

    /// The length of array `r`.
    pub fn array_len(&self, r: GcRef) -> u32 {
        header_len(self.header_of(r).1)
    }

    /// The struct layout of object `r`.
    fn struct_layout(&self, r: GcRef) -> &StructLayout {
        match &self.shapes[self.shape_of(r).0 as usize] {
            Shape::Struct(s) => s,
            Shape::Array(_) => panic!("not a struct"),
        }
    }

    /// The array layout of object `r`.
    fn array_layout(&self, r: GcRef) -> ArrayLayout {
        match &self.shapes[self.shape_of(r).0 as usize] {
            Shape::Array(a) => *a,
            Shape::Struct(_) => panic!("not an array"),
        }
    }

    /// Reads `size` bytes at byte `offset` of the payload of the object at `addr`, zero-extended.
    #[inline]
    pub(super) fn read(&self, addr: usize, offset: u32, size: u32) -> u128 {
        let word = addr + 1 + (offset / 8) as usize;
        if size == 16 {
            return u128::from(self.words[word]) | (u128::from(self.words[word + 1]) << 64);
        }
        let bits = self.words[word] >> (8 * (offset % 8));
        u128::from(if size == 8 { bits } else { bits & ((1u64 << (8 * size)) - 1) })
    }

    /// The one writer of object slots: writes the low `size` bytes of `value` at byte `offset`
    /// of the payload at `addr`, a slot of kind `kind`, through the write barrier
    /// ([`Heap::barrier`]: one predictable branch outside marking).
    #[inline(always)]
    pub(super) fn write_slot(&mut self, addr: usize, offset: u32, size: u32, kind: SlotKind, value: u128) {
        self.barrier(kind, value as u64);
        self.write(addr, offset, size, value)
    }

    /// Writes the low `size` bytes of `value` at byte `offset` of the payload at `addr`, without
    /// the write barrier (numbers only: [`Heap::write_slot`] for any slot).
    #[inline]
    fn write(&mut self, addr: usize, offset: u32, size: u32, value: u128) {
        let word = addr + 1 + (offset / 8) as usize;
        if size == 16 {
            self.words[word] = value as u64;
            self.words[word + 1] = (value >> 64) as u64;
            return;
        }
        let shift = 8 * (offset % 8);
        let mask = if size == 8 { u64::MAX } else { ((1u64 << (8 * size)) - 1) << shift };
        let w = &mut self.words[word];
        *w = (*w & !mask) | (((value as u64) << shift) & mask);
    }

    /// `struct.get` of field `field` of struct `r`: its bytes, zero-extended (a packed field's
    /// sign extension is [`sign_extend`]).
    pub fn struct_get(&self, r: GcRef, field: u32) -> u128 {
        let f = self.struct_layout(r).fields[field as usize];
        self.read(self.header_of(r).0, f.offset, f.size)
    }

    /// `struct.set` of field `field` of struct `r` (packed fields keep the low bits).
    pub fn struct_set(&mut self, r: GcRef, field: u32, value: u128) {
        let f = self.struct_layout(r).fields[field as usize];
        let addr = self.header_of(r).0;
        self.write_slot(addr, f.offset, f.size, f.kind, value)
    }

    /// `array.get` of element `i` of array `r`, zero-extended (`None`: out of bounds).
    pub fn array_get(&self, r: GcRef, i: u32) -> Option<u128> {
        let a = self.array_layout(r);
        (i < self.array_len(r)).then(|| self.read(self.header_of(r).0, i * a.element_size, a.element_size))
    }

    /// `array.set` of element `i` of array `r` (`None`: out of bounds, nothing written).
    pub fn array_set(&mut self, r: GcRef, i: u32, value: u128) -> Option<()> {
        let a = self.array_layout(r);
        if i >= self.array_len(r) {
            return None;
        }
        let addr = self.header_of(r).0;
        self.write_slot(addr, i * a.element_size, a.element_size, a.kind, value);
        Some(())
    }
}

/// Sign-extends a packed value of `size` bytes (1 or 2; other sizes are returned as their
/// low 32 bits) to an `i32` (`struct.get_s`, `array.get_s`).
pub fn sign_extend(value: u128, size: u32) -> i32 {
    match size {
        1 => value as u8 as i8 as i32,
        2 => value as u16 as i16 as i32,
        _ => value as u32 as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::gc::{Shape, StructLayout};
    use crate::types::{FieldType, HeapType, RefType, StorageType, StructType, ValType};

    /// Regression (binary-trees took 46 s instead of 0.13 s at depth 12): splitting a long free
    /// run made a new free size per allocation, and the emptied sizes stayed in the map, so
    /// every later search for a larger cell walked all of them.
    #[test]
    fn regression_free_sizes_emptied_by_splitting_leave_the_map() {
        let any = StorageType::Val(ValType::Ref(RefType::new(true, HeapType::Any)));
        let field = FieldType { storage: any, mutable: true };
        let mut h = Heap::new(1 << 30);
        let pair = h.add_shape(Shape::Struct(StructLayout::of(&StructType { fields: vec![field, field].into() })));
        let mut last = GcRef::NULL;
        for _ in 0..1000 {
            last = h.alloc_struct(pair).expect("room");
        }
        // Everything but the last object dies: one long free run before it.
        h.collect([last]);
        for _ in 0..500 {
            h.alloc_struct(pair).expect("room");
            assert!(h.free.sizes() <= 2, "{} free sizes after splitting one run", h.free.sizes());
        }
    }
}
