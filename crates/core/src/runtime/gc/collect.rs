//! The mark-sweep collector of the GC heap: precise (objects are traced through their
//! layouts' reference slots), non-moving, and iterative (an explicit mark stack: no recursion,
//! whatever the depth of the object graph). Cycles among objects are reclaimed like any other
//! unreachable objects.
//!
//! Marking sets the header's mark bit of every object reachable from the roots; the sweep walks
//! the heap once, clears the marks of live objects, turns each run of dead objects and free
//! cells into one free cell (rebuilding the free lists) and gives a free tail back.

use super::heap::{header, header_len, header_shape, Heap, FREE, MARK};
use super::layout::{Shape, SlotKind};
use super::GcRef;

/// What a collection did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CollectStats {
    /// Objects found reachable.
    pub live: u64,
    /// Objects freed.
    pub freed: u64,
    /// Bytes freed (headers included).
    pub freed_bytes: u64,
}

impl Heap {
    /// Collects every object not reachable from `roots` (references held outside the heap:
    /// frames, globals, tables, JS handles). Roots that are not references to live objects
    /// (null, `i31`, host addresses, or any number: roots may be scanned conservatively) are
    /// ignored. Host values held by dead objects are released.
    pub fn collect(&mut self, roots: impl IntoIterator<Item = GcRef>) -> CollectStats {
        let mut hosts = std::collections::HashSet::new();
        let live = self.mark(roots, &mut hosts);
        self.host.retain(|cell, _| hosts.contains(cell));
        let (freed, freed_words) = self.sweep();
        CollectStats { live, freed, freed_bytes: freed_words * 8 }
    }

    /// Marks everything reachable from `roots`; returns the number of objects marked.
    fn mark(&mut self, roots: impl IntoIterator<Item = GcRef>, hosts: &mut std::collections::HashSet<u64>) -> u64 {
        let mut stack: Vec<u32> = Vec::new();
        let mut marked = 0;
        for r in roots {
            if let Some(addr) = r.addr().filter(|&a| self.is_start(a)) {
                let h = &mut self.words[addr as usize];
                if *h & MARK == 0 {
                    *h |= MARK;
                    marked += 1;
                    stack.push(addr);
                }
            }
        }
        // Slots of live objects hold only valid references: no start check needed.
        let mut visit = |words: &mut [u64], r: GcRef, stack: &mut Vec<u32>| {
            if r.is_host() {
                hosts.insert(r.0);
            }
            if let Some(addr) = r.addr() {
                let h = &mut words[addr as usize];
                if *h & MARK == 0 {
                    *h |= MARK;
                    marked += 1;
                    stack.push(addr);
                }
            }
        };
        while let Some(addr) = stack.pop() {
            let h = self.words[addr as usize];
            let payload = addr as usize + 1;
            match &self.shapes[header_shape(h) as usize] {
                Shape::Struct(s) => {
                    for &offset in s.refs.iter() {
                        let r = field_ref(&self.words, payload, offset);
                        visit(&mut self.words, r, &mut stack);
                    }
                }
                Shape::Array(a) if a.kind != SlotKind::Bytes => {
                    for i in 0..header_len(h) {
                        let r = field_ref(&self.words, payload, i * 8);
                        visit(&mut self.words, r, &mut stack);
                    }
                }
                Shape::Array(_) => {}
            }
        }
        marked
    }

    /// Frees the unmarked objects and clears the marks; returns the objects and words freed.
    fn sweep(&mut self) -> (u64, u64) {
        self.free.clear();
        self.region = (0, 0);
        let (mut freed, mut freed_words, mut used) = (0u64, 0u64, 0u64);
        let mut run: Option<usize> = None; // the start of the current run of free words
        let mut at = 1;
        while at < self.words.len() {
            let h = self.words[at];
            let size = self.payload_words(h) as usize + 1;
            if h & MARK != 0 {
                self.words[at] = h & !MARK;
                used += size as u64;
                if let Some(start) = run.take() {
                    self.add_free(start, at);
                }
            } else {
                if header_shape(h) != FREE {
                    self.set_start(at as u32, false);
                    freed += 1;
                    freed_words += size as u64;
                }
                run.get_or_insert(at);
            }
            at += size;
        }
        if let Some(start) = run {
            self.words.truncate(start);
        }
        self.used = used;
        (freed, freed_words)
    }

    /// Makes words `start..end` one free cell.
    fn add_free(&mut self, start: usize, end: usize) {
        let payload = (end - start - 1) as u32;
        self.words[start] = header(FREE, payload);
        self.free.push(payload, start as u32);
    }
}

impl Heap {
    /// Walks the object graph from `roots` (references to live objects) without marking:
    /// calls `visit(from, to)` for every reference slot `to` of every object `from` reached
    /// (host addresses and `i31`s included) and descends into `to` when it is an object that
    /// `visit` accepts and `seen` did not hold. `seen` gets every object reached (the roots
    /// included, unless they were in it already).
    pub fn walk(
        &self,
        roots: impl IntoIterator<Item = GcRef>,
        seen: &mut std::collections::HashSet<u32>,
        mut visit: impl FnMut(GcRef, GcRef) -> bool,
    ) {
        let mut stack: Vec<u32> = roots.into_iter().filter_map(GcRef::addr).filter(|&a| seen.insert(a)).collect();
        while let Some(addr) = stack.pop() {
            let h = self.words[addr as usize];
            let payload = addr as usize + 1;
            let mut each = |r: GcRef| {
                if visit(GcRef::object(addr), r) {
                    if let Some(to) = r.addr() {
                        if seen.insert(to) {
                            stack.push(to);
                        }
                    }
                }
            };
            match &self.shapes[header_shape(h) as usize] {
                Shape::Struct(s) => s.refs.iter().for_each(|&offset| each(field_ref(&self.words, payload, offset))),
                Shape::Array(a) if a.kind != SlotKind::Bytes => {
                    (0..header_len(h)).for_each(|i| each(field_ref(&self.words, payload, i * 8)))
                }
                Shape::Array(_) => {}
            }
        }
    }
}

/// The 8-byte reference at byte `offset` (a multiple of 8) of the payload starting at word
/// `payload`.
fn field_ref(words: &[u64], payload: usize, offset: u32) -> GcRef {
    GcRef(words[payload + (offset / 8) as usize])
}
