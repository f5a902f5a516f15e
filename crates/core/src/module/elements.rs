//! Element sections with more segments than wasmparser's validator accepts.
//!
//! The JS API allows 10,000,000 element segments
//! (<https://webassembly.github.io/spec/js-api/#limits>); wasmparser's `Validator` rejects more
//! than 100,000. A larger element section is therefore not given to the validator (the parser
//! checks the section order itself): [`Checker`] validates its segments by the same rules as the
//! validator (`add_element_segment`: table, element type, offset and item constant expressions,
//! under the module's features), and keeps what function validation needs to know of them in
//! [`ElementInfo`] (see [`super::resources::Resources`]). Sections within the limit go to the
//! validator as before.

use wasmparser::{ElementItems, ElementKind, Payload, ValidPayload, Validator, WasmFeatures};

use super::ModuleInfo;
use crate::error::CompileError;
use crate::types::{FuncTypeId, HeapType, RefType, ValType};

/// The most element segments wasmparser's `Validator` accepts (its `MAX_WASM_ELEMENT_SEGMENTS`).
const VALIDATOR_MAX_SEGMENTS: u32 = 100_000;
/// The most items of one segment (wasmparser's `MAX_WASM_TABLE_ENTRIES`; the JS API's limit on
/// the entries of a table initialisation).
const MAX_SEGMENT_ITEMS: u32 = 10_000_000;

/// Whether `payload` is an element section too large for wasmparser's validator.
fn beyond_validator(payload: &Payload<'_>) -> bool {
    matches!(payload, Payload::ElementSection(r) if r.count() > VALIDATOR_MAX_SEGMENTS)
}

/// How many segments to reserve room for in element section `reader`: its count, unless the
/// section is too short to hold that many (a segment takes at least 3 bytes).
pub(crate) fn capacity(reader: &wasmparser::ElementSectionReader<'_>) -> usize {
    let range = reader.range();
    (reader.count() as usize).min((range.end - range.start) as usize / 3)
}

/// Validates `payload` with `validator`, except an element section beyond the validator's limit
/// (checked by [`Checker`] as it is read).
pub(crate) fn validate_payload<'a>(
    validator: &mut Validator,
    payload: &Payload<'a>,
) -> Result<ValidPayload<'a>, CompileError> {
    if beyond_validator(payload) {
        return Ok(ValidPayload::Ok);
    }
    Ok(validator.payload(payload)?)
}

/// What function validation needs to know of the element segments the validator did not see.
#[derive(Debug, Default)]
pub(crate) struct ElementInfo {
    /// The element type of every segment, as runs: `(first segment, type)`, ascending. Types are
    /// as written (concrete types by module type index).
    runs: Vec<(u32, wasmparser::RefType)>,
    /// The number of segments.
    count: u32,
    /// The functions the segments reference (a bit per function index): the ones `ref.func` may
    /// name in function bodies.
    referenced: Vec<u64>,
}

impl ElementInfo {
    /// The number of segments.
    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    /// The element type of segment `index`, if there is such a segment.
    pub(crate) fn type_at(&self, index: u32) -> Option<wasmparser::RefType> {
        if index >= self.count {
            return None;
        }
        let run = self.runs.partition_point(|&(first, _)| first <= index);
        Some(self.runs[run - 1].1)
    }

    /// Whether function `index` is referenced by a segment.
    pub(crate) fn is_referenced(&self, index: u32) -> bool {
        self.referenced.get(index as usize / 64).is_some_and(|w| w >> (index % 64) & 1 != 0)
    }

    /// Records a reference to function `index`.
    fn reference(&mut self, index: u32) {
        let word = index as usize / 64;
        if word >= self.referenced.len() {
            self.referenced.resize(word + 1, 0);
        }
        self.referenced[word] |= 1 << (index % 64);
    }

    /// Records the next segment's element type.
    fn push(&mut self, ty: wasmparser::RefType) {
        if self.runs.last().map(|&(_, t)| t) != Some(ty) {
            self.runs.push((self.count, ty));
        }
        self.count += 1;
    }
}

/// Validates the segments of an element section that the validator did not see, one at a time.
pub(crate) struct Checker {
    features: WasmFeatures,
    /// The index type of every table (`i32`, or `i64` for a 64-bit table).
    table_index_types: Vec<ValType>,
    /// The canonical id of each function type, once needed (by type index).
    type_ids: Vec<Option<FuncTypeId>>,
    /// The operand stack of a constant expression (reused).
    stack: Vec<ValType>,
    info: ElementInfo,
}

/// A validation error at byte `offset`.
fn invalid(message: impl Into<String>, offset: u64) -> CompileError {
    CompileError::new(message, Some(offset as usize))
}

/// Fails with `message` at `offset` unless `enabled`.
fn require(enabled: bool, message: &str, offset: u64) -> Result<(), CompileError> {
    if enabled {
        Ok(())
    } else {
        Err(invalid(message, offset))
    }
}

