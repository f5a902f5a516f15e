//! Translation of exception handling: tags, `throw`, `throw_ref`, `try_table` and the legacy `try`/`catch`/`delegate`/`rethrow`.

use wasmparser::Operator;

use super::Translator;
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_exceptions_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        let _ = op;
        None
    }
}
