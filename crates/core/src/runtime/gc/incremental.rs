//! Incremental marking of the GC heap (issue #13: pauses bounded whatever the live heap).
//!
//! A cycle ([`Heap::start_marking`]) finishes the sweep under way and greys the roots (marks
//! them and pushes them on the mark stack, which lives in the heap between steps). Marking then
//! advances in bounded steps ([`Heap::mark_step`]) paid for by allocation: every word allocated
//! while marking owes [`WORDS_PER_WORD`] words of scanning, done in steps of at least
//! [`MIN_STEP`] and at most [`MAX_STEP`] words. [`Heap::finish_marking`] greys the roots again
//! (the interpreter's cells, globals and tables are not barriered), drains the stack at once,
//! releases the host values only dead objects held, sets the counts and starts the lazy sweep.
//!
//! The invariants while marking (the tri-colour ones: black = marked and scanned, grey = marked
//! and on the stack, white = unmarked):
//! 1. Objects allocated while marking are allocated marked (black: their slots are all null
//!    then, and every later store is barriered).
//! 2. The write barrier ([`Heap::barrier`], Dijkstra's insertion barrier) shades every
//!    reference stored into any object while marking: an unmarked object becomes grey, a host
//!    value's address is recorded as the marker records it. So no black object ever refers to
//!    a white one, and an object reachable at the finish is either reachable from a grey one or
//!    from a root, which the finish greys again.
//! 3. Objects die only by the sweep, which starts at the finish, so a white object stays valid
//!    until then (a root may still name it, and greying it at the finish is safe).
//!
//! Outside marking the barrier is one predictable branch (on [`Heap::is_marking`]).

use std::collections::HashSet;

use super::collect::CollectStats;
use super::heap::{header_len, header_shape, Heap, MARK};
use super::layout::{Shape, SlotKind};
use super::GcRef;

/// Words of marking owed per word allocated while marking: the marking of a heap whose live
/// part is `L` words ends by the time `L / 4` words were allocated (with the trigger at twice
/// the live heap, the heap peaks near 2.25× it instead of 2×: binary-trees' peak RSS is 6%
/// larger than with marking in one pause; it was 14% with 2 words per word).
pub const WORDS_PER_WORD: u64 = 4;
/// The least words of scanning one step does (fewer steps, less overhead per step).
pub const MIN_STEP: u64 = 1 << 15;
/// The most words of scanning one step does (about a millisecond or two): the pause bound.
pub const MAX_STEP: u64 = 1 << 19;
/// The elements of an array scanned at once (a large array is scanned in chunks, so a step
/// stays bounded).
const ARRAY_CHUNK: u32 = 1 << 14;

/// The state of a marking cycle, kept in the heap between steps.
#[derive(Debug, Default)]
pub(super) struct Marking {
    /// Grey objects: an object's word address in the low 32 bits, the next element to scan in
    /// the high 32 (arrays scanned in chunks; 0 for a struct or a new array).
    stack: Vec<u64>,
    /// The host values the marked objects hold (addresses).
    hosts: HashSet<u64>,
    /// Objects scanned or allocated marked (every grey object is scanned before the finish).
    marked: u64,
    /// Words (headers included) of the objects scanned or allocated marked.
    live_words: u64,
    /// Words of scanning owed by allocation and not yet done.
    owed: u64,
}

impl Heap {
    /// Whether a marking cycle is under way (the write barrier is on).
    #[inline(always)]
    pub fn is_marking(&self) -> bool {
        self.marking
    }

    /// Whether a marking cycle is under way and has nothing left to scan: it can be finished
    /// ([`Heap::finish_marking`]; the roots may still grey more).
    pub fn marking_drained(&self) -> bool {
        self.marking && self.mark.stack.is_empty()
    }

    /// Starts a marking cycle: finishes the sweep under way, then greys every object `roots`
    /// names (roots that are not references to live objects are ignored, as by
    /// [`Heap::collect`]). Inside a cycle already, only greys the roots.
    pub fn start_marking(&mut self, roots: impl IntoIterator<Item = GcRef>) {
        if !self.marking {
            self.finish_sweep();
            self.mark = Marking { stack: std::mem::take(&mut self.mark.stack), ..Marking::default() };
            self.mark.stack.clear();
            self.marking = true;
        }
        for r in roots {
            if let Some(addr) = r.addr() {
                self.shade_object(addr);
            }
        }
    }

