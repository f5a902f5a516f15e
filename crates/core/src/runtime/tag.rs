//! Tag instances (exception handling): the identity an exception is thrown and caught by.

use std::fmt;
use std::rc::Rc;

use crate::types::FuncType;

/// A tag instance (a `tagaddr`). Cheap to clone; two handles denote the same tag exactly when
/// [`Tag::ptr_eq`] holds, so an imported tag is the exporter's very tag.
#[derive(Clone)]
pub struct Tag(pub(crate) Rc<TagInner>);

/// The state of a tag: its type.
pub(crate) struct TagInner {
    ty: FuncType,
    /// The embedder's data (for the binding: its JS wrapper).
    embedder: super::EmbedderSlot,
}

impl Tag {
    /// A new tag of function type `ty` (for exceptions, `[params] → []`). This is how the
    /// embedder creates a host tag (`new WebAssembly.Tag(...)`).
    pub fn new(ty: FuncType) -> Tag {
        Tag(Rc::new(TagInner { ty, embedder: super::EmbedderSlot::new() }))
    }

    /// The tag's type; its parameters are the payload types of its exceptions.
    pub fn ty(&self) -> &FuncType {
        &self.0.ty
    }

    /// Whether two handles denote the same tag.
    pub fn ptr_eq(a: &Tag, b: &Tag) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The embedder's data on this tag.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
    }

    /// The address of the tag, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl PartialEq for Tag {
    fn eq(&self, other: &Self) -> bool {
        Tag::ptr_eq(self, other)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({:#x})", self.addr())
    }
}
