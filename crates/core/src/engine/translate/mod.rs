//! One-pass validation and translation of a function body into [`Instr`]s.
//!
//! Every operator is first fed to wasmparser's `FuncValidator` and then lowered. The translator
//! keeps a model of the operand stack ([`stack::OperandStack`]) that says where each value
//! currently is, so that `local.get` and constants usually emit nothing, and a `local.set` of a
//! freshly computed value retargets the computing instruction to write the local directly.
//! Code after an unconditional branch is validated but not translated.

mod control;
mod exceptions;
mod fuse;
mod gc;
mod limits;
mod locations;
mod memory_ext;
mod refs;
mod simd;
mod stack;
mod table64;

use wasmparser::{FuncValidator, FunctionBody, Operator};

use self::control::{Control, ControlKind, Label, LabelId};
pub(crate) use self::locations::lookup as lookup_location;
use self::stack::{Operand, OperandStack};
use super::ir::{self, Instr, Slot};
use crate::error::CompileError;
use crate::module::{ModuleInfo, Resources};
use crate::types::{RefType, ValType};

/// The most slots a frame may have (locals plus operand-stack temporaries); the slot number
/// after the last, [`ir::ACC`], stands for the accumulator.
pub(crate) const MAX_FRAME_SLOTS: u32 = ir::ACC as u32;

/// Translates the body of defined function `func_index` (index in the module's function index
/// space, imports first) of `module`, a body that validation accepted (see
/// [`super::code`]). `validator` runs along again: the translator asks it for the operand types
/// that `drop` and `select` don't name (a v128 takes two cells). Returns the code and the number
/// of frame slots it uses.
pub(crate) fn translate(
    module: &ModuleInfo,
    func_index: u32,
    body: FunctionBody<'_>,
    mut validator: FuncValidator<Resources>,
) -> Result<super::code::Translated, CompileError> {
    let ty = module.func_type(func_index);
    // Counts of cells (a v128 takes two), and where each local is.
    let num_params = super::cells_of(ty.params()) as u32;
    let num_results = super::cells_of(ty.results()) as u32;
    let mut layout = simd::LocalLayout::default();
    for (i, &p) in ty.params().iter().enumerate() {
        if p == ValType::V128 {
            layout.add_v128(i as u32, 1);
        }
    }
    let mut num_locals = num_params;
    let mut num_local_values = ty.params().len() as u32;
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, vt) = locals.read()?;
        validator.define_locals(offset, count, vt)?;
        let cells = if vt == wasmparser::ValType::V128 {
            layout.add_v128(num_local_values, count);
            count.saturating_mul(2)
        } else {
            count
        };
        num_local_values = num_local_values.saturating_add(count);
        num_locals = num_locals.saturating_add(cells);
        if num_locals >= MAX_FRAME_SLOTS {
            return Err(too_many_slots(Some(offset as usize)));
        }
    }
    // Read operators with the module feature set, so that encodings only valid with other
    // features (e.g. an overlong memory index without multi-memory) are rejected.
    let mut binary = locals.get_binary_reader();
    binary.set_features(module.profile.features());
    let mut reader = wasmparser::OperatorsReader::new(binary);
    let mut t = Translator::new(module, num_locals, num_results);
    t.returns_f64 = ty.results() == [ValType::F64];
    t.layout = layout;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset()?;
        // `drop` and `select` do not name their operand type: a v128 operand takes two cells.
        t.v128_operand = match op {
            Operator::Drop => validator.get_operand_type(0),
            Operator::Select | Operator::TypedSelect { .. } => validator.get_operand_type(1),
            _ => None,
        } == Some(Some(wasmparser::ValType::V128));
        validator.op(offset, &op)?;
        let was_reachable = t.reachable;
        // The `end` of a block, loop or if is counted with the code after it (see limits.rs).
        let inner_end = matches!(op, Operator::End) && t.controls.len() > 1;
        if was_reachable && !inner_end {
            t.fuel_count();
        }
        t.translate_op(&op).map_err(|mut e| {
            e.offset = e.offset.or(Some(offset as usize));
            e
        })?;
        if inner_end && t.reachable {
            t.fuel_count();
        }
        if t.reachable && (t.fuel || t.deterministic) {
            t.after_op_limits(&op);
        }
        t.note_location(&op, offset as usize, was_reachable);
        if t.stack.max_height() + num_locals > MAX_FRAME_SLOTS {
            return Err(too_many_slots(Some(offset as usize)));
        }
    }
    reader.finish()?;
    Ok(t.finish())
}

