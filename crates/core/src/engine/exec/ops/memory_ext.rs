//! Handlers of memories beyond WebAssembly 2.0: multi-memory, memory64 and threads (atomics).
//!
//! Unlike the memory-0 handlers (`ops/memory.rs`), these read the memory's base and length
//! from the instance's memory list on every access, and compute effective addresses with
//! overflow checks in 64 bits (a 64-bit memory's address plus an offset may exceed 2^64).
//! Atomic accesses use `std::sync::atomic` on the memory's bytes (SeqCst), so memory shared
//! with other threads behaves.

use std::ptr;
use std::sync::atomic::{fence, AtomicU16, AtomicU32, AtomicU64, AtomicU8, Ordering};

use super::{get, handlers, set, trap};
use crate::engine::exec::bulk;
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::store::{Memory, PAGE_SIZE};
use crate::error::TrapCode;

/// Memory `mem` of the running instance.
///
/// # Safety
/// `cx` must describe a live instance with more than `mem` memories (validated).
#[inline(always)]
unsafe fn memory(cx: &Ctx, mem: usize) -> &Memory {
    // SAFETY: guaranteed by the caller.
    unsafe { &*cx.memories.add(mem) }
}

/// An address operand of memory `m` from its cell: 64 bits for a 64-bit memory, else 32.
#[inline(always)]
fn addr_of(m: &Memory, cell: u64) -> u64 {
    if m.is_64() {
        cell
    } else {
        cell as u32 as u64
    }
}

/// The start offset of an access of `size` bytes at `addr + offset` in `m`, if it is in bounds.
#[inline(always)]
fn access(m: &Memory, addr: u64, offset: u64, size: u64) -> Option<usize> {
    let start = addr.checked_add(offset)?;
    let end = start.checked_add(size)?;
    (end <= m.data_len() as u64).then_some(start as usize)
}

/// The address of an access of `size` bytes to memory `mem` at the address operand in `cell`
/// (an i64 for a 64-bit memory, else the low 32 bits) plus `offset`, or `None` when any byte
/// of it is out of bounds (overflow included). For handlers of other groups (SIMD loads and
/// stores of memories other than a 32-bit memory 0).
///
/// # Safety
/// `cx` must describe a live instance with more than `mem` memories (validated).
#[inline(always)]
pub(crate) unsafe fn effective_address(cx: &Ctx, mem: u16, cell: u64, offset: u64, size: u64) -> Option<*mut u8> {
    // SAFETY: guaranteed by the caller; `access` bounds-checked the range.
    unsafe {
        let m = memory(cx, mem as usize);
        access(m, addr_of(m, cell), offset, size).map(|start| m.data_ptr().add(start))
    }
}

/// Load handlers `Name: T => conv` of memory `mem`.
macro_rules! load_mem {
    ($lookup:ident; $( $name:ident : $t:ty => $conv:expr ),* $(,)?) => {
        handlers! { (ip, fp, mem_base, len, cx, acc, facc) $lookup;
            $( $name [0] { dst, addr, mem, offset } => {
                let m = memory(cx, mem as usize);
                let Some(start) = access(m, addr_of(m, get::<u64>(fp, addr)), offset, size_of::<$t>() as u64) else {
                    return trap(cx, TrapCode::MemOutOfBounds);
                };
                let v = <$t>::from_le(ptr::read_unaligned(m.data_ptr().add(start) as *const $t));
                set(fp, dst, ($conv)(v));
                dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
            } )*
        }
    };
}

load_mem! { lookup_load;
    I32LoadMem: u32 => |v: u32| v,
    I64LoadMem: u64 => |v: u64| v,
    F32LoadMem: u32 => |v: u32| v,
    F64LoadMem: u64 => |v: u64| v,
    I32Load8SMem: i8 => |v: i8| v as i32,
    I32Load8UMem: u8 => |v: u8| v as u32,
    I32Load16SMem: i16 => |v: i16| v as i32,
    I32Load16UMem: u16 => |v: u16| v as u32,
    I64Load8SMem: i8 => |v: i8| v as i64,
    I64Load8UMem: u8 => |v: u8| v as u64,
    I64Load16SMem: i16 => |v: i16| v as i64,
    I64Load16UMem: u16 => |v: u16| v as u64,
    I64Load32SMem: i32 => |v: i32| v as i64,
    I64Load32UMem: u32 => |v: u32| v as u64,
}

