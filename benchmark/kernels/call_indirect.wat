;; call_indirect dispatch: n calls through a funcref table of 8 small functions of type
;; (i32, i32) -> i32; the slot is chosen from the running state, so the target changes
;; unpredictably from call to call. Every 16th call goes through a second type,
;; (i64) -> i64, held in slots 8..9 (so the signature check sees two different types).
;; Checksum: (u64(sum of states) << 32) | u64(final state), plus the i64 side value.
(module
  (type $bin (func (param i32 i32) (result i32)))
  (type $wide (func (param i64) (result i64)))
  (table 10 funcref)
  (elem (i32.const 0) $f0 $f1 $f2 $f3 $f4 $f5 $f6 $f7 $g0 $g1)
  (func $f0 (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $f1 (type $bin) (i32.xor (local.get 0) (i32.mul (local.get 1) (i32.const 0x9e3779b1))))
  (func $f2 (type $bin)
    (i32.add (i32.rotl (local.get 0) (i32.and (local.get 1) (i32.const 31))) (i32.const 1)))
  (func $f3 (type $bin) (i32.sub (local.get 0) (i32.shr_u (local.get 1) (i32.const 3))))
  (func $f4 (type $bin) (i32.xor (i32.mul (local.get 0) (i32.const 33)) (local.get 1)))
  (func $f5 (type $bin) (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 7))))
  (func $f6 (type $bin)
    ;; one CRC-32 bit step, then mix in b
    (i32.add
      (i32.xor (i32.shr_u (local.get 0) (i32.const 1))
               (i32.and (i32.sub (i32.const 0) (i32.and (local.get 0) (i32.const 1)))
                        (i32.const 0xedb88320)))
      (local.get 1)))
  (func $f7 (type $bin) (i32.xor (local.get 0) (i32.add (local.get 1) (i32.const 0x7f4a7c15))))
  (func $g0 (type $wide) (i64.mul (i64.xor (local.get 0) (i64.const 0x5851f42d4c957f2d)) (i64.const 31)))
  (func $g1 (type $wide) (i64.add (i64.rotl (local.get 0) (i64.const 17)) (i64.const 0x14057b7ef767814f)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $s i32) (local $acc i32) (local $w i64)
    (local.set $s (i32.const 0x12345678))
    (local.set $w (i64.const 1))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s
        (call_indirect (type $bin)
          (local.get $s) (local.get $i)
          (i32.and (i32.shr_u (local.get $s) (i32.const 7)) (i32.const 7))))
      (local.set $acc (i32.add (local.get $acc) (local.get $s)))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 15)))
        (then
          (local.set $w
            (call_indirect (type $wide)
              (i64.add (local.get $w) (i64.extend_i32_u (local.get $s)))
              (i32.add (i32.const 8) (i32.and (local.get $s) (i32.const 1)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i64.add
      (i64.or (i64.shl (i64.extend_i32_u (local.get $acc)) (i64.const 32))
              (i64.extend_i32_u (local.get $s)))
      (local.get $w))))
