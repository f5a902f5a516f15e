//! The code of a module: every function body is validated when the module is compiled, and
//! translated when it is first called.
//!
//! Compiling a module validates all bodies up front (on two threads for large code sections),
//! so that a module that compiles never fails later; validation also fixes each function's
//! frame layout (parameters, locals, and a bound on the operand-stack height taken from the
//! validator), so that a frame too large for `u16` slots is a `CompileError` at compile time.
//! Translation waits for the first call: the function's entry points at a one-instruction stub
//! ([`Instr::TranslateOnEntry`]) whose handler translates the body, publishes the code, and
//! continues in it with the frame the caller already set up (the layout does not change).
//! The call handlers stay as they are: they only read the entry pointer.
//!
//! Modules are shared between threads (`Send + Sync`): the translated code is published once
//! through a `OnceLock` and the entry pointer with release/acquire ordering.

use std::ops::Range;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Arc, OnceLock};

use wasmparser::{BinaryReader, FuncToValidate, FuncValidatorAllocations, FunctionBody, ValidatorResources};

use super::exec::{handler_of, Threaded};
use super::handler_regions::TryRegion;
use super::ir::Instr;
use super::translate::{self, MAX_FRAME_SLOTS};
use crate::error::CompileError;
use crate::module::{limits, profile, reject_gc, ElementInfo, ModuleInfo, PendingBodies, Resources};

/// Code sections at least this large are validated on two threads.
const PARALLEL_BYTES: usize = 256 << 10;

/// What the call handlers read of a defined function: where it starts and its frame layout.
pub(crate) struct CompiledFunc {
    /// The first instruction: the translated code, or [`FuncBody::stub`] until the first call.
    entry: AtomicPtr<Threaded>,
    /// Number of parameters (the first cells of the frame).
    pub(crate) num_params: u32,
    /// Number of locals, parameters included (cells `num_params..num_locals` start zeroed).
    pub(crate) num_locals: u32,
    /// Number of cells of the frame: locals, then operand-stack temporaries (at least the
    /// number of results, which are returned in the first cells). An upper bound fixed by
    /// validation; the translated code never uses more.
    pub(crate) frame_size: u32,
}

impl CompiledFunc {
    /// The instruction execution of the function starts at (a stub that translates the
    /// function if that has not happened yet).
    #[inline(always)]
    pub(crate) fn entry(&self) -> *const Threaded {
        self.entry.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for CompiledFunc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CompiledFunc({} locals, {} slots)", self.num_locals, self.frame_size)
    }
}

/// The cold part of a defined function: its body and, once translated, its code.
struct FuncBody {
    /// The byte range of the body in [`Code::bytes`].
    range: Range<u32>,
    /// The entry until the function is translated: a [`Instr::TranslateOnEntry`].
    stub: Threaded,
    /// The translated code (boxed: most functions of a large module are never called, and an
    /// empty cell takes 16 bytes instead of 64).
    code: OnceLock<Box<Translated>>,
}

// A module may have tens of thousands of functions (z3: 39,481): 48 bytes each until called.
const _: () = assert!(std::mem::size_of::<FuncBody>() <= 48);

/// The translation of a body.
pub(crate) struct Translated {
    /// The instructions; execution starts at the first.
    pub(crate) code: Box<[Threaded]>,
    /// The number of frame slots the code uses.
    pub(crate) frame_size: u32,
    /// Where the instructions that can trap or call came from: `(instruction index, module
    /// byte offset)`, ascending (see `translate::locations`; read only when a trap happens).
    pub(crate) locations: Box<[(u32, u32)]>,
    /// The exception handlers of the function's `try_table`/`try` blocks (see
    /// [`super::eh`]; read only when an exception is thrown).
    pub(crate) handlers: Box<[TryRegion]>,
}

/// The defined functions of a module.
#[derive(Default)]
pub(crate) struct Code {
    /// The call handlers' view, by defined-function index. Never reallocated: entries point
    /// into `bodies`.
    pub(crate) funcs: Box<[CompiledFunc]>,
    /// Bodies and translated code, by defined-function index.
    bodies: Box<[FuncBody]>,
    /// The code section's contents.
    bytes: Box<[u8]>,
    /// The offset of `bytes` in the module binary.
    offset: usize,
    /// What the validator knows of the module, to validate a body again alongside its
    /// translation (the translator asks it for operand types). `None` without bodies.
    resources: Option<Resources>,
}

