//! GC objects made from API values: the allocations of constant expressions (`struct.new`,
//! `array.new`, … in global initialisers and element segments), done outside the interpreter.
//! They collect as the interpreter's allocations do, with every interpreter stack of the thread
//! as roots (an instantiation may run inside a host call of a running invocation, whose stack
//! holds its live values in its cells) besides the handles, which hold the operands. Without
//! it, garbage left by earlier instances made a constant expression's allocation trap with the
//! heap limit where V8 collects (the differential fuzzer's GC run, seed 2, module 146).

use super::store::{alloc_with, with_heap};
use super::{AllocError, GcRef, Heap};
use crate::engine::for_each_other_cell;
use crate::error::TrapCode;
use crate::module::{GcAlloc, Profile};
use crate::runtime::Val;
use crate::types::FuncTypeId;
use crate::value::{AnyRef, ObjectRef};

/// The object cell of a value about to be stored in an object (a host value is kept in the
/// heap's host table while objects hold it).
pub(crate) fn val_to_field(h: &mut Heap, v: &Val) -> u128 {
    let host = |h: &mut Heap, raw: u64, v: &Val| {
        h.hold_host(raw, v);
        u128::from(raw)
    };
    match v {
        Val::I32(x) => u128::from(*x as u32),
        Val::I64(x) => u128::from(*x as u64),
        Val::F32(b) => u128::from(*b),
        Val::F64(b) => u128::from(*b),
        Val::V128(x) => *x,
        Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None) => 0,
        Val::FuncRef(Some(f)) => host(h, f.as_bits(), v),
        Val::ExnRef(Some(e)) => host(h, e.as_raw() as u64, v),
        Val::ExternRef(Some(e)) => match e.data().downcast_ref::<AnyRef>() {
            Some(a) => val_to_field(h, &Val::AnyRef(Some(a.clone()))),
            None => host(h, e.as_raw() as u64, v),
        },
        Val::AnyRef(Some(AnyRef::I31(x))) => u128::from(GcRef::i31(*x).0),
        Val::AnyRef(Some(AnyRef::Object(o))) => u128::from(o.cell()),
        Val::AnyRef(Some(AnyRef::Extern(e))) => {
            let raw = e.as_raw() as u64;
            h.hold_host(raw, &Val::ExternRef(Some(e.clone())));
            u128::from(raw)
        }
    }
}

/// Allocates the object of constant-expression instruction `a` from its operands `args`, in a
/// module of `profile` (V8's array length limit: [`Profile::max_array_len`]).
pub(crate) fn alloc_const(a: &GcAlloc, args: Vec<Val>, profile: Profile) -> Result<Val, TrapCode> {
    let (ty, len) = match *a {
        GcAlloc::StructNew { ty, .. } | GcAlloc::StructNewDefault { ty } => (ty, None),
        GcAlloc::ArrayNew { ty } | GcAlloc::ArrayNewDefault { ty } => match args.last() {
            Some(Val::I32(n)) => (ty, Some(*n as u32)),
            _ => (ty, Some(0)),
        },
        GcAlloc::ArrayNewFixed { ty, len } => (ty, Some(len)),
    };
    let stacks = |f: &mut dyn FnMut(u64)| for_each_other_cell(std::ptr::null(), f);
    let r = alloc_with(Some(&stacks), |h| {
        let shape = h.shape_for(ty).expect("a struct or array type");
        match (len, h.shape(shape)) {
            (None, _) => h.alloc_struct(shape),
            (Some(n), super::Shape::Array(a)) if n > profile.max_array_len(a.element_size) => Err(AllocError::TooLarge),
            (Some(n), _) => h.alloc_array(shape, n),
        }
    })
    .map_err(|e| match e {
        AllocError::HeapLimit { .. } => TrapCode::HeapLimit,
        _ => TrapCode::ArrayTooLarge,
    })?;
    with_heap(|h| match *a {
        GcAlloc::StructNew { .. } => {
            for (i, v) in args.iter().enumerate() {
                let f = val_to_field(h, v);
                h.struct_set(r, i as u32, f);
            }
        }
        GcAlloc::ArrayNew { .. } => {
            let f = val_to_field(h, &args[0]);
            for i in 0..len.unwrap_or(0) {
                h.array_set(r, i, f);
            }
        }
        GcAlloc::ArrayNewFixed { .. } => {
            for (i, v) in args.iter().enumerate() {
                let f = val_to_field(h, v);
                h.array_set(r, i as u32, f);
            }
        }
        GcAlloc::StructNewDefault { .. } | GcAlloc::ArrayNewDefault { .. } => {}
    });
    Ok(Val::AnyRef(Some(AnyRef::Object(object_ref(r, ty)))))
}

/// A handle to object `r` of type `ty`.
pub(crate) fn object_ref(r: GcRef, ty: FuncTypeId) -> ObjectRef {
    ObjectRef::new(r.0, ty)
}