/// The error for a function whose frame needs more than [`MAX_FRAME_SLOTS`] slots.
pub(crate) fn too_many_slots(offset: Option<usize>) -> CompileError {
    CompileError::limit(
        crate::error::CompileLimit::FrameSlots,
        MAX_FRAME_SLOTS as u64 + 1,
        MAX_FRAME_SLOTS as u64,
        format!("function too large: it needs more than {MAX_FRAME_SLOTS} value slots (locals plus operand stack)"),
        offset,
    )
}

/// The state of translating one function body.
pub(super) struct Translator<'m> {
    module: &'m ModuleInfo,
    code: Vec<Instr>,
    stack: OperandStack,
    controls: Vec<Control>,
    labels: Vec<Label>,
    /// Whether the current position is reachable.
    reachable: bool,
    num_locals: u32,
    num_results: u32,
    /// Whether the function returns exactly one `f64` (which travels in the floating-point
    /// accumulator, so a return may not read it from the integer one).
    returns_f64: bool,
    /// The label of every branch instruction emitted so far, by code index (ascending).
    branch_labels: Vec<(usize, LabelId)>,
    /// The last instruction that wrote a local and may pass its result on in the accumulator,
    /// with that local (valid while it is the last instruction).
    last_local_write: Option<(usize, Slot)>,
    /// How many instructions back-edge copies added so far.
    duplicated: usize,
    /// The code index the last label was bound to (an instruction there may be jumped to, so
    /// it must not be merged into the one before).
    last_label_at: Option<usize>,
    /// The index of the last emitted instruction when it wrote one result to the temporary
    /// slot of its stack position and no label has been bound since.
    last_result: Option<usize>,
    /// Where the locals are (v128 locals take two slots).
    layout: simd::LocalLayout,
    /// Whether the operand of the `drop`/`select` being translated is a v128.
    v128_operand: bool,
    /// The function's constant pool (`v128.const` values, shuffle lanes).
    v128_pool: Vec<u128>,
    /// The code-location side table (see [`locations`]).
    locations: Vec<(u32, u32)>,
    /// The exception-handling regions of `try_table`/`try` blocks, by id (see `exceptions.rs`).
    regions: Vec<super::handler_regions::TryRegion>,
    /// Fuel metering (a limited namespace's module, see `limits.rs`).
    fuel: bool,
    /// The charge instruction of the basic block being translated (with `fuel`).
    fuel_at: Option<usize>,
    /// Charge instructions copied by back-edge copies: (copy, original), in order.
    fuel_copies: Vec<(usize, usize)>,
    /// NaN canonicalisation (a deterministic namespace's module, see `limits.rs`).
    deterministic: bool,
}

impl<'m> Translator<'m> {
    fn new(module: &'m ModuleInfo, num_locals: u32, num_results: u32) -> Self {
        let mut t = Translator {
            module,
            code: Vec::new(),
            stack: OperandStack::new(num_locals),
            controls: Vec::new(),
            labels: Vec::new(),
            reachable: true,
            num_locals,
            num_results,
            returns_f64: false,
            last_result: None,
            branch_labels: Vec::new(),
            last_label_at: None,
            last_local_write: None,
            duplicated: 0,
            layout: simd::LocalLayout::default(),
            v128_operand: false,
            v128_pool: Vec::new(),
            locations: Vec::new(),
            regions: Vec::new(),
            fuel: module.options.fuel,
            fuel_at: None,
            fuel_copies: Vec::new(),
            deterministic: module.options.deterministic,
        };
        // The function's entry starts a basic block.
        t.fuel_open();
        let label = t.new_label();
        t.controls.push(Control {
            kind: ControlKind::Func,
            height: 0,
            params: 0,
            results: num_results as usize,
            label,
            else_label: None,
            entry_reachable: true,
            end_used: false,
            handler: None,
            fuel_entry: None,
        });
        t
    }

    fn finish(mut self) -> super::code::Translated {
        self.finish_fuel_copies();
        self.finish_simd_pool();
        let frame_size = (self.num_locals + self.stack.max_height()).max(self.num_results);
        super::code::Translated {
            code: super::exec::thread(self.code),
            frame_size,
            locations: self.locations.into_boxed_slice(),
            handlers: self.regions.into(),
        }
    }

