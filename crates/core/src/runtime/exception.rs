//! Exception instances (`exnref`): a tag and its payload, thrown by `throw`, caught by
//! `try_table`/`try` handlers, and carried out of `engine::call_function` as [`crate::Error::Exception`].

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::runtime::Tag;
use crate::runtime::Val;

/// An exception instance (an `exnaddr`). Cheap to clone; identity is [`Exn::ptr_eq`]:
/// rethrowing (`throw_ref`, legacy `rethrow`) throws the same exception again.
#[derive(Clone)]
pub struct Exn(pub(crate) Rc<ExnInner>);

/// The state of an exception.
pub(crate) struct ExnInner {
    tag: Tag,
    payload: Box<[Val]>,
    /// The embedder's data (for the binding: its JS object), so that an exception that goes
    /// out to the host and comes back keeps the host's identity.
    host: RefCell<Option<Rc<dyn Any>>>,
}

impl Exn {
    /// A new exception of `tag` with `payload` (one value per parameter of the tag's type;
    /// the caller checks the types).
    pub fn new(tag: Tag, payload: impl Into<Box<[Val]>>) -> Exn {
        Exn(Rc::new(ExnInner { tag, payload: payload.into(), host: RefCell::new(None) }))
    }

    /// The exception's tag.
    pub fn tag(&self) -> &Tag {
        &self.0.tag
    }

    /// The payload values.
    pub fn payload(&self) -> &[Val] {
        &self.0.payload
    }

    /// The embedder's data attached with [`Exn::set_host_data`], if any.
    pub fn host_data(&self) -> Option<Rc<dyn Any>> {
        self.0.host.borrow().clone()
    }

    /// Attaches embedder data (replacing any earlier one).
    pub fn set_host_data(&self, data: Rc<dyn Any>) {
        let old = self.0.host.borrow_mut().replace(data);
        drop(old);
    }

    /// Whether two handles denote the same exception.
    pub fn ptr_eq(a: &Exn, b: &Exn) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The raw pointer, for the interpreter's untyped value cells (does not own a count).
    pub(crate) fn as_raw(&self) -> *const () {
        Rc::as_ptr(&self.0) as *const ()
    }
}

impl PartialEq for Exn {
    fn eq(&self, other: &Self) -> bool {
        Exn::ptr_eq(self, other)
    }
}

impl fmt::Debug for Exn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Exn({:?}, {:?})", self.0.tag, self.0.payload)
    }
}