/// The validated layout of one function.
struct Layout {
    num_params: u32,
    num_locals: u32,
    frame_size: u32,
    range: Range<u32>,
}

impl Code {
    /// Validates every body in `pending` (of `module`, decoded up to the code section) and
    /// prepares each function for translation on first call. The error is the one of the
    /// first invalid function, with its function index.
    pub(crate) fn validate(module: &ModuleInfo, pending: PendingBodies<'_>) -> Result<Code, CompileError> {
        let Some((section, offset)) = pending.section else { return Ok(Code::default()) };
        let first = module.num_imported_funcs;
        let bodies = pending.bodies;
        let elements = &pending.elements;
        let resources = bodies.first().map(|(v, _)| Resources::new(v.resources.clone(), elements.clone()));
        let layouts = if section.len() >= PARALLEL_BYTES && bodies.len() >= 2 {
            // Split at the body where half of the section's bytes lie before.
            let half = offset + section.len() / 2;
            let split = bodies.partition_point(|(_, b)| (b.range().start as usize) < half).clamp(1, bodies.len() - 1);
            let mut bodies = bodies;
            // The second half, for the helper thread (or for this one if no thread can start).
            let second = std::sync::Mutex::new(Some(bodies.split_off(split)));
            let take = || second.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
            let (a, b) = std::thread::scope(|s| {
                let other = std::thread::Builder::new()
                    .name("jitless-validate".into())
                    .spawn_scoped(s, || validate_run(module, first + split as u32, take(), offset, elements));
                let a = validate_run(module, first, bodies, offset, elements);
                let b = match other {
                    Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    Err(_) => validate_run(module, first + split as u32, take(), offset, elements),
                };
                (a, b)
            });
            let mut a = a?;
            a.extend(b?);
            a
        } else {
            validate_run(module, first, bodies, offset, elements)?
        };
        let bodies: Box<[FuncBody]> = layouts
            .iter()
            .enumerate()
            .map(|(i, l)| FuncBody { range: l.range.clone(), stub: stub(i as u32), code: OnceLock::new() })
            .collect();
        let funcs = layouts
            .iter()
            .zip(bodies.iter())
            .map(|(l, b)| CompiledFunc {
                entry: AtomicPtr::new(&b.stub as *const Threaded as *mut Threaded),
                num_params: l.num_params,
                num_locals: l.num_locals,
                frame_size: l.frame_size,
            })
            .collect();
        Ok(Code { funcs, bodies, bytes: section.into(), offset, resources })
    }

    /// The translated code of defined function `def` (index among the defined functions) of
    /// `module` (whose code this is), translating it now if needed.
    ///
    /// Translation of a validated body does not fail; if it ever did (a bug), the error is a
    /// `CompileError` whose message starts with "internal error".
    pub(crate) fn translated(&self, module: &ModuleInfo, def: u32) -> Result<*const Threaded, CompileError> {
        let body = &self.bodies[def as usize];
        if let Some(t) = body.code.get() {
            return Ok(t.code.as_ptr());
        }
        let func_index = module.num_imported_funcs + def;
        let internal = |e: CompileError| CompileError {
            kind: crate::error::CompileErrorKind::Internal,
            message: format!(
                "internal error: translating function #{func_index} on its first call failed: {}",
                e.message
            ),
            func_index: Some(func_index),
            ..e
        };
        let start = body.range.start as usize;
        let bytes = &self.bytes[start..body.range.end as usize];
        let reader = BinaryReader::new(bytes, (self.offset + start) as u64);
        let resources = self.resources.clone().expect("a module with bodies keeps the validator's resources");
        let validator = FuncToValidate {
            resources,
            index: func_index,
            ty: module.funcs[func_index as usize],
            features: module.profile.features(),
        }
        .into_validator(FuncValidatorAllocations::default());
        let translated =
            translate::translate(module, func_index, FunctionBody::new(reader), validator).map_err(internal)?;
        let frame_size = translated.frame_size;
        let func = &self.funcs[def as usize];
        if frame_size > func.frame_size {
            return Err(internal(CompileError::new(
                format!("frame of {frame_size} slots exceeds the validated bound of {}", func.frame_size),
                None,
            )));
        }
        // Another thread may have translated it meanwhile: both results are equal; keep one.
        let code = body.code.get_or_init(|| Box::new(translated)).code.as_ptr();
        func.entry.store(code as *mut Threaded, Ordering::Release);
        Ok(code)
    }