impl Checker {
    /// A checker for element section `reader` if it is beyond the validator's limit, for a module
    /// whose earlier sections `validator` has validated and `m` holds.
    pub(crate) fn for_section(
        reader: &wasmparser::ElementSectionReader<'_>,
        validator: &Validator,
        m: &ModuleInfo,
    ) -> Option<Checker> {
        if reader.count() <= VALIDATOR_MAX_SEGMENTS {
            return None;
        }
        let table_index_types = match validator.types(0) {
            Some(types) => (0..types.table_count())
                .map(|t| if types.table_at(t).table64 { ValType::I64 } else { ValType::I32 })
                .collect(),
            None => vec![ValType::I32; m.tables.len()],
        };
        Some(Checker {
            features: *validator.features(),
            table_index_types,
            type_ids: vec![None; m.types.len()],
            stack: Vec::new(),
            info: ElementInfo::default(),
        })
    }

    /// What function validation needs to know of the checked segments.
    pub(crate) fn finish(self) -> ElementInfo {
        self.info
    }

    /// Validates segment `e` at byte `at` of module `m` (decoded up to the element section).
    pub(crate) fn check(&mut self, m: &ModuleInfo, e: &wasmparser::Element<'_>, at: u64) -> Result<(), CompileError> {
        let (ty, raw) = match &e.items {
            ElementItems::Functions(_) => (RefType::FuncRef, wasmparser::RefType::FUNCREF),
            ElementItems::Expressions(ty, _) => (self.ref_type(m, *ty, at)?, *ty),
        };
        match &e.kind {
            ElementKind::Active { table_index, offset_expr } => {
                let t = table_index.unwrap_or(0);
                let table = m
                    .tables
                    .get(t as usize)
                    .ok_or_else(|| invalid(format!("unknown table {t}: table index out of bounds"), at))?;
                if !ty.matches(&table.element) {
                    return Err(invalid(
                        format!("type mismatch: invalid element type `{ty}` for table type `{}`", table.element),
                        at,
                    ));
                }
                let index_type = self.table_index_types.get(t as usize).copied().unwrap_or(ValType::I32);
                self.const_expr(m, offset_expr, index_type)?;
            }
            ElementKind::Passive | ElementKind::Declared => {
                require(self.features.bulk_memory(), "bulk memory must be enabled", at)?;
            }
        }
        match &e.items {
            ElementItems::Functions(funcs) => {
                if funcs.count() > MAX_SEGMENT_ITEMS {
                    return Err(invalid("number of elements is out of bounds", at));
                }
                for f in funcs.clone().into_iter_with_offsets() {
                    let (offset, f) = f?;
                    if f as usize >= m.funcs.len() {
                        return Err(invalid(format!("unknown function {f}: func index out of bounds"), offset));
                    }
                    self.info.reference(f);
                }
            }
            ElementItems::Expressions(_, exprs) => {
                if exprs.count() > MAX_SEGMENT_ITEMS {
                    return Err(invalid("number of elements is out of bounds", at));
                }
                for expr in exprs.clone() {
                    self.const_expr(m, &expr?, ValType::Ref(ty))?;
                }
            }
        }
        self.info.push(raw);
        Ok(())
    }

    /// Checks reference type `r` (at byte `at`) against the features and the module's types, and
    /// converts it.
    fn ref_type(&self, m: &ModuleInfo, r: wasmparser::RefType, at: u64) -> Result<RefType, CompileError> {
        use wasmparser::AbstractHeapType as A;
        let f = &self.features;
        require(f.reference_types(), "reference types support is not enabled", at)?;
        match r.heap_type() {
            wasmparser::HeapType::Concrete(index) => {
                require(
                    f.gc() || f.function_references(),
                    "function references required for index reference types",
                    at,
                )?;
                if let Some(i) = index.as_module_index().filter(|&i| i as usize >= m.types.len()) {
                    return Err(invalid(format!("unknown type {i}: type index out of bounds"), at));
                }
            }
            wasmparser::HeapType::Abstract { ty, .. } => {
                if ty != A::Func && ty != A::Exn {
                    require(f.gc_types(), "gc types are disallowed but found type which requires gc", at)?;
                }
                match (ty, r.is_nullable()) {
                    (A::Func | A::Extern, true) => {}
                    (A::Func | A::Extern, false) => {
                        require(f.function_references(), "function references required for non-nullable types", at)?
                    }
                    (A::NoFunc | A::NoExtern, _) => {
                        require(f.gc(), "heap types not supported without the gc feature", at)?
                    }
                    (A::Exn | A::NoExn, _) => require(
                        f.exceptions(),
                        "exception refs not supported without the exception handling feature",
                        at,
                    )?,
                    // The other heap types need GC: rejected below as unsupported.
                    _ => {}
                }
            }
            // Exact and shared types: rejected below as unsupported.
            _ => {}
        }
        RefType::from_wasmparser_with(r, &m.types, m.profile.gc()).map_err(|e| e.or_offset(at as usize))
    }

