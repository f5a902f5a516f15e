//! The dispatch loop: `loop { match *ip { … } }` over the translated code.
//!
//! The loop keeps the instruction pointer, the frame pointer and the current instance's memory
//! base and length in locals. Wasm calls push a [`Frame`] on the heap stack and continue in the
//! callee (the native stack does not grow); calls of host functions leave the loop with
//! [`Exit::Host`] so that the driver can lend the stack to re-entrant invocations.

use std::ptr;
use std::rc::Rc;

use super::bulk;
use super::cell::CellVal;
use super::stack::{Frame, Stack, MAX_FRAMES};
use crate::engine::ir::Instr;
use crate::engine::numeric as num;
use crate::engine::CompiledFunc;
use crate::error::{Error, TrapCode};
use crate::runtime::{FuncInst, FuncRef, Global, Instance, InstanceInner, Memory, Table};
use crate::types::RefType;
use crate::value::Val;

/// Bytes per wasm page.
const PAGE_SIZE: usize = 65_536;

/// Where execution continues after a host call.
pub(crate) struct Regs {
    /// The next instruction.
    pub(crate) ip: *const Instr,
    /// The frame pointer, as a cell offset.
    pub(crate) fp: usize,
    /// The running instance.
    pub(crate) inst: *const Instance,
}

/// Why the loop stopped (traps are errors).
pub(crate) enum Exit {
    /// The invocation's function returned; its results are at the start of its frame.
    Done,
    /// A host function must be called with the arguments at cell `args` (its results go
    /// there too); then execution resumes at the saved [`Regs`].
    Host { func: FuncRef, args: usize },
}

/// Cached pointers into the running instance.
pub(crate) struct Ctx {
    pub(crate) inst: *const Instance,
    pub(crate) inner: *const InstanceInner,
    funcs: *const CompiledFunc,
    globals: *const Global,
    pub(crate) tables: *const Table,
    mem: *const Memory,
    pub(crate) mem_base: *mut u8,
    pub(crate) mem_len: usize,
}

impl Ctx {
    /// The context of `inst`.
    ///
    /// # Safety
    /// `inst` must point to a live instance, which must outlive the use of the context.
    pub(crate) unsafe fn new(inst: *const Instance) -> Ctx {
        let mut cx = Ctx {
            inst,
            inner: ptr::null(),
            funcs: ptr::null(),
            globals: ptr::null(),
            tables: ptr::null(),
            mem: ptr::null(),
            mem_base: ptr::null_mut(),
            mem_len: 0,
        };
        // SAFETY: guaranteed by the caller.
        unsafe { cx.switch(inst) };
        cx
    }

    /// Switches to instance `inst`.
    ///
    /// # Safety
    /// As for [`Ctx::new`].
    #[inline(never)]
    unsafe fn switch(&mut self, inst: *const Instance) {
        // SAFETY: guaranteed by the caller.
        let inner: &InstanceInner = unsafe { &(*inst).0 };
        self.inst = inst;
        self.inner = inner;
        self.funcs = inner.module.0.code.as_ptr();
        self.globals = inner.globals.as_ptr();
        self.tables = inner.tables.as_ptr();
        self.mem = inner.memories.first().map_or(ptr::null(), |m| m as *const Memory);
        self.mem_base = ptr::null_mut();
        self.mem_len = 0;
        self.refresh_mem();
    }

    /// Re-reads the memory's base and length (after anything that may have grown it).
    #[inline(always)]
    fn refresh_mem(&mut self) {
        if !self.mem.is_null() {
            // SAFETY: `mem` points into the live instance's memory list.
            let m = unsafe { &*self.mem };
            self.mem_base = m.data_ptr();
            self.mem_len = m.data_len();
        }
    }
}

/// The raw cell bits of a numeric global value.
#[inline(always)]
fn numeric_bits(v: &Val) -> u64 {
    match *v {
        Val::I32(x) => x as u32 as u64,
        Val::I64(x) => x as u64,
        Val::F32(b) => b as u64,
        Val::F64(b) => b,
        Val::V128(x) => x as u64,
        Val::FuncRef(_) | Val::ExternRef(_) => 0,
    }
}