/// Store handlers `Name: T` of memory `mem` (the low bits of the value's cell).
macro_rules! store_mem {
    ($lookup:ident; $( $name:ident : $t:ty ),* $(,)?) => {
        handlers! { (ip, fp, mem_base, len, cx, acc, facc) $lookup;
            $( $name [0] { addr, value, mem, offset } => {
                let m = memory(cx, mem as usize);
                let Some(start) = access(m, addr_of(m, get::<u64>(fp, addr)), offset, size_of::<$t>() as u64) else {
                    return trap(cx, TrapCode::MemOutOfBounds);
                };
                let v = get::<u64>(fp, value) as $t;
                ptr::write_unaligned(m.data_ptr().add(start) as *mut $t, v.to_le());
                dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
            } )*
        }
    };
}

store_mem! { lookup_store;
    I32StoreMem: u32,
    I64StoreMem: u64,
    F32StoreMem: u32,
    F64StoreMem: u64,
    I32Store8Mem: u8,
    I32Store16Mem: u16,
    I64Store8Mem: u8,
    I64Store16Mem: u16,
    I64Store32Mem: u32,
}

/// `memory.grow` of memory `m` by the delta in `cell`: the old size, or -1 (as an i32 or an
/// i64 cell, by the memory's address type).
#[inline(never)]
fn grow(m: &Memory, cell: u64) -> u64 {
    let delta = addr_of(m, cell);
    match m.grow(delta) {
        Some(old) => old,
        None if m.is_64() => u64::MAX,
        None => u32::MAX as u64,
    }
}

/// Reads the three operands of a bulk operation at `args`.
///
/// # Safety
/// `args..args + 3` must be slots of the frame.
#[inline(always)]
unsafe fn args3(fp: *mut u64, args: u16) -> (u64, u64, u64) {
    // SAFETY: guaranteed by the caller.
    unsafe { (get::<u64>(fp, args), get::<u64>(fp, args + 1), get::<u64>(fp, args + 2)) }
}

/// Whether `start..start + n` lies within `bound` bytes.
#[inline(always)]
fn in_bounds(start: u64, n: u64, bound: usize) -> bool {
    start.checked_add(n).is_some_and(|end| end <= bound as u64)
}

/// `memory.copy` between memories `dm` and `sm`.
///
/// # Safety
/// `args..args + 3` must be slots of the frame.
#[inline(never)]
unsafe fn copy(cx: &Ctx, dm: &Memory, sm: &Memory, fp: *mut u64, args: u16) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; both ranges are checked before copying (memmove, as
    // the memories may be the same).
    unsafe {
        let (d, s, n) = args3(fp, args);
        let (d, s) = (addr_of(dm, d), addr_of(sm, s));
        // The length is an i64 only when both memories are 64-bit.
        let n = if dm.is_64() && sm.is_64() { n } else { n as u32 as u64 };
        if !in_bounds(s, n, sm.data_len()) || !in_bounds(d, n, dm.data_len()) {
            return Err(TrapCode::MemOutOfBounds);
        }
        bulk::copy_bytes(cx, sm.data_ptr().add(s as usize), dm.data_ptr().add(d as usize), n as usize)
    }
}

/// `memory.fill` of memory `m`.
///
/// # Safety
/// `args..args + 3` must be slots of the frame.
#[inline(never)]
unsafe fn fill(cx: &Ctx, m: &Memory, fp: *mut u64, args: u16) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; the range is checked before writing.
    unsafe {
        let (d, v, n) = args3(fp, args);
        let (d, n) = (addr_of(m, d), addr_of(m, n));
        if !in_bounds(d, n, m.data_len()) {
            return Err(TrapCode::MemOutOfBounds);
        }
        bulk::fill_bytes(cx, m.data_ptr().add(d as usize), v as u8, n as usize)
    }
}

