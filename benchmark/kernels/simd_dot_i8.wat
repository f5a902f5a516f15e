;; i8 dot products, as in quantised inference: n passes of y = W x for a 256 x 256 matrix W and a
;; 256-vector x of signed bytes. Per 16-byte chunk: i16x8.extend_{low,high}_i8x16_s of both,
;; i32x4.dot_i16x8_s, i32x4.add into the row's accumulator; the four lanes are summed at the end
;; of the row. After each pass x[k] = low byte of (y[k] >> 6) (arithmetic shift).
;;   W[r][k] = ((31r + 17k) mod 251) - 125,  x[k] = ((7k) mod 255) - 127  (as signed bytes)
;; Checksum: s = s * 31 + y[r] (wrapping i64, y[r] sign-extended) over every row of every pass.
(module
  (memory 2)
  ;; W at 0 (65536 bytes), x at 65536 (256 bytes), y at 65792 (256 i32)
  (func (export "run") (param $n i32) (result i64)
    (local $r i32) (local $k i32) (local $pass i32) (local $pw i32) (local $px i32)
    (local $w v128) (local $x v128) (local $acc v128) (local $y i32) (local $s i64)
    (local.set $r (i32.const 0))
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $r) (i32.const 65536)))
      ;; r = row * 256 + k
      (i32.store8 (local.get $r)
        (i32.sub (i32.rem_u (i32.add (i32.mul (i32.shr_u (local.get $r) (i32.const 8)) (i32.const 31))
                                     (i32.mul (i32.and (local.get $r) (i32.const 255)) (i32.const 17)))
                            (i32.const 251))
                 (i32.const 125)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $init)))
    (local.set $k (i32.const 0))
    (block $done (loop $initx
      (br_if $done (i32.ge_u (local.get $k) (i32.const 256)))
      (i32.store8 (i32.add (i32.const 65536) (local.get $k))
        (i32.sub (i32.rem_u (i32.mul (local.get $k) (i32.const 7)) (i32.const 255)) (i32.const 127)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $initx)))
    (block $pdone (loop $passes
      (br_if $pdone (i32.ge_u (local.get $pass) (local.get $n)))
      (local.set $r (i32.const 0))
      (local.set $pw (i32.const 0))
      (block $rdone (loop $rows
        (br_if $rdone (i32.ge_u (local.get $r) (i32.const 256)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $px (i32.const 65536))
        (block $kdone (loop $chunks
          (br_if $kdone (i32.ge_u (local.get $px) (i32.const 65792)))
          (local.set $w (v128.load (local.get $pw)))
          (local.set $x (v128.load (local.get $px)))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $w)) (i16x8.extend_low_i8x16_s (local.get $x)))))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $w)) (i16x8.extend_high_i8x16_s (local.get $x)))))
          (local.set $pw (i32.add (local.get $pw) (i32.const 16)))
          (local.set $px (i32.add (local.get $px) (i32.const 16)))
          (br $chunks)))
        (local.set $y (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
                               (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (i32.store (i32.add (i32.const 65792) (i32.shl (local.get $r) (i32.const 2))) (local.get $y))
        (local.set $s (i64.add (i64.mul (local.get $s) (i64.const 31)) (i64.extend_i32_s (local.get $y))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      ;; x[k] = y[k] >> 6
      (local.set $k (i32.const 0))
      (block $done (loop $newx
        (br_if $done (i32.ge_u (local.get $k) (i32.const 256)))
        (i32.store8 (i32.add (i32.const 65536) (local.get $k))
          (i32.shr_s (i32.load (i32.add (i32.const 65792) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 6)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $newx)))
      (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
      (br $passes)))
    (local.get $s)))