    /// The defined function (index among the defined functions) whose translated code holds
    /// instruction `ip`, and the module byte offset that instruction came from, if recorded
    /// (instructions that can trap or call always are). Only for trap backtraces: a linear
    /// search.
    pub(crate) fn locate(&self, ip: *const Threaded) -> Option<(u32, Option<u32>)> {
        self.bodies.iter().enumerate().find_map(|(k, b)| {
            let t = b.code.get()?;
            let range = t.code.as_ptr_range();
            if !range.contains(&ip) {
                return None;
            }
            // SAFETY: `ip` is inside this function's code.
            let index = unsafe { ip.offset_from(range.start) } as usize;
            Some((k as u32, translate::lookup_location(&t.locations, index)))
        })
    }

    /// The defined function (index among the defined functions) that `f` (an entry of
    /// [`Code::funcs`]) describes, and the module byte offset where its body starts (at its
    /// local declarations, after the body size: where V8 places a function's entry). Only for
    /// trap backtraces.
    pub(crate) fn entry_location(&self, f: &CompiledFunc) -> Option<(u32, u32)> {
        let funcs = self.funcs.as_ptr_range();
        let f: *const CompiledFunc = f;
        if !funcs.contains(&f) {
            return None;
        }
        // SAFETY: `f` points into `funcs` (checked above).
        let def = unsafe { f.offset_from(funcs.start) } as usize;
        Some((def as u32, (self.offset + self.bodies[def].range.start as usize) as u32))
    }

    /// The translated function whose code holds instruction `ip`, among those with exception
    /// handlers (others cannot catch): its first instruction, its handler table and the code
    /// index of `ip`. Only for unwinding: a linear search.
    pub(crate) fn handlers_at(&self, ip: *const Threaded) -> Option<(*const Threaded, &[TryRegion], u32)> {
        self.bodies.iter().find_map(|b| {
            let t = b.code.get().filter(|t| !t.handlers.is_empty())?;
            let range = t.code.as_ptr_range();
            // SAFETY: both pointers are into the same allocation when in range.
            range.contains(&ip).then(|| (range.start, &t.handlers[..], unsafe { ip.offset_from(range.start) } as u32))
        })
    }

    /// Every defined function's translated code (`None` while untranslated), for tests.
    #[cfg(test)]
    pub(crate) fn translated_code(&self) -> impl Iterator<Item = Option<&[Threaded]>> {
        self.bodies.iter().map(|b| b.code.get().map(|t| &t.code[..]))
    }

    /// A mutable view of the layouts, for tests that break an invariant on purpose.
    #[cfg(test)]
    pub(crate) fn funcs_mut(&mut self) -> &mut [CompiledFunc] {
        &mut self.funcs
    }
}

/// The stub entry of defined function `def`.
fn stub(def: u32) -> Threaded {
    let instr = Instr::TranslateOnEntry { func: def };
    Threaded { handler: handler_of(&instr).expect("TranslateOnEntry has a handler"), instr }
}

/// Validates a run of consecutive bodies, the first being function `first_index` (`elements`:
/// the element segments when the validator did not see them).
fn validate_run(
    module: &ModuleInfo,
    first_index: u32,
    bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'_>)>,
    section_offset: usize,
    elements: &Option<Arc<ElementInfo>>,
) -> Result<Vec<Layout>, CompileError> {
    let has_v128 = module_has_v128(module);
    let mut allocs = FuncValidatorAllocations::default();
    let mut out = Vec::with_capacity(bodies.len());
    for (i, (to_validate, body)) in bodies.into_iter().enumerate() {
        let func_index = first_index + i as u32;
        let to_validate = FuncToValidate {
            resources: Resources::new(to_validate.resources, elements.clone()),
            index: to_validate.index,
            ty: to_validate.ty,
            features: to_validate.features,
        };
        let (layout, next) = validate_body(module, func_index, to_validate, &body, allocs, section_offset, has_v128)
            .map_err(|e| CompileError { func_index: Some(func_index), ..e })?;
        allocs = next;
        out.push(layout);
    }
    Ok(out)
}

