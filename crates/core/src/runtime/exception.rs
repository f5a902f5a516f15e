//! Exception instances (`exnref`): a tag and its payload, thrown by `throw`, caught by
//! `try_table`/`try` handlers, and carried out of `engine::call_function` as [`crate::Error::Exception`].

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
    embedder: super::EmbedderSlot,
}

impl Exn {
    /// A new exception of `tag` with `payload` (one value per parameter of the tag's type;
    /// the caller checks the types).
    pub fn new(tag: Tag, payload: impl Into<Box<[Val]>>) -> Exn {
        Exn(Rc::new(ExnInner { tag, payload: payload.into(), embedder: super::EmbedderSlot::new() }))
    }

    /// The exception's tag.
    pub fn tag(&self) -> &Tag {
        &self.0.tag
    }

    /// The payload values.
    pub fn payload(&self) -> &[Val] {
        &self.0.payload
    }

    /// The embedder's data on this exception.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
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
