//! Module instances.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::engine::{Module, ModuleInner};
use crate::module::ExportIndex;
use crate::runtime::Error;
use crate::runtime::Val;
use crate::runtime::{Extern, FuncRef, Global, Memory, Table, Tag};

/// An instantiated module. Cheap to clone (shared).
#[derive(Clone)]
pub struct Instance(pub(crate) Rc<InstanceInner>);

/// The state of an instance, as the interpreter reads it.
pub(crate) struct InstanceInner {
    pub(crate) module: Module,
    /// The imported functions (function indices `0..num_imported_funcs`).
    pub(crate) imported_funcs: Vec<FuncRef>,
    /// All tables, imported first.
    pub(crate) tables: Vec<Table>,
    /// All memories, imported first.
    pub(crate) memories: Vec<Memory>,
    /// All globals, imported first.
    pub(crate) globals: Vec<Global>,
    /// All tags, imported first.
    pub(crate) tags: Vec<Tag>,
    /// Element segments as evaluated at instantiation; a dropped segment is empty.
    pub(crate) elems: RefCell<Vec<Rc<[Val]>>>,
    /// Whether each data segment has been dropped (`data.drop`, or active after instantiation).
    pub(crate) data_dropped: Vec<Cell<bool>>,
    /// The limited namespace the instance runs under (`None`: no limits).
    pub(crate) limits: Option<Rc<super::NamespaceLimits>>,
    /// The instance's place in its namespace's `maxInstances` budget.
    pub(crate) _charge: Option<super::limiter::Charge>,
    /// The embedder's data (for the binding: its Exported Functions and import values).
    pub(crate) embedder: super::EmbedderSlot,
}

/// What the engine reads of an instance (through `engine::store`), field by field.
impl InstanceInner {
    /// The module's metadata and code.
    #[inline(always)]
    pub(crate) fn module(&self) -> &ModuleInner {
        &self.module.0
    }

    /// All tables, imported first.
    #[inline(always)]
    pub(crate) fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// All memories, imported first.
    #[inline(always)]
    pub(crate) fn memories(&self) -> &[Memory] {
        &self.memories
    }

    /// All globals, imported first.
    #[inline(always)]
    pub(crate) fn globals(&self) -> &[Global] {
        &self.globals
    }

    /// All tags, imported first.
    #[inline(always)]
    pub(crate) fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The element segments as evaluated at instantiation (a dropped one is empty).
    #[inline(always)]
    pub(crate) fn elem_segments(&self) -> &RefCell<Vec<Rc<[Val]>>> {
        &self.elems
    }

    /// The bytes of data segment `seg`: empty once dropped.
    #[inline(always)]
    pub(crate) fn data_segment(&self, seg: u32) -> &[u8] {
        if self.data_dropped[seg as usize].get() {
            &[]
        } else {
            self.module.0.data_segment(seg as usize)
        }
    }
}

impl Instance {
    /// The instance's state (see the accessors of [`InstanceInner`]).
    #[inline(always)]
    pub(crate) fn state(&self) -> &InstanceInner {
        &self.0
    }

    /// Instantiates `module` with `imports`, given in the order of [`Module::imports`]: checks
    /// each import's type (a [`crate::LinkError`] names the first mismatch), creates the defined
    /// tables, memories and globals, applies active element then data segments (a trap leaves
    /// the earlier segments applied), and runs the start function.
    pub fn new(module: &Module, imports: &[Extern]) -> Result<Instance, Error> {
        super::instantiate::instantiate(module, imports, None)
    }

    /// [`Instance::new`] in the limited namespace `limits`, which must be the one `module`
    /// was compiled for ([`Module::with_options`]): the instance, its memories and tables
    /// count against the namespace's caps, and its functions run under its limits.
    pub fn new_limited(
        module: &Module,
        imports: &[Extern],
        limits: &Rc<super::NamespaceLimits>,
    ) -> Result<Instance, Error> {
        super::instantiate::instantiate(module, imports, Some(limits))
    }

    /// The limited namespace the instance runs under.
    pub fn limits(&self) -> Option<&Rc<super::NamespaceLimits>> {
        self.0.limits.as_ref()
    }

    /// The module this is an instance of.
    pub fn module(&self) -> &Module {
        &self.0.module
    }

    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<Extern> {
        let e = self.0.module.exports().iter().find(|e| e.name == name)?;
        Some(self.extern_at(e.index))
    }

    /// Every export, in declaration order.
    pub fn exports(&self) -> Vec<(String, Extern)> {
        self.0.module.exports().iter().map(|e| (e.name.clone(), self.extern_at(e.index))).collect()
    }

    /// The external value for an export index.
    pub fn extern_at(&self, index: ExportIndex) -> Extern {
        match index {
            ExportIndex::Func(i) => Extern::Func(self.func(i)),
            ExportIndex::Table(i) => Extern::Table(self.0.tables[i as usize].clone()),
            ExportIndex::Memory(i) => Extern::Memory(self.0.memories[i as usize].clone()),
            ExportIndex::Global(i) => Extern::Global(self.0.globals[i as usize].clone()),
            ExportIndex::Tag(i) => Extern::Tag(self.0.tags[i as usize].clone()),
        }
    }

    /// A reference to function `index` (imports first) of this instance.
    pub fn func(&self, index: u32) -> FuncRef {
        let m = &self.0.module.0;
        if index < m.num_imported_funcs {
            self.0.imported_funcs[index as usize].clone()
        } else {
            FuncRef::wasm(self.clone(), index, m.func_type(index).clone())
        }
    }

    /// Every memory of the instance (imported first), exported or not.
    pub fn memories(&self) -> &[Memory] {
        &self.0.memories
    }

    /// Every table of the instance (imported first), exported or not.
    pub fn tables(&self) -> &[Table] {
        &self.0.tables
    }

    /// The embedder's data on this instance.
    pub fn embedder(&self) -> &super::EmbedderSlot {
        &self.0.embedder
    }

    /// The address of the instance, usable as an identity key.
    pub fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl fmt::Debug for Instance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Instance({:#x})", self.addr())
    }
}
