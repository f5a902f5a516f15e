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
use std::sync::OnceLock;

use wasmparser::{BinaryReader, FuncToValidate, FuncValidatorAllocations, FunctionBody, ValidatorResources};

use super::exec::{handler_of, Threaded};
use super::ir::Instr;
use super::translate::{self, MAX_FRAME_SLOTS};
use crate::error::CompileError;
use crate::module::ModuleInner;

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
    /// The translated code.
    code: OnceLock<Box<[Threaded]>>,
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
}

/// The function bodies of a code section, as the validator hands them out.
pub(crate) struct PendingBodies<'a> {
    /// The code section's contents and their offset in the module.
    pub(crate) section: Option<(&'a [u8], usize)>,
    /// Every body with what validates it, in order.
    pub(crate) bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'a>)>,
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
    pub(crate) fn validate(module: &ModuleInner, pending: PendingBodies<'_>) -> Result<Code, CompileError> {
        let Some((section, offset)) = pending.section else { return Ok(Code::default()) };
        let first = module.num_imported_funcs;
        let bodies = pending.bodies;
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
                    .spawn_scoped(s, || validate_run(module, first + split as u32, take(), offset));
                let a = validate_run(module, first, bodies, offset);
                let b = match other {
                    Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    Err(_) => validate_run(module, first + split as u32, take(), offset),
                };
                (a, b)
            });
            let mut a = a?;
            a.extend(b?);
            a
        } else {
            validate_run(module, first, bodies, offset)?
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
        Ok(Code { funcs, bodies, bytes: section.into(), offset })
    }

    /// The translated code of defined function `def` (index among the defined functions) of
    /// `module` (whose code this is), translating it now if needed.
    ///
    /// Translation of a validated body does not fail; if it ever did (a bug), the error is a
    /// `CompileError` whose message starts with "internal error".
    pub(crate) fn translated(&self, module: &ModuleInner, def: u32) -> Result<*const Threaded, CompileError> {
        let body = &self.bodies[def as usize];
        if let Some(code) = body.code.get() {
            return Ok(code.as_ptr());
        }
        let func_index = module.num_imported_funcs + def;
        let internal = |e: CompileError| CompileError {
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
        let (code, frame_size) =
            translate::translate(module, func_index, FunctionBody::new(reader)).map_err(internal)?;
        let func = &self.funcs[def as usize];
        if frame_size > func.frame_size {
            return Err(internal(CompileError::new(
                format!("frame of {frame_size} slots exceeds the validated bound of {}", func.frame_size),
                None,
            )));
        }
        // Another thread may have translated it meanwhile: both results are equal; keep one.
        let code = body.code.get_or_init(|| code).as_ptr();
        func.entry.store(code as *mut Threaded, Ordering::Release);
        Ok(code)
    }

    /// Every defined function's translated code (`None` while untranslated), for tests.
    #[cfg(test)]
    pub(crate) fn translated_code(&self) -> impl Iterator<Item = Option<&[Threaded]>> {
        self.bodies.iter().map(|b| b.code.get().map(|c| &c[..]))
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

/// Validates a run of consecutive bodies, the first being function `first_index`.
fn validate_run(
    module: &ModuleInner,
    first_index: u32,
    bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'_>)>,
    section_offset: usize,
) -> Result<Vec<Layout>, CompileError> {
    let mut allocs = FuncValidatorAllocations::default();
    let mut out = Vec::with_capacity(bodies.len());
    for (i, (to_validate, body)) in bodies.into_iter().enumerate() {
        let func_index = first_index + i as u32;
        let (layout, next) = validate_body(module, func_index, to_validate, &body, allocs, section_offset)
            .map_err(|e| CompileError { func_index: Some(func_index), ..e })?;
        allocs = next;
        out.push(layout);
    }
    Ok(out)
}

/// Validates one body and computes its frame layout.
fn validate_body(
    module: &ModuleInner,
    func_index: u32,
    to_validate: FuncToValidate<ValidatorResources>,
    body: &FunctionBody<'_>,
    allocs: FuncValidatorAllocations,
    section_offset: usize,
) -> Result<(Layout, FuncValidatorAllocations), CompileError> {
    let mut validator = to_validate.into_validator(allocs);
    let ty = module.func_type(func_index);
    let num_params = ty.params().len() as u32;
    let num_results = ty.results().len() as u32;
    let mut num_locals = num_params;
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, vt) = locals.read()?;
        validator.define_locals(offset, count, vt)?;
        num_locals = num_locals.saturating_add(count);
        if num_locals >= MAX_FRAME_SLOTS {
            return Err(translate::too_many_slots(Some(offset as usize)));
        }
    }
    let mut reader = locals.get_binary_reader();
    reader.set_features(*validator.features());
    let mut max_height = 0;
    let limit = MAX_FRAME_SLOTS - num_locals;
    while !reader.eof() {
        let offset = reader.original_position();
        reader.visit_operator(&mut validator.visitor(offset))??;
        let h = validator.operand_stack_height();
        if h > max_height {
            max_height = h;
            if max_height > limit {
                return Err(translate::too_many_slots(Some(offset as usize)));
            }
        }
    }
    reader.finish_expression(&validator.visitor(reader.original_position()))?;
    let range = body.range();
    let layout = Layout {
        num_params,
        num_locals,
        frame_size: (num_locals + max_height).max(num_results),
        range: (range.start as usize - section_offset) as u32..(range.end as usize - section_offset) as u32,
    };
    Ok((layout, validator.into_allocations()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::module::Module;

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
