//! Memory handlers: loads, stores (memory 0, bounds-checked against `len`), `memory.size`,
//! `memory.grow` and the bulk operations.

use std::ptr;

use super::{get, handlers, put, set, src, trap_at};
use crate::engine::exec::bulk;
use crate::engine::exec::cell::CellVal;
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::{ACC_IN1, ACC_IN2, ACC_OUT};
use crate::error::TrapCode;

/// Bytes per wasm page.
const PAGE_SIZE: usize = 65_536;

/// The address in memory 0 (at `mem`, `len` bytes) of an access of `size` bytes at wasm
/// address `addr + offset`, if the access is inside the memory.
///
/// The bounds check computes the access's end (`addr + (offset + size)`, in 64 bits) and the
/// address as `end - size`, which compiles to one addition, a comparison and an addressing mode
/// with a negative displacement.
///
/// # Safety
/// `mem` must be the base of a memory of at least `len` bytes.
#[inline(always)]
pub(crate) unsafe fn access(mem: *mut u8, addr: u32, offset: u32, size: usize, len: usize) -> Option<*mut u8> {
    let end = addr as u64 + (offset as u64 + size as u64);
    if end > len as u64 {
        None
    } else {
        // SAFETY: `end - size .. end` lies within the memory.
        Some(unsafe { mem.add(end as usize).sub(size) })
    }
}

