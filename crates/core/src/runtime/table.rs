//! Table instances.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::error::{ResourceError, TrapCode, ValueTypeError};
use crate::runtime::Error;
use crate::runtime::Val;
use crate::types::{Limits, TableType, ValType};

/// The largest number of elements a table may have (the JS-API limit, as in V8).
pub const MAX_TABLE_SIZE: u64 = 10_000_000;

/// A table of references. Cheap to clone (shared).
#[derive(Clone)]
pub struct Table(pub(crate) Rc<TableInner>);

pub(crate) struct TableInner {
    pub(crate) ty: Cell<TableType>,
    /// The elements; every value has the table's element type.
    pub(crate) elements: RefCell<Vec<Val>>,
    /// In a limited namespace: the table's elements in its `maxTableElements` budget.
    pub(crate) limit: std::cell::OnceCell<super::limiter::Charge>,
    /// The embedder's data (for the binding: its JS wrapper).
    pub(crate) embedder: super::EmbedderSlot,
}

impl Table {
    /// The elements, for the engine's table instructions (no borrow flag checked: the engine
    /// never holds a borrow across wasm code).
    #[inline(always)]
    pub(crate) fn elements_ptr(&self) -> *mut Vec<Val> {
        self.0.elements.as_ptr()
    }

    /// A new table of type `ty` with every element set to `init`.
    pub fn new(ty: TableType, init: Val) -> Result<Table, Error> {
        if !init.matches(&ValType::Ref(ty.element)) {
            return Err(ValueTypeError { expected: ValType::Ref(ty.element), actual: init.ty() }.into());
        }
        Table::alloc(ty, init)
    }

    /// [`Table::new`] for instantiation, where a table of a non-nullable element type is
    /// filled with its initialiser right after allocation: `init` only needs the element
    /// type's representation.
    pub(crate) fn alloc(ty: TableType, init: Val) -> Result<Table, Error> {
        if ty.limits.min > MAX_TABLE_SIZE {
            return Err(ResourceError::TableSize { size: ty.limits.min, limit: MAX_TABLE_SIZE }.into());
        }
        let elements = vec![init; ty.limits.min as usize];
        let inner = Rc::new(TableInner {
            ty: Cell::new(ty),
            elements: RefCell::new(elements),
            limit: std::cell::OnceCell::new(),
            embedder: super::EmbedderSlot::new(),
        });
        super::cycles::maybe_collect();
        super::cycles::register_table(&inner);
        Ok(Table(inner))
    }

    /// The table's current type (its minimum is the current size).
    pub fn ty(&self) -> TableType {
        self.0.ty.get()
    }

    /// The current number of elements.
    pub fn size(&self) -> u32 {
        self.0.elements.borrow().len() as u32
    }

    /// Element `index`, or `None` when out of bounds.
    pub fn get(&self, index: u32) -> Option<Val> {
        self.0.elements.borrow().get(index as usize).cloned()
    }

    /// Sets element `index` (value of the element type), trapping when out of bounds.
    pub fn set(&self, index: u32, value: Val) -> Result<(), Error> {
        debug_assert!(value.matches(&ValType::Ref(self.ty().element)));
        let old = {
            let mut elems = self.0.elements.borrow_mut();
            let slot = elems.get_mut(index as usize).ok_or(TrapCode::TableOutOfBounds)?;
            std::mem::replace(slot, value)
        };
        drop(old); // outside the borrow: dropping may run host code
        Ok(())
    }

    /// Counts this table's elements (now and after each grow) against `limits`'s
    /// `maxTableElements`; an error naming the cap if its current size does not fit.
    pub fn set_limits(&self, limits: &std::rc::Rc<super::NamespaceLimits>) -> Result<(), Error> {
        if self.0.limit.get().is_some() {
            return Ok(());
        }
        let charge = super::limiter::Charge::take(limits, super::LimitKind::TableElements, self.size() as u64)?;
        let _ = self.0.limit.set(charge);
        Ok(())
    }

    /// Grows by `delta` elements filled with `init`; returns the old size, or `None` when the
    /// maximum (or [`MAX_TABLE_SIZE`]) would be exceeded.
    pub fn grow(&self, delta: u32, init: Val) -> Option<u32> {
        let ty = self.ty();
        let old = self.size();
        let new = old as u64 + delta as u64;
        if new > ty.limits.max.unwrap_or(u32::MAX as u64).min(MAX_TABLE_SIZE) {
            return None;
        }
        // A limited namespace's cap: refused growth is -1 in wasm, a RangeError in JS.
        if let Some(limit) = self.0.limit.get() {
            if !limit.grow(delta as u64) {
                return None;
            }
        }
        self.0.elements.borrow_mut().resize(new as usize, init);
        self.0.ty.set(TableType { limits: Limits { min: new, max: ty.limits.max }, ..ty });
        Some(old)
    }

    /// Sets `len` elements from `dst` to `value`, trapping (before any write) when out of bounds.
    pub fn fill(&self, dst: u32, value: Val, len: u32) -> Result<(), Error> {
        let mut elems = self.0.elements.borrow_mut();
        let end = dst as u64 + len as u64;
        if end > elems.len() as u64 {
            return Err(TrapCode::TableOutOfBounds.into());
        }
        let old: Vec<Val> =
            elems[dst as usize..end as usize].iter_mut().map(|e| std::mem::replace(e, value.clone())).collect();
        drop(elems);
        drop(old);
        Ok(())
    }

    /// Copies `len` elements from `src` in `src_table` to `dst` in `self` (overlap-safe),
    /// trapping (before any write) when either range is out of bounds.
    pub fn copy(&self, dst: u32, src_table: &Table, src: u32, len: u32) -> Result<(), Error> {
        let src_vals: Vec<Val> = {
            let s = src_table.0.elements.borrow();
            let send = src as u64 + len as u64;
            if send > s.len() as u64 || dst as u64 + len as u64 > self.size() as u64 {
                return Err(TrapCode::TableOutOfBounds.into());
            }
            s[src as usize..send as usize].to_vec()
        };
        self.write_slice(dst, src_vals)
    }

    /// Writes `values` starting at `dst`, trapping (before any write) when out of bounds.
    pub(crate) fn write_slice(&self, dst: u32, values: Vec<Val>) -> Result<(), Error> {
        let mut elems = self.0.elements.borrow_mut();
        let end = dst as u64 + values.len() as u64;
        if end > elems.len() as u64 {
            return Err(TrapCode::TableOutOfBounds.into());
        }
        let old: Vec<Val> = elems.splice(dst as usize..end as usize, values).collect();
        drop(elems);
        drop(old);
        Ok(())
    }

    /// Whether two handles denote the same table.
    pub fn ptr_eq(a: &Table, b: &Table) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The embedder's data on this table.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
    }

    /// The address of the table, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Table({:?}, size {})", self.ty(), self.size())
    }
}