/// The operand-stack cells exception handling needs beyond the validator's height: the
/// translator keeps a legacy `catch` block's exception in a slot below its payload (one more
/// per nested catch block), and a `try_table` clause's landing pad holds the payload (and
/// the exception) at the block's base. Tracked from the opcode byte of each operator.
struct EhSlack {
    /// Per open block: 0 = not a legacy `try`, 1 = a `try` body, 2 = a `try` in a catch block.
    blocks: Vec<u8>,
    /// The number of open legacy catch blocks.
    catch_depth: u32,
    /// The most cells a landing pad may hold: the largest tag payload plus the exception.
    pad: u32,
}

impl EhSlack {
    fn new(module: &ModuleInfo) -> EhSlack {
        let payload = (0..module.tags.len() as u32).map(|t| super::cells_of(module.tag_type(t).params())).max();
        EhSlack { blocks: Vec::new(), catch_depth: 0, pad: payload.unwrap_or(0) as u32 + 1 }
    }

    /// Notes the operator with opcode byte `opcode` about to be validated with `height` cells
    /// on the stack; returns the cells it may need at most because of exception handling.
    fn before(&mut self, opcode: u8, height: u32) -> u32 {
        match opcode {
            // block, loop, if
            0x02..=0x04 => self.blocks.push(0),
            // try_table: landing pads at the block's base
            0x1f => {
                self.blocks.push(0);
                return height + self.catch_depth + self.pad;
            }
            // try
            0x06 => self.blocks.push(1),
            // catch, catch_all
            0x07 | 0x19 => {
                if let Some(k @ 1) = self.blocks.last_mut() {
                    *k = 2;
                    self.catch_depth += 1;
                }
            }
            // end, delegate (closing a catch block)
            0x0b | 0x18 if self.blocks.pop() == Some(2) => self.catch_depth -= 1,
            _ => {}
        }
        0
    }
}

/// The cells a tail call (`return_call`, `return_call_indirect`, `return_call_ref`, opcode byte
/// `opcode`) about to be read from `reader` may need: the translator passes the arguments in
/// place, above the values below them, and a host callee leaves its results there, so the
/// frame must reach the argument position plus the callee's results (which may outnumber the
/// operands). 0 for other operators and for an unreadable one (validation reports it).
fn tail_call_cells(
    module: &ModuleInfo,
    opcode: u8,
    reader: &BinaryReader<'_>,
    validator: &wasmparser::FuncValidator<Resources>,
    per_value: u32,
) -> u32 {
    use wasmparser::Operator as O;
    if !matches!(opcode, 0x12 | 0x13 | 0x15) {
        return 0;
    }
    let callee = |ty: Option<&u32>| ty.and_then(|&t| module.types.get(t as usize));
    let (ty, operand) = match wasmparser::OperatorsReader::new(reader.clone()).read() {
        Ok(O::ReturnCall { function_index }) => (callee(module.funcs.get(function_index as usize)), 0),
        Ok(O::ReturnCallIndirect { type_index, .. } | O::ReturnCallRef { type_index }) => {
            (module.types.get(type_index as usize), 1)
        }
        _ => return 0,
    };
    let Some(ty) = ty else { return 0 };
    // Values below the arguments (two cells each at most when `per_value` is 2).
    let below = validator.operand_stack_height().saturating_sub(ty.params().len() as u32 + operand);
    below * per_value + super::cells_of(ty.results()) as u32
}

