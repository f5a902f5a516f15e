//! binding (stub)
