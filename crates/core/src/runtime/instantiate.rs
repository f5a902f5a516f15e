//! Instantiation: linking imports, creating the defined objects, applying segments, start.
//!
//! Follows the core spec's `instantiate` (2.0): match imports; allocate tables, memories and
//! globals; evaluate element segments; apply active element segments, then active data
//! segments, each with `table.init`/`memory.init` semantics (a trap leaves the earlier segments
//! applied, which is visible through imported tables and memories); run the start function.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::limiter::{Charge, LimitKind};
use crate::engine::Module;
use crate::error::{DataSegmentFault, ImportMismatch, ImportRef, LimitsOf, LinkError, Trap, TrapCode, TrapOrigin};
use crate::module::{DataMode, ElemMode};
use crate::runtime::Error;
use crate::runtime::Val;
use crate::runtime::{Extern, Global, Instance, InstanceInner, Memory, Table, Tag};
use crate::types::{ExternType, Limits};

/// See [`Instance::new`].
pub(crate) fn instantiate(
    module: &Module,
    imports: &[Extern],
    ns_limits: Option<&Rc<super::NamespaceLimits>>,
) -> Result<Instance, Error> {
    let m = &*module.0;
    if m.options.namespace != ns_limits.map_or(0, |l| l.id()) {
        return Err(crate::error::CompileError::new(
            "the module was compiled for another WebAssembly namespace (jitless-wasm/limits)".to_string(),
            None,
        )
        .into());
    }
    let charge = match ns_limits {
        Some(l) => Some(Charge::take(l, LimitKind::Instances, 1)?),
        None => None,
    };
    super::cycles::maybe_collect();
    if imports.len() != m.imports.len() {
        return Err(LinkError::ImportCount { expected: m.imports.len(), actual: imports.len() }.into());
    }
    let mut imported_funcs = Vec::with_capacity(m.num_imported_funcs as usize);
    let mut tables = Vec::with_capacity(m.tables.len());
    let mut memories = Vec::with_capacity(m.memories.len());
    let mut globals = Vec::with_capacity(m.globals.len());
    let mut tags = Vec::with_capacity(m.tags.len());
    // 1. Match every import against its declared type.
    for (i, (desc, ext)) in m.imports.iter().zip(imports).enumerate() {
        let mismatch = |reason: ImportMismatch| -> Error {
            let import = ImportRef { index: i as u32, module: desc.module.clone(), name: desc.name.clone() };
            LinkError::Import { import, reason }.into()
        };
        match (&desc.ty, ext) {
            (ExternType::Func(expected), Extern::Func(f)) => {
                let actual = f.ty();
                if !actual.matches(expected) {
                    return Err(mismatch(ImportMismatch::FuncType {
                        expected: expected.clone(),
                        actual: actual.clone(),
                    }));
                }
                imported_funcs.push(f.clone());
            }
            (ExternType::Table(expected), Extern::Table(t)) => {
                let actual = t.ty();
                if actual.element != expected.element || actual.table64 != expected.table64 {
                    return Err(mismatch(ImportMismatch::TableType { expected: *expected, actual }));
                }
                if !actual.limits.matches(&expected.limits) {
                    return Err(mismatch(limits(LimitsOf::Table, expected.limits, actual.limits)));
                }
                tables.push(t.clone());
            }
            (ExternType::Memory(expected), Extern::Memory(mem)) => {
                let actual = mem.ty();
                if actual.shared != expected.shared {
                    return Err(mismatch(ImportMismatch::MemoryShared {
                        expected: expected.shared,
                        actual: actual.shared,
                    }));
                }
                if actual.memory64 != expected.memory64 {
                    return Err(mismatch(ImportMismatch::MemoryType { expected: *expected, actual }));
                }
                if !actual.limits.matches(&expected.limits) {
                    return Err(mismatch(limits(LimitsOf::Memory, expected.limits, actual.limits)));
                }
                memories.push(mem.clone());
            }
            (ExternType::Global(expected), Extern::Global(g)) => {
                if !g.ty().matches(expected) {
                    return Err(mismatch(ImportMismatch::GlobalType { expected: *expected, actual: g.ty() }));
                }
                globals.push(g.clone());
            }
            (ExternType::Tag(expected), Extern::Tag(t)) => {
                if t.ty() != expected {
                    return Err(mismatch(ImportMismatch::TagType {
                        expected: expected.clone(),
                        actual: t.ty().clone(),
                    }));
                }
                tags.push(t.clone());
            }
            (expected, _) => return Err(mismatch(ImportMismatch::Kind { expected: expected.clone() })),
        }
    }
    // 2. Allocate the defined tables and memories; globals get their values in step 3.
    for ty in &m.tables[m.num_imported_tables as usize..] {
        let t = Table::alloc(*ty, Val::null(ty.element))?;
        if let Some(l) = ns_limits {
            t.set_limits(l)?;
        }
        tables.push(t);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        // A memory that cannot be allocated (address space, mappings, or a size beyond what
        // this engine supports) is V8's "out of memory" RangeError, not a LinkError.
        let mem = Memory::new(*ty)?;
        if let Some(l) = ns_limits {
            mem.set_limits(l)?;
        }
        memories.push(mem);
    }
    for ty in &m.globals[m.num_imported_globals as usize..] {
        globals.push(Global::alloc(*ty, Val::default_for(ty.content)));
    }
    for &ty in &m.tags[m.num_imported_tags as usize..] {
        tags.push(Tag::new(m.types[ty as usize].clone()));
    }
    let instance = Instance(Rc::new(InstanceInner {
        module: module.clone(),
        imported_funcs,
        tables,
        memories,
        globals,
        tags,
        elems: RefCell::new(Vec::new()),
        data_dropped: (0..m.datas.len()).map(|_| Cell::new(false)).collect(),
        limits: ns_limits.cloned(),
        _charge: charge,
        embedder: super::EmbedderSlot::new(),
    }));
    super::cycles::register_instance(&instance.0);
    let inst = &*instance.0;
    let eval = |e: &crate::module::ConstExpr| {
        e.eval(
            |g| inst.globals[g as usize].get(),
            |f| Val::FuncRef(Some(instance.func(f))),
            |a, args| super::gc::values::alloc_const(a, args, m.profile),
        )
        .map_err(|code| Error::Trap(Trap { origin: TrapOrigin::ConstExpr, ..Trap::from(code) }))
    };
    // 3. Defined globals, in order (an initialiser may read earlier globals).
    for (k, init) in m.global_inits.iter().enumerate() {
        let g = &inst.globals[m.num_imported_globals as usize + k];
        g.set(eval(init)?)?;
    }
    for (k, init) in m.table_inits.iter().enumerate() {
        if let Some(init) = init {
            let t = &inst.tables[m.num_imported_tables as usize + k];
            t.fill(0, eval(init)?, t.size())?;
        }
    }
    // 4. Evaluate the element segments: the passive ones are kept; 5. the active ones are
    // written to their tables (then dropped, as the declared ones). Constant expressions have no
    // effects, so each active segment is evaluated just before it is written.
    let empty: Rc<[Val]> = Rc::from(Vec::new());
    *inst.elems.borrow_mut() = vec![empty; m.elems.len()];
    for (k, seg) in m.elems.iter().enumerate() {
        let (table, offset) = match &seg.mode {
            ElemMode::ActiveAt { table, offset } => (table, *offset as u32 as u64),
            ElemMode::Active { table, offset } => {
                // An i32 offset, or an i64 one for a 64-bit table (`table64`).
                let offset = match eval(offset)? {
                    Val::I32(v) => v as u32 as u64,
                    Val::I64(v) => v as u64,
                    _ => unreachable!("validated offset"),
                };
                (table, offset)
            }
            ElemMode::Passive => {
                inst.elems.borrow_mut()[k] = seg.items.iter().map(eval).collect::<Result<_, _>>()?;
                continue;
            }
            ElemMode::Declared => continue,
        };
        let items: Vec<Val> = seg.items.iter().map(eval).collect::<Result<_, _>>()?;
        let table = &inst.tables[*table as usize];
        if offset.checked_add(items.len() as u64).is_none_or(|end| end > table.size() as u64) {
            return Err(segment_trap(TrapCode::TableOutOfBounds, TrapOrigin::ElementSegment(k as u32)));
        }
        table.write_slice(offset as u32, items)?;
    }
    // 6. Active data segments (then dropped).
    for (k, seg) in m.datas.iter().enumerate() {
        let (memory, offset) = match &seg.mode {
            DataMode::ActiveAt { memory, offset } => (*memory, *offset as u32 as u64),
            DataMode::Active { memory, offset } => match eval(offset)? {
                Val::I32(v) => (*memory, v as u32 as u64),
                Val::I64(v) => (*memory, v as u64),
                _ => unreachable!("validated offset"),
            },
            DataMode::Passive => continue,
        };
        let bytes = m.data_segment(k);
        let mem = &inst.memories[memory as usize];
        if mem.check(offset, bytes.len() as u64).is_err() {
            let origin = TrapOrigin::DataSegment(Box::new(DataSegmentFault {
                index: k as u32,
                offset,
                length: bytes.len() as u64,
                memory_size: mem.data_len() as u64,
            }));
            return Err(segment_trap(TrapCode::DataSegmentOutOfBounds, origin));
        }
        mem.write(offset, bytes)?;
        inst.data_dropped[k].set(true);
    }
    // 7. The start function.
    if let Some(start) = m.start {
        let mut results = Vec::new();
        instance.func(start).call(&[], &mut results).map_err(|e| match e {
            Error::Trap(t) => Error::Trap(Trap { origin: TrapOrigin::StartFunction, ..t }),
            other => other,
        })?;
    }
    Ok(instance)
}

/// The limits mismatch of an import (`actual` does not match `expected`).
fn limits(of: LimitsOf, expected: Limits, actual: Limits) -> ImportMismatch {
    ImportMismatch::Limits { of, expected, actual }
}

/// A trap of writing a segment at instantiation.
fn segment_trap(code: TrapCode, origin: TrapOrigin) -> Error {
    Error::Trap(Trap { origin, ..Trap::from(code) })
}
