;; f32x4 matrix multiplication C = A x B of two n x n row-major f32 matrices (n a multiple of 4),
;; i-k-j order: each 4-wide block of a row of C accumulates f32x4.splat(A[i][k]) * B[k][j..j+4]
;; (f32x4.mul then f32x4.add, not fused).
;;   A[i][j] = ((3i + 7j) mod 17) * 0.25 - 2
;;   B[i][j] = ((5i + 11j) mod 13) * 0.5 - 3
;; Checksum: sum (wrapping i64) over C in row-major order of bits(C[idx]) * (idx mod 7 + 1), the
;; bits as an unsigned 32-bit integer.
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32) (local $bytes i32) (local $need i32)
    (local $pa i32) (local $pb i32) (local $acc v128) (local $total i64)
    (local.set $bytes (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 2)))
    (local.set $a (i32.const 0))
    (local.set $b (local.get $bytes))
    (local.set $c (i32.shl (local.get $bytes) (i32.const 1)))
    (local.set $need (i32.shr_u (i32.add (i32.mul (local.get $bytes) (i32.const 3)) (i32.const 65535))
                                (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (drop (memory.grow (i32.sub (local.get $need) (memory.size))))))
    ;; initialise A and B
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $k (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))
        (f32.store (i32.add (local.get $a) (local.get $k))
          (f32.sub (f32.mul (f32.convert_i32_u
                              (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 3))
                                                  (i32.mul (local.get $j) (i32.const 7)))
                                         (i32.const 17)))
                            (f32.const 0.25))
                   (f32.const 2)))
        (f32.store (i32.add (local.get $b) (local.get $k))
          (f32.sub (f32.mul (f32.convert_i32_u
                              (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 5))
                                                  (i32.mul (local.get $j) (i32.const 11)))
                                         (i32.const 13)))
                            (f32.const 0.5))
                   (f32.const 3)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; C = A x B, four columns at a time
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        ;; pa = &A[i][0], pb = &B[0][j]
        (local.set $pa (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $kdone (loop $kloop
          (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $acc (f32x4.add (local.get $acc)
                                     (f32x4.mul (f32x4.splat (f32.load (local.get $pa)))
                                                (v128.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
          (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $n) (i32.const 2))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kloop)))
        (v128.store (i32.add (local.get $c)
                             (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))
                    (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; weighted checksum of C's bits
    (local.set $k (i32.const 0))
    (local.set $need (i32.mul (local.get $n) (local.get $n)))
    (block $done (loop $sumloop
      (br_if $done (i32.ge_u (local.get $k) (local.get $need)))
      (local.set $total
        (i64.add (local.get $total)
                 (i64.mul (i64.load32_u (i32.add (local.get $c) (i32.shl (local.get $k) (i32.const 2))))
                          (i64.extend_i32_u (i32.add (i32.rem_u (local.get $k) (i32.const 7)) (i32.const 1))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $sumloop)))
    (local.get $total)))
