//! Handlers of tail calls and typed function references (`return_call*`, `call_ref`, `br_on_null`, …).

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
}
