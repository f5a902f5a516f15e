//! The free cells of a GC heap, by payload size: small sizes (below [`SMALL`] words, the
//! common objects) in an array of lists with a bit mask of the non-empty ones, so taking a cell
//! of an exact size or the smallest larger one is O(1) with no hashing; larger sizes in an
//! ordered map. A size whose last cell is taken leaves the map, so the search for a larger cell
//! never walks over empty sizes.

use std::collections::BTreeMap;

/// Payload sizes below this have their own list.
const SMALL: u32 = 64;

/// Free cells (header addresses) by payload words.
#[derive(Debug)]
pub(super) struct FreeCells {
    /// The cells of each small size.
    small: Vec<Vec<u32>>,
    /// Bit `s` set: `small[s]` is not empty.
    mask: u64,
    /// The cells of each larger size (never an empty list).
    large: BTreeMap<u32, Vec<u32>>,
}

impl FreeCells {
    /// No free cells.
    pub(super) fn new() -> FreeCells {
        FreeCells { small: vec![Vec::new(); SMALL as usize], mask: 0, large: BTreeMap::new() }
    }

    /// Forgets every cell (the sweep rebuilds them).
    pub(super) fn clear(&mut self) {
        for s in self.small.iter_mut() {
            s.clear();
        }
        self.mask = 0;
        self.large.clear();
    }

    /// Adds the cell at `addr` of `payload` words.
    pub(super) fn push(&mut self, payload: u32, addr: u32) {
        if payload < SMALL {
            self.small[payload as usize].push(addr);
            self.mask |= 1 << payload;
        } else {
            self.large.entry(payload).or_default().push(addr);
        }
    }

    /// Takes a cell of exactly `payload` words.
    pub(super) fn pop_exact(&mut self, payload: u32) -> Option<u32> {
        if payload < SMALL {
            if self.mask & (1 << payload) == 0 {
                return None;
            }
            let cells = &mut self.small[payload as usize];
            let addr = cells.pop();
            if cells.is_empty() {
                self.mask &= !(1 << payload);
            }
            return addr;
        }
        let cells = self.large.get_mut(&payload)?;
        let addr = cells.pop();
        if cells.is_empty() {
            self.large.remove(&payload);
        }
        addr
    }

    /// Takes a cell of the smallest size above `payload` words: (its payload words, address).
    pub(super) fn pop_larger(&mut self, payload: u32) -> Option<(u32, u32)> {
        let above = if payload + 1 < SMALL { self.mask & (u64::MAX << (payload + 1)) } else { 0 };
        let size = if above != 0 { above.trailing_zeros() } else { *self.large.range(payload + 1..).next()?.0 };
        Some((size, self.pop_exact(size)?))
    }

    /// The number of sizes with free cells.
    #[cfg(test)]
    pub(super) fn sizes(&self) -> usize {
        self.mask.count_ones() as usize + self.large.len()
    }
}
