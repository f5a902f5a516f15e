//! Handlers that only modules of a limited namespace contain (see `translate/limits.rs`): fuel
//! charges and NaN canonicalisation.

use super::{handlers, trap_at};
use crate::engine::exec::ctx::Ctx;
use crate::engine::exec::dispatch::{dispatch, Ip, Stop};
use crate::error::TrapCode;

/// The canonical f32 NaN.
const NAN32: u32 = 0x7fc0_0000;
/// The canonical f64 NaN.
const NAN64: u64 = 0x7ff8_0000_0000_0000;

/// Takes `cost` units from the running instance's namespace fuel; false (nothing taken) when
/// less is left.
///
/// # Safety
/// `cx` must be attached to a live instance.
#[inline(always)]
unsafe fn charge(cx: &Ctx, cost: u64) -> bool {
    // SAFETY: guaranteed by the caller.
    let inner = unsafe { &*cx.inner };
    // Fuel instructions are only translated into modules of a fuel namespace, whose instances
    // all have limits (instantiation checks the namespace).
    let Some(limits) = inner.limits.as_ref() else { return true };
    let left = limits.fuel.get();
    if left < cost {
        return false;
    }
    limits.fuel.set(left - cost);
    true
}

/// Out of fuel at `ip` (cold).
#[cold]
#[inline(never)]
fn out_of_fuel(ip: Ip, cx: &mut Ctx) -> Stop {
    trap_at(ip, cx, TrapCode::OutOfFuel)
}

/// A canonical f32 NaN for a NaN `bits`, else `bits`.
#[inline(always)]
fn canon32(bits: u32) -> u32 {
    if f32::from_bits(bits).is_nan() {
        NAN32
    } else {
        bits
    }
}

/// A canonical f64 NaN for a NaN `bits`, else `bits`.
#[inline(always)]
fn canon64(bits: u64) -> u64 {
    if f64::from_bits(bits).is_nan() {
        NAN64
    } else {
        bits
    }
}

/// Both f32 lanes of a cell, canonicalised.
#[inline(always)]
fn canon32x2(cell: u64) -> u64 {
    canon32(cell as u32) as u64 | (canon32((cell >> 32) as u32) as u64) << 32
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup;
    Fuel [0] { cost } => {
        if !charge(cx, cost as u64) {
            return out_of_fuel(ip, cx);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    FuelBulk [0] { args, shift } => {
        let n = *fp.add(args as usize + 2) as u32 as u64;
        if !charge(cx, n >> shift) {
            return out_of_fuel(ip, cx);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    CanonF32 [0] { slot } => {
        let p = fp.add(slot as usize);
        *p = canon32(*p as u32) as u64;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    CanonF64 [0] { slot } => {
        let p = fp.add(slot as usize);
        *p = canon64(*p);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    CanonF32x4 [0] { slot } => {
        let p = fp.add(slot as usize);
        *p = canon32x2(*p);
        *p.add(1) = canon32x2(*p.add(1));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    CanonF64x2 [0] { slot } => {
        let p = fp.add(slot as usize);
        *p = canon64(*p);
        *p.add(1) = canon64(*p.add(1));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}
