;; Bulk memory: n rounds of memory.fill + an overlapping memory.copy of 64-128 KiB blocks in a
;; 1 MiB memory, sampling one byte and one i64 per round; memory is reset with memory.fill at
;; the start and folded into the checksum at the end (every 4 KiB-th i64).
(module
  (memory 16)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $off i32) (local $len i32) (local $dst i32) (local $acc i64)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0x100000))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      ;; off = (i * 40503) & 0x7ffff ; len = 65536 + ((i * 2654435761) >>> 16)
      (local.set $off (i32.and (i32.mul (local.get $i) (i32.const 40503)) (i32.const 0x7ffff)))
      (local.set $len (i32.add (i32.const 65536)
                               (i32.shr_u (i32.mul (local.get $i) (i32.const 2654435761))
                                          (i32.const 16))))
      (memory.fill (local.get $off) (i32.and (local.get $i) (i32.const 255)) (local.get $len))
      ;; dst = (off + 777 * i) & 0x7ffff  (often overlapping the source)
      (local.set $dst (i32.and (i32.add (local.get $off) (i32.mul (local.get $i) (i32.const 777)))
                               (i32.const 0x7ffff)))
      ;; copy [off - 4096, off - 4096 + len) when possible, so the source holds older data too
      (memory.copy (local.get $dst)
                   (select (i32.sub (local.get $off) (i32.const 4096)) (local.get $off)
                           (i32.ge_u (local.get $off) (i32.const 4096)))
                   (local.get $len))
      ;; acc = acc * 31 + mem8[(i * 12345) & 0xfffff] + mem64[(i * 8191) & 0xffff8]
      (local.set $acc
        (i64.add
          (i64.add (i64.mul (local.get $acc) (i64.const 31))
                   (i64.load8_u (i32.and (i32.mul (local.get $i) (i32.const 12345)) (i32.const 0xfffff))))
          (i64.load (i32.and (i32.mul (local.get $i) (i32.const 8191)) (i32.const 0xffff8)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    ;; fold memory: acc = acc * 1099511628211 ^ mem64[k] for k = 0, 4096, ...
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 0x100000)))
      (local.set $acc (i64.xor (i64.mul (local.get $acc) (i64.const 1099511628211))
                               (i64.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 4096)))
      (br $l)))
    (local.get $acc)))
