//! Translation of SIMD and relaxed SIMD (`v128` values in two consecutive cells).

use wasmparser::Operator;

use super::Translator;
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_simd_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        let _ = op;
        None
    }
}