    /// Appends an instruction (merging two consecutive copies into one when no label lies
    /// between them).
    fn emit(&mut self, instr: Instr) {
        self.last_result = None;
        if let (Instr::Copy { dst: dst2, src: src2 }, Some(&Instr::Copy { dst, src })) = (instr, self.code.last()) {
            if self.last_label_at != Some(self.code.len()) {
                *self.code.last_mut().expect("a last instruction") = Instr::Copy2 { dst, src, dst2, src2 };
                return;
            }
        }
        self.code.push(instr);
    }

    /// Appends an instruction that writes one result to the next stack position, and pushes
    /// that result.
    fn emit_result(&mut self, make: impl FnOnce(Slot) -> Instr) {
        let dst = self.stack.slot(self.stack.height());
        self.code.push(make(dst));
        self.last_result = Some(self.code.len() - 1);
        self.stack.push(Operand::Temp);
    }

    /// Writes the entry at `pos` into its own slot, if it is not there yet.
    fn materialize(&mut self, pos: usize) {
        let dst = self.stack.slot(pos);
        match self.stack.get(pos) {
            Operand::Temp => return,
            Operand::Local(src) => self.emit(Instr::Copy { dst, src }),
            Operand::Const(value) => self.emit(Instr::Const { dst, value }),
        }
        self.stack.set_temp(pos);
    }

    /// Materialises the top `n` entries.
    fn materialize_top(&mut self, n: usize) {
        let h = self.stack.height();
        for pos in h - n..h {
            self.materialize(pos);
        }
    }

    /// Copies the top `n` values into the slots of positions `dst..dst + n` (`dst` at most
    /// the position of the first value), without changing the stack model. Copies go upwards,
    /// so a value is read before its slot can be overwritten.
    fn emit_copies(&mut self, dst: usize, n: usize) {
        let h = self.stack.height();
        for i in 0..n {
            let from = h - n + i;
            let to = self.stack.slot(dst + i);
            match self.stack.get(from) {
                Operand::Temp if from == dst + i => {}
                Operand::Temp => self.emit(Instr::Copy { dst: to, src: self.stack.slot(from) }),
                Operand::Local(src) => self.emit(Instr::Copy { dst: to, src }),
                Operand::Const(value) => self.emit(Instr::Const { dst: to, value }),
            }
        }
    }

    /// The slot to read the entry at `pos` from (materialising a constant first).
    fn operand_slot(&mut self, pos: usize) -> Slot {
        match self.stack.get(pos) {
            Operand::Temp => self.stack.slot(pos),
            Operand::Local(l) => l,
            Operand::Const(_) => {
                self.materialize(pos);
                self.stack.slot(pos)
            }
        }
    }

    /// Pops `n` entries.
    fn pop_n(&mut self, n: usize) {
        for _ in 0..n {
            self.stack.pop();
        }
    }

    /// Translates one (already validated) operator.
    fn translate_op(&mut self, op: &Operator<'_>) -> Result<(), CompileError> {
        use Operator as O;
        // Structure is tracked even in unreachable code.
        match op {
            O::Block { blockty } => self.visit_block(*blockty),
            O::Loop { blockty } => self.visit_loop(*blockty),
            O::If { blockty } => self.visit_if(*blockty),
            O::Else => self.visit_else(),
            O::End => self.visit_end(),
            O::TryTable { .. } | O::Try { .. } | O::Catch { .. } | O::CatchAll | O::Delegate { .. } => {
                self.translate_exceptions_control(op)
            }
            _ => return self.translate_plain_op(op),
        }
        Ok(())
    }

