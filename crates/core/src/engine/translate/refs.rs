//! Translation of tail calls and typed function references (`return_call*`, `call_ref`,
//! `ref.as_non_null`; `br_on_null`/`br_on_non_null` are in `control.rs`).

use wasmparser::Operator;

use super::Translator;
use crate::engine::cells_of;
use crate::engine::ir::{Instr, Slot};
use crate::error::CompileError;

impl Translator<'_> {
    /// Translates `op` if it belongs to this group; `None` if it does not.
    pub(super) fn translate_refs_op(&mut self, op: &Operator<'_>) -> Option<Result<(), CompileError>> {
        use Operator as O;
        match *op {
            O::ReturnCall { function_index } => {
                let ty = self.module.func_type(function_index);
                let (np, nr) = (cells_of(ty.params()), cells_of(ty.results()));
                let imported = self.module.num_imported_funcs;
                let func = function_index;
                self.tail_call(np, nr, None, |args, _| {
                    if func < imported {
                        Instr::ReturnCallImport { func, args }
                    } else {
                        Instr::ReturnCall { func: func - imported, args }
                    }
                });
            }
            O::ReturnCallIndirect { type_index, table_index } => {
                self.saturate_addresses(&[(0, self.is_table64(table_index))]);
                let fty = &self.module.types[type_index as usize];
                let (np, nr) = (cells_of(fty.params()), cells_of(fty.results()));
                self.tail_call(np, nr, Some(()), |args, index| Instr::ReturnCallIndirect {
                    index,
                    args,
                    ty: type_index,
                    table: table_index,
                });
            }
            O::CallRef { type_index } => {
                let fty = &self.module.types[type_index as usize];
                let (np, nr) = (cells_of(fty.params()), cells_of(fty.results()));
                let h = self.stack.height();
                let func = self.operand_slot(h - 1);
                let pos = h - 1 - np;
                for p in pos..h - 1 {
                    self.materialize(p);
                }
                let args = self.stack.slot(pos);
                self.pop_n(np + 1);
                self.emit(Instr::CallRef { func, args, dst: args });
                self.stack.reserve_height(pos + nr);
                self.stack.push_temps(nr);
            }
            O::ReturnCallRef { type_index } => {
                let fty = &self.module.types[type_index as usize];
                let (np, nr) = (cells_of(fty.params()), cells_of(fty.results()));
                self.tail_call(np, nr, Some(()), |args, func| Instr::ReturnCallRef { func, args });
            }
            O::RefAsNonNull => {
                // The value stays where it is; only the check is emitted.
                let src = self.operand_slot(self.stack.height() - 1);
                self.emit(Instr::RefAsNonNull { src });
            }
            O::BrOnNull { relative_depth } => self.visit_br_on_null(relative_depth, true),
            O::BrOnNonNull { relative_depth } => self.visit_br_on_null(relative_depth, false),
            _ => return None,
        }
        Some(Ok(()))
    }

    /// A tail call with `np` argument cells (below an extra operand on top, the table index or
    /// function reference, when `extra` is set) and `nr` results: the call instruction, then
    /// the return of the `nr` result cells a host callee leaves in the argument slots.
    fn tail_call(&mut self, np: usize, nr: usize, extra: Option<()>, make: impl FnOnce(Slot, Slot) -> Instr) {
        let h = self.stack.height();
        let (top, operand) = match extra {
            Some(()) => (h - 1, self.operand_slot(h - 1)),
            None => (h, 0),
        };
        let pos = top - np;
        for p in pos..top {
            self.materialize(p);
        }
        let args = self.stack.slot(pos);
        self.pop_n(h - pos);
        self.emit(make(args, operand));
        self.stack.reserve_height(pos + nr);
        self.emit(match nr {
            0 => Instr::Return,
            1 => Instr::ReturnSlot { src: args },
            _ if args == 0 => Instr::Return,
            _ => Instr::ReturnSpan { src: args, len: nr as u16 },
        });
        self.reachable = false;
    }
}
