//! Decoding and validating a binary module into [`ModuleInfo`].
//!
//! One pass over the payloads: wasmparser's `Validator` checks each section before we read it;
//! the function bodies are collected ([`PendingBodies`]) for the engine, which validates them
//! (translation waits for each function's first call).

use std::sync::Arc;

use wasmparser::{
    ElementItems, ElementKind, ExternalKind, FuncToValidate, FunctionBody, KnownCustom, Parser, Payload, TableInit,
    TypeRef, ValidPayload, Validator, ValidatorResources,
};

use super::{
    ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, ElementInfo, ExportDesc, ExportIndex, ImportDesc,
    ModuleInfo, Profile,
};
use crate::error::{CompileError, CompileErrorKind};
use crate::types::{ExternType, FuncType, GcTypes, GlobalType, MemoryType, RefType, TableType};

/// The module header: the magic number `\0asm` and version 1.
const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// Checks the 8-byte module header, classifying its errors ([`CompileErrorKind::HeaderTruncated`],
/// [`CompileErrorKind::BadMagic`], [`CompileErrorKind::BadVersion`]) before wasmparser reads
/// it (whose messages for them are text only). A component's header is a bad version here.
pub(crate) fn check_header(bytes: &[u8]) -> Result<(), CompileError> {
    let field = |at: usize| -> Result<[u8; 4], CompileError> {
        match bytes.get(at..at + 4) {
            Some(b) => Ok([b[0], b[1], b[2], b[3]]),
            None => Err(CompileError::of_kind(CompileErrorKind::HeaderTruncated, "unexpected end-of-file", Some(at))),
        }
    };
    let magic = field(0)?;
    if magic != HEADER[..4] {
        return Err(CompileError::of_kind(CompileErrorKind::BadMagic { found: magic }, "bad magic number", Some(0)));
    }
    let version = field(4)?;
    if version != HEADER[4..] {
        let kind = CompileErrorKind::BadVersion { found: version };
        return Err(CompileError::of_kind(kind, "unknown binary version", Some(4)));
    }
    Ok(())
}