    /// Translates an operator other than the structured-control ones.
    fn translate_plain_op(&mut self, op: &Operator<'_>) -> Result<(), CompileError> {
        use Operator as O;
        if !self.reachable {
            return Ok(());
        }
        // Memories other than a 32-bit memory 0 (multi-memory, memory64): translate/memory_ext.rs.
        if let Some(done) = self.translate_ext_memory_access(op) {
            return done;
        }
        if let Some(make) = ir::unary_op(op) {
            self.unary(make);
            return Ok(());
        }
        if let Some(make) = ir::binary_op(op) {
            self.binary(op, make);
            return Ok(());
        }
        if let Some((memarg, make)) = ir::load_op(op) {
            let addr = self.operand_slot(self.stack.height() - 1);
            self.stack.pop();
            self.emit_result_fused(|dst| make(dst, addr, memarg.offset as u32));
            return Ok(());
        }
        if let Some((memarg, make)) = ir::store_op(op) {
            let h = self.stack.height();
            if let Operand::Const(c) = self.stack.get(h - 1) {
                let addr = self.operand_slot(h - 2);
                if let Some(instr) = Instr::store_imm(op, addr, memarg.offset as u32, c) {
                    self.pop_n(2);
                    self.emit_fused(instr);
                    return Ok(());
                }
            }
            let value = self.operand_slot(h - 1);
            let addr = self.operand_slot(h - 2);
            self.pop_n(2);
            self.emit_fused(make(addr, value, memarg.offset as u32));
            return Ok(());
        }
        match *op {
            O::Unreachable => {
                self.emit(Instr::Unreachable);
                self.reachable = false;
            }
            O::Nop => {}
            O::Br { relative_depth } => self.visit_br(relative_depth),
            O::BrIf { relative_depth } => self.visit_br_if(relative_depth),
            O::BrTable { ref targets } => self.visit_br_table(targets)?,
            O::Return => {
                self.emit_return();
                self.reachable = false;
            }
            O::Call { function_index } => self.call(function_index),
            O::CallIndirect { type_index, table_index } => self.call_indirect(type_index, table_index),
            O::Drop if self.v128_operand => self.drop_v128(),
            O::Drop => {
                self.stack.pop();
            }
            O::Select | O::TypedSelect { .. } if self.v128_operand => self.select_v128(),
            O::Select | O::TypedSelect { .. } => self.select(),
            O::LocalGet { local_index } => match self.layout.slot(local_index) {
                (local, false) => self.stack.push(Operand::Local(local)),
                (local, true) => self.local_get_v128(local),
            },
            O::LocalSet { local_index } | O::LocalTee { local_index } => {
                let tee = matches!(op, O::LocalTee { .. });
                match self.layout.slot(local_index) {
                    (local, false) => self.local_set(local, tee),
                    (local, true) => self.local_set_v128(local, tee),
                }
            }
            O::GlobalGet { global_index } => {
                let global = global_index;
                if self.module.globals[global as usize].content == ValType::V128 {
                    self.global_get_v128(global);
                } else if matches!(self.module.globals[global as usize].content, ValType::Ref(_)) {
                    self.emit_result(|dst| Instr::GlobalGetRef { dst, global });
                } else {
                    self.emit_result(|dst| Instr::GlobalGet { dst, global });
                }
            }
            O::GlobalSet { global_index } if self.module.globals[global_index as usize].content == ValType::V128 => {
                self.global_set_v128(global_index)
            }
            O::GlobalSet { global_index } => {
                let global = global_index;
                let src = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit(match self.module.globals[global as usize].content {
                    ValType::I32 => Instr::GlobalSetI32 { src, global },
                    ValType::I64 => Instr::GlobalSetI64 { src, global },
                    ValType::F32 => Instr::GlobalSetF32 { src, global },
                    ValType::F64 => Instr::GlobalSetF64 { src, global },
                    ValType::Ref(r) if r.top() == RefType::ExternRef => Instr::GlobalSetExternRef { src, global },
                    ValType::Ref(r) if r.top() == RefType::ExnRef => Instr::GlobalSetExnRef { src, global },
                    ValType::Ref(_) => Instr::GlobalSetFuncRef { src, global },
                    ValType::V128 => unreachable!("v128 globals are set above"),
                });
            }
            O::I32Const { value } => self.stack.push(Operand::Const(value as u32 as u64)),
            O::I64Const { value } => self.stack.push(Operand::Const(value as u64)),
            O::F32Const { value } => self.stack.push(Operand::Const(value.bits() as u64)),
            O::F64Const { value } => self.stack.push(Operand::Const(value.bits())),
            O::RefNull { .. } => self.stack.push(Operand::Const(0)),
            O::RefIsNull => self.unary(|dst, src| Instr::I64Eqz { dst, src }),
            O::RefFunc { function_index } => self.emit_result(|dst| Instr::RefFunc { dst, func: function_index }),
            O::MemorySize { .. } => self.emit_result(|dst| Instr::MemorySize { dst }),
            O::MemoryGrow { .. } => {
                let delta = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit_result(|dst| Instr::MemoryGrow { dst, delta });
            }
            O::MemoryCopy { .. } => self.bulk(3, |args| Instr::MemoryCopy { args }),
            O::MemoryFill { .. } => self.bulk(3, |args| Instr::MemoryFill { args }),
            O::MemoryInit { data_index, .. } => self.bulk(3, |args| Instr::MemoryInit { seg: data_index, args }),
            O::DataDrop { data_index } => self.emit(Instr::DataDrop { seg: data_index }),
            O::TableInit { elem_index, table } => {
                // (dst, src, len): only dst is an address of the table.
                self.saturate_addresses(&[(2, self.is_table64(table))]);
                self.bulk(3, |args| Instr::TableInit { table, elem: elem_index, args })
            }
            O::TableCopy { dst_table, src_table } => {
                // (dst, src, len): len has the smaller of the two address types.
                let (d64, s64) = (self.is_table64(dst_table), self.is_table64(src_table));
                self.saturate_addresses(&[(2, d64), (1, s64), (0, d64 && s64)]);
                self.bulk(3, |args| Instr::TableCopy { dst_table, src_table, args })
            }
            O::TableFill { table } => {
                // (start, value, len).
                let is64 = self.is_table64(table);
                self.saturate_addresses(&[(2, is64), (0, is64)]);
                self.bulk(3, |args| Instr::TableFill { table, args })
            }
            O::ElemDrop { elem_index } => self.emit(Instr::ElemDrop { elem: elem_index }),
            O::TableGet { table } => {
                self.saturate_addresses(&[(0, self.is_table64(table))]);
                let index = self.operand_slot(self.stack.height() - 1);
                self.stack.pop();
                self.emit_result(|dst| Instr::TableGet { dst, index, table });
            }
            O::TableSet { table } => {
                self.saturate_addresses(&[(1, self.is_table64(table))]);
                let h = self.stack.height();
                let value = self.operand_slot(h - 1);
                let index = self.operand_slot(h - 2);
                self.pop_n(2);
                self.emit(Instr::TableSet { table, index, value });
            }
            O::TableSize { table } => self.emit_result(|dst| Instr::TableSize { dst, table }),
            O::TableGrow { table } => {
                // (init, delta).
                self.saturate_addresses(&[(0, self.is_table64(table))]);
                // Operands (init, delta) in consecutive slots; the result replaces `init`.
                self.materialize_top(2);
                let args = self.stack.slot(self.stack.height() - 2);
                self.pop_n(2);
                self.emit_result(|dst| Instr::TableGrow { dst, table, args });
                if self.is_table64(table) {
                    // The old size (below 2^31) or -1, as an i64.
                    self.unary(|dst, src| Instr::I64ExtendI32S { dst, src });
                }
            }
            ref other => {
                // Feature groups, each in a file of its own.
                let done = self
                    .translate_simd_op(other)
                    .or_else(|| self.translate_exceptions_op(other))
                    .or_else(|| self.translate_memory_ext_op(other))
                    .or_else(|| self.translate_refs_op(other))
                    .or_else(|| self.translate_gc_op(other));
                return done.unwrap_or_else(|| Err(CompileError::new(format!("unsupported operator {other:?}"), None)));
            }
        }
        Ok(())
    }

