//! The sweep of the GC heap, eager or lazy.
//!
//! After marking, every object that was not marked is garbage. The sweep walks the heap from
//! its start, clears the marks of live objects, turns each run of dead objects and free cells
//! into one free cell (rebuilding the free lists) and gives a free tail back.
//!
//! A *lazy* sweep ([`Heap::collect_marking`]) does that walk in steps of [`STEP_WORDS`] words,
//! one step each time an allocation finds no free cell, instead of in the collection's pause
//! (the sweep was about 40% of a pause on a 200 MB heap). While it is under way:
//! 1. Free cells come only from the part already swept (the free lists were emptied when it
//!    started), so an object allocated in one is behind the cursor and has no mark, as every
//!    object behind it.
//! 2. An object appended at the end of the heap is ahead of the cursor: it is allocated
//!    *marked*, so the sweep keeps it (and clears its mark) when it gets there.
//! 3. No live object refers to a dead one (dead objects were unreachable when marked, and the
//!    program gets references only from live objects and roots), so nothing reaches the dead
//!    objects ahead of the cursor.
//! 4. The next collection finishes the sweep before it marks: conservative roots are checked
//!    against the start bits, which must not name dead objects then.

use super::heap::{header, header_shape, Heap, FREE, MARK};

/// The words one step of a lazy sweep examines (64 KiB).
pub(super) const STEP_WORDS: usize = 8192;

/// Where a lazy sweep is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sweep {
    /// The next word to examine (a header).
    at: usize,
    /// The start of the run of free words that ends at `at`, if any.
    run: Option<usize>,
}

impl Heap {
    /// Starts a sweep after marking: the free lists and the region are rebuilt by it.
    pub(super) fn start_sweep(&mut self) {
        self.free.clear();
        self.region = (0, 0);
        self.sweep = Some(Sweep { at: 1, run: None });
    }

    /// Whether a sweep is under way.
    pub(super) fn sweeping(&self) -> bool {
        self.sweep.is_some()
    }

    /// Sweeps at least `budget` words (or to the end); returns the objects and words freed.
    pub(super) fn sweep_step(&mut self, budget: usize) -> (u64, u64) {
        let Some(Sweep { mut at, mut run }) = self.sweep else { return (0, 0) };
        let (mut freed, mut freed_words) = (0u64, 0u64);
        let stop = at.saturating_add(budget);
        while at < self.words.len() && at < stop {
            let h = self.words[at];
            let size = self.payload_words(h) as usize + 1;
            if h & MARK != 0 {
                self.words[at] = h & !MARK;
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
        if at < self.words.len() {
            self.sweep = Some(Sweep { at, run });
        } else {
            if let Some(start) = run {
                self.words.truncate(start);
            }
            self.sweep = None;
        }
        (freed, freed_words)
    }

    /// One step ([`STEP_WORDS`]) of the lazy sweep under way, if any; returns whether one is
    /// still under way (a collection cycle starts once it is done: see [`super::store`]).
    pub fn advance_sweep(&mut self) -> bool {
        self.sweep_step(STEP_WORDS);
        self.sweeping()
    }

    /// Finishes the sweep under way, if any.
    pub(super) fn finish_sweep(&mut self) {
        self.sweep_step(usize::MAX);
    }

    /// Makes words `start..end` one free cell.
    fn add_free(&mut self, start: usize, end: usize) {
        let payload = (end - start - 1) as u32;
        self.words[start] = header(FREE, payload);
        self.free.push(payload, start as u32);
    }
}
