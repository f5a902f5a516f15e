//! The code units of an i16 array, for an embedder's JS String Builtins
//! (`fromCharCodeArray`, `intoCharCodeArray`:
//! https://github.com/WebAssembly/js-string-builtins/blob/main/proposals/js-string-builtins/Overview.md):
//! bulk reads and writes of a `(array (mut i16))` through its [`ObjectRef`], bounds-checked as
//! the builtins require (a range that does not fit reads or writes nothing).

use super::layout::Shape;
use super::store::with_heap;
use super::{GcRef, Heap};
use crate::value::ObjectRef;

/// The object of `obj`, if it is an array of 16-bit elements.
fn i16_array(h: &Heap, obj: &ObjectRef) -> Option<GcRef> {
    let r = GcRef(obj.cell());
    match h.shape(h.shape_of(r)) {
        Shape::Array(a) if a.element_size == 2 => Some(r),
        _ => None,
    }
}

impl ObjectRef {
    /// The number of elements, if this is an array of 16-bit elements.
    pub fn i16_array_len(&self) -> Option<u32> {
        with_heap(|h| i16_array(h, self).map(|r| h.array_len(r)))
    }

    /// Elements `[start, end)` of an array of 16-bit elements, as code units (`None`: not such an
    /// array, `start > end`, or `end` past the length).
    pub fn i16_array_units(&self, start: u32, end: u32) -> Option<Vec<u16>> {
        with_heap(|h| {
            let r = i16_array(h, self)?;
            if start > end || end > h.array_len(r) {
                return None;
            }
            (start..end).map(|i| h.array_get(r, i).map(|v| v as u16)).collect()
        })
    }

    /// Writes `units` to the elements from `start` of an array of 16-bit elements (`None`, with
    /// nothing written: not such an array, or `start + units.len()` past the length).
    pub fn set_i16_array_units(&self, start: u32, units: &[u16]) -> Option<()> {
        with_heap(|h| {
            let r = i16_array(h, self)?;
            let end = u64::from(start) + units.len() as u64;
            if end > u64::from(h.array_len(r)) {
                return None;
            }
            for (i, &u) in (start..).zip(units) {
                h.array_set(r, i, u128::from(u))?;
            }
            Some(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::alloc_with;
    use super::super::values::object_ref;
    use crate::types::FuncTypeId;

    #[test]
    fn units_are_read_and_written_in_bounds_only() {
        let ty = FuncTypeId::mut_i16_array();
        let r = alloc_with(None, |h| {
            let shape = h.shape_for(ty).expect("an array type");
            h.alloc_array(shape, 4)
        })
        .expect("room");
        let a = object_ref(r, ty);
        assert_eq!(a.i16_array_len(), Some(4));
        assert_eq!(a.set_i16_array_units(1, &[0xd83d, 0xde00, 0xffff]), Some(()));
        assert_eq!(a.i16_array_units(0, 4), Some(vec![0, 0xd83d, 0xde00, 0xffff]));
        assert_eq!(a.i16_array_units(4, 4), Some(vec![]));
        for (start, end) in [(3, 1), (0, 5), (5, 5), (u32::MAX, u32::MAX)] {
            assert_eq!(a.i16_array_units(start, end), None, "{start}..{end}");
        }
        // Nothing is written when the units do not fit (also past u32::MAX).
        assert_eq!(a.set_i16_array_units(2, &[1, 2, 3]), None);
        assert_eq!(a.set_i16_array_units(u32::MAX, &[1]), None);
        assert_eq!(a.set_i16_array_units(4, &[]), Some(()));
        assert_eq!(a.set_i16_array_units(5, &[]), None);
        assert_eq!(a.i16_array_units(0, 4), Some(vec![0, 0xd83d, 0xde00, 0xffff]));
    }
}