    /// A unary operator.
    fn unary(&mut self, make: fn(Slot, Slot) -> Instr) {
        let src = self.operand_slot(self.stack.height() - 1);
        self.stack.pop();
        self.emit_result_fused(|dst| make(dst, src));
    }

    /// A binary operator, using an immediate form when one operand is a suitable constant.
    fn binary(&mut self, op: &Operator<'_>, make: fn(Slot, Slot, Slot) -> Instr) {
        let h = self.stack.height();
        let (lp, rp) = (h - 2, h - 1);
        let dst = self.stack.slot(lp);
        if let Operand::Const(c) = self.stack.get(rp) {
            let lhs = self.operand_slot(lp);
            if let Some(instr) = Instr::binary_imm(op, dst, lhs, c) {
                self.pop_n(2);
                self.emit_result_fused(|_| instr);
                return;
            }
        }
        if let (Operand::Const(c), Some(swapped)) = (self.stack.get(lp), ir::swapped_operator(op)) {
            let rhs = self.operand_slot(rp);
            if let Some(instr) = Instr::binary_imm(&swapped, dst, rhs, c) {
                self.pop_n(2);
                self.emit_result_fused(|_| instr);
                return;
            }
        }
        let lhs = self.operand_slot(lp);
        let rhs = self.operand_slot(rp);
        self.pop_n(2);
        self.emit_result_fused(|dst| make(dst, lhs, rhs));
    }