    /// The type `ref.func` of function `f` produces.
    fn ref_func_type(&mut self, m: &ModuleInfo, f: u32) -> RefType {
        if !self.features.function_references() {
            return RefType::FuncRef;
        }
        let ty = m.funcs[f as usize] as usize;
        let id = *self.type_ids[ty].get_or_insert_with(|| FuncTypeId::of(&m.types[ty]));
        RefType::new(false, HeapType::Concrete(id))
    }

    /// Pops an operand of type `expected` for the operator at `offset`.
    fn pop(&mut self, expected: ValType, offset: u64) -> Result<(), CompileError> {
        match self.stack.pop() {
            Some(t) if t == expected => Ok(()),
            Some(t) => Err(invalid(format!("type mismatch: expected {expected}, found {t}"), offset)),
            None => Err(invalid(format!("type mismatch: expected {expected} but nothing on stack"), offset)),
        }
    }

    /// Checks that `expr` is a constant expression of type `expected` (a subtype of it), by the
    /// rules of the validator under the module's features; functions it references are recorded.
    fn const_expr(
        &mut self,
        m: &ModuleInfo,
        expr: &wasmparser::ConstExpr<'_>,
        expected: ValType,
    ) -> Result<(), CompileError> {
        use wasmparser::Operator as O;
        let not_const =
            |op: &str, offset| invalid(format!("constant expression required: non-constant operator: {op}"), offset);
        if expected == ValType::I32 && super::const_expr::as_i32_const(expr).is_some() {
            return Ok(()); // the usual offset, without an operator reader
        }
        let features = self.features;
        self.stack.clear();
        let mut reader = expr.get_operators_reader();
        let end = loop {
            let offset = reader.original_position();
            let op = reader.read()?;
            let extended = |name: &str| {
                if features.extended_const() {
                    Ok(())
                } else {
                    Err(not_const(name, offset))
                }
            };
            let result = match op {
                O::I32Const { .. } => ValType::I32,
                O::I64Const { .. } => ValType::I64,
                O::F32Const { .. } => ValType::F32,
                O::F64Const { .. } => ValType::F64,
                O::V128Const { .. } => {
                    require(self.features.simd(), "SIMD support is not enabled", offset)?;
                    ValType::V128
                }
                O::RefNull { hty } => {
                    let r = wasmparser::RefType::new(true, hty)
                        .ok_or_else(|| invalid("type index too large for ref.null", offset))?;
                    ValType::Ref(self.ref_type(m, r, offset)?)
                }
                O::RefFunc { function_index: f } => {
                    require(self.features.reference_types(), "reference types support is not enabled", offset)?;
                    if f as usize >= m.funcs.len() {
                        return Err(invalid(format!("unknown function {f}: function index out of bounds"), offset));
                    }
                    self.info.reference(f);
                    ValType::Ref(self.ref_func_type(m, f))
                }
                O::GlobalGet { global_index: g } => {
                    let global = m
                        .globals
                        .get(g as usize)
                        .ok_or_else(|| invalid(format!("unknown global {g}: global index out of bounds"), offset))?;
                    if g >= m.num_imported_globals {
                        require(
                            self.features.gc(),
                            "constant expression required: global.get of locally defined global",
                            offset,
                        )?;
                    }
                    if global.mutable {
                        return Err(invalid("constant expression required: global.get of mutable global", offset));
                    }
                    global.content
                }
                O::I32Add | O::I32Sub | O::I32Mul => {
                    extended(match op {
                        O::I32Add => "i32.add",
                        O::I32Sub => "i32.sub",
                        _ => "i32.mul",
                    })?;
                    self.pop(ValType::I32, offset)?;
                    self.pop(ValType::I32, offset)?;
                    ValType::I32
                }
                O::I64Add | O::I64Sub | O::I64Mul => {
                    extended(match op {
                        O::I64Add => "i64.add",
                        O::I64Sub => "i64.sub",
                        _ => "i64.mul",
                    })?;
                    self.pop(ValType::I64, offset)?;
                    self.pop(ValType::I64, offset)?;
                    ValType::I64
                }
                O::End => break offset,
                other => return Err(not_const(&format!("{other:?}"), offset)),
            };
            self.stack.push(result);
        };
        match self.stack[..] {
            [t] if t.matches(&expected) => Ok(()),
            [t] => Err(invalid(format!("type mismatch: expected {expected}, found {t}"), end)),
            [] => Err(invalid(format!("type mismatch: expected {expected} but nothing on stack"), end)),
            _ => Err(invalid("type mismatch: values remaining on stack at end of block", end)),
        }
    }
}
