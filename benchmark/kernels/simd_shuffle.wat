;; Byte shuffles as in codecs: n passes of hex-encoding a 16 KiB buffer with i8x16.swizzle table
;; lookups and i8x16.shuffle interleaving, each pass feeding the next. Per 16-byte chunk v:
;;   hi = v >>u 4, lo = v & 15; th = T[hi], tl = T[lo] (T = "0123456789abcdef", i8x16.swizzle)
;;   o0 = th[0] tl[0] th[1] tl[1] … th[7] tl[7], o1 = the same for bytes 8..15 (i8x16.shuffle);
;;   out[32c .. 32c+32] = o0 o1; then v'[i] = (v[i] + o0[15 - i]) xor o1[i] replaces v.
;;   in[i] = (131 i + (i >> 8)) & 255
;; Checksum: h = (h xor w) * 0x100000001b3 (wrapping i64) over the 8-byte little-endian words of
;; the 32 KiB output, then of the 16 KiB input, starting from h = 0xcbf29ce484222325.
(module
  (memory 1)
  ;; in at 0 (16384 bytes), out at 16384 (32768 bytes)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $pass i32) (local $v v128) (local $th v128) (local $tl v128)
    (local $o0 v128) (local $o1 v128) (local $h i64)
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $i) (i32.const 16384)))
      (i32.store8 (local.get $i) (i32.add (i32.mul (local.get $i) (i32.const 131)) (i32.shr_u (local.get $i) (i32.const 8))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $init)))
    (block $pdone (loop $passes
      (br_if $pdone (i32.ge_u (local.get $pass) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $cdone (loop $chunks
        (br_if $cdone (i32.ge_u (local.get $i) (i32.const 16384)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $th (i8x16.swizzle (v128.const i8x16 48 49 50 51 52 53 54 55 56 57 97 98 99 100 101 102)
                                      (i8x16.shr_u (local.get $v) (i32.const 4))))
        (local.set $tl (i8x16.swizzle (v128.const i8x16 48 49 50 51 52 53 54 55 56 57 97 98 99 100 101 102)
                                      (v128.and (local.get $v) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))))
        (local.set $o0 (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $th) (local.get $tl)))
        (local.set $o1 (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $th) (local.get $tl)))
        (v128.store (i32.add (i32.const 16384) (i32.shl (local.get $i) (i32.const 1))) (local.get $o0))
        (v128.store offset=16 (i32.add (i32.const 16384) (i32.shl (local.get $i) (i32.const 1))) (local.get $o1))
        (v128.store (local.get $i)
          (v128.xor (i8x16.add (local.get $v)
                               (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $o0) (local.get $o0)))
                    (local.get $o1)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $chunks)))
      (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
      (br $passes)))
    (local.set $h (i64.const 0xcbf29ce484222325))
    (local.set $i (i32.const 16384))
    (block $done (loop $fold_out
      (br_if $done (i32.ge_u (local.get $i) (i32.const 49152)))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 0x100000001b3)))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $fold_out)))
    (local.set $i (i32.const 0))
    (block $done (loop $fold_in
      (br_if $done (i32.ge_u (local.get $i) (i32.const 16384)))
      (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load (local.get $i))) (i64.const 0x100000001b3)))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $fold_in)))
    (local.get $h)))
