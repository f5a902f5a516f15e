//! The mark-sweep collector of the GC heap: precise (objects are traced through their
//! layouts' reference slots), non-moving, and iterative (an explicit mark stack: no recursion,
//! whatever the depth of the object graph). Cycles among objects are reclaimed like any other
//! unreachable objects.
//!
//! Marking sets the header's mark bit of every object reachable from the roots; the sweep
//! ([`super::sweep`]) then frees the rest, at once ([`Heap::collect`]) or lazily, a step per
//! allocation that finds no free cell ([`Heap::collect_marking`]).

use super::heap::{header_len, header_shape, Heap, MARK};
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
    /// ignored. Host values held by dead objects are released. The dead objects' words are free
    /// when it returns (a free tail is given back).
    pub fn collect(&mut self, roots: impl IntoIterator<Item = GcRef>) -> CollectStats {
        let live = self.mark_live(roots);
        self.start_sweep();
        let (freed, freed_words) = self.sweep_step(usize::MAX);
        CollectStats { live, freed, freed_bytes: freed_words * 8 }
    }

    /// [`Heap::collect`] with a lazy sweep: the pause only marks; the dead objects' words are
    /// freed by the allocations that follow, a step at a time (see [`super::sweep`]). The
    /// statistics are the same as [`Heap::collect`]'s; `used_bytes` is up to date at once.
    pub fn collect_marking(&mut self, roots: impl IntoIterator<Item = GcRef>) -> CollectStats {
        let objects = self.objects;
        let used = self.used;
        let live = self.mark_live(roots);
        self.start_sweep();
        CollectStats { live, freed: objects - live, freed_bytes: (used - self.used) * 8 }
    }

    /// Finishes a sweep under way, marks from `roots` and releases the host values only dead
    /// objects held; sets the object and word counts to the live ones. Returns the live objects.
    fn mark_live(&mut self, roots: impl IntoIterator<Item = GcRef>) -> u64 {
        self.finish_sweep();
        let mut hosts = std::collections::HashSet::new();
        let (live, live_words) = self.mark(roots, &mut hosts);
        self.host.retain(|cell, _| hosts.contains(cell));
        self.objects = live;
        self.used = live_words;
        live
    }

    /// Marks everything reachable from `roots`; returns the objects marked and their words
    /// (headers included).
    fn mark(
        &mut self,
        roots: impl IntoIterator<Item = GcRef>,
        hosts: &mut std::collections::HashSet<u64>,
    ) -> (u64, u64) {
        let mut stack: Vec<u32> = Vec::new();
        let mut marked = 0;
        let mut live_words = 0u64;
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
        while let Some(addr) = stack.pop() {
            let h = self.words[addr as usize];
            let payload = addr as usize + 1;
            match &self.shapes[header_shape(h) as usize] {
                Shape::Struct(s) => {
                    live_words += u64::from(s.words) + 1;
                    for &offset in s.refs.iter() {
                        let r = field_ref(&self.words, payload, offset);
                        marked += mark_slot(&mut self.words, r, &mut stack, hosts);
                    }
                }
                Shape::Array(a) => {
                    live_words += u64::from(a.words(header_len(h)).unwrap_or(0)) + 1;
                    if a.kind != SlotKind::Bytes {
                        for i in 0..header_len(h) {
                            let r = field_ref(&self.words, payload, i * 8);
                            marked += mark_slot(&mut self.words, r, &mut stack, hosts);
                        }
                    }
                }
            }
        }
        (marked, live_words)
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

/// Marks the object slot value `r` refers to, if it is one not yet marked, and pushes it on
/// `stack` (returns 1 then, else 0); records a host value's address in `hosts`.
#[inline(always)]
fn mark_slot(words: &mut [u64], r: GcRef, stack: &mut Vec<u32>, hosts: &mut std::collections::HashSet<u64>) -> u64 {
    if r.is_host() {
        hosts.insert(r.0);
    }
    let Some(addr) = r.addr() else { return 0 };
    let h = &mut words[addr as usize];
    if *h & MARK != 0 {
        return 0;
    }
    *h |= MARK;
    stack.push(addr);
    1
}

/// The 8-byte reference at byte `offset` (a multiple of 8) of the payload starting at word
/// `payload`.
fn field_ref(words: &[u64], payload: usize, offset: u32) -> GcRef {
    GcRef(words[payload + (offset / 8) as usize])
}
