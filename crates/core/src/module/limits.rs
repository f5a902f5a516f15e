//! The JS-API's implementation-defined limits (https://webassembly.github.io/spec/js-api/#limits)
//! that wasmparser does not enforce itself: module size, imports and exports (per profile: V8
//! raised them from 100,000 to the JS API's 1,000,000 in 13.6), element segments,
//! `br_table` targets. (Its own limits cover the others, with V8's values: types, functions,
//! globals, data segments, tags, function size 7,654,321 bytes, 50,000 locals, 1,000 parameters
//! and results. It allows only 100,000 element segments, where the JS API allows 10,000,000:
//! larger element sections are validated by `super::elements`.)

use wasmparser::{BinaryReader, Payload};

use super::profile::Profile;
use crate::error::{CompileError, CompileLimit};
use crate::types::MemoryType;

/// The largest module, in bytes (1 GiB).
pub(crate) const MAX_MODULE_SIZE: usize = 1 << 30;
/// The most imports, and the most exports, of a module in V8 up to 12.4 (Node 20 and 22).
pub(crate) const V8_12_MAX_IMPORTS_EXPORTS: u32 = 100_000;
/// The most imports, and the most exports, of a module: the JS API's limit, V8's from 13.6
/// (Node 24 on).
pub(crate) const MAX_IMPORTS_EXPORTS: u32 = 1_000_000;
/// The most element segments of a module.
pub(crate) const MAX_ELEMENT_SEGMENTS: u32 = 10_000_000;

/// The most targets of a `br_table` (V8's `kV8MaxWasmFunctionBrTableSize`; wasmparser allows
/// as many as a function has bytes).
pub(crate) const MAX_BR_TABLE_SIZE: u32 = 65_520;

/// The largest `min` or `max` of a 64-bit memory type, in pages (2^37 − 1: 2^53 − 2^16 bytes).
pub(crate) const MAX_MEMORY64_TYPE_PAGES: u64 = (1 << 37) - 1;

/// Rejects a module larger than [`MAX_MODULE_SIZE`] (V8's message).
pub(crate) fn check_size(bytes: &[u8]) -> Result<(), CompileError> {
    if bytes.len() > MAX_MODULE_SIZE {
        return Err(CompileError::limit(
            CompileLimit::ModuleSize,
            bytes.len() as u64,
            MAX_MODULE_SIZE as u64,
            format!("size > maximum module size ({MAX_MODULE_SIZE}): {}", bytes.len()),
            None,
        ));
    }
    Ok(())
}

/// Rejects a section whose entry count exceeds a limit of `profile` (V8's message).
pub(crate) fn check_section(payload: &Payload<'_>, profile: Profile) -> Result<(), CompileError> {
    let ports = match profile {
        Profile::Node20 | Profile::Node22 => V8_12_MAX_IMPORTS_EXPORTS,
        Profile::Node24 | Profile::Node26 | Profile::Latest => MAX_IMPORTS_EXPORTS,
    };
    let (limit, what, count, max, offset) = match payload {
        Payload::ImportSection(r) => (CompileLimit::Imports, "imports", r.count(), ports, r.range().start),
        Payload::ExportSection(r) => (CompileLimit::Exports, "exports", r.count(), ports, r.range().start),
        Payload::ElementSection(r) => {
            (CompileLimit::ElementSegments, "segment", r.count(), MAX_ELEMENT_SEGMENTS, r.range().start)
        }
        _ => return Ok(()),
    };
    if count > max {
        return Err(CompileError::limit(
            limit,
            count.into(),
            max.into(),
            format!("{what} count of {count} exceeds internal limit of {max}"),
            Some(offset as usize),
        ));
    }
    Ok(())
}

/// Rejects a 64-bit memory type whose `min` or `max` exceeds [`MAX_MEMORY64_TYPE_PAGES`] (V8's
/// wording). A 32-bit memory's limits are checked by validation (65,536 pages).
pub(crate) fn check_memory(ty: &MemoryType, offset: usize) -> Result<(), CompileError> {
    if !ty.memory64 {
        return Ok(());
    }
    let fields = [
        (CompileLimit::Memory64Initial, "initial", Some(ty.limits.min)),
        (CompileLimit::Memory64Maximum, "maximum", ty.limits.max),
    ];
    for (limit, what, pages) in fields {
        if let Some(pages) = pages.filter(|&p| p > MAX_MEMORY64_TYPE_PAGES) {
            return Err(CompileError::limit(
                limit,
                pages,
                MAX_MEMORY64_TYPE_PAGES,
                format!(
                    "{what} memory size ({pages} pages) is larger than implementation limit ({MAX_MEMORY64_TYPE_PAGES} pages)"
                ),
                Some(offset),
            ));
        }
    }
    Ok(())
}

/// Rejects a `br_table` with more than [`MAX_BR_TABLE_SIZE`] targets (V8's message, at the
/// target count). `reader` is at the operator's opcode byte (0x0e); an unreadable count is left
/// to validation.
pub(crate) fn check_br_table(reader: &BinaryReader<'_>) -> Result<(), CompileError> {
    let mut r = reader.clone();
    if r.read_u8().is_err() {
        return Ok(());
    }
    let at = r.original_position();
    match r.read_var_u32() {
        Ok(count) if count > MAX_BR_TABLE_SIZE => {
            Err(CompileError::new(format!("invalid table count (> max br_table size): {count}"), Some(at as usize)))
        }
        _ => Ok(()),
    }
}
