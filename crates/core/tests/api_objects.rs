//! The embedder-facing objects on their own: `Memory`, `Table`, `Global`, limits and host refs.

use std::cell::Cell;
use std::rc::Rc;

use jitless_wasm_core::{
    Error, ExternRef, Global, GlobalType, Limits, Memory, MemoryType, RefType, Table, TableType, TrapCode, Val, ValType,
};

/// Bytes per wasm page.
const PAGE_SIZE: usize = 65_536;
/// The most pages a 32-bit memory may have.
const MAX_PAGES: u64 = 65_536;
/// The JS-API limit on table sizes.
const MAX_TABLE_SIZE: u64 = 10_000_000;

fn mem_ty(min: u64, max: Option<u64>) -> MemoryType {
    MemoryType { limits: Limits { min, max }, shared: false, memory64: false }
}

fn table_ty(element: RefType, min: u64, max: Option<u64>) -> TableType {
    TableType { element, limits: Limits { min, max }, table64: false }
}

fn is_trap(r: Result<(), Error>, code: TrapCode) -> bool {
    matches!(r, Err(Error::Trap(t)) if t.code == code)
}

#[test]
fn memory_starts_zeroed_with_min_pages() {
    let m = Memory::new(mem_ty(2, Some(5))).unwrap();
    assert_eq!(m.size_pages(), 2);
    assert_eq!(m.data_len(), 2 * PAGE_SIZE);
    let mut buf = [0xffu8; 8];
    m.read(2 * PAGE_SIZE as u64 - 8, &mut buf).unwrap();
    assert_eq!(buf, [0; 8]);
}

#[test]
fn memory_grow_returns_old_size_and_respects_max() {
    let m = Memory::new(mem_ty(1, Some(3))).unwrap();
    assert_eq!(m.grow(0), Some(1));
    assert_eq!(m.grow(2), Some(1));
    assert_eq!(m.size_pages(), 3);
    assert_eq!(m.ty().limits, Limits { min: 3, max: Some(3) });
    assert_eq!(m.grow(1), None);
    assert_eq!(m.size_pages(), 3, "a failed grow changes nothing");
}

#[test]
fn memory_without_max_grows_up_to_the_page_limit_only() {
    let m = Memory::new(mem_ty(0, None)).unwrap();
    assert_eq!(m.grow(MAX_PAGES + 1), None);
    assert_eq!(m.grow(u64::MAX), None);
    assert_eq!(m.grow(1), Some(0));
}

#[test]
fn memory_min_above_max_is_rejected() {
    assert!(Memory::new(mem_ty(3, Some(2))).is_err());
}

#[test]
fn memory_bounds_are_checked_exactly() {
    let m = Memory::new(mem_ty(1, None)).unwrap();
    let end = PAGE_SIZE as u64;
    m.write(end - 4, &[1, 2, 3, 4]).unwrap();
    assert!(is_trap(m.write(end - 3, &[1, 2, 3, 4]), TrapCode::MemOutOfBounds));
    let mut b = [0u8; 4];
    assert!(is_trap(m.read(end - 3, &mut b), TrapCode::MemOutOfBounds));
    assert!(is_trap(m.read(u64::MAX, &mut b), TrapCode::MemOutOfBounds));
    m.read(end, &mut []).unwrap();
    m.read(end - 4, &mut b).unwrap();
    assert_eq!(b, [1, 2, 3, 4]);
}

#[test]
fn memory_failed_write_writes_nothing() {
    let m = Memory::new(mem_ty(1, None)).unwrap();
    assert!(m.write(PAGE_SIZE as u64 - 2, &[7; 4]).is_err());
    let mut b = [9u8; 2];
    m.read(PAGE_SIZE as u64 - 2, &mut b).unwrap();
    assert_eq!(b, [0, 0]);
}

#[test]
fn memory_grow_hook_sees_the_new_size() {
    let m = Memory::new(mem_ty(1, Some(4))).unwrap();
    let seen = Rc::new(Cell::new(0u64));
    let s = seen.clone();
    m.set_grow_hook(Some(Rc::new(move |m: &Memory| s.set(m.size_pages()))));
    m.grow(2).unwrap();
    assert_eq!(seen.get(), 3);
    m.set_grow_hook(None);
    m.grow(1).unwrap();
    assert_eq!(seen.get(), 3);
}

#[test]
fn memory_handles_share_the_same_bytes() {
    let a = Memory::new(mem_ty(1, None)).unwrap();
    let b = a.clone();
    a.write(0, &[42]).unwrap();
    let mut x = [0u8];
    b.read(0, &mut x).unwrap();
    assert_eq!(x, [42]);
    assert!(Memory::ptr_eq(&a, &b));
    assert!(!Memory::ptr_eq(&a, &Memory::new(mem_ty(1, None)).unwrap()));
}

#[test]
fn table_new_fills_with_init() {
    let r = ExternRef::new(7u32);
    let t = Table::new(table_ty(RefType::ExternRef, 3, None), Val::ExternRef(Some(r.clone()))).unwrap();
    assert_eq!(t.size(), 3);
    assert_eq!(t.get(2), Some(Val::ExternRef(Some(r))));
    assert_eq!(t.get(3), None);
}