/// `memory.init` of memory `m` from data segment `seg`.
///
/// # Safety
/// `cx` must describe a live instance; `seg` a valid data segment; `args..args + 3` slots of
/// the frame.
#[inline(never)]
unsafe fn init(cx: &Ctx, m: &Memory, seg: u32, fp: *mut u64, args: u16) -> Result<(), TrapCode> {
    // SAFETY: guaranteed by the caller; both ranges are checked before copying.
    unsafe {
        let (d, s, n) = args3(fp, args);
        let (d, s, n) = (addr_of(m, d), s as u32 as u64, n as u32 as u64);
        let inner = &*cx.inner;
        let bytes: &[u8] = inner.data_segment(seg);
        if !in_bounds(s, n, bytes.len()) || !in_bounds(d, n, m.data_len()) {
            return Err(TrapCode::MemOutOfBounds);
        }
        bulk::copy_bytes(cx, bytes.as_ptr().add(s as usize), m.data_ptr().add(d as usize), n as usize)
    }
}

/// The address of an atomic access of `1 << size` bytes to memory `mem` (`m`) at the address
/// in `cell` plus `offset`: bounds-checked, then alignment-checked; an access that fails both
/// traps as V8 does ([`atomic_fault`]).
#[inline(always)]
fn atomic_access(cx: &Ctx, mem: usize, m: &Memory, cell: u64, offset: u64, size: u8) -> Result<*mut u8, TrapCode> {
    let n = 1u64 << size;
    let Some(start) = access(m, addr_of(m, cell), offset, n) else {
        return Err(atomic_fault(cx, mem, addr_of(m, cell), offset, n));
    };
    if start as u64 & (n - 1) != 0 {
        return Err(TrapCode::UnalignedAtomic);
    }
    // SAFETY: `start..start + n` is within the memory.
    Ok(unsafe { m.data_ptr().add(start) })
}

/// The trap of an atomic access of `n` bytes to memory `mem` at `addr + offset` that is out of
/// bounds, as V8 words it (the differential fuzzer's GC run on Node 26 found both rules: seed 1,
/// module 62; seed 3, module 25). V8 11.3 (Node 20): out of bounds. V8 12.4 and later: out of
/// bounds if `offset + n` is past the largest size the memory's declared type allows (its
/// maximum, else 2^16 pages for a 32-bit memory and 2^18 for a 64-bit one: the access is out of
/// bounds at compile time); else unaligned if `addr + offset` is not a multiple of `n`; else
/// out of bounds.
#[cold]
#[inline(never)]
fn atomic_fault(cx: &Ctx, mem: usize, addr: u64, offset: u64, n: u64) -> TrapCode {
    // SAFETY: a handler's `cx` describes a live instance, which keeps its module.
    let module = unsafe { &(*cx.inner).module.0 };
    if !module.profile.atomic_alignment_before_bounds() {
        return TrapCode::MemOutOfBounds;
    }
    let ty = &module.memories[mem];
    let v8_max_pages: u64 = if ty.memory64 { 1 << 18 } else { 1 << 16 };
    let max_bytes = ty.limits.max.unwrap_or(v8_max_pages).min(v8_max_pages) * PAGE_SIZE as u64;
    let statically_out = offset.checked_add(n).is_none_or(|end| end > max_bytes);
    if !statically_out && addr.wrapping_add(offset) & (n - 1) != 0 {
        TrapCode::UnalignedAtomic
    } else {
        TrapCode::MemOutOfBounds
    }
}

/// Runs `f` on the atomic of `1 << size` bytes at `p` (widened to u64 and back).
///
/// # Safety
/// `p` must be valid for `1 << size` bytes and aligned to them.
#[inline(always)]
unsafe fn with_atomic<R>(p: *mut u8, size: u8, f: impl AtomicFn<R>) -> R {
    // SAFETY: guaranteed by the caller; wasm memory is only accessed through raw pointers, so
    // these references alias nothing Rust tracks.
    unsafe {
        match size {
            0 => f.u8(AtomicU8::from_ptr(p)),
            1 => f.u16(AtomicU16::from_ptr(p as *mut u16)),
            2 => f.u32(AtomicU32::from_ptr(p as *mut u32)),
            _ => f.u64(AtomicU64::from_ptr(p as *mut u64)),
        }
    }
}

