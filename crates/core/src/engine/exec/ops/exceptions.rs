//! Handlers of exception handling: tags, `throw`, `throw_ref`, `try_table` and the legacy `try`/`catch`/`delegate`/`rethrow`.

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
}