#[test]
fn table_init_value_must_match_the_element_type() {
    assert!(Table::new(table_ty(RefType::FuncRef, 1, None), Val::ExternRef(None)).is_err());
    assert!(Table::new(table_ty(RefType::FuncRef, 1, None), Val::I32(0)).is_err());
}

#[test]
fn table_size_limit() {
    assert!(Table::new(table_ty(RefType::FuncRef, MAX_TABLE_SIZE + 1, None), Val::FuncRef(None)).is_err());
    let t = Table::new(table_ty(RefType::FuncRef, 0, None), Val::FuncRef(None)).unwrap();
    assert_eq!(t.grow(MAX_TABLE_SIZE as u32 + 1, Val::FuncRef(None)), None);
}

#[test]
fn table_set_get_and_bounds() {
    let t = Table::new(table_ty(RefType::ExternRef, 2, None), Val::ExternRef(None)).unwrap();
    let r = ExternRef::new(1u32);
    t.set(1, Val::ExternRef(Some(r.clone()))).unwrap();
    assert_eq!(t.get(1), Some(Val::ExternRef(Some(r))));
    assert!(is_trap(t.set(2, Val::ExternRef(None)), TrapCode::TableOutOfBounds));
}

#[test]
fn table_grow_returns_old_size_and_respects_max() {
    let t = Table::new(table_ty(RefType::ExternRef, 1, Some(3)), Val::ExternRef(None)).unwrap();
    let r = ExternRef::new(5u32);
    assert_eq!(t.grow(2, Val::ExternRef(Some(r.clone()))), Some(1));
    assert_eq!(t.size(), 3);
    assert_eq!(t.get(0), Some(Val::ExternRef(None)));
    assert_eq!(t.get(2), Some(Val::ExternRef(Some(r))));
    assert_eq!(t.grow(1, Val::ExternRef(None)), None);
    assert_eq!(t.ty().limits, Limits { min: 3, max: Some(3) });
}

#[test]
fn table_fill_and_copy_check_bounds_before_writing() {
    let t = Table::new(table_ty(RefType::ExternRef, 4, None), Val::ExternRef(None)).unwrap();
    let r = ExternRef::new(9u32);
    assert!(is_trap(t.fill(2, Val::ExternRef(Some(r.clone())), 3), TrapCode::TableOutOfBounds));
    assert_eq!(t.get(2), Some(Val::ExternRef(None)), "nothing written on a trap");
    t.fill(1, Val::ExternRef(Some(r.clone())), 2).unwrap();
    assert_eq!(t.get(2), Some(Val::ExternRef(Some(r.clone()))));
    // Overlapping copy within one table.
    t.copy(2, &t, 1, 2).unwrap();
    assert_eq!(t.get(3), Some(Val::ExternRef(Some(r))));
    assert!(is_trap(t.copy(3, &t, 0, 2), TrapCode::TableOutOfBounds));
    assert!(is_trap(t.copy(0, &t, 3, 2), TrapCode::TableOutOfBounds));
}

#[test]
fn global_checks_value_types() {
    let ty = GlobalType { content: ValType::I64, mutable: true };
    assert!(Global::new(ty, Val::I32(1)).is_err());
    let g = Global::new(ty, Val::I64(1)).unwrap();
    assert_eq!(g.ty(), ty);
    g.set(Val::I64(-5)).unwrap();
    assert_eq!(g.get(), Val::I64(-5));
    assert!(g.set(Val::F64(0)).is_err());
    assert_eq!(g.get(), Val::I64(-5));
}

#[test]
fn global_float_bits_survive() {
    let ty = GlobalType { content: ValType::F32, mutable: false };
    let nan = 0x7fa0_0001u32; // a signalling NaN with a payload
    let g = Global::new(ty, Val::F32(nan)).unwrap();
    assert_eq!(g.get(), Val::F32(nan));
}

#[test]
fn global_handles_share_the_value() {
    let g = Global::new(GlobalType { content: ValType::EXTERNREF, mutable: true }, Val::ExternRef(None)).unwrap();
    let h = g.clone();
    let r = ExternRef::new("host");
    h.set(Val::ExternRef(Some(r.clone()))).unwrap();
    assert_eq!(g.get(), Val::ExternRef(Some(r)));
    assert!(Global::ptr_eq(&g, &h));
    assert_eq!(g.addr(), h.addr());
}

#[test]
fn extern_ref_identity_is_by_pointer() {
    let a = ExternRef::new(1u32);
    let b = ExternRef::new(1u32);
    assert_eq!(a, a.clone());
    assert_ne!(a, b);
    assert_eq!(a.data().downcast_ref::<u32>(), Some(&1));
}

#[test]
fn limits_subtyping() {
    let l = |min, max| Limits { min, max };
    assert!(l(2, Some(4)).matches(&l(1, Some(5))));
    assert!(l(2, None).matches(&l(2, None)));
    assert!(!l(1, None).matches(&l(2, None)));
    assert!(!l(2, None).matches(&l(1, Some(5))));
    assert!(!l(2, Some(6)).matches(&l(1, Some(5))));
    assert!(l(2, Some(6)).matches(&l(1, None)));
}
