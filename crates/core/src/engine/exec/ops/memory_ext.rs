//! Handlers of memories beyond WebAssembly 2.0: multi-memory, memory64 and threads (atomics).

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
}
