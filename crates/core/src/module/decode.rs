//! Decoding and validating a binary module into [`ModuleInner`].
//!
//! One pass over the payloads: wasmparser's `Validator` checks each section before we read it,
//! and every function body is validated and translated together by [`crate::engine::translate`].

use wasmparser::{
    ElementItems, ElementKind, ExternalKind, KnownCustom, Name, Parser, Payload, TableInit, TypeRef, ValidPayload,
    Validator, WasmFeatures,
};

use super::{
    ConstExpr, DataMode, DataSegment, ElemMode, ElemSegment, ExportDesc, ExportIndex, ImportDesc, ModuleInner,
};
use crate::engine;
use crate::error::CompileError;
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, RefType, TableType};

/// The WebAssembly features this engine validates *and executes*. Anything else is rejected by
/// validation with a message naming the feature.
pub(crate) fn features() -> WasmFeatures {
    let mut f = WasmFeatures::WASM2;
    // SIMD: not executed yet.
    f.remove(WasmFeatures::SIMD);

    // Exception handling: tags, exnref, `throw`/`throw_ref`/`try_table`, and the legacy
    // `try`/`catch`/`catch_all`/`delegate`/`rethrow` (what Node 20's V8 runs).
    f.insert(WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS);

    // Multi-memory, memory64, threads, extended constants: not yet.

    // Tail calls, typed function references: not yet.

    f
}

/// Decodes and validates `bytes`, translating every function body.
pub(crate) fn decode(bytes: &[u8]) -> Result<ModuleInner, CompileError> {
    let mut validator = Validator::new_with_features(features());
    let mut m = ModuleInner {
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
        customs: Vec::new(),
        func_names: Vec::new(),
        code: Vec::new(),
    };
    let mut next_func = 0u32;
    // The reader must know the features too: with memory64 on (the default) it reads memory
    // limits as u64 LEBs and accepts overlong u32 encodings.
    let mut parser = Parser::new(0);
    parser.set_features(features());
    for payload in parser.parse_all(bytes) {
        let payload = payload?;
        let valid = validator.payload(&payload)?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => m.types.push(FuncType::from_wasmparser(f)?),
                            _ => return Err(CompileError::new("GC types are not supported", None)),
                        }
                    }
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
                            let t = TableType::from_wasmparser(&t)?;
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            ExternType::Table(t)
                        }
                        TypeRef::Memory(t) => {
                            let t = MemoryType::from_wasmparser(&t);
                            m.memories.push(t);
                            m.num_imported_memories += 1;
                            ExternType::Memory(t)
                        }
                        TypeRef::Global(t) => {
                            let t = GlobalType::from_wasmparser(&t)?;
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
                for table in reader {
                    let table = table?;
                    m.tables.push(TableType::from_wasmparser(&table.ty)?);
                    m.table_inits.push(match table.init {
                        TableInit::RefNull => None,
                        TableInit::Expr(e) => Some(ConstExpr::parse(&e)?),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    m.memories.push(MemoryType::from_wasmparser(&mem?));
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g?;
                    m.globals.push(GlobalType::from_wasmparser(&g.ty)?);
                    m.global_inits.push(ConstExpr::parse(&g.init_expr)?);
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
                for e in reader {
                    m.elems.push(elem_segment(e?)?);
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active { memory_index, offset_expr } => {
                            DataMode::Active { memory: memory_index, offset: ConstExpr::parse(&offset_expr)? }
                        }
                    };
                    m.datas.push(DataSegment { mode, bytes: d.data.into() });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let ValidPayload::Func(to_validate, _) = valid else {
                    return Err(CompileError::new("internal: code entry without a validator", None));
                };
                let func_index = m.num_imported_funcs + next_func;
                next_func += 1;
                let func_validator = to_validate.into_validator(Default::default());
                let code = engine::translate(&m, func_index, body, func_validator)
                    .map_err(|e| CompileError { func_index: Some(func_index), ..e })?;
                m.code.push(code);
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(names) = reader.as_known() {
                    read_func_names(names, &mut m.func_names);
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
    m.func_names.sort_by_key(|(i, _)| *i);
    m.func_names.dedup_by_key(|(i, _)| *i);
    Ok(m)
}

/// Converts one element segment.
fn elem_segment(e: wasmparser::Element<'_>) -> Result<ElemSegment, CompileError> {
    let mode = match e.kind {
        ElementKind::Passive => ElemMode::Passive,
        ElementKind::Declared => ElemMode::Declared,
        ElementKind::Active { table_index, offset_expr } => {
            ElemMode::Active { table: table_index.unwrap_or(0), offset: ConstExpr::parse(&offset_expr)? }
        }
    };
    let items = match e.items {
        ElementItems::Functions(funcs) => funcs
            .into_iter()
            .map(|f| f.map(|f| ConstExpr(vec![super::ConstOp::RefFunc(f)])))
            .collect::<Result<Vec<_>, _>>()?,
        ElementItems::Expressions(ty, exprs) => {
            RefType::from_wasmparser(ty)?; // rejects reference types beyond funcref/externref
            exprs.into_iter().map(|e| ConstExpr::parse(&e?)).collect::<Result<Vec<_>, CompileError>>()?
        }
    };
    Ok(ElemSegment { mode, items })
}

/// Collects function names from a "name" section; a malformed name section is ignored (custom
/// sections never make a module invalid).
fn read_func_names(names: wasmparser::NameSectionReader<'_>, out: &mut Vec<(u32, String)>) {
    for sub in names {
        let Ok(Name::Function(map)) = sub else { continue };
        for naming in map {
            match naming {
                Ok(n) => out.push((n.index, n.name.to_string())),
                Err(_) => break,
            }
        }
    }
}
