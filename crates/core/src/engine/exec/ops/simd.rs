//! Handlers of SIMD and relaxed SIMD (`v128` values in two consecutive cells).

super::handlers! {
    (ip, fp, mem, len, cx, acc, facc) lookup;
}
