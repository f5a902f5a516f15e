//! What the runner needs to know about a generated module, read back from its bytes with
//! wasmparser: each import's type (so that the runner can provide it identically on both
//! engines) and each export's type (so that calls get arguments of the right types).
//!
//! Reference types are named as the JS API names them where it can (`anyfunc`, `externref`,
//! `anyref`, `eqref`, `i31ref`, `structref`, `arrayref`, `nullref`, `nullfuncref`,
//! `nullexternref`, `exnref`, `nullexnref`); others are written `(ref T)` / `(ref null T)`
//! with `T` an abstract heap type or a type index, which the runner cannot make values of.

use wasmparser::{
    AbstractHeapType, CompositeInnerType, ExternalKind, FuncType, HeapType, Operator, Parser, Payload, RefType,
    TypeRef, ValType,
};

/// The type of an import or export, in the runner's terms.
#[derive(Clone, Debug)]
pub enum Item {
    /// A function with these parameter and result types (JS-API type names).
    Func { params: Vec<String>, results: Vec<String> },
    /// A memory of `initial` pages, at most `maximum`; `memory64`: indexed by i64.
    Memory { initial: u64, maximum: Option<u64>, shared: bool, memory64: bool },
    /// A table of `element` type (`"anyfunc"`, `"externref"`, `"anyref"`, ...); `table64`:
    /// indexed by i64.
    Table { element: String, initial: u64, maximum: Option<u64>, table64: bool },
    /// A global of `value` type.
    Global { value: String, mutable: bool },
    /// A tag whose exceptions carry `params`.
    Tag { params: Vec<String> },
    /// Anything else (the runner cannot provide it).
    Other,
}

/// An import: `module`.`name` of type `item`.
pub struct Import {
    pub module: String,
    pub name: String,
    pub item: Item,
}

/// A module's imports, exports and whether it may block forever in `memory.atomic.wait`.
pub struct Description {
    pub imports: Vec<Import>,
    pub exports: Vec<(String, Item)>,
    /// A shared memory and a wait instruction: a call could wait with no one to notify it.
    pub may_wait: bool,
}

/// The JS-API name of a value type.
pub fn val_name(t: ValType) -> String {
    match t {
        ValType::I32 => "i32".into(),
        ValType::I64 => "i64".into(),
        ValType::F32 => "f32".into(),
        ValType::F64 => "f64".into(),
        ValType::V128 => "v128".into(),
        ValType::Ref(r) => ref_name(r),
    }
}

/// The name of a reference type: its JS-API name if it has one (nullable abstract types),
/// else `(ref T)` or `(ref null T)`.
fn ref_name(r: RefType) -> String {
    let heap = match r.heap_type() {
        HeapType::Abstract { shared: false, ty } => abstract_name(ty).to_string(),
        HeapType::Abstract { shared: true, ty } => format!("(shared {})", abstract_name(ty)),
        HeapType::Concrete(i) | HeapType::Exact(i) => match i.as_module_index() {
            Some(n) => n.to_string(),
            None => "?".into(),
        },
    };
    if !r.is_nullable() {
        return format!("(ref {heap})");
    }
    match heap.as_str() {
        "func" => "anyfunc".into(),
        "extern" | "any" | "eq" | "i31" | "struct" | "array" | "exn" => format!("{heap}ref"),
        "none" => "nullref".into(),
        "nofunc" => "nullfuncref".into(),
        "noextern" => "nullexternref".into(),
        "noexn" => "nullexnref".into(),
        _ => format!("(ref null {heap})"),
    }
}

/// The text-format name of an abstract heap type (non-nullable spelling).
fn abstract_name(ty: AbstractHeapType) -> &'static str {
    match ty {
        AbstractHeapType::Func => "func",
        AbstractHeapType::Extern => "extern",
        AbstractHeapType::Any => "any",
        AbstractHeapType::None => "none",
        AbstractHeapType::NoExtern => "noextern",
        AbstractHeapType::NoFunc => "nofunc",
        AbstractHeapType::Eq => "eq",
        AbstractHeapType::Struct => "struct",
        AbstractHeapType::Array => "array",
        AbstractHeapType::I31 => "i31",
        AbstractHeapType::Exn => "exn",
        AbstractHeapType::NoExn => "noexn",
        AbstractHeapType::Cont => "cont",
        AbstractHeapType::NoCont => "nocont",
    }
}

fn func_item(t: &FuncType) -> Item {
    Item::Func {
        params: t.params().iter().map(|&v| val_name(v)).collect(),
        results: t.results().iter().map(|&v| val_name(v)).collect(),
    }
}

/// Reads the description of a valid module.
pub fn describe(bytes: &[u8]) -> wasmparser::Result<Description> {
    let mut types: Vec<Option<FuncType>> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut tables = Vec::new();
    let mut memories = Vec::new();
    let mut globals = Vec::new();
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    let mut waits = false;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => {
                for group in r {
                    for sub in group?.into_types() {
                        types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(r) => {
                for import in r.into_imports() {
                    let import = import?;
                    let item = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            funcs.push(t);
                            type_item(&types, t)
                        }
                        TypeRef::Table(t) => {
                            tables.push(t);
                            table_item(&t)
                        }
                        TypeRef::Memory(m) => {
                            memories.push(m);
                            memory_item(&m)
                        }
                        TypeRef::Global(g) => {
                            globals.push(g);
                            Item::Global { value: val_name(g.content_type), mutable: g.mutable }
                        }
                        TypeRef::Tag(t) => match type_item(&types, t.func_type_idx) {
                            Item::Func { params, .. } => Item::Tag { params },
                            _ => Item::Other,
                        },
                    };
                    imports.push(Import { module: import.module.to_string(), name: import.name.to_string(), item });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    tables.push(t?.ty);
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    memories.push(m?);
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    globals.push(g?.ty);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    let i = e.index as usize;
                    let item = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => type_item(&types, funcs[i]),
                        ExternalKind::Table => table_item(&tables[i]),
                        ExternalKind::Memory => memory_item(&memories[i]),
                        ExternalKind::Global => {
                            Item::Global { value: val_name(globals[i].content_type), mutable: globals[i].mutable }
                        }
                        ExternalKind::Tag => Item::Other,
                    };
                    exports.push((e.name.to_string(), item));
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut ops = body.get_operators_reader()?;
                while !ops.eof() {
                    if matches!(ops.read()?, Operator::MemoryAtomicWait32 { .. } | Operator::MemoryAtomicWait64 { .. })
                    {
                        waits = true;
                    }
                }
            }
            _ => {}
        }
    }
    let may_wait = waits && memories.iter().any(|m| m.shared);
    Ok(Description { imports, exports, may_wait })
}

fn type_item(types: &[Option<FuncType>], t: u32) -> Item {
    match types.get(t as usize) {
        Some(Some(f)) => func_item(f),
        _ => Item::Other,
    }
}

fn table_item(t: &wasmparser::TableType) -> Item {
    Item::Table { element: ref_name(t.element_type), initial: t.initial, maximum: t.maximum, table64: t.table64 }
}

fn memory_item(m: &wasmparser::MemoryType) -> Item {
    Item::Memory { initial: m.initial, maximum: m.maximum, shared: m.shared, memory64: m.memory64 }
}