/// Load handlers `Name: M => conv`: read an `M` (little-endian) and store `conv(value)`.
macro_rules! load {
    ($lookup:ident; $( $name:ident : $t:ty => $conv:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, addr, offset } => {
                let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0);
                let Some(ea) = access(mem, a, offset, size_of::<$t>(), len) else {
                    return trap_at(ip, cx, TrapCode::MemOutOfBounds);
                };
                let v = <$t>::from_le(ptr::read_unaligned(ea as *const $t));
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, ($conv)(v));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Store handlers `Name: M`: write the low bits of `value` as an `M` (little-endian).
macro_rules! store {
    ($lookup:ident; $( $name:ident : $t:ty ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 2] { addr, value, offset } => {
                let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0);
                let Some(ea) = access(mem, a, offset, size_of::<$t>(), len) else {
                    return trap_at(ip, cx, TrapCode::MemOutOfBounds);
                };
                let v = src::<u64>(fp, value, acc, facc, M & ACC_IN2 != 0);
                ptr::write_unaligned(ea as *mut $t, (v as $t).to_le());
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

/// Handlers `Name: M` storing the immediate `value` (truncated to `M`).
macro_rules! store_imm {
    ($lookup:ident; $( $name:ident : $t:ty ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1] { addr, value, offset } => {
                let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0);
                let Some(ea) = access(mem, a, offset, size_of::<$t>(), len) else {
                    return trap_at(ip, cx, TrapCode::MemOutOfBounds);
                };
                ptr::write_unaligned(ea as *mut $t, (value as $t).to_le());
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
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

/// Scaled-index load handlers `Name: M => conv`: like [`load!`] at `(addr << shift) + offset`
/// (the shift wraps like `i32.shl`).
macro_rules! load_shl {
    ($lookup:ident; $( $name:ident : $t:ty => $conv:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 1, 4, 5] { dst, addr, shift, offset } => {
                let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0).wrapping_shl(shift as u32);
                let Some(ea) = access(mem, a, offset, size_of::<$t>(), len) else {
                    return trap_at(ip, cx, TrapCode::MemOutOfBounds);
                };
                let v = <$t>::from_le(ptr::read_unaligned(ea as *const $t));
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, ($conv)(v));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

load_shl! { lookup_load_shl;
    I32LoadShl: u32 => |v: u32| v,
    I64LoadShl: u64 => |v: u64| v,
    F32LoadShl: u32 => |v: u32| v,
    I32Load8SShl: i8 => |v: i8| v as i32,
    I32Load8UShl: u8 => |v: u8| v as u32,
    I32Load16SShl: i16 => |v: i16| v as i32,
    I32Load16UShl: u16 => |v: u16| v as u32,
    I64Load8SShl: i8 => |v: i8| v as i64,
    I64Load8UShl: u8 => |v: u8| v as u64,
    I64Load16SShl: i16 => |v: i16| v as i64,
    I64Load16UShl: u16 => |v: u16| v as u64,
    I64Load32SShl: i32 => |v: i32| v as i64,
    I64Load32UShl: u32 => |v: u32| v as u64,
}

load! { lookup_load;
    I32Load: u32 => |v: u32| v,
    I64Load: u64 => |v: u64| v,
    F32Load: u32 => |v: u32| v,
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
    I32Store8: u8,
    I32Store16: u16,
    I64Store8: u8,
    I64Store16: u16,
    I64Store32: u32,
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup_f64;
    F64Load [0, 1, 4, 5] { dst, addr, offset } => {
        let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0);
        let Some(ea) = access(mem, a, offset, 8, len) else {
            return trap_at(ip, cx, TrapCode::MemOutOfBounds);
        };
        // Read as a float (so that the value goes straight to a floating-point register).
        #[cfg(target_endian = "little")]
        let v = ptr::read_unaligned(ea as *const f64);
        #[cfg(not(target_endian = "little"))]
        let v = f64::from_bits(u64::from_le(ptr::read_unaligned(ea as *const u64)));
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, v);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    F64LoadShl [0, 1, 4, 5] { dst, addr, shift, offset } => {
        let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0).wrapping_shl(shift as u32);
        let Some(ea) = access(mem, a, offset, 8, len) else {
            return trap_at(ip, cx, TrapCode::MemOutOfBounds);
        };
        #[cfg(target_endian = "little")]
        let v = ptr::read_unaligned(ea as *const f64);
        #[cfg(not(target_endian = "little"))]
        let v = f64::from_bits(u64::from_le(ptr::read_unaligned(ea as *const u64)));
        put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, v);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    F64Store [0, 1, 2] { addr, value, offset } => {
        let a = src::<u32>(fp, addr, acc, facc, M & ACC_IN1 != 0);
        let Some(ea) = access(mem, a, offset, 8, len) else {
            return trap_at(ip, cx, TrapCode::MemOutOfBounds);
        };
        let v = src::<f64>(fp, value, acc, facc, M & ACC_IN2 != 0);
        ptr::write_unaligned(ea as *mut u64, v.to_bits().to_le());
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
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

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    MemorySize [0] { dst } => {
        set(fp, dst, (len / PAGE_SIZE) as u32);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    MemoryGrow [0] { dst, delta } => {
        let r = memory_grow(cx, get::<u32>(fp, delta));
        set(fp, dst, r);
        let (mem, len) = (cx.mem_base, cx.mem_len);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    MemoryCopy [0] { args } => {
        if let Err(c) = bulk::memory_copy(cx, fp, args) {
            return trap_at(ip, cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    MemoryFill [0] { args } => {
        if let Err(c) = bulk::memory_fill(cx, fp, args) {
            return trap_at(ip, cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    MemoryInit [0] { seg, args } => {
        if let Err(c) = bulk::memory_init(cx, fp, seg, args) {
            return trap_at(ip, cx, c);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    DataDrop [0] { seg } => {
        bulk::data_drop(cx, seg);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}

/// Handlers `Name: M, T => f` for `dst = f(lhs, load_M(addr + offset))` (a binary operation
/// with a memory operand).
macro_rules! op_load {
    ($lookup:ident; $( $name:ident : $m:ty, $t:ty => $f:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0, 4] { dst, lhs, addr, offset } => {
                let Some(ea) = access(mem, get::<u32>(fp, addr), offset, size_of::<$m>(), len) else {
                    return trap_at(ip, cx, TrapCode::MemOutOfBounds);
                };
                let v = <$t>::from_cell(<$m>::from_le(ptr::read_unaligned(ea as *const $m)) as u64);
                let r = ($f)(get::<$t>(fp, lhs), v);
                put(fp, dst, &mut acc, &mut facc, M & ACC_OUT != 0, r);
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

op_load! { lookup_op_load;
    I32AddLoad: u32, u32 => u32::wrapping_add,
    I64AddLoad: u64, u64 => u64::wrapping_add,
    F64AddLoad: u64, f64 => |a: f64, b: f64| a + b,
    F64SubLoad: u64, f64 => |a: f64, b: f64| a - b,
    F64MulLoad: u64, f64 => |a: f64, b: f64| a * b,
}
