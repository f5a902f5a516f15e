;; CoreMark-like mixed workload (our own design, not CoreMark): each of n iterations does
;;   1. linked-list work on 64 nodes: reverse the list in place, then walk it updating every
;;      value (i32 loads/stores, pointer chasing) and find the first node matching a key;
;;   2. an 8x8 i16 matrix product C = A x B (i32.load16_s, i32 mul/add), then A is rewritten
;;      from C (i32.store16);
;;   3. a number-recognising state machine (br_table on the state) over a 96-byte text,
;;      counting the final state of every token; one byte of the text is then changed;
;;   4. a bitwise CRC-16 (reflected polynomial 0xA001) over the iteration's results.
;; Checksum: acc ^ (u64(crc) << 48), acc = acc * 31 + ((u64(msum) << 32) | u32(lsum ^ smsum)).
;; Memory: template text at 0, character set at 112, text at 128, B at 256, A at 512, C at 768,
;; state counters at 1024, list nodes {next, value} at 4096.
(module
  (memory 1)
  (data (i32.const 0)
    "12 -874 +122 0.5e3 7.25e-2 ,x9 4.4 -- +e5 1e 99 00012 -0.07 3e+8 .5 8. 1,2,3 e7 -.25 6E2 ab 42 +")
  (data (i32.const 112) "0123456789+-.e ,")

  ;; crc16 of the low 16 bits of v, continuing from crc
  (func $crc16 (param $v i32) (param $crc i32) (result i32)
    (local $k i32)
    (block $done (loop $bit
      (br_if $done (i32.ge_u (local.get $k) (i32.const 16)))
      (if (i32.and (i32.xor (local.get $crc) (local.get $v)) (i32.const 1))
        (then (local.set $crc (i32.xor (i32.shr_u (local.get $crc) (i32.const 1))
                                       (i32.const 0xa001))))
        (else (local.set $crc (i32.shr_u (local.get $crc) (i32.const 1)))))
      (local.set $v (i32.shr_u (local.get $v) (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $bit)))
    (local.get $crc))

  ;; character class: 0 digit, 1 sign, 2 dot, 3 'e', 4 separator (' ' or ','), 5 other
  (func $class (param $c i32) (result i32)
    (if (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
      (then (return (i32.const 0))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
      (then (return (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 46)) (then (return (i32.const 2))))
    (if (i32.eq (local.get $c) (i32.const 101)) (then (return (i32.const 3))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 44)))
      (then (return (i32.const 4))))
    (i32.const 5))

  ;; states: 0 START 1 SIGN 2 INT 3 DOT 4 FLOAT 5 EXP 6 EXPSIGN 7 SCI 8 INVALID
  ;; returns the next state for (state, class); class 4 (separator) is handled by the caller
  (func $next (param $s i32) (param $cls i32) (result i32)
    (block $invalid
      (block $sci (block $expsign (block $exp (block $float (block $dot (block $int (block $sign
      (block $start
        (br_table $start $sign $int $dot $float $exp $expsign $sci $invalid $invalid
                  (local.get $s)))
        ;; START
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 2))))
        (if (i32.eq (local.get $cls) (i32.const 1)) (then (return (i32.const 1))))
        (if (i32.eq (local.get $cls) (i32.const 2)) (then (return (i32.const 3))))
        (br $invalid))
        ;; SIGN
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 2))))
        (if (i32.eq (local.get $cls) (i32.const 2)) (then (return (i32.const 3))))
        (br $invalid))
        ;; INT
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 2))))
        (if (i32.eq (local.get $cls) (i32.const 2)) (then (return (i32.const 4))))
        (if (i32.eq (local.get $cls) (i32.const 3)) (then (return (i32.const 5))))
        (br $invalid))
        ;; DOT
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 4))))
        (br $invalid))
        ;; FLOAT
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 4))))
        (if (i32.eq (local.get $cls) (i32.const 3)) (then (return (i32.const 5))))
        (br $invalid))
        ;; EXP
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 7))))
        (if (i32.eq (local.get $cls) (i32.const 1)) (then (return (i32.const 6))))
        (br $invalid))
        ;; EXPSIGN
        (if (i32.eqz (local.get $cls)) (then (return (i32.const 7))))
        (br $invalid))
      ;; SCI
      (if (i32.eqz (local.get $cls)) (then (return (i32.const 7)))))
    ;; INVALID
    (i32.const 8))

  (func (export "run") (param $n i32) (result i64)
    (local $it i32) (local $i i32) (local $j i32) (local $k i32)
    (local $head i32) (local $p i32) (local $prev i32) (local $nxt i32) (local $v i32)
    (local $pos i32) (local $lsum i32) (local $found i32)
    (local $sum i32) (local $msum i32)
    (local $s i32) (local $ns i32) (local $cls i32) (local $smsum i32) (local $trans i32)
    (local $crc i32) (local $acc i64)
    ;; ---- init ----
    (memory.copy (i32.const 128) (i32.const 0) (i32.const 96))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (i32.const 8)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (i32.const 8)))
        (local.set $k (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $j))
                               (i32.const 1)))
        ;; A[i][j] = ((8i + j) * 37 & 0x3ff) - 0x200
        (i32.store16 offset=512 (local.get $k)
          (i32.sub (i32.and (i32.mul (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $j))
                                     (i32.const 37))
                            (i32.const 0x3ff))
                   (i32.const 0x200)))
        ;; B[i][j] = ((i + 1) * (j + 3)) mod 23 - 11
        (i32.store16 offset=256 (local.get $k)
          (i32.sub (i32.rem_u (i32.mul (i32.add (local.get $i) (i32.const 1))
                                       (i32.add (local.get $j) (i32.const 3)))
                              (i32.const 23))
                   (i32.const 11)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
    ;; list: node k at 4096 + 8k, next = node k+1 (0 for the last), value = (k * 7919) & 0xffff
    (local.set $k (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $k) (i32.const 64)))
      (local.set $p (i32.add (i32.const 4096) (i32.shl (local.get $k) (i32.const 3))))
      (i32.store (local.get $p)
        (select (i32.const 0) (i32.add (local.get $p) (i32.const 8))
                (i32.eq (local.get $k) (i32.const 63))))
      (i32.store offset=4 (local.get $p) (i32.and (i32.mul (local.get $k) (i32.const 7919))
                                                  (i32.const 0xffff)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l)))
    (local.set $head (i32.const 4096))
    (local.set $crc (i32.const 0xffff))

    (block $all_done (loop $iteration
      (br_if $all_done (i32.ge_u (local.get $it) (local.get $n)))

      ;; ---- 1. list ----
      (local.set $prev (i32.const 0))
      (local.set $p (local.get $head))
      (block $done (loop $rev
        (br_if $done (i32.eqz (local.get $p)))
        (local.set $nxt (i32.load (local.get $p)))
        (i32.store (local.get $p) (local.get $prev))
        (local.set $prev (local.get $p))
        (local.set $p (local.get $nxt))
        (br $rev)))
      (local.set $head (local.get $prev))
      (local.set $pos (i32.const 0))
      (local.set $lsum (i32.const 0))
      (local.set $found (i32.const -1))
      (local.set $p (local.get $head))
      (block $done (loop $walk
        (br_if $done (i32.eqz (local.get $p)))
        ;; v = (v * 5 + it + pos) & 0xffff
        (local.set $v (i32.and (i32.add (i32.add (i32.mul (i32.load offset=4 (local.get $p))
                                                          (i32.const 5))
                                                 (local.get $it))
                                        (local.get $pos))
                               (i32.const 0xffff)))
        (i32.store offset=4 (local.get $p) (local.get $v))
        (local.set $lsum (i32.add (local.get $lsum) (i32.xor (local.get $v) (local.get $pos))))
        (if (i32.and (i32.lt_s (local.get $found) (i32.const 0))
                     (i32.eq (i32.and (local.get $v) (i32.const 15))
                             (i32.and (local.get $it) (i32.const 15))))
          (then (local.set $found (local.get $pos))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $p (i32.load (local.get $p)))
        (br $walk)))

      ;; ---- 2. matrix ----
      (local.set $msum (i32.const 0))
      (local.set $i (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (i32.const 8)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jloop
          (br_if $jdone (i32.ge_u (local.get $j) (i32.const 8)))
          (local.set $sum (i32.const 0))
          (local.set $k (i32.const 0))
          (block $kdone (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $k) (i32.const 8)))
            (local.set $sum
              (i32.add (local.get $sum)
                (i32.mul
                  (i32.load16_s offset=512
                    (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $k)) (i32.const 1)))
                  (i32.load16_s offset=256
                    (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 3)) (local.get $j)) (i32.const 1))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
          (i32.store offset=768
            (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $j)) (i32.const 2))
            (local.get $sum))
          (local.set $msum (i32.add (local.get $msum) (local.get $sum)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))
      ;; A[k] = (((C[k] >> 4) + it) & 0x3ff) - 0x200
      (local.set $k (i32.const 0))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $k) (i32.const 64)))
        (i32.store16 offset=512 (i32.shl (local.get $k) (i32.const 1))
          (i32.sub (i32.and (i32.add (i32.shr_s (i32.load offset=768 (i32.shl (local.get $k) (i32.const 2)))
                                                (i32.const 4))
                                     (local.get $it))
                            (i32.const 0x3ff))
                   (i32.const 0x200)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))

      ;; ---- 3. state machine ----
      (local.set $k (i32.const 1024))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $k) (i32.const 1060)))
        (i32.store (local.get $k) (i32.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $l)))
      (local.set $s (i32.const 0))
      (local.set $trans (i32.const 0))
      (local.set $k (i32.const 0))
      (block $done (loop $scan
        (br_if $done (i32.ge_u (local.get $k) (i32.const 96)))
        (local.set $cls (call $class (i32.load8_u offset=128 (local.get $k))))
        (if (i32.eq (local.get $cls) (i32.const 4))
          (then
            (if (local.get $s)
              (then
                (i32.store offset=1024 (i32.shl (local.get $s) (i32.const 2))
                  (i32.add (i32.load offset=1024 (i32.shl (local.get $s) (i32.const 2))) (i32.const 1)))
                (local.set $s (i32.const 0)))))
          (else
            (local.set $ns (call $next (local.get $s) (local.get $cls)))
            (if (i32.ne (local.get $ns) (local.get $s))
              (then (local.set $trans (i32.add (local.get $trans) (i32.const 1)))))
            (local.set $s (local.get $ns))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $scan)))
      (if (local.get $s)
        (then
          (i32.store offset=1024 (i32.shl (local.get $s) (i32.const 2))
            (i32.add (i32.load offset=1024 (i32.shl (local.get $s) (i32.const 2))) (i32.const 1)))))
      ;; smsum = sum over s of count[s] * (2s + 1)
      (local.set $smsum (i32.const 0))
      (local.set $k (i32.const 0))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $k) (i32.const 9)))
        (local.set $smsum
          (i32.add (local.get $smsum)
                   (i32.mul (i32.load offset=1024 (i32.shl (local.get $k) (i32.const 2)))
                            (i32.add (i32.shl (local.get $k) (i32.const 1)) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
      ;; text[(it * 7) mod 96] = charset[(it * 13 + lsum) & 15]
      (i32.store8 offset=128 (i32.rem_u (i32.mul (local.get $it) (i32.const 7)) (i32.const 96))
        (i32.load8_u offset=112
          (i32.and (i32.add (i32.mul (local.get $it) (i32.const 13)) (local.get $lsum))
                   (i32.const 15))))

      ;; ---- 4. CRC ----
      (local.set $crc (call $crc16 (local.get $lsum) (local.get $crc)))
      (local.set $crc (call $crc16 (local.get $found) (local.get $crc)))
      (local.set $crc (call $crc16 (local.get $msum) (local.get $crc)))
      (local.set $crc (call $crc16 (i32.shr_u (local.get $msum) (i32.const 16)) (local.get $crc)))
      (local.set $crc (call $crc16 (local.get $smsum) (local.get $crc)))
      (local.set $crc (call $crc16 (local.get $trans) (local.get $crc)))
      (local.set $acc
        (i64.add (i64.mul (local.get $acc) (i64.const 31))
                 (i64.or (i64.shl (i64.extend_i32_u (local.get $msum)) (i64.const 32))
                         (i64.extend_i32_u (i32.xor (local.get $lsum) (local.get $smsum))))))
      (local.set $it (i32.add (local.get $it) (i32.const 1)))
      (br $iteration)))
    (i64.xor (local.get $acc) (i64.shl (i64.extend_i32_u (local.get $crc)) (i64.const 48)))))