/// The function bodies of a code section, as the validator hands them out.
pub(crate) struct PendingBodies<'a> {
    /// The code section's contents and their offset in the module.
    pub(crate) section: Option<(&'a [u8], usize)>,
    /// Every body with what validates it, in order.
    pub(crate) bodies: Vec<(FuncToValidate<ValidatorResources>, FunctionBody<'a>)>,
    /// The element segments, when the validator did not see them (more than it accepts).
    pub(crate) elements: Option<Arc<ElementInfo>>,
}

/// Decodes and validates `bytes` with the features of `profile`, up to the function bodies,
/// which are returned unvalidated. GC types are rejected.
pub(crate) fn decode(bytes: &[u8], profile: Profile) -> Result<(ModuleInfo, PendingBodies<'_>), CompileError> {
    decode_with(bytes, profile, profile.gc())
}

/// [`decode`], with GC types read or rejected as `gc` says: [`GcTypes::Decode`] is the
/// core-internal switch (used by the core's tests only, never by a profile) under which the
/// type, import, table, global and element sections may hold GC types. Function bodies are
/// not looked at here; the engine still rejects GC in them.
pub(crate) fn decode_with(
    bytes: &[u8],
    profile: Profile,
    gc: GcTypes,
) -> Result<(ModuleInfo, PendingBodies<'_>), CompileError> {
    check_header(bytes)?;
    let features = profile.features();
    let mut validator = Validator::new_with_features(features);
    let mut m = ModuleInfo {
        types: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        num_imported_tables: 0,
        table_inits: Vec::new(),
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        global_inits: Vec::new(),
        tags: Vec::new(),
        num_imported_tags: 0,
        imports: Vec::new(),
        exports: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        data_bytes: Box::default(),
        customs: Vec::new(),
        func_names: Default::default(),
        module_name: None,
        hash: 0,
        profile,
        options: Default::default(),
    };
    let mut bodies = PendingBodies { section: None, bodies: Vec::new(), elements: None };
    // The reader must know the features too: with memory64 on (the default) it reads memory
    // limits as u64 LEBs and accepts overlong u32 encodings.
    let mut parser = Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        let payload = payload?;
        super::limits::check_section(&payload, profile)?;
        let valid = super::elements::validate_payload(&mut validator, &payload)?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader.into_iter_with_offsets() {
                    let (offset, group) = group?;
                    let offset = offset as usize;
                    let subs: Vec<&wasmparser::SubType> = group.types().collect();
                    if gc == GcTypes::Reject {
                        subs.iter().try_for_each(|sub| super::reject_gc::check_sub_type(sub, offset))?;
                    }
                    let group =
                        FuncType::rec_group_from_wasmparser(&subs, &m.types, gc).map_err(|e| e.or_offset(offset))?;
                    m.types.extend(group);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports_with_offsets() {
                    let (offset, import) = import?;
                    let ty = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ExternType::Func(m.types[t as usize].clone())
                        }
                        TypeRef::Table(t) => {
                            let t = TableType::from_wasmparser_with(&t, &m.types, gc)
                                .map_err(|e| e.or_offset(offset as usize))?;
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            ExternType::Table(t)
                        }
                        TypeRef::Memory(t) => {
                            let t = MemoryType::from_wasmparser(&t);
                            super::limits::check_memory(&t, offset as usize)?;
                            m.memories.push(t);
                            m.num_imported_memories += 1;
                            ExternType::Memory(t)
                        }
                        TypeRef::Global(t) => {
                            let t = GlobalType::from_wasmparser_with(&t, &m.types, gc)
                                .map_err(|e| e.or_offset(offset as usize))?;
                            m.globals.push(t);
                            m.num_imported_globals += 1;
                            ExternType::Global(t)
                        }
                        TypeRef::Tag(t) => {
                            let _ = offset;
                            m.tags.push(t.func_type_idx);
                            m.num_imported_tags += 1;
                            ExternType::Tag(m.types[t.func_type_idx as usize].clone())
                        }
                    };
                    m.imports.push(ImportDesc { module: import.module.to_string(), name: import.name.to_string(), ty });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    m.funcs.push(t?);
                }
            }
            Payload::TableSection(reader) => {
                let at = reader.range().start;
                for table in reader {
                    let table = table?;
                    m.tables.push(
                        TableType::from_wasmparser_with(&table.ty, &m.types, gc)
                            .map_err(|e| e.or_offset(at as usize))?,
                    );
                    m.table_inits.push(match table.init {
                        TableInit::RefNull => None,
                        TableInit::Expr(e) => Some(ConstExpr::parse(&e, &m.types)?),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                let at = reader.range().start;
                for mem in reader {
                    let t = MemoryType::from_wasmparser(&mem?);
                    super::limits::check_memory(&t, at as usize)?;
                    m.memories.push(t);
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader.into_iter_with_offsets() {
                    let (at, g) = g?;
                    m.globals.push(
                        GlobalType::from_wasmparser_with(&g.ty, &m.types, gc).map_err(|e| e.or_offset(at as usize))?,
                    );
                    m.global_inits.push(ConstExpr::parse(&g.init_expr, &m.types)?);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    let index = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExportIndex::Func(e.index),
                        ExternalKind::Table => ExportIndex::Table(e.index),
                        ExternalKind::Memory => ExportIndex::Memory(e.index),
                        ExternalKind::Global => ExportIndex::Global(e.index),
                        ExternalKind::Tag => ExportIndex::Tag(e.index),
                    };
                    m.exports.push(ExportDesc { name: e.name.to_string(), index });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(reader) => {
                // Beyond the validator's limit of segments: validated here (see `elements`).
                let mut checker = super::elements::Checker::for_section(&reader, &validator, &m);
                m.elems.reserve_exact(super::elements::capacity(&reader));
                for e in reader.into_iter_with_offsets() {
                    let (at, e) = e?;
                    if let Some(c) = &mut checker {
                        c.check(&m, &e, at)?;
                    }
                    if !profile.exnref() {
                        if let ElementItems::Expressions(ty, _) = &e.items {
                            super::profile::check_val_type(wasmparser::ValType::Ref(*ty), at as usize)?;
                        }
                    }
                    m.elems.push(elem_segment(e, &m.types, gc).map_err(|e| e.or_offset(at as usize))?);
                }
                bodies.elements = checker.map(|c| std::sync::Arc::new(c.finish()));
            }
            Payload::DataSection(reader) => {
                // The segments' bytes together take at most the section's size.
                let section = reader.range();
                let mut pool = Vec::with_capacity((section.end - section.start) as usize);
                m.datas.reserve_exact(reader.count() as usize);
                for d in reader {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active { memory_index: memory, offset_expr } => {
                            match super::const_expr::as_i32_const(&offset_expr) {
                                Some(offset) => DataMode::ActiveAt { memory, offset },
                                None => DataMode::Active {
                                    memory,
                                    offset: Box::new(ConstExpr::parse(&offset_expr, &m.types)?),
                                },
                            }
                        }
                    };
                    let start = pool.len() as u32;
                    pool.extend_from_slice(d.data);
                    m.datas.push(DataSegment { mode, bytes: start..pool.len() as u32 });
                }
                m.data_bytes = pool.into_boxed_slice();
            }
            Payload::CodeSectionStart { unchecked_range: range, .. } => {
                // The range is not checked against the input (the parser fails on the entries).
                let end = (range.end as usize).min(bytes.len());
                let start = (range.start as usize).min(end);
                bodies.section = Some((&bytes[start..end], start));
            }
            Payload::CodeSectionEntry(body) => {
                let ValidPayload::Func(to_validate, _) = valid else {
                    return Err(CompileError::new("internal: code entry without a validator", None));
                };
                bodies.bodies.push((to_validate, body));
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(names) = reader.as_known() {
                    if let Some(name) = super::names::module_name(names) {
                        m.module_name = Some(name);
                    }
                }
                m.customs.push((reader.name().to_string(), reader.data().into()));
            }
            Payload::TagSection(reader) => {
                for t in reader {
                    m.tags.push(t?.func_type_idx);
                }
            }
            _ => {}
        }
    }
    if !profile.exnref() {
        super::profile::check_module_types(&m)?;
    }
    super::profile::check_tables(&m, profile)?;
    super::profile::check_const_exprs(&m, profile)?;
    Ok((m, bodies))
}

/// Converts one element segment.
fn elem_segment(e: wasmparser::Element<'_>, types: &[FuncType], gc: GcTypes) -> Result<ElemSegment, CompileError> {
    let mode = match e.kind {
        ElementKind::Passive => ElemMode::Passive,
        ElementKind::Declared => ElemMode::Declared,
        ElementKind::Active { table_index, offset_expr } => {
            let table = table_index.unwrap_or(0);
            match super::const_expr::as_i32_const(&offset_expr) {
                Some(offset) => ElemMode::ActiveAt { table, offset },
                None => ElemMode::Active { table, offset: Box::new(ConstExpr::parse(&offset_expr, types)?) },
            }
        }
    };
    let items = match e.items {
        ElementItems::Functions(funcs) => funcs
            .into_iter()
            .map(|f| f.map(|f| ConstExpr(vec![super::ConstOp::RefFunc(f)])))
            .collect::<Result<_, _>>()?,
        ElementItems::Expressions(ty, exprs) => {
            RefType::from_wasmparser_with(ty, types, gc)?; // rejects GC reference types (`Reject`)
            exprs.into_iter().map(|e| ConstExpr::parse(&e?, types)).collect::<Result<_, CompileError>>()?
        }
    };
    Ok(ElemSegment { mode, items })
}
