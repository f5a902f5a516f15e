//! Translation of tail calls and typed function references (`return_call*`, `call_ref`, `br_on_null`, …).

use wasmparser::Operator;

use super::Translator;
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_refs_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        let _ = op;
        None
    }
}
