;; f64 matrix multiplication C = A x B of two n x n row-major matrices (naive i-j-k order,
;; f64.load / f64.mul / f64.add in the inner loop).
;;   A[i][j] = ((3i + 7j) mod 17) * 0.1 - 0.8
;;   B[i][j] = ((5i + 11j) mod 13) * 0.3 - 1.7
;;   C[i][j] = sum over k = 0..n-1, in order, of A[i][k] * B[k][j]
;; Checksum: total = sum in row-major order of C[i][j] * ((i*n + j) mod 7 + 1), returned
;; as the bit pattern of the f64 (i64.reinterpret_f64).
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32)   ;; base addresses
    (local $pa i32) (local $pb i32) (local $row i32) (local $need i32)
    (local $sum f64) (local $total f64)
    (local.set $a (i32.const 0))
    (local.set $b (i32.mul (i32.mul (local.get $n) (local.get $n)) (i32.const 8)))
    (local.set $c (i32.mul (local.get $b) (i32.const 2)))
    (local.set $need (i32.shr_u (i32.add (i32.mul (local.get $b) (i32.const 3)) (i32.const 65535))
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
        (local.set $row (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j))
                                 (i32.const 3)))
        (f64.store (i32.add (local.get $a) (local.get $row))
          (f64.sub
            (f64.mul
              (f64.convert_i32_u
                (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 3))
                                    (i32.mul (local.get $j) (i32.const 7)))
                           (i32.const 17)))
              (f64.const 0.1))
            (f64.const 0.8)))
        (f64.store (i32.add (local.get $b) (local.get $row))
          (f64.sub
            (f64.mul
              (f64.convert_i32_u
                (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 5))
                                    (i32.mul (local.get $j) (i32.const 11)))
                           (i32.const 13)))
              (f64.const 0.3))
            (f64.const 1.7)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; C = A x B
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $sum (f64.const 0))
        ;; pa = &A[i][0], pb = &B[0][j]
        (local.set $pa (i32.add (local.get $a)
                                (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $k (i32.const 0))
        (block $kdone (loop $kloop
          (br_if $kdone (i32.ge_u (local.get $k) (local.get $n)))
          (local.set $sum (f64.add (local.get $sum)
                                   (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $n) (i32.const 3))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kloop)))
        (f64.store (i32.add (local.get $c)
                            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j))
                                     (i32.const 3)))
                   (local.get $sum))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; weighted checksum of C
    (local.set $k (i32.const 0))
    (local.set $need (i32.mul (local.get $n) (local.get $n)))
    (block $done (loop $sumloop
      (br_if $done (i32.ge_u (local.get $k) (local.get $need)))
      (local.set $total
        (f64.add (local.get $total)
                 (f64.mul (f64.load (i32.add (local.get $c) (i32.shl (local.get $k) (i32.const 3))))
                          (f64.convert_i32_u (i32.add (i32.rem_u (local.get $k) (i32.const 7))
                                                      (i32.const 1))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $sumloop)))
    (i64.reinterpret_f64 (local.get $total))))
