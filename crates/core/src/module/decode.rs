//! Decoding and validating a binary module into [`ModuleInner`].

use super::ModuleInner;
use crate::error::CompileError;

/// Decodes and validates `bytes`, translating every function body.
pub(crate) fn decode(_bytes: &[u8]) -> Result<ModuleInner, CompileError> {
    todo!("lead: module decoding")
}