/// An operation on an atomic of any width (values little-endian in memory, so the atomics
/// convert on big-endian hosts).
trait AtomicFn<R> {
    fn u8(self, a: &AtomicU8) -> R;
    fn u16(self, a: &AtomicU16) -> R;
    fn u32(self, a: &AtomicU32) -> R;
    fn u64(self, a: &AtomicU64) -> R;
}

/// Defines an [`AtomicFn`] struct `$name { fields }` whose body `|$a, $t, $fields...| expr`
/// is instantiated per width (`$t` the unsigned type).
macro_rules! atomic_fn {
    ($name:ident { $($f:ident : $ft:ty),* } -> $r:ty, |$a:ident, $t:ident| $body:expr) => {
        struct $name { $($f: $ft),* }
        // The body is written once for every width; its casts are no-ops at 64 bits.
        #[allow(clippy::unnecessary_cast)]
        impl AtomicFn<$r> for $name {
            fn u8(self, $a: &AtomicU8) -> $r { #[allow(unused)] type $t = u8; let $name { $($f),* } = self; $body }
            fn u16(self, $a: &AtomicU16) -> $r { #[allow(unused)] type $t = u16; let $name { $($f),* } = self; $body }
            fn u32(self, $a: &AtomicU32) -> $r { #[allow(unused)] type $t = u32; let $name { $($f),* } = self; $body }
            fn u64(self, $a: &AtomicU64) -> $r { #[allow(unused)] type $t = u64; let $name { $($f),* } = self; $body }
        }
    };
}

atomic_fn!(Load {} -> u64, |a, T| T::from_le(a.load(Ordering::SeqCst)) as u64);
atomic_fn!(Store { v: u64 } -> (), |a, T| a.store((v as T).to_le(), Ordering::SeqCst));
atomic_fn!(Rmw { kind: u8, v: u64 } -> u64, |a, T| {
    let v = v as T;
    // Little-endian memory: on a big-endian host, arithmetic needs a compare-exchange loop.
    let old = if cfg!(target_endian = "little") {
        match kind {
            0 => a.fetch_add(v, Ordering::SeqCst),
            1 => a.fetch_sub(v, Ordering::SeqCst),
            2 => a.fetch_and(v, Ordering::SeqCst),
            3 => a.fetch_or(v, Ordering::SeqCst),
            4 => a.fetch_xor(v, Ordering::SeqCst),
            _ => a.swap(v, Ordering::SeqCst),
        }
    } else {
        let op = |old: T| -> T {
            let o = T::from_le(old);
            let n = match kind {
                0 => o.wrapping_add(v),
                1 => o.wrapping_sub(v),
                2 => o & v,
                3 => o | v,
                4 => o ^ v,
                _ => v,
            };
            n.to_le()
        };
        T::from_le(a.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| Some(op(o))).unwrap_or_else(|o| o))
    };
    old as u64
});
atomic_fn!(Cmpxchg { expected: u64, replacement: u64 } -> u64, |a, T| {
    // Both operands are wrapped to the access width (as V8 does).
    match a.compare_exchange((expected as T).to_le(), (replacement as T).to_le(), Ordering::SeqCst, Ordering::SeqCst) {
        Ok(old) | Err(old) => T::from_le(old) as u64,
    }
});

/// `memory.atomic.wait32/64` at `p` (bounds and alignment already checked).
#[inline(never)]
fn wait(m: &Memory, p: *mut u8, size: u8, expected: u64, timeout: i64) -> Result<u64, TrapCode> {
    if !m.is_shared() {
        return Err(TrapCode::WaitOnUnsharedMemory);
    }
    m.wait(p as usize - m.data_ptr() as usize, size, expected, timeout).map(u64::from).map_err(|code| {
        // An embedder's wait (e.g. JS `Atomics.wait`) that failed because the thread is being
        // stopped: the interrupt hook says so.
        if code != TrapCode::Interrupted && crate::engine::store::ask_interrupt_hook() {
            TrapCode::Interrupted
        } else {
            code
        }
    })
}

/// The error of an atomic handler (out of line).
#[cold]
#[inline(never)]
fn atomic_trap(cx: &mut Ctx, code: TrapCode) -> crate::engine::exec::dispatch::Stop {
    trap(cx, code)
}

handlers! { (ip, fp, mem_base, len, cx, acc, facc) lookup_other;
    MemorySizeMem [0] { dst, mem } => {
        let m = memory(cx, mem as usize);
        set(fp, dst, (m.data_len() / PAGE_SIZE) as u64);
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    MemoryGrowMem [0] { dst, delta, mem } => {
        let r = grow(memory(cx, mem as usize), get::<u64>(fp, delta));
        set(fp, dst, r);
        cx.refresh_mem();
        let (mem_base, len) = (cx.mem_base, cx.mem_len);
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    MemoryCopyMem [0] { args, dst_mem, src_mem } => {
        if let Err(c) = copy(cx, memory(cx, dst_mem as usize), memory(cx, src_mem as usize), fp, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    MemoryFillMem [0] { args, mem } => {
        if let Err(c) = fill(cx, memory(cx, mem as usize), fp, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    MemoryInitMem [0] { args, mem, seg } => {
        if let Err(c) = init(cx, memory(cx, mem as usize), seg, fp, args) {
            return trap(cx, c);
        }
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicLoad [0] { dst, addr, mem, size, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, addr), offset, size) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        set(fp, dst, with_atomic(p, size, Load {}));
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicStore [0] { addr, value, mem, size, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, addr), offset, size) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        with_atomic(p, size, Store { v: get::<u64>(fp, value) });
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicRmw [0] { dst, args, mem, op, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, args), offset, op & 3) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        let old = with_atomic(p, op & 3, Rmw { kind: op >> 2, v: get::<u64>(fp, args + 1) });
        set(fp, dst, old);
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicCmpxchg [0] { dst, args, mem, size, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, args), offset, size) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        // An i32 operation's operands are zero-extended i32 cells; an i64 one's are full.
        let expected = get::<u64>(fp, args + 1);
        let replacement = get::<u64>(fp, args + 2);
        set(fp, dst, with_atomic(p, size, Cmpxchg { expected, replacement }));
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicNotify [0] { dst, args, mem, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, args), offset, 2) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        // An unshared memory has no waiters: 0 woken.
        let count = get::<u32>(fp, args + 1);
        let woken = if m.is_shared() { m.notify(p as usize - m.data_ptr() as usize, count) } else { 0 };
        set(fp, dst, woken);
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicWait [0] { dst, args, mem, size, offset } => {
        let m = memory(cx, mem as usize);
        let p = match atomic_access(cx, mem as usize, m, get::<u64>(fp, args), offset, size) {
            Ok(p) => p,
            Err(c) => return atomic_trap(cx, c),
        };
        match wait(m, p, size, get::<u64>(fp, args + 1), get::<i64>(fp, args + 2)) {
            Ok(r) => set(fp, dst, r),
            Err(c) => return atomic_trap(cx, c),
        }
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
    AtomicFence [0] {} => {
        fence(Ordering::SeqCst);
        dispatch!(ip.add(1), fp, mem_base, len, cx, acc, facc)
    }
}

/// The handler of `op` among the plain loads and stores of any memory, or the other
/// operations of this group.
pub(crate) const fn lookup(op: crate::engine::ir::Op, mode: u8) -> Option<crate::engine::exec::dispatch::Handler> {
    match lookup_load(op, mode) {
        Some(h) => Some(h),
        None => match lookup_store(op, mode) {
            Some(h) => Some(h),
            None => lookup_other(op, mode),
        },
    }
}