    /// `select` (untyped or typed): `cond ? a : b` for operands (a, b, cond).
    fn select(&mut self) {
        let h = self.stack.height();
        let cond = self.operand_slot(h - 1);
        let b = self.operand_slot(h - 2);
        let a = self.operand_slot(h - 3);
        self.pop_n(3);
        // The condition may come through the accumulator, and an `i32.and` with a constant
        // computing it fuses into `SelectAndImm` (see `emit_result_fused`).
        self.emit_result_fused(|dst| Instr::Select { dst, cond, a, b });
    }

    /// `local.set` / `local.tee`.
    fn local_set(&mut self, local: Slot, tee: bool) {
        let pos = self.stack.height() - 1;
        let value = self.stack.get(pos);
        let retarget = value == Operand::Temp
            && self.last_result.map(|i| i + 1) == Some(self.code.len())
            && self.code.last_mut().and_then(|i| i.dst_mut()).is_some_and(|d| *d == self.stack.slot(pos));
        // A call's single result (in its argument slot) can be returned straight into the
        // local, unless something may jump to after the call.
        let call_result = value == Operand::Temp
            && self.last_label_at != Some(self.code.len())
            && self.code.last_mut().and_then(|i| i.call_dst_mut()).is_some_and(|d| *d == self.stack.slot(pos));
        self.stack.pop();
        // Entries that still read the old value of the local in place keep it by copying it.
        let mut retarget = retarget;
        let mut call_result = call_result;
        if self.stack.has_local_refs(local) {
            retarget = false;
            call_result = false;
            for p in 0..self.stack.height() {
                if self.stack.get(p) == Operand::Local(local) {
                    self.materialize(p);
                }
            }
        }
        match value {
            Operand::Temp if retarget => {
                let last = self.code.last_mut().expect("a retargetable result");
                *last.dst_mut().expect("a retargetable result") = local;
                if last.may_write_acc() {
                    self.last_local_write = Some((self.code.len() - 1, local));
                }
            }
            Operand::Temp if call_result => {
                *self.code.last_mut().and_then(|i| i.call_dst_mut()).expect("a call") = local;
            }
            Operand::Temp => self.emit(Instr::Copy { dst: local, src: self.stack.slot(pos) }),
            Operand::Local(src) if src == local => {}
            Operand::Local(src) => self.emit(Instr::Copy { dst: local, src }),
            Operand::Const(value) => self.emit(Instr::Const { dst: local, value }),
        }
        self.last_result = None;
        if tee {
            self.stack.push(Operand::Local(local));
        }
    }

    /// An operator with `n` operands passed in consecutive slots and no result.
    fn bulk(&mut self, n: usize, make: impl FnOnce(Slot) -> Instr) {
        self.materialize_top(n);
        let args = self.stack.slot(self.stack.height() - n);
        self.pop_n(n);
        let instr = make(args);
        self.fuel_bulk(&instr, args);
        self.emit(instr);
    }

    /// `call`.
    fn call(&mut self, func: u32) {
        let ty = self.module.func_type(func);
        let (np, nr) = (super::cells_of(ty.params()), super::cells_of(ty.results()));
        self.materialize_top(np);
        let pos = self.stack.height() - np;
        let args = self.stack.slot(pos);
        self.pop_n(np);
        let imported = self.module.num_imported_funcs;
        self.emit(if func < imported {
            Instr::CallImport { func, args, dst: args }
        } else {
            Instr::Call { func: func - imported, args, dst: args }
        });
        self.stack.reserve_height(pos + nr);
        self.stack.push_temps(nr);
    }

    /// `call_indirect`.
    fn call_indirect(&mut self, ty: u32, table: u32) {
        self.saturate_addresses(&[(0, self.is_table64(table))]);
        let fty = &self.module.types[ty as usize];
        let (np, nr) = (super::cells_of(fty.params()), super::cells_of(fty.results()));
        let h = self.stack.height();
        let index = self.operand_slot(h - 1);
        let pos = h - 1 - np;
        for p in pos..h - 1 {
            self.materialize(p);
        }
        let args = self.stack.slot(pos);
        self.pop_n(np + 1);
        self.emit(Instr::CallIndirect { index, args, dst: args, ty, table });
        self.stack.reserve_height(pos + nr);
        self.stack.push_temps(nr);
    }
}