    /// Scans at least `budget` words of grey objects (or until none is left); returns whether
    /// none is left. Does nothing outside a cycle.
    pub fn mark_step(&mut self, budget: u64) -> bool {
        // The stack, the host set and the counts in locals while the loop runs.
        let mut stack = std::mem::take(&mut self.mark.stack);
        let mut hosts = std::mem::take(&mut self.mark.hosts);
        let (mut scanned, mut live_words, mut done) = (0u64, 0u64, 0u64);
        let words = &mut self.words;
        while done < budget {
            let Some(entry) = stack.pop() else { break };
            let (addr, from) = (entry as u32, (entry >> 32) as u32);
            let h = words[addr as usize];
            let payload = addr as usize + 1;
            // Slots of live objects hold only valid references: no start check needed.
            match &self.shapes[header_shape(h) as usize] {
                Shape::Struct(s) => {
                    scanned += 1;
                    live_words += u64::from(s.words) + 1;
                    done += u64::from(s.words) + 1;
                    for &offset in s.refs.iter() {
                        mark_slot(words, &mut stack, &mut hosts, payload + (offset / 8) as usize);
                    }
                }
                Shape::Array(a) => {
                    let len = header_len(h);
                    if from == 0 {
                        scanned += 1;
                        live_words += u64::from(a.words(len).unwrap_or(0)) + 1;
                    }
                    done += 1;
                    if a.kind != SlotKind::Bytes {
                        let to = len.min(from.saturating_add(ARRAY_CHUNK));
                        if to < len {
                            stack.push(u64::from(addr) | (u64::from(to) << 32));
                        }
                        for i in from..to {
                            mark_slot(words, &mut stack, &mut hosts, payload + i as usize);
                        }
                        done += u64::from(to - from);
                    }
                }
            }
        }
        let m = &mut self.mark;
        (m.stack, m.hosts) = (stack, hosts);
        m.marked += scanned;
        m.live_words += live_words;
        m.stack.is_empty()
    }

    /// Finishes the marking cycle (starting one if none is under way): greys `roots` again,
    /// scans everything left, releases the host values no marked object holds, sets the object
    /// and word counts to the live ones and starts a lazy sweep. The statistics count the
    /// objects allocated during the cycle as live.
    pub fn finish_marking(&mut self, roots: impl IntoIterator<Item = GcRef>) -> CollectStats {
        self.start_marking(roots);
        self.mark_step(u64::MAX);
        let m = std::mem::take(&mut self.mark);
        self.host.retain(|cell, _| m.hosts.contains(cell));
        let stats = CollectStats {
            live: m.marked,
            freed: self.objects - m.marked,
            freed_bytes: (self.used - m.live_words) * 8,
        };
        self.objects = m.marked;
        self.used = m.live_words;
        self.mark.stack = m.stack;
        self.mark.stack.shrink_to(1 << 16);
        self.marking = false;
        self.start_sweep();
        stats
    }

    /// The write barrier: called with every value stored in a reference slot of an object.
    #[inline(always)]
    pub(super) fn barrier(&mut self, kind: SlotKind, cell: u64) {
        if self.marking && kind != SlotKind::Bytes {
            self.shade(cell);
        }
    }

    /// Shades a reference stored while marking: greys an unmarked object, records a host
    /// value's address. Any cell is safe here (a number that names no live object is ignored).
    #[cold]
    #[inline(never)]
    pub(super) fn shade(&mut self, cell: u64) {
        let r = GcRef(cell);
        if r.is_host() {
            self.mark.hosts.insert(cell);
        } else if let Some(addr) = r.addr() {
            self.shade_object(addr);
        }
    }

    /// Greys the object at `addr` if it is a live, unmarked one.
    fn shade_object(&mut self, addr: u32) {
        if !self.is_start(addr) {
            return;
        }
        let h = &mut self.words[addr as usize];
        if *h & MARK == 0 {
            *h |= MARK;
            self.mark.stack.push(u64::from(addr));
        }
    }

    /// Marks the object at `addr` of `words` words (header included), just allocated while
    /// marking (black: see the module's documentation), and does the scanning the allocation
    /// owes when that reaches a step.
    #[inline(never)]
    pub(super) fn allocated_marked(&mut self, addr: u32, words: u64) {
        self.words[addr as usize] |= MARK;
        self.mark.marked += 1;
        self.mark.live_words += words;
        self.mark.owed += WORDS_PER_WORD * words;
        if self.mark.owed >= MIN_STEP {
            self.pay_owed();
        }
    }

    /// One step of the scanning owed (at most [`MAX_STEP`] words).
    #[cold]
    fn pay_owed(&mut self) {
        let step = self.mark.owed.min(MAX_STEP);
        self.mark.owed -= step;
        if self.mark_step(step) {
            self.mark.owed = 0;
        }
    }
}

/// Greys the object the slot at word `at` refers to, if unmarked (it is counted when
/// scanned); records a host address.
#[inline(always)]
fn mark_slot(words: &mut [u64], stack: &mut Vec<u64>, hosts: &mut HashSet<u64>, at: usize) {
    let r = GcRef(words[at]);
    if r.is_host() {
        hosts.insert(r.0);
    }
    let Some(addr) = r.addr() else { return };
    let h = &mut words[addr as usize];
    if *h & MARK == 0 {
        *h |= MARK;
        stack.push(u64::from(addr));
    }
}
