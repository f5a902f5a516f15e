//! The mark-sweep collector of the GC heap: precise (objects are traced through their
//! layouts' reference slots), non-moving, and iterative (an explicit mark stack: no recursion,
//! whatever the depth of the object graph). Cycles among objects are reclaimed like any other
//! unreachable objects.
//!
//! Marking ([`super::incremental`], at once here or in steps driven by allocation) sets the
//! header's mark bit of every object reachable from the roots; the sweep ([`super::sweep`])
//! then frees the rest, at once ([`Heap::collect`]) or lazily, a step per allocation that finds
//! no free cell ([`Heap::collect_marking`]).

use super::heap::{header_len, header_shape, Heap};
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
        let stats = self.finish_marking(roots);
        self.sweep_step(usize::MAX);
        stats
    }

    /// [`Heap::collect`] with a lazy sweep: the pause only marks; the dead objects' words are
    /// freed by the allocations that follow, a step at a time (see [`super::sweep`]). The
    /// statistics are the same as [`Heap::collect`]'s; `used_bytes` is up to date at once.
    /// Inside an incremental marking cycle, finishes it ([`Heap::finish_marking`]).
    pub fn collect_marking(&mut self, roots: impl IntoIterator<Item = GcRef>) -> CollectStats {
        self.finish_marking(roots)
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
