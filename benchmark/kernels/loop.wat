;; Tight i32 loop: only locals and i32 arithmetic (mul, add, xor, and, or, shifts, rotl),
;; no memory and no calls. Three mixed state words evolve for n iterations.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (i32.const 1))
    (local.set $b (i32.const 0x9e3779b9))
    (local.set $c (i32.const 12345))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; a = a * 1664525 + 1013904223          (32-bit LCG)
        (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 1664525))
                               (i32.const 1013904223)))
        ;; b = (b ^ (a >>> 13)) + i
        (local.set $b (i32.add (i32.xor (local.get $b)
                                        (i32.shr_u (local.get $a) (i32.const 13)))
                               (local.get $i)))
        ;; c = c + ((a & b) | (i << 3))
        (local.set $c (i32.add (local.get $c)
                               (i32.or (i32.and (local.get $a) (local.get $b))
                                       (i32.shl (local.get $i) (i32.const 3)))))
        ;; b = rotl(b, 7) - (c >> 29)   (arithmetic shift)
        (local.set $b (i32.sub (i32.rotl (local.get $b) (i32.const 7))
                               (i32.shr_s (local.get $c) (i32.const 29))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; (u64(b) << 32) | u64(c ^ a)
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))
      (i64.extend_i32_u (i32.xor (local.get $c) (local.get $a))))))
