;; WasmGC arrays: bulk array operations over i8 and i32 arrays. Each of n rounds makes an i8
;; array from a passive data segment (array.new_data), array.fill's a 4 KiB i8 array and an
;; i32 array, array.copy's the new array into it 16 times, copies each array onto itself
;; overlapping both ways (memmove semantics), makes an i32 array from the same segment
;; (little-endian words) and copies it in; the sampled elements are folded into the checksum.
(module
  (type $bytes (array (mut i8)))
  (type $words (array (mut i32)))
  ;; 256 bytes: 240 of text, then 0xf0 ... 0xff (negative as signed i8).
  (data $text "the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly and pack my box with liquor jugs the quick brown fox jumps over the lazy dog while five boxing wizards jump quickly and pack my box with liquor jugs the quic"
    "\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")

  (func (export "run") (param $n i32) (result i64)
    (local $r i32) (local $k i32) (local $i i32) (local $acc i64)
    (local $a (ref $bytes)) (local $b (ref $bytes)) (local $w (ref $words)) (local $d (ref $words))
    (local.set $b (array.new $bytes (i32.const 0) (i32.const 4096)))
    (local.set $w (array.new_default $words (i32.const 1024)))
    (block $done (loop $rounds
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      ;; a = bytes [r & 63, (r & 63) + 192) of the segment
      (local.set $a (array.new_data $bytes $text
        (i32.and (local.get $r) (i32.const 63)) (i32.const 192)))
      ;; b[(7r) & 1023 ..][..512] = r & 255
      (array.fill $bytes (local.get $b)
        (i32.and (i32.mul (local.get $r) (i32.const 7)) (i32.const 1023))
        (i32.and (local.get $r) (i32.const 255)) (i32.const 512))
      ;; b[200k + r % 50 ..][..192] = a, k = 0 .. 15
      (local.set $k (i32.const 0))
      (block $copied (loop $copies
        (br_if $copied (i32.ge_u (local.get $k) (i32.const 16)))
        (array.copy $bytes $bytes (local.get $b)
          (i32.add (i32.mul (local.get $k) (i32.const 200)) (i32.rem_u (local.get $r) (i32.const 50)))
          (local.get $a) (i32.const 0) (i32.const 192))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $copies)))
      ;; overlapping copies within b: one element forward, then three back
      (array.copy $bytes $bytes (local.get $b) (i32.const 1) (local.get $b) (i32.const 0) (i32.const 4000))
      (array.copy $bytes $bytes (local.get $b) (i32.const 0) (local.get $b) (i32.const 3) (i32.const 4000))
      ;; d = 48 little-endian words from byte (r & 15) * 4 of the segment
      (local.set $d (array.new_data $words $text
        (i32.shl (i32.and (local.get $r) (i32.const 15)) (i32.const 2)) (i32.const 48)))
      ;; w[r & 511 ..][..256] = r; w[(3r) & 511 ..][..48] = d; w[2 ..][..1000] = w[0 ..][..1000]
      (array.fill $words (local.get $w) (i32.and (local.get $r) (i32.const 511))
        (local.get $r) (i32.const 256))
      (array.copy $words $words (local.get $w)
        (i32.and (i32.mul (local.get $r) (i32.const 3)) (i32.const 511))
        (local.get $d) (i32.const 0) (i32.const 48))
      (array.copy $words $words (local.get $w) (i32.const 2) (local.get $w) (i32.const 0) (i32.const 1000))
      ;; acc = acc * 31 + b[i] (unsigned) for i = 0, 97, ...; then + w[i] for i = 0, 31, ...;
      ;; then + b[r & 4095] (signed)
      (local.set $i (i32.const 0))
      (block $b_done (loop $b_sample
        (br_if $b_done (i32.ge_u (local.get $i) (array.len (local.get $b))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
          (i64.extend_i32_u (array.get_u $bytes (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 97)))
        (br $b_sample)))
      (local.set $i (i32.const 0))
      (block $w_done (loop $w_sample
        (br_if $w_done (i32.ge_u (local.get $i) (array.len (local.get $w))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
          (i64.extend_i32_u (array.get $words (local.get $w) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 31)))
        (br $w_sample)))
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_s (array.get_s $bytes (local.get $b) (i32.and (local.get $r) (i32.const 4095))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rounds)))
    (local.get $acc)))
