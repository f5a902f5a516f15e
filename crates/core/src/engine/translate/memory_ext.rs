//! Translation of memories beyond WebAssembly 2.0: multi-memory, memory64 and threads (atomics).

use wasmparser::Operator;

use super::Translator;
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_memory_ext_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        let _ = op;
        None
    }
}
