//! Data movement, globals, references and tables.

use std::ptr;

use super::{error_at, get, handlers, set, src, trap_at};
use crate::engine::exec::bulk;
use crate::engine::exec::dispatch::dispatch;
use crate::engine::ir::ACC_IN1;
use crate::engine::store::Val;
use crate::types::RefType;

/// The raw cell bits of a numeric global value.
#[inline(always)]
fn numeric_bits(v: &Val) -> u64 {
    match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(b) => b as u64,
        Val::F64(b) => b,
        Val::V128(x) => x as u64,
        Val::FuncRef(_) | Val::ExternRef(_) | Val::ExnRef(_) | Val::AnyRef(_) => 0,
    }
}

/// Numeric global setters `Name: T => Val::Variant`, written in place: no borrow of the cell is
/// active while wasm runs, and the old value (a number) needs no drop.
macro_rules! global_set {
    ($lookup:ident; $( $name:ident : $t:ty => $variant:ident ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx, acc, facc) $lookup;
            $( $name [0] { src, global } => {
                let g = &*cx.globals.add(global as usize);
                ptr::write(g.value_ptr(), Val::$variant(get::<$t>(fp, src)));
                dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
            } )*
        }
    };
}

global_set! { lookup_global_set;
    GlobalSetI32: i32 => I32,
    GlobalSetI64: i64 => I64,
    GlobalSetF32: u32 => F32,
    GlobalSetF64: u64 => F64,
}

handlers! { (ip, fp, mem, len, cx, acc, facc) lookup_other;
    Copy [0] { dst, src } => {
        *fp.add(dst as usize) = *fp.add(src as usize);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    Copy2 [0] { dst, src, dst2, src2 } => {
        *fp.add(dst as usize) = *fp.add(src as usize);
        *fp.add(dst2 as usize) = *fp.add(src2 as usize);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    Const [0] { dst, value } => {
        *fp.add(dst as usize) = value;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    Select [0, 1] { dst, cond, a, b } => {
        let c = src::<u32>(fp, cond, acc, facc, M & ACC_IN1 != 0);
        let v = if c != 0 { *fp.add(a as usize) } else { *fp.add(b as usize) };
        *fp.add(dst as usize) = v;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    SelectAndImm [0, 1] { dst, lhs, imm, a, b } => {
        let x = src::<u32>(fp, lhs, acc, facc, M & ACC_IN1 != 0);
        let v = if x & imm as u32 != 0 { *fp.add(a as usize) } else { *fp.add(b as usize) };
        *fp.add(dst as usize) = v;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalGet [0] { dst, global } => {
        let g = &*cx.globals.add(global as usize);
        *fp.add(dst as usize) = numeric_bits(&*g.value_ptr());
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalGetRef [0] { dst, global } => {
        let g = &*cx.globals.add(global as usize);
        let stack = &mut *cx.stack;
        let c = stack.roots.root(&*g.value_ptr(), &stack.cells);
        *fp.add(dst as usize) = c;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalSetFuncRef [0] { src, global } => {
        let g = &*cx.globals.add(global as usize);
        let ty = match g.ty().content {
            crate::types::ValType::Ref(r) => r,
            _ => RefType::FuncRef,
        };
        let v = (*cx.stack).roots.get(*fp.add(src as usize), ty);
        if let Err(e) = g.set(v) {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    GlobalSetExternRef [0] { src, global } => {
        let v = (*cx.stack).roots.get(*fp.add(src as usize), RefType::ExternRef);
        let g = &*cx.globals.add(global as usize);
        if let Err(e) = g.set(v) {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    RefFunc [0] { dst, func } => {
        let stack = &mut *cx.stack;
        let c = stack.roots.root(&Val::FuncRef(Some((*cx.inst).func(func))), &stack.cells);
        *fp.add(dst as usize) = c;
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableGet [0] { dst, index, table } => {
        let stack = &mut *cx.stack;
        match bulk::table_get(cx, &mut stack.roots, &stack.cells, table, get::<u32>(fp, index)) {
            Ok(c) => *fp.add(dst as usize) = c,
            Err(c) => return trap_at(ip, cx, c),
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableSet [0] { table, index, value } => {
        let r = bulk::table_set(cx, &(*cx.stack).roots, table, get::<u32>(fp, index), *fp.add(value as usize));
        if let Err(e) = r {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableAddress64 [0] { dst, src } => {
        set(fp, dst, get::<u64>(fp, src).min(u32::MAX as u64));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableSize [0] { dst, table } => {
        set(fp, dst, bulk::table_size(cx, table));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableGrow [0] { dst, table, args } => {
        set(fp, dst, bulk::table_grow(cx, &(*cx.stack).roots, table, fp, args));
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableFill [0] { table, args } => {
        if let Err(e) = bulk::table_fill(cx, &(*cx.stack).roots, table, fp, args) {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableCopy [0] { dst_table, src_table, args } => {
        if let Err(e) = bulk::table_copy(cx, dst_table, src_table, fp, args) {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    TableInit [0] { table, elem, args } => {
        if let Err(e) = bulk::table_init(cx, table, elem, fp, args) {
            return error_at(ip, cx, e);
        }
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
    ElemDrop [0] { elem } => {
        bulk::elem_drop(cx, elem);
        dispatch!(ip.add(1), fp, mem, len, cx, acc, facc)
    }
}

/// The handler of `op`, if it is defined here.
pub(crate) const fn lookup(op: crate::engine::ir::Op, mode: u8) -> Option<crate::engine::exec::dispatch::Handler> {
    match lookup_global_set(op, mode) {
        Some(h) => Some(h),
        None => lookup_other(op, mode),
    }
}