/// Whether a block, `loop`, `if`, `try` or `try_table` of body `bytes` (its operators at `reader`)
/// has the single type `v128`, or a typed `select` selects `v128`s: a v128 value that needs
/// neither a SIMD instruction nor a type that mentions v128 (the result of a block that ends
/// in unreachable code). Only bodies holding the `v128` type byte (0x7b) are read; an
/// unreadable body counts (its validation fails anyway).
fn has_v128_block_types(bytes: &[u8], reader: &BinaryReader<'_>) -> bool {
    use wasmparser::{BlockType, Operator as O, ValType::V128};
    if !bytes.contains(&0x7b) {
        return false;
    }
    let v128 = BlockType::Type(V128);
    let mut ops = wasmparser::OperatorsReader::new(reader.clone());
    while !ops.eof() {
        match ops.read() {
            Ok(O::Block { blockty } | O::Loop { blockty } | O::If { blockty } | O::Try { blockty })
                if blockty == v128 =>
            {
                return true
            }
            Ok(O::TryTable { try_table }) if try_table.ty == v128 => return true,
            Ok(O::TypedSelect { ty: V128 }) => return true,
            Ok(O::TypedSelectMulti { tys }) if tys.contains(&V128) => return true,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    false
}

/// Whether any function type or global of the module mentions `v128`.
fn module_has_v128(module: &ModuleInfo) -> bool {
    use crate::types::ValType;
    module.types.iter().any(|t| t.params().iter().chain(t.results()).any(|&v| v == ValType::V128))
        || module.globals.iter().any(|g| g.content == ValType::V128)
}

/// Whether the body declares `v128` locals.
fn has_v128_locals(body: &FunctionBody<'_>) -> bool {
    let Ok(mut locals) = body.get_locals_reader() else { return false };
    (0..locals.get_count()).any(|_| matches!(locals.read(), Ok((_, wasmparser::ValType::V128))))
}

/// Validates one body and computes its frame layout.
///
/// The frame counts two cells per operand-stack value when the body may hold `v128` values.
/// Whether a block type or typed `select` makes it so is found during the one validation
/// pass; only then is the body validated again, counting two cells.
fn validate_body(
    module: &ModuleInfo,
    func_index: u32,
    to_validate: FuncToValidate<Resources>,
    body: &FunctionBody<'_>,
    allocs: FuncValidatorAllocations,
    section_offset: usize,
    module_has_v128: bool,
) -> Result<(Layout, FuncValidatorAllocations), CompileError> {
    // A reachable v128 comes from a SIMD instruction (prefix 0xfd; any 0xfd byte counts,
    // immediates included: the bound only has to be an upper bound), a v128 local, or a v128
    // global, call result or parameter (then the module's types or globals mention v128).
    let wide = module_has_v128 || has_v128_locals(body) || body.as_bytes().contains(&0xfd);
    let again = FuncToValidate {
        resources: to_validate.resources.clone(),
        index: to_validate.index,
        ty: to_validate.ty,
        features: to_validate.features,
    };
    let features = to_validate.features;
    let pass = |to_validate: FuncToValidate<Resources>, allocs, per_value| {
        let mut validator = to_validate.into_validator(allocs);
        let result = validate_ops(module, func_index, &mut validator, body, section_offset, per_value);
        (result, validator.into_allocations())
    };
    let (result, allocs) = pass(to_validate, allocs, if wide { 2 } else { 1 });
    let redo = match &result {
        // A block typed `v128` (in unreachable code it needs no SIMD instruction) was seen.
        Ok(None) => true,
        // Decided as before the pass: a bound reached counting one cell might come earlier
        // counting two (an unreadable body counts as holding v128 values).
        Err(_) => !wide && operators(body, features).is_some_and(|r| has_v128_block_types(body.as_bytes(), &r)),
        Ok(Some(_)) => false,
    };
    if !redo {
        return result.map(|layout| (layout.expect("a layout unless redone"), allocs));
    }
    let (result, allocs) = pass(again, allocs, 2);
    result.map(|layout| (layout.expect("a layout at two cells per value"), allocs))
}

/// The reader of a body's operators (after its locals), if the locals can be read.
fn operators<'a>(body: &FunctionBody<'a>, features: wasmparser::WasmFeatures) -> Option<BinaryReader<'a>> {
    let mut locals = body.get_locals_reader().ok()?;
    for _ in 0..locals.get_count() {
        locals.read().ok()?;
    }
    let mut reader = locals.get_binary_reader();
    reader.set_features(features);
    Some(reader)
}

