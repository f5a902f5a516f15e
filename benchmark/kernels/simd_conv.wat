;; f32x4 3x3 convolution (a binomial blur, weights 1 2 1 / 2 4 2 / 1 2 1 over 16) of a 130 x 130
;; f32 image, n passes ping-ponging between two buffers; the 1-pixel border is never written.
;; Each output vector (4 pixels of a row) is acc = sum over dy = -1..1, then dx = -1..1, of
;; in[y+dy][x+dx .. x+dx+4] * w(dy,dx), in that order (f32x4.mul then f32x4.add; unaligned loads).
;;   img[y][x] = ((7x + 13y) mod 29) * 0.5
;; Checksum: sum (wrapping i64) over the final image, row-major, of bits(p) * (idx mod 7 + 1).
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i64)
    (local $x i32) (local $y i32) (local $idx i32) (local $pass i32)
    (local $src i32) (local $dst i32) (local $t i32) (local $p i32)
    (local $acc v128) (local $total i64)
    ;; two buffers of 130 * 130 * 4 = 67600 bytes: need 3 pages
    (if (i32.lt_u (memory.size) (i32.const 3)) (then (drop (memory.grow (i32.sub (i32.const 3) (memory.size))))))
    (local.set $src (i32.const 0))
    (local.set $dst (i32.const 67600))
    ;; initialise both buffers
    (local.set $idx (i32.const 0))
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $idx) (i32.const 16900)))
      (local.set $x (i32.rem_u (local.get $idx) (i32.const 130)))
      (local.set $y (i32.div_u (local.get $idx) (i32.const 130)))
      (f32.store (i32.shl (local.get $idx) (i32.const 2))
        (f32.mul (f32.convert_i32_u (i32.rem_u (i32.add (i32.mul (local.get $x) (i32.const 7))
                                                        (i32.mul (local.get $y) (i32.const 13)))
                                               (i32.const 29)))
                 (f32.const 0.5)))
      (f32.store (i32.add (i32.const 67600) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.load (i32.shl (local.get $idx) (i32.const 2))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $init)))
    (block $pdone (loop $passes
      (br_if $pdone (i32.ge_u (local.get $pass) (local.get $n)))
      (local.set $y (i32.const 1))
      (block $ydone (loop $rows
        (br_if $ydone (i32.ge_u (local.get $y) (i32.const 129)))
        (local.set $x (i32.const 1))
        (block $xdone (loop $cols
          (br_if $xdone (i32.ge_u (local.get $x) (i32.const 129)))
          ;; p = &src[y-1][x-1]
          (local.set $p (i32.add (local.get $src)
                                 (i32.shl (i32.add (i32.mul (i32.sub (local.get $y) (i32.const 1)) (i32.const 130))
                                                   (i32.sub (local.get $x) (i32.const 1)))
                                          (i32.const 2))))
          (local.set $acc (f32x4.mul (v128.load (local.get $p)) (v128.const f32x4 0.0625 0.0625 0.0625 0.0625)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=4 (local.get $p)) (v128.const f32x4 0.125 0.125 0.125 0.125))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=8 (local.get $p)) (v128.const f32x4 0.0625 0.0625 0.0625 0.0625))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=520 (local.get $p)) (v128.const f32x4 0.125 0.125 0.125 0.125))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=524 (local.get $p)) (v128.const f32x4 0.25 0.25 0.25 0.25))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=528 (local.get $p)) (v128.const f32x4 0.125 0.125 0.125 0.125))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=1040 (local.get $p)) (v128.const f32x4 0.0625 0.0625 0.0625 0.0625))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=1044 (local.get $p)) (v128.const f32x4 0.125 0.125 0.125 0.125))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=1048 (local.get $p)) (v128.const f32x4 0.0625 0.0625 0.0625 0.0625))))
          ;; dst[y][x] = acc
          (v128.store (i32.add (local.get $dst)
                               (i32.shl (i32.add (i32.mul (local.get $y) (i32.const 130)) (local.get $x)) (i32.const 2)))
                      (local.get $acc))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
      (local.set $t (local.get $src)) (local.set $src (local.get $dst)) (local.set $dst (local.get $t))
      (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
      (br $passes)))
    ;; checksum of the last written image (now src)
    (local.set $idx (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $idx) (i32.const 16900)))
      (local.set $total
        (i64.add (local.get $total)
                 (i64.mul (i64.load32_u (i32.add (local.get $src) (i32.shl (local.get $idx) (i32.const 2))))
                          (i64.extend_i32_u (i32.add (i32.rem_u (local.get $idx) (i32.const 7)) (i32.const 1))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $sum)))
    (local.get $total)))
