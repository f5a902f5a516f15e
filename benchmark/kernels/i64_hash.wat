;; i64 hashing: n rounds of a 64-bit mixing hash. Each round draws the next value of a
;; SplitMix64-style generator (add, xor-shift, multiply), folds it into the hash with an
;; FNV-style multiply, mixes in one of 256 i64 table words (i64.load indexed by the hash's top
;; byte; the table is itself filled from the generator at the start) and rotates.
;; Checksum: the final 64-bit hash.
(module
  (memory 1)
  (func $mix (param $z i64) (result i64)
    (local.set $z (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 30)))
                           (i64.const 0xbf58476d1ce4e5b9)))
    (local.set $z (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 27)))
                           (i64.const 0x94d049bb133111eb)))
    (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 31))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $s i64) (local $h i64) (local $z i64)
    ;; table[k] = mix(k * golden + 1), k = 0..255, at 0..2048
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 256)))
      (i64.store (i32.shl (local.get $i) (i32.const 3))
        (call $mix (i64.add (i64.mul (i64.extend_i32_u (local.get $i))
                                     (i64.const 0x9e3779b97f4a7c15))
                            (i64.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.set $i (i32.const 0))
    (local.set $s (i64.const 0x0123456789abcdef))
    (local.set $h (i64.const 0xcbf29ce484222325))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i64.add (local.get $s) (i64.const 0x9e3779b97f4a7c15)))
      ;; the generator step is written inline (the hot path has no calls)
      (local.set $z (local.get $s))
      (local.set $z (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 30)))
                             (i64.const 0xbf58476d1ce4e5b9)))
      (local.set $z (i64.mul (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 27)))
                             (i64.const 0x94d049bb133111eb)))
      (local.set $z (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 31))))
      ;; h = (h ^ z) * FNV prime
      (local.set $h (i64.mul (i64.xor (local.get $h) (local.get $z)) (i64.const 0x100000001b3)))
      ;; h ^= table[h >>> 56]
      (local.set $h (i64.xor (local.get $h)
        (i64.load (i32.shl (i32.wrap_i64 (i64.shr_u (local.get $h) (i64.const 56))) (i32.const 3)))))
      ;; h = rotl(h, 23) + i
      (local.set $h (i64.add (i64.rotl (local.get $h) (i64.const 23))
                             (i64.extend_i32_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $h)))
