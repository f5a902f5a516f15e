//! The embedder's data on store objects: a typed slot that instances, memories, tables,
//! globals, tags and exceptions carry, so an embedder finds its own data about an object (for
//! the binding: the object's JS wrapper, the Exported Functions of an instance) on the object
//! itself, not in a map keyed by the object's address.
//!
//! A slot holds one entry per *owner*: an embedder context with data of its own about the
//! object (for the binding, one Node environment: the main thread and each Worker have their
//! own JS objects). Store objects are single-threaded, so in practice one owner uses a slot;
//! the owner key only guarantees that two contexts never read each other's data. Owners should
//! be unique for the life of the process (not addresses that can be reused).
//!
//! The data is `Rc<dyn Any>`: the embedder downcasts it to its own type. Borrows of the slot
//! never outlive a method of [`EmbedderSlot`], and replaced or removed data is dropped outside
//! the borrow, so the data's `Drop` may use the slot again. The data must not hold store
//! objects strongly: the cycle collector (`runtime/cycles.rs`) does not see into slots.
//!
//! What every thread shares (a shared memory's bytes) carries a [`SharedSlot`] instead: one
//! value for the process, held weakly, which the embedder's handles in each thread keep alive.

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex, Weak};

/// The embedder's data on one store object, one entry per owner (see the module docs).
#[derive(Default)]
pub struct EmbedderSlot {
    entries: RefCell<Vec<(u64, Rc<dyn Any>)>>,
}

impl EmbedderSlot {
    /// An empty slot.
    pub const fn new() -> EmbedderSlot {
        EmbedderSlot { entries: RefCell::new(Vec::new()) }
    }

    /// `f` of the data `owner` attached, if it is a `T` (without a count: the lookup of the hot
    /// paths). `f` runs while the slot is borrowed: it must not use the slot.
    #[inline]
    pub fn with<T: Any, R>(&self, owner: u64, f: impl FnOnce(&T) -> R) -> Option<R> {
        let entries = self.entries.try_borrow().ok()?;
        let (_, data) = entries.iter().find(|(o, _)| *o == owner)?;
        Some(f((**data).downcast_ref::<T>()?))
    }

    /// The data `owner` attached, if it is a `T`.
    #[inline]
    pub fn get<T: Any>(&self, owner: u64) -> Option<Rc<T>> {
        let entries = self.entries.try_borrow().ok()?;
        let (_, data) = entries.iter().find(|(o, _)| *o == owner)?;
        // (A failed downcast drops a clone: never the last count.)
        data.clone().downcast().ok()
    }

    /// The data `owner` attached if it is a `T`, else a new `T` from `make`, attached in its
    /// place (`make` runs outside any borrow of the slot).
    pub fn get_or_insert_with<T: Any>(&self, owner: u64, make: impl FnOnce() -> T) -> Rc<T> {
        if let Some(data) = self.get(owner) {
            return data;
        }
        let data = Rc::new(make());
        self.set(owner, data.clone());
        data
    }

    /// Attaches `data` for `owner`, replacing (and dropping) what it attached before.
    pub fn set(&self, owner: u64, data: Rc<dyn Any>) {
        let old = {
            let mut entries = self.entries.borrow_mut();
            match entries.iter_mut().find(|(o, _)| *o == owner) {
                Some((_, d)) => Some(std::mem::replace(d, data)),
                None => {
                    entries.push((owner, data));
                    None
                }
            }
        };
        drop(old);
    }

    /// Detaches and returns the data of `owner`.
    pub fn remove(&self, owner: u64) -> Option<Rc<dyn Any>> {
        let mut entries = self.entries.try_borrow_mut().ok()?;
        let at = entries.iter().position(|(o, _)| *o == owner)?;
        Some(entries.swap_remove(at).1)
    }
}

impl fmt::Debug for EmbedderSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.entries.try_borrow().map_or(0, |e| e.len());
        write!(f, "EmbedderSlot({n} owners)")
    }
}

/// The embedder's data on an object every thread shares (a shared memory's bytes): one value
/// for the process, held *weakly* (so it may hold the shared object itself) and alive while
/// the embedder holds it somewhere.
#[derive(Default)]
pub struct SharedSlot(Mutex<Option<Weak<dyn Any + Send + Sync>>>);

impl SharedSlot {
    /// An empty slot.
    pub const fn new() -> SharedSlot {
        SharedSlot(Mutex::new(None))
    }

    /// The live data if it is a `T`, else a new `T` from `make`, attached in its place. `make`
    /// runs under the slot's lock (it must not use the slot); the caller keeps the data alive.
    pub fn get_or_insert_with<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(data) = slot.as_ref().and_then(Weak::upgrade).and_then(|d| d.downcast::<T>().ok()) {
            return data;
        }
        let data = Arc::new(make());
        let any: Arc<dyn Any + Send + Sync> = data.clone();
        *slot = Some(Arc::downgrade(&any));
        data
    }
}

impl fmt::Debug for SharedSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSlot")
    }
}

#[cfg(test)]
mod tests {
    use super::{EmbedderSlot, SharedSlot};
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn each_owner_sees_only_its_own_data() {
        let slot = EmbedderSlot::new();
        slot.set(1, Rc::new(10u32));
        slot.set(2, Rc::new(20u32));
        assert_eq!(slot.get::<u32>(1).as_deref(), Some(&10));
        assert_eq!(slot.get::<u32>(2).as_deref(), Some(&20));
        assert_eq!(slot.get::<u32>(3), None);
        assert_eq!(slot.with(2, |v: &u32| v + 1), Some(21));
        // Another type for the same owner is not found.
        assert_eq!(slot.get::<u64>(1), None);
        assert!(slot.remove(1).is_some());
        assert_eq!(slot.get::<u32>(1), None);
        assert_eq!(slot.get::<u32>(2).as_deref(), Some(&20));
    }

    #[test]
    fn a_shared_slot_holds_its_data_weakly_and_across_threads() {
        let slot = std::sync::Arc::new(SharedSlot::new());
        let a = slot.get_or_insert_with(|| 1u32);
        let other = slot.clone();
        let b = std::thread::spawn(move || other.get_or_insert_with(|| 2u32)).join().unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        drop((a, b));
        // Nothing kept the data: the next use makes a new one.
        assert_eq!(*slot.get_or_insert_with(|| 3u32), 3);
    }

    #[test]
    fn get_or_insert_with_makes_data_once() {
        let slot = EmbedderSlot::new();
        let made = Cell::new(0);
        let a = slot.get_or_insert_with(7, || {
            made.set(made.get() + 1);
            Cell::new(1u8)
        });
        let b = slot.get_or_insert_with(7, || {
            made.set(made.get() + 1);
            Cell::new(2u8)
        });
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(made.get(), 1);
    }

    /// Data whose `Drop` uses the slot it was in (as the binding's finalizer-driven data does).
    struct Reentrant(Rc<EmbedderSlot>);

    impl Drop for Reentrant {
        fn drop(&mut self) {
            assert!(self.0.get::<u32>(9).is_some());
            self.0.set(10, Rc::new(1u32));
        }
    }

    #[test]
    fn replaced_data_is_dropped_outside_the_borrow() {
        let slot = Rc::new(EmbedderSlot::new());
        slot.set(9, Rc::new(5u32));
        slot.set(1, Rc::new(Reentrant(slot.clone())));
        slot.set(1, Rc::new(0u8));
        assert_eq!(slot.get::<u32>(10).as_deref(), Some(&1));
        // (Break the test's own cycle.)
        slot.remove(1);
    }
}