/// One validation pass over a body with `validator`, counting `per_value` cells per
/// operand-stack value. `Ok(None)` when counting one cell and a block type or typed `select`
/// is `v128` (the body needs two).
fn validate_ops(
    module: &ModuleInfo,
    func_index: u32,
    validator: &mut wasmparser::FuncValidator<Resources>,
    body: &FunctionBody<'_>,
    section_offset: usize,
    per_value: u32,
) -> Result<Option<Layout>, CompileError> {
    let node20 = !module.profile.exnref();
    let gc = module.profile.gc() == crate::types::GcTypes::Decode;
    let ty = module.func_type(func_index);
    // Counts of cells: a v128 takes two.
    let num_params = super::cells_of(ty.params()) as u32;
    let num_results = super::cells_of(ty.results()) as u32;
    let mut num_locals = num_params;
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, vt) = locals.read()?;
        validator.define_locals(offset, count, vt)?;
        if !gc {
            reject_gc::check_val_type(vt, &module.types, offset as usize)?;
        }
        if node20 {
            profile::check_val_type(vt, offset as usize)?;
        }
        let cells = if vt == wasmparser::ValType::V128 { count.saturating_mul(2) } else { count };
        num_locals = num_locals.saturating_add(cells);
        if num_locals >= MAX_FRAME_SLOTS {
            return Err(translate::too_many_slots(Some(offset as usize)));
        }
    }
    let mut reader = locals.get_binary_reader();
    reader.set_features(*validator.features());
    let range = body.range();
    let mut max_height = 0;
    let limit = MAX_FRAME_SLOTS - num_locals;
    let bytes = body.as_bytes();
    let mut eh = EhSlack::new(module);
    while !reader.eof() {
        let offset = reader.original_position();
        let before = validator.operand_stack_height() * per_value;
        let at_op = &bytes[(offset - range.start) as usize..];
        let opcode = at_op[0];
        if opcode == 0x0e {
            limits::check_br_table(&reader)?;
        }
        if per_value == 1 && v128_block_type(at_op, &reader) {
            return Ok(None);
        }
        if opcode == 0xfb {
            profile::check_array_new_fixed(&reader, module.profile)?;
        }
        let slack = eh.before(opcode, before).max(tail_call_cells(module, opcode, &reader, validator, per_value));
        // `br_on_cast`/`br_on_cast_fail` test into a temporary above their operand.
        let slack = if opcode == 0xfb { slack.max(before + 1) } else { slack };
        let profile_check = node20 && profile::needs_check(opcode);
        let at = ((!gc && reject_gc::needs_check_at(at_op)) || profile_check).then(|| reader.clone());
        reader.visit_operator(&mut validator.visitor(offset))??;
        if let Some(at) = at {
            let op = wasmparser::OperatorsReader::new(at).read()?;
            if !gc {
                reject_gc::check_operator(&op, &module.types, offset as usize)?;
            }
            if profile_check {
                profile::check_operator(&op, offset as usize)?;
            }
        }
        let h = (validator.operand_stack_height() * per_value + eh.catch_depth).max(slack);
        if h > max_height {
            max_height = h;
            if max_height > limit {
                return Err(translate::too_many_slots(Some(offset as usize)));
            }
        }
    }
    reader.finish_expression(&validator.visitor(reader.original_position()))?;
    Ok(Some(Layout {
        num_params,
        num_locals,
        frame_size: (num_locals + max_height).max(num_results),
        range: (range.start as usize - section_offset) as u32..(range.end as usize - section_offset) as u32,
    }))
}

/// Whether the operator whose bytes start at `code[0]` (read by `reader`) is a block, `loop`,
/// `if`, `try` or `try_table` of the single type `v128` (its block type byte is 0x7b), or a
/// typed `select` of `v128`s: what [`has_v128_block_types`] looks for, one operator at a time.
fn v128_block_type(code: &[u8], reader: &BinaryReader<'_>) -> bool {
    use wasmparser::{Operator as O, ValType::V128};
    match code[0] {
        0x02..=0x04 | 0x06 | 0x1f => code.get(1) == Some(&0x7b),
        0x1c => match wasmparser::OperatorsReader::new(reader.clone()).read() {
            Ok(O::TypedSelect { ty }) => ty == V128,
            Ok(O::TypedSelectMulti { tys }) => tys.contains(&V128),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::engine::Module;

    #[test]
    fn translation_is_lazy_and_checked_against_the_validated_frame() {
        let bytes = crate::text::wat_to_wasm(
            r#"(module
                (func (export "a") (result i32) (i32.add (i32.const 1) (call $b)))
                (func $b (result i32) (i32.const 41))
                (func (export "c") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))"#,
        )
        .unwrap();
        let mut module = Module::new(&bytes).unwrap();
        let inner = Arc::get_mut(&mut module.0).unwrap();
        assert!(inner.code.translated_code().all(|c| c.is_none()));
        // A frame bound that translation exceeds is an internal error, not memory unsafety.
        inner.code.funcs_mut()[2].frame_size = 0;
        let m = &*module.0;
        let e = m.code.translated(m, 2).unwrap_err();
        assert!(e.message.starts_with("internal error"), "{e:?}");
        assert_eq!(e.func_index, Some(2));
        assert!(m.code.translated(m, 0).is_ok());
        let done: Vec<bool> = m.code.translated_code().map(|c| c.is_some()).collect();
        assert_eq!(done, [true, false, false]);
    }
}
