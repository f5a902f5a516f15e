//! Helpers shared by the GC heap's integration tests (`gc_lazy_sweep`, `gc_incremental`).

#![allow(dead_code)]

use jitless_wasm_core::{FieldType, HeapType, RefType, StorageType, ValType};

/// A mutable field of `storage`.
pub fn field(storage: StorageType) -> FieldType {
    FieldType { storage, mutable: true }
}

/// The storage type `(ref null any)`.
pub fn anyref() -> StorageType {
    StorageType::Val(ValType::Ref(RefType::new(true, HeapType::Any)))
}

/// A tiny deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