/// Runs from `regs` until the invocation's function returns (its frame is the one at
/// `entry_depth` saved frames), a host function must be called, or a trap.
///
/// Only the instruction pointer, the frame pointer and the memory bounds live in locals; the
/// rest of the instance context stays in `cx` (in memory), which keeps register pressure in
/// the dispatch loop low.
///
/// # Safety
/// `regs` must describe a valid position: `ip` inside translated code of the function whose
/// frame starts at cell `fp` (with all its `frame_size` cells allocated), `inst` a live
/// instance owning that code, `cx` its context, and `stack.frames[entry_depth..]` saved by
/// this invocation.
#[allow(clippy::cognitive_complexity)]
pub(crate) unsafe fn execute(
    stack: &mut Stack,
    regs: &mut Regs,
    cx: &mut Ctx,
    entry_depth: usize,
) -> Result<Exit, Error> {
    // SAFETY (whole loop): translation guarantees that every slot index is below the
    // function's `frame_size`, that every branch stays inside the function's code, and that
    // every code path ends in a return or trap; calls reserve `frame_size` cells for the callee
    // before entering it, and `cells` is re-read whenever the vector may have been reallocated
    // (only in `Stack::reserve`). Memory accesses are bounds-checked against `mem_len`, which is
    // refreshed after anything that can grow the memory (calls, `memory.grow`). Instances and
    // their code are kept alive by the caller's handle, by the calling instance (imports), or
    // by `Roots::keep` (functions of other instances called through tables). Table elements and
    // global values are read through `RefCell::as_ptr`: no borrow of them is active while wasm
    // runs (the runtime API borrows only inside its own methods and no host code runs here).
    unsafe {
        let mut cells: *mut u64 = stack.cells.as_mut_ptr();
        let mut ip = regs.ip;
        let mut fp = cells.add(regs.fp);
        cx.refresh_mem();
        let mut mem_base = cx.mem_base;
        let mut mem_len = cx.mem_len;

        macro_rules! rd {
            ($s:expr) => {
                *fp.add($s as usize)
            };
        }
        macro_rules! wr {
            ($s:expr, $v:expr) => {
                *fp.add($s as usize) = $v
            };
        }
        macro_rules! get {
            ($t:ty, $s:expr) => {
                <$t as CellVal>::from_cell(rd!($s))
            };
        }
        macro_rules! set {
            ($s:expr, $v:expr) => {
                wr!($s, CellVal::to_cell($v))
            };
        }
        macro_rules! trap {
            ($c:expr) => {
                return Err(Error::from($c))
            };
        }
        macro_rules! un {
            ($dst:ident, $src:ident, $t:ty, $f:expr) => {{
                let x = get!($t, $src);
                set!($dst, ($f)(x));
            }};
        }
        macro_rules! un_try {
            ($dst:ident, $src:ident, $t:ty, $f:expr) => {{
                match ($f)(get!($t, $src)) {
                    Ok(v) => set!($dst, v),
                    Err(c) => trap!(c),
                }
            }};
        }
        macro_rules! bin {
            ($dst:ident, $l:ident, $r:ident, $t:ty, $f:expr) => {{
                let a = get!($t, $l);
                let b = get!($t, $r);
                set!($dst, ($f)(a, b));
            }};
        }
        macro_rules! bin_try {
            ($dst:ident, $l:ident, $r:ident, $t:ty, $f:expr) => {{
                match ($f)(get!($t, $l), get!($t, $r)) {
                    Ok(v) => set!($dst, v),
                    Err(c) => trap!(c),
                }
            }};
        }
        macro_rules! imm {
            ($dst:ident, $l:ident, $imm:ident, $t:ty, $f:expr) => {{
                let a = get!($t, $l);
                set!($dst, ($f)(a, $imm as $t));
            }};
        }
        macro_rules! fimm {
            ($dst:ident, $l:ident, $imm:ident, $t:ty, $bits:ty, $f:expr) => {{
                let a = get!($t, $l);
                set!($dst, ($f)(a, <$t>::from_bits($imm as $bits)));
            }};
        }
        macro_rules! jump {
            ($off:expr) => {
                ip = ip.offset($off as isize)
            };
        }
        macro_rules! br_cmp {
            ($t:ty, $l:ident, $r:ident, $off:ident, $op:tt) => {
                if get!($t, $l) $op get!($t, $r) {
                    jump!($off)
                }
            };
        }
        macro_rules! br_imm {
            ($t:ty, $l:ident, $imm:ident, $off:ident, $op:tt) => {
                if get!($t, $l) $op ($imm as $t) {
                    jump!($off)
                }
            };
        }
        macro_rules! ea {
            ($addr:ident, $off:ident, $t:ty) => {{
                let ea = get!(u32, $addr) as u64 + $off as u64;
                if ea + std::mem::size_of::<$t>() as u64 > mem_len as u64 {
                    trap!(TrapCode::MemOutOfBounds)
                }
                mem_base.add(ea as usize) as *mut $t
            }};
        }
        macro_rules! load {
            ($dst:ident, $addr:ident, $off:ident, $t:ty, $conv:expr) => {{
                let v = <$t>::from_le(ptr::read_unaligned(ea!($addr, $off, $t)));
                set!($dst, ($conv)(v));
            }};
        }
        macro_rules! store {
            ($addr:ident, $val:ident, $off:ident, $t:ty) => {{
                let p = ea!($addr, $off, $t);
                ptr::write_unaligned(p, (rd!($val) as $t).to_le());
            }};
        }
        macro_rules! ret {
            () => {{
                if stack.frames.len() == entry_depth {
                    return Ok(Exit::Done);
                }
                let f = stack.frames.pop().unwrap_unchecked();
                ip = f.ip;
                fp = cells.add(f.fp);
                if f.inst != cx.inst {
                    cx.switch(f.inst);
                } else {
                    cx.refresh_mem();
                }
                mem_base = cx.mem_base;
                mem_len = cx.mem_len;
            }};
        }
        macro_rules! enter {
            ($callee:expr, $args:expr) => {{
                let callee: &CompiledFunc = $callee;
                let caller_fp = fp.offset_from(cells) as usize;
                let new_fp = caller_fp + $args as usize;
                let end = new_fp + callee.frame_size as usize;
                if end > stack.cells.len() || stack.frames.len() >= MAX_FRAMES {
                    if let Err(c) = stack.reserve(end) {
                        trap!(c)
                    }
                    cells = stack.cells.as_mut_ptr();
                }
                stack.frames.push(Frame { ip, fp: caller_fp, inst: cx.inst });
                fp = cells.add(new_fp);
                let (np, nl) = (callee.num_params as usize, callee.num_locals as usize);
                if nl > np {
                    ptr::write_bytes(fp.add(np), 0, nl - np);
                }
                ip = callee.code.as_ptr();
            }};
        }
        macro_rules! host_exit {
            ($f:expr, $args:expr) => {{
                regs.ip = ip;
                regs.fp = fp.offset_from(cells) as usize;
                regs.inst = cx.inst;
                return Ok(Exit::Host { func: $f.clone(), args: regs.fp + $args as usize });
            }};
        }
        // Calls a function reference; `$keep` roots it when it belongs to another instance
        // (needed for table elements, which may be replaced while the callee runs).
        macro_rules! call_ref {
            ($f:expr, $args:expr, $keep:expr) => {{
                let f: &FuncRef = $f;
                match &*f.0 {
                    FuncInst::Wasm { instance, index, .. } => {
                        let inner = Rc::as_ptr(&instance.0);
                        let m = &(*inner).module.0;
                        let callee = &*m.code.as_ptr().add((*index - m.num_imported_funcs) as usize);
                        if inner == cx.inner {
                            enter!(callee, $args);
                        } else {
                            if $keep {
                                stack.roots.keep(f);
                            }
                            enter!(callee, $args);
                            cx.switch(instance as *const Instance);
                            mem_base = cx.mem_base;
                            mem_len = cx.mem_len;
                        }
                    }
                    FuncInst::Host { .. } => host_exit!(f, $args),
                }
            }};
        }

        loop {
            let cur = ip;
            ip = ip.add(1);
            match *cur {
                // ---- data movement ----
                Instr::Copy { dst, src } => wr!(dst, rd!(src)),
                Instr::Const { dst, value } => wr!(dst, value),
                Instr::Select { dst, cond, a, b } => {
                    let v = if get!(u32, cond) != 0 { rd!(a) } else { rd!(b) };
                    wr!(dst, v)
                }

                // ---- control ----
                Instr::Unreachable => trap!(TrapCode::Unreachable),
                Instr::Br { offset } => jump!(offset),
                Instr::BrIfNez { cond, offset } => {
                    if get!(u32, cond) != 0 {
                        jump!(offset)
                    }
                }
                Instr::BrIfEqz { cond, offset } => {
                    if get!(u32, cond) == 0 {
                        jump!(offset)
                    }
                }
                Instr::BrI64Eqz { cond, offset } => {
                    if get!(u64, cond) == 0 {
                        jump!(offset)
                    }
                }
                Instr::BrI64Nez { cond, offset } => {
                    if get!(u64, cond) != 0 {
                        jump!(offset)
                    }
                }
                Instr::BrTable { index, len } => ip = ip.add(get!(u32, index).min(len) as usize),
                Instr::BrI32Eq { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, ==),
                Instr::BrI32Ne { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, !=),
                Instr::BrI32LtS { lhs, rhs, offset } => br_cmp!(i32, lhs, rhs, offset, <),
                Instr::BrI32LtU { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, <),
                Instr::BrI32GtS { lhs, rhs, offset } => br_cmp!(i32, lhs, rhs, offset, >),
                Instr::BrI32GtU { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, >),
                Instr::BrI32LeS { lhs, rhs, offset } => br_cmp!(i32, lhs, rhs, offset, <=),
                Instr::BrI32LeU { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, <=),
                Instr::BrI32GeS { lhs, rhs, offset } => br_cmp!(i32, lhs, rhs, offset, >=),
                Instr::BrI32GeU { lhs, rhs, offset } => br_cmp!(u32, lhs, rhs, offset, >=),
                Instr::BrI64Eq { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, ==),
                Instr::BrI64Ne { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, !=),
                Instr::BrI64LtS { lhs, rhs, offset } => br_cmp!(i64, lhs, rhs, offset, <),
                Instr::BrI64LtU { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, <),
                Instr::BrI64GtS { lhs, rhs, offset } => br_cmp!(i64, lhs, rhs, offset, >),
                Instr::BrI64GtU { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, >),
                Instr::BrI64LeS { lhs, rhs, offset } => br_cmp!(i64, lhs, rhs, offset, <=),
                Instr::BrI64LeU { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, <=),
                Instr::BrI64GeS { lhs, rhs, offset } => br_cmp!(i64, lhs, rhs, offset, >=),
                Instr::BrI64GeU { lhs, rhs, offset } => br_cmp!(u64, lhs, rhs, offset, >=),
                Instr::BrI32EqImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, ==),
                Instr::BrI32NeImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, !=),
                Instr::BrI32LtSImm { lhs, imm, offset } => br_imm!(i32, lhs, imm, offset, <),
                Instr::BrI32LtUImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, <),
                Instr::BrI32GtSImm { lhs, imm, offset } => br_imm!(i32, lhs, imm, offset, >),
                Instr::BrI32GtUImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, >),
                Instr::BrI32LeSImm { lhs, imm, offset } => br_imm!(i32, lhs, imm, offset, <=),
                Instr::BrI32LeUImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, <=),
                Instr::BrI32GeSImm { lhs, imm, offset } => br_imm!(i32, lhs, imm, offset, >=),
                Instr::BrI32GeUImm { lhs, imm, offset } => br_imm!(u32, lhs, imm, offset, >=),
                Instr::BrI64EqImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, ==),
                Instr::BrI64NeImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, !=),
                Instr::BrI64LtSImm { lhs, imm, offset } => br_imm!(i64, lhs, imm, offset, <),
                Instr::BrI64LtUImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, <),
                Instr::BrI64GtSImm { lhs, imm, offset } => br_imm!(i64, lhs, imm, offset, >),
                Instr::BrI64GtUImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, >),
                Instr::BrI64LeSImm { lhs, imm, offset } => br_imm!(i64, lhs, imm, offset, <=),
                Instr::BrI64LeUImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, <=),
                Instr::BrI64GeSImm { lhs, imm, offset } => br_imm!(i64, lhs, imm, offset, >=),
                Instr::BrI64GeUImm { lhs, imm, offset } => br_imm!(u64, lhs, imm, offset, >=),
                Instr::Return => ret!(),
                Instr::ReturnSlot { src } => {
                    *fp = rd!(src);
                    ret!()
                }
                Instr::ReturnImm { value } => {
                    *fp = value;
                    ret!()
                }
                Instr::ReturnSpan { src, len } => {
                    ptr::copy(fp.add(src as usize), fp, len as usize);
                    ret!()
                }

                // ---- calls ----
                Instr::Call { func, args } => enter!(&*cx.funcs.add(func as usize), args),
                Instr::CallImport { func, args } => {
                    call_ref!(&*(*cx.inner).imported_funcs.as_ptr().add(func as usize), args, false)
                }
                Instr::CallIndirect { index, args, ty, table } => {
                    let t = &*cx.tables.add(table as usize);
                    // No `RefCell` borrow is active while wasm runs (see `bulk::table_get`).
                    let elems = &*t.0.elements.as_ptr();
                    let f = match elems.get(get!(u32, index) as usize) {
                        None => trap!(TrapCode::TableOutOfBounds),
                        Some(Val::FuncRef(Some(f))) => f,
                        Some(_) => trap!(TrapCode::FuncSigMismatch),
                    };
                    let m = &(*cx.inner).module.0;
                    let matches = match &*f.0 {
                        FuncInst::Wasm { instance, index, ty: fty } => {
                            (Rc::as_ptr(&instance.0) == cx.inner && m.funcs[*index as usize] == ty)
                                || *fty == m.types[ty as usize]
                        }
                        FuncInst::Host { ty: fty, .. } => *fty == m.types[ty as usize],
                    };
                    if !matches {
                        trap!(TrapCode::FuncSigMismatch)
                    }
                    call_ref!(f, args, true)
                }

                // ---- globals ----
                Instr::GlobalGet { dst, global } => {
                    let g = &*cx.globals.add(global as usize);
                    wr!(dst, numeric_bits(&*g.0.value.as_ptr()))
                }
                Instr::GlobalGetRef { dst, global } => {
                    let g = &*cx.globals.add(global as usize);
                    let c = stack.roots.root(&*g.0.value.as_ptr(), &stack.cells);
                    wr!(dst, c)
                }
                // Numeric globals are written in place: no borrow of the cell is active while
                // wasm runs, and the old value (a number) needs no drop.
                Instr::GlobalSetI32 { src, global } => {
                    ptr::write((&*cx.globals.add(global as usize)).0.value.as_ptr(), Val::I32(get!(i32, src)))
                }
                Instr::GlobalSetI64 { src, global } => {
                    ptr::write((&*cx.globals.add(global as usize)).0.value.as_ptr(), Val::I64(get!(i64, src)))
                }
                Instr::GlobalSetF32 { src, global } => {
                    ptr::write((&*cx.globals.add(global as usize)).0.value.as_ptr(), Val::F32(get!(u32, src)))
                }
                Instr::GlobalSetF64 { src, global } => {
                    ptr::write((&*cx.globals.add(global as usize)).0.value.as_ptr(), Val::F64(get!(u64, src)))
                }
                Instr::GlobalSetFuncRef { src, global } => {
                    let v = stack.roots.get(rd!(src), RefType::FuncRef);
                    (&*cx.globals.add(global as usize)).set(v)?;
                }
                Instr::GlobalSetExternRef { src, global } => {
                    let v = stack.roots.get(rd!(src), RefType::ExternRef);
                    (&*cx.globals.add(global as usize)).set(v)?;
                }

                // ---- references and tables ----
                Instr::RefFunc { dst, func } => {
                    let c = stack.roots.root(&Val::FuncRef(Some((*cx.inst).func(func))), &stack.cells);
                    wr!(dst, c)
                }
                Instr::TableGet { dst, index, table } => {
                    match bulk::table_get(cx, &mut stack.roots, &stack.cells, table, get!(u32, index)) {
                        Ok(c) => wr!(dst, c),
                        Err(c) => trap!(c),
                    }
                }
                Instr::TableSet { table, index, value } => {
                    bulk::table_set(cx, &stack.roots, table, get!(u32, index), rd!(value))?
                }
                Instr::TableSize { dst, table } => set!(dst, bulk::table_size(cx, table)),
                Instr::TableGrow { dst, table, args } => {
                    set!(dst, bulk::table_grow(cx, &stack.roots, table, fp, args))
                }
                Instr::TableFill { table, args } => bulk::table_fill(cx, &stack.roots, table, fp, args)?,
                Instr::TableCopy { dst_table, src_table, args } => {
                    bulk::table_copy(cx, dst_table, src_table, fp, args)?
                }
                Instr::TableInit { table, elem, args } => bulk::table_init(cx, table, elem, fp, args)?,
                Instr::ElemDrop { elem } => bulk::elem_drop(cx, elem),

                // ---- memory ----
                Instr::MemorySize { dst } => set!(dst, (mem_len / PAGE_SIZE) as u32),
                Instr::MemoryGrow { dst, delta } => {
                    let d = get!(u32, delta);
                    let r = match cx.mem.as_ref() {
                        Some(m) => m.grow(d as u64).map_or(u32::MAX, |old| old as u32),
                        None => u32::MAX,
                    };
                    cx.refresh_mem();
                    mem_base = cx.mem_base;
                    mem_len = cx.mem_len;
                    set!(dst, r)
                }
                Instr::MemoryCopy { args } => {
                    if let Err(c) = bulk::memory_copy(cx, fp, args) {
                        trap!(c)
                    }
                }
                Instr::MemoryFill { args } => {
                    if let Err(c) = bulk::memory_fill(cx, fp, args) {
                        trap!(c)
                    }
                }
                Instr::MemoryInit { seg, args } => {
                    if let Err(c) = bulk::memory_init(cx, fp, seg, args) {
                        trap!(c)
                    }
                }
                Instr::DataDrop { seg } => bulk::data_drop(cx, seg),
                Instr::I32Load { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v),
                Instr::I64Load { dst, addr, offset } => load!(dst, addr, offset, u64, |v: u64| v),
                Instr::F32Load { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v),
                Instr::F64Load { dst, addr, offset } => load!(dst, addr, offset, u64, |v: u64| v),
                Instr::I32Load8S { dst, addr, offset } => load!(dst, addr, offset, i8, |v: i8| v as i32),
                Instr::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as u32),
                Instr::I32Load16S { dst, addr, offset } => load!(dst, addr, offset, i16, |v: i16| v as i32),
                Instr::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as u32),
                Instr::I64Load8S { dst, addr, offset } => load!(dst, addr, offset, i8, |v: i8| v as i64),
                Instr::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, |v: u8| v as u64),
                Instr::I64Load16S { dst, addr, offset } => load!(dst, addr, offset, i16, |v: i16| v as i64),
                Instr::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, |v: u16| v as u64),
                Instr::I64Load32S { dst, addr, offset } => load!(dst, addr, offset, i32, |v: i32| v as i64),
                Instr::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, u32, |v: u32| v as u64),
                Instr::I32Store { addr, value, offset } => store!(addr, value, offset, u32),
                Instr::I64Store { addr, value, offset } => store!(addr, value, offset, u64),
                Instr::F32Store { addr, value, offset } => store!(addr, value, offset, u32),
                Instr::F64Store { addr, value, offset } => store!(addr, value, offset, u64),
                Instr::I32Store8 { addr, value, offset } => store!(addr, value, offset, u8),
                Instr::I32Store16 { addr, value, offset } => store!(addr, value, offset, u16),
                Instr::I64Store8 { addr, value, offset } => store!(addr, value, offset, u8),
                Instr::I64Store16 { addr, value, offset } => store!(addr, value, offset, u16),
                Instr::I64Store32 { addr, value, offset } => store!(addr, value, offset, u32),

                // ---- i32 ----
                Instr::I32Eqz { dst, src } => un!(dst, src, u32, |x: u32| x == 0),
                Instr::I32Clz { dst, src } => un!(dst, src, u32, |x: u32| x.leading_zeros()),
                Instr::I32Ctz { dst, src } => un!(dst, src, u32, |x: u32| x.trailing_zeros()),
                Instr::I32Popcnt { dst, src } => un!(dst, src, u32, |x: u32| x.count_ones()),
                Instr::I32Extend8S { dst, src } => un!(dst, src, i32, |x: i32| x as i8 as i32),
                Instr::I32Extend16S { dst, src } => un!(dst, src, i32, |x: i32| x as i16 as i32),
                Instr::I32Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a == b),
                Instr::I32Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a != b),
                Instr::I32LtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i32, |a, b| a < b),
                Instr::I32LtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a < b),
                Instr::I32GtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i32, |a, b| a > b),
                Instr::I32GtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a > b),
                Instr::I32LeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i32, |a, b| a <= b),
                Instr::I32LeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a <= b),
                Instr::I32GeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i32, |a, b| a >= b),
                Instr::I32GeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a >= b),
                Instr::I32Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, u32::wrapping_add),
                Instr::I32Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, u32::wrapping_sub),
                Instr::I32Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, u32::wrapping_mul),
                Instr::I32DivS { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, i32, num::i32_div_s),
                Instr::I32DivU { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, u32, num::i32_div_u),
                Instr::I32RemS { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, i32, num::i32_rem_s),
                Instr::I32RemU { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, u32, num::i32_rem_u),
                Instr::I32And { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a & b),
                Instr::I32Or { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a | b),
                Instr::I32Xor { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a, b| a ^ b),
                Instr::I32Shl { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, u32::wrapping_shl),
                Instr::I32ShrS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i32, |a: i32, b: i32| a.wrapping_shr(b as u32)),
                Instr::I32ShrU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, u32::wrapping_shr),
                Instr::I32Rotl { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a: u32, b: u32| a.rotate_left(b & 31)),
                Instr::I32Rotr { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, |a: u32, b: u32| a.rotate_right(b & 31)),
                Instr::I32AddImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, u32::wrapping_add),
                Instr::I32MulImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, u32::wrapping_mul),
                Instr::I32AndImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a & b),
                Instr::I32OrImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a | b),
                Instr::I32XorImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a ^ b),
                Instr::I32ShlImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, u32::wrapping_shl),
                Instr::I32ShrSImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, i32, |a: i32, b: i32| a.wrapping_shr(b as u32))
                }
                Instr::I32ShrUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, u32::wrapping_shr),
                Instr::I32RotlImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a: u32, b: u32| a.rotate_left(b & 31)),
                Instr::I32RotrImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, u32, |a: u32, b: u32| a.rotate_right(b & 31))
                }
                Instr::I32EqImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a == b),
                Instr::I32NeImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a != b),
                Instr::I32LtSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i32, |a, b| a < b),
                Instr::I32LtUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a < b),
                Instr::I32GtSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i32, |a, b| a > b),
                Instr::I32GtUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a > b),
                Instr::I32LeSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i32, |a, b| a <= b),
                Instr::I32LeUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a <= b),
                Instr::I32GeSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i32, |a, b| a >= b),
                Instr::I32GeUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u32, |a, b| a >= b),

                // ---- i64 ----
                Instr::I64Eqz { dst, src } => un!(dst, src, u64, |x: u64| x == 0),
                Instr::I64Clz { dst, src } => un!(dst, src, u64, |x: u64| x.leading_zeros() as u64),
                Instr::I64Ctz { dst, src } => un!(dst, src, u64, |x: u64| x.trailing_zeros() as u64),
                Instr::I64Popcnt { dst, src } => un!(dst, src, u64, |x: u64| x.count_ones() as u64),
                Instr::I64Extend8S { dst, src } => un!(dst, src, i64, |x: i64| x as i8 as i64),
                Instr::I64Extend16S { dst, src } => un!(dst, src, i64, |x: i64| x as i16 as i64),
                Instr::I64Extend32S { dst, src } => un!(dst, src, i64, |x: i64| x as i32 as i64),
                Instr::I64Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a == b),
                Instr::I64Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a != b),
                Instr::I64LtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i64, |a, b| a < b),
                Instr::I64LtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a < b),
                Instr::I64GtS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i64, |a, b| a > b),
                Instr::I64GtU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a > b),
                Instr::I64LeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i64, |a, b| a <= b),
                Instr::I64LeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a <= b),
                Instr::I64GeS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i64, |a, b| a >= b),
                Instr::I64GeU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a >= b),
                Instr::I64Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, u64::wrapping_add),
                Instr::I64Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, u64::wrapping_sub),
                Instr::I64Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, u64::wrapping_mul),
                Instr::I64DivS { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, i64, num::i64_div_s),
                Instr::I64DivU { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, u64, num::i64_div_u),
                Instr::I64RemS { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, i64, num::i64_rem_s),
                Instr::I64RemU { dst, lhs, rhs } => bin_try!(dst, lhs, rhs, u64, num::i64_rem_u),
                Instr::I64And { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a & b),
                Instr::I64Or { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a | b),
                Instr::I64Xor { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a, b| a ^ b),
                Instr::I64Shl { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a: u64, b: u64| a.wrapping_shl(b as u32)),
                Instr::I64ShrS { dst, lhs, rhs } => bin!(dst, lhs, rhs, i64, |a: i64, b: i64| a.wrapping_shr(b as u32)),
                Instr::I64ShrU { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, |a: u64, b: u64| a.wrapping_shr(b as u32)),
                Instr::I64Rotl { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, u64, |a: u64, b: u64| a.rotate_left((b & 63) as u32))
                }
                Instr::I64Rotr { dst, lhs, rhs } => {
                    bin!(dst, lhs, rhs, u64, |a: u64, b: u64| a.rotate_right((b & 63) as u32))
                }
                Instr::I64AddImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, u64::wrapping_add),
                Instr::I64MulImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, u64::wrapping_mul),
                Instr::I64AndImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a & b),
                Instr::I64OrImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a | b),
                Instr::I64XorImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a ^ b),
                Instr::I64ShlImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, u64, |a: u64, b: u64| a.wrapping_shl(b as u32))
                }
                Instr::I64ShrSImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, i64, |a: i64, b: i64| a.wrapping_shr(b as u32))
                }
                Instr::I64ShrUImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, u64, |a: u64, b: u64| a.wrapping_shr(b as u32))
                }
                Instr::I64RotlImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, u64, |a: u64, b: u64| a.rotate_left(b as u32))
                }
                Instr::I64RotrImm { dst, lhs, imm } => {
                    imm!(dst, lhs, imm, u64, |a: u64, b: u64| a.rotate_right(b as u32))
                }
                Instr::I64EqImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a == b),
                Instr::I64NeImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a != b),
                Instr::I64LtSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i64, |a, b| a < b),
                Instr::I64LtUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a < b),
                Instr::I64GtSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i64, |a, b| a > b),
                Instr::I64GtUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a > b),
                Instr::I64LeSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i64, |a, b| a <= b),
                Instr::I64LeUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a <= b),
                Instr::I64GeSImm { dst, lhs, imm } => imm!(dst, lhs, imm, i64, |a, b| a >= b),
                Instr::I64GeUImm { dst, lhs, imm } => imm!(dst, lhs, imm, u64, |a, b| a >= b),

                // ---- f32 (sign operations on the raw bits keep NaN payloads) ----
                Instr::F32Abs { dst, src } => un!(dst, src, u32, |x: u32| x & !num::F32_SIGN),
                Instr::F32Neg { dst, src } => un!(dst, src, u32, |x: u32| x ^ num::F32_SIGN),
                Instr::F32Ceil { dst, src } => un!(dst, src, f32, num::f32_ceil),
                Instr::F32Floor { dst, src } => un!(dst, src, f32, num::f32_floor),
                Instr::F32Trunc { dst, src } => un!(dst, src, f32, num::f32_trunc),
                Instr::F32Nearest { dst, src } => un!(dst, src, f32, num::f32_nearest),
                Instr::F32Sqrt { dst, src } => un!(dst, src, f32, f32::sqrt),
                Instr::F32Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a == b),
                Instr::F32Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a != b),
                Instr::F32Lt { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a < b),
                Instr::F32Gt { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a > b),
                Instr::F32Le { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a <= b),
                Instr::F32Ge { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a >= b),
                Instr::F32Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a + b),
                Instr::F32Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a - b),
                Instr::F32Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a * b),
                Instr::F32Div { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, |a, b| a / b),
                Instr::F32AddImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f32, u32, |a, b| a + b),
                Instr::F32SubImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f32, u32, |a, b| a - b),
                Instr::F32MulImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f32, u32, |a, b| a * b),
                Instr::F32DivImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f32, u32, |a, b| a / b),
                Instr::F32Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, num::f32_min),
                Instr::F32Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, f32, num::f32_max),
                Instr::F32Copysign { dst, lhs, rhs } => bin!(dst, lhs, rhs, u32, num::f32_copysign),

                // ---- f64 ----
                Instr::F64Abs { dst, src } => un!(dst, src, u64, |x: u64| x & !num::F64_SIGN),
                Instr::F64Neg { dst, src } => un!(dst, src, u64, |x: u64| x ^ num::F64_SIGN),
                Instr::F64Ceil { dst, src } => un!(dst, src, f64, num::f64_ceil),
                Instr::F64Floor { dst, src } => un!(dst, src, f64, num::f64_floor),
                Instr::F64Trunc { dst, src } => un!(dst, src, f64, num::f64_trunc),
                Instr::F64Nearest { dst, src } => un!(dst, src, f64, num::f64_nearest),
                Instr::F64Sqrt { dst, src } => un!(dst, src, f64, f64::sqrt),
                Instr::F64Eq { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a == b),
                Instr::F64Ne { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a != b),
                Instr::F64Lt { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a < b),
                Instr::F64Gt { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a > b),
                Instr::F64Le { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a <= b),
                Instr::F64Ge { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a >= b),
                Instr::F64Add { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a + b),
                Instr::F64Sub { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a - b),
                Instr::F64Mul { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a * b),
                Instr::F64Div { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, |a, b| a / b),
                Instr::F64AddImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f64, u64, |a, b| a + b),
                Instr::F64SubImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f64, u64, |a, b| a - b),
                Instr::F64MulImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f64, u64, |a, b| a * b),
                Instr::F64DivImm { dst, lhs, imm } => fimm!(dst, lhs, imm, f64, u64, |a, b| a / b),
                Instr::F64Min { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, num::f64_min),
                Instr::F64Max { dst, lhs, rhs } => bin!(dst, lhs, rhs, f64, num::f64_max),
                Instr::F64Copysign { dst, lhs, rhs } => bin!(dst, lhs, rhs, u64, num::f64_copysign),

                // ---- conversions ----
                Instr::I32WrapI64 { dst, src } => un!(dst, src, u64, |x: u64| x as u32),
                Instr::I32TruncF32S { dst, src } => un_try!(dst, src, f32, num::i32_trunc_f32_s),
                Instr::I32TruncF32U { dst, src } => un_try!(dst, src, f32, num::i32_trunc_f32_u),
                Instr::I32TruncF64S { dst, src } => un_try!(dst, src, f64, num::i32_trunc_f64_s),
                Instr::I32TruncF64U { dst, src } => un_try!(dst, src, f64, num::i32_trunc_f64_u),
                Instr::I64ExtendI32S { dst, src } => un!(dst, src, i32, |x: i32| x as i64),
                Instr::I64ExtendI32U { dst, src } => un!(dst, src, u32, |x: u32| x as u64),
                Instr::I64TruncF32S { dst, src } => un_try!(dst, src, f32, num::i64_trunc_f32_s),
                Instr::I64TruncF32U { dst, src } => un_try!(dst, src, f32, num::i64_trunc_f32_u),
                Instr::I64TruncF64S { dst, src } => un_try!(dst, src, f64, num::i64_trunc_f64_s),
                Instr::I64TruncF64U { dst, src } => un_try!(dst, src, f64, num::i64_trunc_f64_u),
                Instr::F32ConvertI32S { dst, src } => un!(dst, src, i32, |x: i32| x as f32),
                Instr::F32ConvertI32U { dst, src } => un!(dst, src, u32, |x: u32| x as f32),
                Instr::F32ConvertI64S { dst, src } => un!(dst, src, i64, |x: i64| x as f32),
                Instr::F32ConvertI64U { dst, src } => un!(dst, src, u64, |x: u64| x as f32),
                Instr::F32DemoteF64 { dst, src } => un!(dst, src, f64, |x: f64| x as f32),
                Instr::F64ConvertI32S { dst, src } => un!(dst, src, i32, |x: i32| x as f64),
                Instr::F64ConvertI32U { dst, src } => un!(dst, src, u32, |x: u32| x as f64),
                Instr::F64ConvertI64S { dst, src } => un!(dst, src, i64, |x: i64| x as f64),
                Instr::F64ConvertI64U { dst, src } => un!(dst, src, u64, |x: u64| x as f64),
                Instr::F64PromoteF32 { dst, src } => un!(dst, src, f32, |x: f32| x as f64),
                Instr::I32ReinterpretF32 { dst, src } | Instr::F32ReinterpretI32 { dst, src } => {
                    un!(dst, src, u32, |x: u32| x)
                }
                Instr::I64ReinterpretF64 { dst, src } | Instr::F64ReinterpretI64 { dst, src } => wr!(dst, rd!(src)),
                Instr::I32TruncSatF32S { dst, src } => un!(dst, src, f32, |x: f32| x as i32),
                Instr::I32TruncSatF32U { dst, src } => un!(dst, src, f32, |x: f32| x as u32),
                Instr::I32TruncSatF64S { dst, src } => un!(dst, src, f64, |x: f64| x as i32),
                Instr::I32TruncSatF64U { dst, src } => un!(dst, src, f64, |x: f64| x as u32),
                Instr::I64TruncSatF32S { dst, src } => un!(dst, src, f32, |x: f32| x as i64),
                Instr::I64TruncSatF32U { dst, src } => un!(dst, src, f32, |x: f32| x as u64),
                Instr::I64TruncSatF64S { dst, src } => un!(dst, src, f64, |x: f64| x as i64),
                Instr::I64TruncSatF64U { dst, src } => un!(dst, src, f64, |x: f64| x as u64),
            }
        }
    }
}
