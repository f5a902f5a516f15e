//! Exception-handler tables: what translation records about `try_table` and legacy `try`
//! blocks, and what the unwinder (`exec/unwind.rs`) reads.
//!
//! Each block gets a *region* (ids in creation order, so an inner block has a larger id than
//! the blocks around it): the code range of its body, the region in effect around it
//! (`parent`), and what it does with an exception thrown inside: try its catch clauses in
//! order, or (legacy `delegate`) hand it to another region. An exception thrown at code index
//! `i` starts at the innermost region whose range holds `i` (the largest such id) and follows
//! the `parent`/delegate chain; when no clause matches, the frame is popped and the search
//! continues at the caller's call instruction.

use super::ir::Slot;

/// One `try_table`/`try` block of a function.
#[derive(Debug, Clone)]
pub(crate) struct TryRegion {
    /// First code index of the body.
    pub(crate) start: u32,
    /// One past the last code index of the body (catch code is not part of it).
    pub(crate) end: u32,
    /// The region in effect around the block (`None`: the function level).
    pub(crate) parent: Option<u32>,
    /// What happens to an exception thrown in the body.
    pub(crate) action: TryAction,
}

/// What a region does with an exception.
#[derive(Debug, Clone)]
pub(crate) enum TryAction {
    /// The first matching clause catches it (none: it goes on to the parent region).
    Catch(Vec<CatchClause>),
    /// Legacy `delegate`: the search goes on in this region (`None`: the caller).
    Delegate(Option<u32>),
}

/// One catch clause: `catch`/`catch_ref`/`catch_all`/`catch_all_ref` of `try_table`, or a legacy
/// `catch`/`catch_all` block.
#[derive(Debug, Clone)]
pub(crate) struct CatchClause {
    /// The tag caught (index in the instance's tags), `None` for the catch-all forms.
    pub(crate) tag: Option<u32>,
    /// Where the payload values go: slots `dst..dst + n`.
    pub(crate) dst: Slot,
    /// Where the exception itself goes, if the clause keeps it (`*_ref`, legacy catch blocks).
    pub(crate) exn: Option<Slot>,
    /// The code index to continue at.
    pub(crate) target: u32,
}

impl TryRegion {
    /// A region without a range yet (filled in as the block is translated).
    pub(crate) fn new(parent: Option<u32>) -> TryRegion {
        TryRegion { start: 0, end: 0, parent, action: TryAction::Catch(Vec::new()) }
    }
}

/// The innermost region of `regions` whose body holds code index `at`.
pub(crate) fn innermost(regions: &[TryRegion], at: u32) -> Option<u32> {
    regions.iter().rposition(|r| r.start <= at && at < r.end).map(|i| i as u32)
}
