//! Node 20's V8 (11.3) accepts an atomic memory instruction whose alignment immediate is
//! *smaller* than the access's natural alignment (it checks only `align <= natural`), where
//! the threads proposal (and wasmparser) require it to be exactly natural. The alignment of an
//! atomic access is only a hint (a misaligned address traps whatever it says), so under the
//! `node20` profile a rejected module that has such accesses is validated again with those
//! immediates raised to the natural alignment (the decision is made from the bytes, never from
//! the error's text): same accept/reject as V8, same execution.
//!
//! Found by the malformed-input fuzzer (`scripts/fuzz/malformed.mjs`, seed 3, input 1430).

use wasmparser::{Parser, Payload};

/// The natural alignment (log2 of the access size) of the `0xFE`-prefixed atomic instruction
/// `sub`, for those that take a memory argument.
fn natural_alignment(sub: u32) -> Option<u32> {
    // Loads, stores and each read-modify-write group come in this order: i32, i64, i32 8-bit,
    // i32 16-bit, i64 8-bit, i64 16-bit, i64 32-bit.
    const SIZES: [u32; 7] = [2, 3, 0, 1, 0, 1, 2];
    match sub {
        0x00 | 0x01 => Some(2), // memory.atomic.notify, memory.atomic.wait32
        0x02 => Some(3),        // memory.atomic.wait64
        0x10..=0x4e => Some(SIZES[((sub - 0x10) % 7) as usize]),
        _ => None,
    }
}

/// Reads an unsigned LEB128 at `pos`: (value, length in bytes).
fn read_leb(bytes: &[u8], pos: usize) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for i in 0..5 {
        let b = *bytes.get(pos + i)?;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

/// Writes `value` as an unsigned LEB128 of exactly `len` bytes at `pos` (padded if needed).
fn write_leb(bytes: &mut [u8], pos: usize, len: usize, mut value: u32) {
    for i in 0..len {
        let mut b = (value & 0x7f) as u8;
        value >>= 7;
        if i + 1 < len {
            b |= 0x80;
        }
        bytes[pos + i] = b;
    }
}

/// `bytes` with every under-aligned atomic access's alignment raised to its natural alignment
/// (immediates keep their byte length, so every offset is unchanged), or `None` if there was
/// none or the code section cannot be read.
pub(crate) fn raise_atomic_alignments(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.to_vec();
    let mut changed = false;
    for payload in Parser::new(0).parse_all(bytes) {
        let Payload::CodeSectionEntry(body) = payload.ok()? else { continue };
        let mut ops = body.get_operators_reader().ok()?;
        while !ops.eof() {
            let (_, offset) = ops.read_with_offset().ok()?;
            let at = offset as usize;
            if bytes[at] != 0xfe {
                continue;
            }
            let (sub, sub_len) = read_leb(bytes, at + 1)?;
            let Some(natural) = natural_alignment(sub) else { continue };
            let align_at = at + 1 + sub_len;
            let (align, align_len) = read_leb(bytes, align_at)?;
            if align < natural {
                write_leb(&mut out, align_at, align_len, natural);
                changed = true;
            }
        }
    }
    changed.then_some(out)
}
