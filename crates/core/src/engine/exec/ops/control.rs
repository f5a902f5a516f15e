//! Control handlers: branches (plain, conditional, fused compare-and-branch, `br_table`),
//! returns and `unreachable`.

use std::ptr;

use super::call::ret;
use super::{get, handlers, trap};
use crate::engine::exec::dispatch::dispatch;
use crate::error::TrapCode;

/// Handlers `Name: T, op` branching by `offset` when `lhs op rhs` holds.
macro_rules! br_cmp {
    ($lookup:ident; $( $name:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx) $lookup;
            $( $name { lhs, rhs, offset } => {
                let next = ip.add(1);
                if get::<$t>(fp, lhs) $op get::<$t>(fp, rhs) {
                    dispatch!(next.offset(offset as isize), fp, mem, len, cx)
                }
                dispatch!(next, fp, mem, len, cx)
            } )*
        }
    };
}

/// Handlers `Name: T, op` branching by `offset` when `lhs op imm` holds.
macro_rules! br_imm {
    ($lookup:ident; $( $name:ident : $t:ty, $op:tt ),* $(,)?) => {
        handlers! { (ip, fp, mem, len, cx) $lookup;
            $( $name { lhs, imm, offset } => {
                let next = ip.add(1);
                if get::<$t>(fp, lhs) $op (imm as $t) {
                    dispatch!(next.offset(offset as isize), fp, mem, len, cx)
                }
                dispatch!(next, fp, mem, len, cx)
            } )*
        }
    };
}

br_cmp! { lookup_br_cmp;
    BrI32Eq: u32, ==, BrI32Ne: u32, !=,
    BrI32LtS: i32, <, BrI32LtU: u32, <, BrI32GtS: i32, >, BrI32GtU: u32, >,
    BrI32LeS: i32, <=, BrI32LeU: u32, <=, BrI32GeS: i32, >=, BrI32GeU: u32, >=,
    BrI64Eq: u64, ==, BrI64Ne: u64, !=,
    BrI64LtS: i64, <, BrI64LtU: u64, <, BrI64GtS: i64, >, BrI64GtU: u64, >,
    BrI64LeS: i64, <=, BrI64LeU: u64, <=, BrI64GeS: i64, >=, BrI64GeU: u64, >=,
}

br_imm! { lookup_br_imm;
    BrI32EqImm: u32, ==, BrI32NeImm: u32, !=,
    BrI32LtSImm: i32, <, BrI32LtUImm: u32, <, BrI32GtSImm: i32, >, BrI32GtUImm: u32, >,
    BrI32LeSImm: i32, <=, BrI32LeUImm: u32, <=, BrI32GeSImm: i32, >=, BrI32GeUImm: u32, >=,
    BrI64EqImm: u64, ==, BrI64NeImm: u64, !=,
    BrI64LtSImm: i64, <, BrI64LtUImm: u64, <, BrI64GtSImm: i64, >, BrI64GtUImm: u64, >,
    BrI64LeSImm: i64, <=, BrI64LeUImm: u64, <=, BrI64GeSImm: i64, >=, BrI64GeUImm: u64, >=,
}

handlers! { (ip, fp, mem, len, cx) lookup;
    Unreachable {} => {
        trap(cx, TrapCode::Unreachable)
    }
    Br { offset } => {
        dispatch!(ip.add(1).offset(offset as isize), fp, mem, len, cx)
    }
    BrIfNez { cond, offset } => {
        let next = ip.add(1);
        if get::<u32>(fp, cond) != 0 {
            dispatch!(next.offset(offset as isize), fp, mem, len, cx)
        }
        dispatch!(next, fp, mem, len, cx)
    }
    BrIfEqz { cond, offset } => {
        let next = ip.add(1);
        if get::<u32>(fp, cond) == 0 {
            dispatch!(next.offset(offset as isize), fp, mem, len, cx)
        }
        dispatch!(next, fp, mem, len, cx)
    }
    BrI64Eqz { cond, offset } => {
        let next = ip.add(1);
        if get::<u64>(fp, cond) == 0 {
            dispatch!(next.offset(offset as isize), fp, mem, len, cx)
        }
        dispatch!(next, fp, mem, len, cx)
    }
    BrI64Nez { cond, offset } => {
        let next = ip.add(1);
        if get::<u64>(fp, cond) != 0 {
            dispatch!(next.offset(offset as isize), fp, mem, len, cx)
        }
        dispatch!(next, fp, mem, len, cx)
    }
    BrTable { index, len: n } => {
        dispatch!(ip.add(1 + get::<u32>(fp, index).min(n) as usize), fp, mem, len, cx)
    }
    Return {} => {
        ret(cx)
    }
    ReturnSlot { src } => {
        *fp = *fp.add(src as usize);
        ret(cx)
    }
    ReturnImm { value } => {
        *fp = value;
        ret(cx)
    }
    ReturnSpan { src, len: n } => {
        ptr::copy(fp.add(src as usize), fp, n as usize);
        ret(cx)
    }
}
