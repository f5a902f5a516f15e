//! What function validation knows of a module: wasmparser's [`ValidatorResources`], with the
//! element segments that [`super::elements`] validated instead of wasmparser's `Validator` (an
//! element section beyond its limit of segments).

use std::sync::Arc;

use wasmparser::{
    types::CoreTypeId, FuncType, GlobalType, HeapType, MemoryType, RefType, SubType, TableType, ValType,
    ValidatorResources, WasmModuleResources,
};

use super::elements::ElementInfo;

/// The resources function bodies are validated (and translated) with. Without a large element
/// section (`elements` is `None`) every question goes to the validator's resources.
#[derive(Clone)]
pub(crate) struct Resources {
    /// What wasmparser's `Validator` collected.
    validator: ValidatorResources,
    /// The element segments, when the validator did not see them.
    elements: Option<Arc<ElementInfo>>,
}

impl Resources {
    /// The resources of a module whose element segments are `elements` if the validator did not
    /// see them, else the validator's own.
    pub(crate) fn new(validator: ValidatorResources, elements: Option<Arc<ElementInfo>>) -> Resources {
        Resources { validator, elements }
    }
}

impl WasmModuleResources for Resources {
    fn table_at(&self, at: u32) -> Option<TableType> {
        self.validator.table_at(at)
    }

    fn memory_at(&self, at: u32) -> Option<MemoryType> {
        self.validator.memory_at(at)
    }

    fn tag_at(&self, at: u32) -> Option<&FuncType> {
        self.validator.tag_at(at)
    }

    fn global_at(&self, at: u32) -> Option<GlobalType> {
        self.validator.global_at(at)
    }

    fn sub_type_at(&self, type_index: u32) -> Option<&SubType> {
        self.validator.sub_type_at(type_index)
    }

    fn sub_type_at_id(&self, id: CoreTypeId) -> &SubType {
        self.validator.sub_type_at_id(id)
    }

    fn type_id_of_function(&self, func_idx: u32) -> Option<CoreTypeId> {
        self.validator.type_id_of_function(func_idx)
    }

    fn type_index_of_function(&self, func_index: u32) -> Option<u32> {
        self.validator.type_index_of_function(func_index)
    }

    fn element_type_at(&self, at: u32) -> Option<RefType> {
        match &self.elements {
            None => self.validator.element_type_at(at),
            Some(e) => {
                // Recorded as written (type indices of the module): canonicalised like the
                // validator's own element types.
                let mut ty = e.type_at(at)?;
                self.validator.check_ref_type(&mut ty, 0).ok()?;
                Some(ty)
            }
        }
    }

    fn is_subtype(&self, a: ValType, b: ValType) -> bool {
        self.validator.is_subtype(a, b)
    }

    fn is_shared(&self, ty: RefType) -> bool {
        self.validator.is_shared(ty)
    }

    fn check_heap_type(&self, heap_type: &mut HeapType, offset: u64) -> Result<(), wasmparser::BinaryReaderError> {
        self.validator.check_heap_type(heap_type, offset)
    }

    fn top_type(&self, heap_type: &HeapType) -> HeapType {
        self.validator.top_type(heap_type)
    }

    fn element_count(&self) -> u32 {
        match &self.elements {
            None => self.validator.element_count(),
            Some(e) => e.count(),
        }
    }

    fn data_count(&self) -> Option<u32> {
        self.validator.data_count()
    }

    fn is_function_referenced(&self, idx: u32) -> bool {
        self.validator.is_function_referenced(idx) || self.elements.as_ref().is_some_and(|e| e.is_referenced(idx))
    }

    fn has_function_exact_type(&self, idx: u32) -> bool {
        self.validator.has_function_exact_type(idx)
    }
}
