//! Memory handlers: loads, stores (memory 0, bounds-checked against `len`), `memory.size`,
//! `memory.grow` and the bulk operations.

use std::ptr;

use super::{get, handlers, put, set, src, trap};
use crate::engine::exec::bulk;
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::{ACC_IN1, ACC_IN2, ACC_OUT};
use crate::error::TrapCode;

/// Bytes per wasm page.
const PAGE_SIZE: usize = 65_536;

/// The effective address of an access of `size` bytes at `addr + offset`, if it is inside
/// memory of length `len`.
#[inline(always)]
fn effective(addr: u32, offset: u32, size: usize, len: usize) -> Option<usize> {
    let ea = addr as u64 + offset as u64;
    if ea + size as u64 > len as u64 {
        None
    } else {
        Some(ea as usize)
    }
}

/// Load handlers `Name: M => conv`: read an `M` (little-endian) and store `conv(value)`.
macro_rules! load {
    ($lookup:ident; $( $name:ident : $t:ty => $conv:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc) $lookup;
            $( $name [0, 1, 4, 5] { dst, addr, offset } => {
                let a = src::<u32>(fp, addr, acc, M & ACC_IN1 != 0);
                let Some(ea) = effective(a, offset, size_of::<$t>(), len) else {
                    return trap(cx, TrapCode::MemOutOfBounds);
                };
                let v = <$t>::from_le(ptr::read_unaligned(mem.add(ea) as *const $t));
                put(fp, dst, &mut acc, M & ACC_OUT != 0, ($conv)(v));
                dispatch!(ip.add(1), fp, mem, len, cx, acc)
            } )*
        }
    };
}

/// Store handlers `Name: M`: write the low bits of `value` as an `M` (little-endian).
macro_rules! store {
    ($lookup:ident; $( $name:ident : $t:ty ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc) $lookup;
            $( $name [0, 1, 2] { addr, value, offset } => {
                let a = src::<u32>(fp, addr, acc, M & ACC_IN1 != 0);
                let Some(ea) = effective(a, offset, size_of::<$t>(), len) else {
                    return trap(cx, TrapCode::MemOutOfBounds);
                };
                let v = src::<u64>(fp, value, acc, M & ACC_IN2 != 0);
                ptr::write_unaligned(mem.add(ea) as *mut $t, (v as $t).to_le());
                dispatch!(ip.add(1), fp, mem, len, cx, acc)
            } )*
        }
    };
}

/// Handlers `Name: M` storing the immediate `value` (truncated to `M`).
macro_rules! store_imm {
    ($lookup:ident; $( $name:ident : $t:ty ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc) $lookup;
            $( $name [0, 1] { addr, value, offset } => {
                let a = src::<u32>(fp, addr, acc, M & ACC_IN1 != 0);
                let Some(ea) = effective(a, offset, size_of::<$t>(), len) else {
                    return trap(cx, TrapCode::MemOutOfBounds);
                };
                ptr::write_unaligned(mem.add(ea) as *mut $t, (value as $t).to_le());
                dispatch!(ip.add(1), fp, mem, len, cx, acc)
            } )*
        }
    };
}

store_imm! { lookup_store_imm;
    Store8Imm: u8,
    Store16Imm: u16,
    Store32Imm: u32,
    Store64Imm: u64,
}

load! { lookup_load;
    I32Load: u32 => |v: u32| v,
    I64Load: u64 => |v: u64| v,
    F32Load: u32 => |v: u32| v,
    F64Load: u64 => |v: u64| v,
    I32Load8S: i8 => |v: i8| v as i32,
    I32Load8U: u8 => |v: u8| v as u32,
    I32Load16S: i16 => |v: i16| v as i32,
    I32Load16U: u16 => |v: u16| v as u32,
    I64Load8S: i8 => |v: i8| v as i64,
    I64Load8U: u8 => |v: u8| v as u64,
    I64Load16S: i16 => |v: i16| v as i64,
    I64Load16U: u16 => |v: u16| v as u64,
    I64Load32S: i32 => |v: i32| v as i64,
    I64Load32U: u32 => |v: u32| v as u64,
}

store! { lookup_store;
    I32Store: u32,
    I64Store: u64,
    F32Store: u32,
    F64Store: u64,
    I32Store8: u8,
    I32Store16: u16,
    I64Store8: u8,
    I64Store16: u16,
    I64Store32: u32,
}

/// `memory.grow` by `delta` pages: the old size in pages, or -1. Refreshes the cached bounds.
///
/// # Safety
/// `cx` must describe a live instance.
#[inline(never)]
unsafe fn memory_grow(cx: &mut Ctx, delta: u32) -> u32 {
    // SAFETY: `mem` is null or points into the live instance's memory list.
    let r = match unsafe { cx.mem.as_ref() } {
        Some(m) => m.grow(delta as u64).map_or(u32::MAX, |old| old as u32),
        None => u32::MAX,
    };
    cx.refresh_mem();
    r
}

handlers! { (ip, fp, mem, len, cx, acc) lookup;
    MemorySize [0] { dst } => {
        set(fp, dst, (len / PAGE_SIZE) as u32);
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
    MemoryGrow [0] { dst, delta } => {
        let r = memory_grow(cx, get::<u32>(fp, delta));
        set(fp, dst, r);
        let (mem, len) = (cx.mem_base, cx.mem_len);
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
    MemoryCopy [0] { args } => {
        if let Err(c) = bulk::memory_copy(cx, fp, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
    MemoryFill [0] { args } => {
        if let Err(c) = bulk::memory_fill(cx, fp, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
    MemoryInit [0] { seg, args } => {
        if let Err(c) = bulk::memory_init(cx, fp, seg, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
    DataDrop [0] { seg } => {
        bulk::data_drop(cx, seg);
        dispatch!(ip.add(1), fp, mem, len, cx, acc)
    }
}
