;; SHA-256 (FIPS 180-4) of an n-byte message, message byte i = ((i * 31) ^ (i >>> 7)) & 255.
;; i32 rotations, shifts, logic and adds; big-endian word loads via a byte swap.
;; Checksum: the digest as 8 big-endian u32 words d0..d7, folded to
;; (u64(d0 ^ d2 ^ d4 ^ d6) << 32) | u64(d1 ^ d3 ^ d5 ^ d7), as an i64.
;; Memory layout: K[64] at 0, initial hash H[8] at 256, schedule W[64] at 512, message at 1024.
(module
  (memory 1)
  (data (i32.const 0)
    ;; K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9"
    "\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55"
    "\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24"
    "\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf"
    "\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53"
    "\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7"
    "\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34"
    "\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c"
    "\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")
  (data (i32.const 256)
    ;; H0: the first 32 bits of the fractional parts of the square roots of the first 8 primes
    "\67\e6\09\6a\85\ae\67\bb\72\f3\6e\3c\3a\f5\4f\a5"
    "\7f\52\0e\51\8c\68\05\9b\ab\d9\83\1f\19\cd\e0\5b")

  (func $bswap (param $x i32) (result i32)
    (i32.or (i32.and (i32.rotl (local.get $x) (i32.const 8)) (i32.const 0x00ff00ff))
            (i32.and (i32.rotr (local.get $x) (i32.const 8)) (i32.const 0xff00ff00))))

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $t i32) (local $p i32) (local $end i32) (local $padded i32)
    (local $need i32) (local $x i32) (local $y i32) (local $t1 i32) (local $t2 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $h0 i32) (local $h1 i32) (local $h2 i32) (local $h3 i32)
    (local $h4 i32) (local $h5 i32) (local $h6 i32) (local $h7 i32)
    ;; padded length: n + 1 (0x80) + zeros + 8 (bit length), a multiple of 64
    (local.set $padded (i32.and (i32.add (local.get $n) (i32.const 72)) (i32.const -64)))
    (local.set $need (i32.shr_u (i32.add (i32.add (local.get $padded) (i32.const 1024))
                                         (i32.const 65535))
                                (i32.const 16)))
    (if (i32.gt_u (local.get $need) (memory.size))
      (then (drop (memory.grow (i32.sub (local.get $need) (memory.size))))))
    ;; message
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 offset=1024 (local.get $i)
        (i32.xor (i32.mul (local.get $i) (i32.const 31)) (i32.shr_u (local.get $i) (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    ;; padding
    (i32.store8 offset=1024 (local.get $i) (i32.const 0x80))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (block $done (loop $zero
      (br_if $done (i32.ge_u (local.get $i) (i32.sub (local.get $padded) (i32.const 8))))
      (i32.store8 offset=1024 (local.get $i) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $zero)))
    ;; 64-bit big-endian bit length (n < 2^29, so the high word is 0)
    (i32.store offset=1024 (local.get $i) (i32.const 0))
    (i32.store offset=1028 (local.get $i)
      (call $bswap (i32.shl (local.get $n) (i32.const 3))))
    ;; initial hash
    (local.set $h0 (i32.load (i32.const 256)))
    (local.set $h1 (i32.load (i32.const 260)))
    (local.set $h2 (i32.load (i32.const 264)))
    (local.set $h3 (i32.load (i32.const 268)))
    (local.set $h4 (i32.load (i32.const 272)))
    (local.set $h5 (i32.load (i32.const 276)))
    (local.set $h6 (i32.load (i32.const 280)))
    (local.set $h7 (i32.load (i32.const 284)))
    (local.set $p (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $padded)))
    (block $blocks_done (loop $block
      (br_if $blocks_done (i32.ge_u (local.get $p) (local.get $end)))
      ;; W[0..16) = big-endian words of the block
      (local.set $t (i32.const 0))
      (block $done (loop $load
        (br_if $done (i32.ge_u (local.get $t) (i32.const 64)))
        (i32.store offset=512 (local.get $t)
          (call $bswap (i32.load (i32.add (local.get $p) (local.get $t)))))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $load)))
      ;; W[16..64)
      (block $done (loop $extend
        (br_if $done (i32.ge_u (local.get $t) (i32.const 256)))
        (local.set $x (i32.load offset=452 (local.get $t)))  ;; W[t-15]
        (local.set $y (i32.load offset=504 (local.get $t)))  ;; W[t-2]
        (i32.store offset=512 (local.get $t)
          (i32.add
            (i32.add (i32.load offset=448 (local.get $t))      ;; W[t-16]
                     (i32.xor (i32.xor (i32.rotr (local.get $x) (i32.const 7))
                                       (i32.rotr (local.get $x) (i32.const 18)))
                              (i32.shr_u (local.get $x) (i32.const 3))))
            (i32.add (i32.load offset=484 (local.get $t))      ;; W[t-7]
                     (i32.xor (i32.xor (i32.rotr (local.get $y) (i32.const 17))
                                       (i32.rotr (local.get $y) (i32.const 19)))
                              (i32.shr_u (local.get $y) (i32.const 10))))))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $extend)))
      (local.set $a (local.get $h0)) (local.set $b (local.get $h1))
      (local.set $c (local.get $h2)) (local.set $d (local.get $h3))
      (local.set $e (local.get $h4)) (local.set $f (local.get $h5))
      (local.set $g (local.get $h6)) (local.set $h (local.get $h7))
      (local.set $t (i32.const 0))
      (block $done (loop $round
        (br_if $done (i32.ge_u (local.get $t) (i32.const 256)))
        ;; t1 = h + S1(e) + ch(e,f,g) + K[t] + W[t]
        (local.set $t1
          (i32.add
            (i32.add
              (i32.add (local.get $h)
                       (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6))
                                         (i32.rotr (local.get $e) (i32.const 11)))
                                (i32.rotr (local.get $e) (i32.const 25))))
              (i32.xor (i32.and (local.get $e) (local.get $f))
                       (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
            (i32.add (i32.load (local.get $t)) (i32.load offset=512 (local.get $t)))))
        ;; t2 = S0(a) + maj(a,b,c)
        (local.set $t2
          (i32.add
            (i32.xor (i32.xor (i32.rotr (local.get $a) (i32.const 2))
                              (i32.rotr (local.get $a) (i32.const 13)))
                     (i32.rotr (local.get $a) (i32.const 22)))
            (i32.xor (i32.xor (i32.and (local.get $a) (local.get $b))
                              (i32.and (local.get $a) (local.get $c)))
                     (i32.and (local.get $b) (local.get $c)))))
        (local.set $h (local.get $g))
        (local.set $g (local.get $f))
        (local.set $f (local.get $e))
        (local.set $e (i32.add (local.get $d) (local.get $t1)))
        (local.set $d (local.get $c))
        (local.set $c (local.get $b))
        (local.set $b (local.get $a))
        (local.set $a (i32.add (local.get $t1) (local.get $t2)))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $round)))
      (local.set $h0 (i32.add (local.get $h0) (local.get $a)))
      (local.set $h1 (i32.add (local.get $h1) (local.get $b)))
      (local.set $h2 (i32.add (local.get $h2) (local.get $c)))
      (local.set $h3 (i32.add (local.get $h3) (local.get $d)))
      (local.set $h4 (i32.add (local.get $h4) (local.get $e)))
      (local.set $h5 (i32.add (local.get $h5) (local.get $f)))
      (local.set $h6 (i32.add (local.get $h6) (local.get $g)))
      (local.set $h7 (i32.add (local.get $h7) (local.get $h)))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $block)))
    ;; (u64(h0 ^ h2 ^ h4 ^ h6) << 32) | u64(h1 ^ h3 ^ h5 ^ h7)
    (i64.or
      (i64.shl (i64.extend_i32_u (i32.xor (i32.xor (local.get $h0) (local.get $h2))
                                          (i32.xor (local.get $h4) (local.get $h6))))
               (i64.const 32))
      (i64.extend_i32_u (i32.xor (i32.xor (local.get $h1) (local.get $h3))
                                 (i32.xor (local.get $h5) (local.get $h7)))))))
