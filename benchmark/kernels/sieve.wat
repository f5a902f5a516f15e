;; Sieve of Eratosthenes on a byte array (i32.load8_u / i32.store8 only; no bulk memory).
;; run(n) performs n sieves; sieve r (r = 0..n-1) finds the primes below 1_000_000 + r.
;; Checksum: sum over r of (prime count * 31 + (sum of the primes mod 2^32)) as i64.
(module
  (memory 1)
  (func $sieve (param $limit i32) (result i64)
    (local $i i32) (local $j i32) (local $count i32) (local $sum i32)
    ;; flags[0..limit) = 1
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $limit)))
      (i32.store8 (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (i32.store8 (i32.const 0) (i32.const 0))
    (i32.store8 (i32.const 1) (i32.const 0))
    ;; strike out multiples
    (local.set $i (i32.const 2))
    (block $done (loop $outer
      (br_if $done (i32.ge_u (i32.mul (local.get $i) (local.get $i)) (local.get $limit)))
      (if (i32.load8_u (local.get $i))
        (then
          (local.set $j (i32.mul (local.get $i) (local.get $i)))
          (block $inner_done (loop $inner
            (br_if $inner_done (i32.ge_u (local.get $j) (local.get $limit)))
            (i32.store8 (local.get $j) (i32.const 0))
            (local.set $j (i32.add (local.get $j) (local.get $i)))
            (br $inner)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    ;; count and sum
    (local.set $i (i32.const 0))
    (block $done (loop $scan
      (br_if $done (i32.ge_u (local.get $i) (local.get $limit)))
      (if (i32.load8_u (local.get $i))
        (then
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $sum (i32.add (local.get $sum) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scan)))
    (i64.add (i64.mul (i64.extend_i32_u (local.get $count)) (i64.const 31))
             (i64.extend_i32_u (local.get $sum))))
  (func (export "run") (param $n i32) (result i64)
    (local $r i32) (local $acc i64) (local $need i32)
    ;; make sure 1_000_000 + n bytes fit
    (local.set $need (i32.shr_u (i32.add (i32.add (i32.const 1000000) (local.get $n))
                                         (i32.const 65535))
                                (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (drop (memory.grow (i32.sub (local.get $need) (memory.size))))))
    (block $done (loop $rep
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $acc (i64.add (local.get $acc)
                               (call $sieve (i32.add (i32.const 1000000) (local.get $r)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rep)))
    (local.get $acc)))
