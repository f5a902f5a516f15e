;; A tiny register-machine interpreter driven by br_table: 8 i32 registers and 256 data words
;; in linear memory, 4-byte instructions [op, a, b, c] fetched with i32.load, decoded with
;; shifts and masks, and dispatched with one br_table over 15 opcodes.
;;
;;   0 HALT              5 XOR  a,b,c        10 JNZ  a,tgt  if r[a] != 0: pc = tgt (b | c<<8)
;;   1 LI   a,imm16      6 AND  a,b,c        11 LD   a,b    r[a] = mem[r[b] & 255]
;;   2 ADD  a,b,c        7 SHL  a,b,#c       12 ST   a,b    mem[r[b] & 255] = r[a]
;;   3 SUB  a,b,c        8 SHR  a,b,#c       13 MOV  a,b
;;   4 MUL  a,b,c        9 ADDI a,b,#s8      14 JMP  tgt
;;
;; The bytecode program (below) runs r0 = n iterations (n >= 1) of: a xorshift32 step on r1,
;; a multiply-add address, a data-memory load, an add and a store, an accumulate into r6 and a
;; data-dependent branch (17 VM instructions per iteration).
;; Checksum: (u64(r6) << 32) | u64(r1) at HALT.
;; Memory: program at 0, registers at 1024, data words at 1056.
(module
  (memory 1)
  (data (i32.const 0)
    "\01\01\ed\5e"   ;;  0: LI   r1, 0x5eed
    "\01\05\37\9e"   ;;  1: LI   r5, 40503
    "\07\02\01\0d"   ;;  2: SHL  r2, r1, 13      <- loop
    "\05\01\01\02"   ;;  3: XOR  r1, r1, r2
    "\08\02\01\11"   ;;  4: SHR  r2, r1, 17
    "\05\01\01\02"   ;;  5: XOR  r1, r1, r2
    "\07\02\01\05"   ;;  6: SHL  r2, r1, 5
    "\05\01\01\02"   ;;  7: XOR  r1, r1, r2
    "\04\03\01\05"   ;;  8: MUL  r3, r1, r5
    "\02\03\03\00"   ;;  9: ADD  r3, r3, r0
    "\0b\04\03\00"   ;; 10: LD   r4, [r3]
    "\02\04\04\01"   ;; 11: ADD  r4, r4, r1
    "\0c\04\01\00"   ;; 12: ST   r4, [r1]
    "\02\06\06\04"   ;; 13: ADD  r6, r6, r4
    "\07\07\04\1f"   ;; 14: SHL  r7, r4, 31      (r7 != 0 iff r4 is odd)
    "\0a\07\11\00"   ;; 15: JNZ  r7, 17
    "\03\06\06\01"   ;; 16: SUB  r6, r6, r1
    "\09\00\00\ff"   ;; 17: ADDI r0, r0, -1
    "\0a\00\02\00"   ;; 18: JNZ  r0, 2
    "\00\00\00\00")  ;; 19: HALT
  (func (export "run") (param $n i32) (result i64)
    (local $pc i32) (local $ins i32) (local $a i32) (local $b i32) (local $c i32) (local $k i32)
    ;; clear registers and data memory (1024 .. 1056 + 1024)
    (local.set $k (i32.const 1024))
    (block $done (loop $clear
      (br_if $done (i32.ge_u (local.get $k) (i32.const 2080)))
      (i32.store (local.get $k) (i32.const 0))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $clear)))
    (i32.store (i32.const 1024) (local.get $n))   ;; r0 = n
    (block $halt
      (loop $dispatch
        (local.set $ins (i32.load (i32.shl (local.get $pc) (i32.const 2))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        ;; a: byte offset of register a; b, c: raw operand bytes
        (local.set $a (i32.and (i32.shr_u (local.get $ins) (i32.const 6)) (i32.const 0x3fc)))
        (local.set $b (i32.and (i32.shr_u (local.get $ins) (i32.const 16)) (i32.const 255)))
        (local.set $c (i32.shr_u (local.get $ins) (i32.const 24)))
        (block $jmp (block $mov (block $st (block $ld (block $jnz (block $addi (block $shr
        (block $shl (block $and (block $xor (block $mul (block $sub (block $add (block $li
          (br_table $halt $li $add $sub $mul $xor $and $shl $shr $addi $jnz $ld $st $mov $jmp
                    $halt
                    (i32.and (local.get $ins) (i32.const 255))))
          ;; LI
          (i32.store offset=1024 (local.get $a)
            (i32.or (local.get $b) (i32.shl (local.get $c) (i32.const 8))))
          (br $dispatch))
          ;; ADD
          (i32.store offset=1024 (local.get $a)
            (i32.add (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.load offset=1024 (i32.shl (local.get $c) (i32.const 2)))))
          (br $dispatch))
          ;; SUB
          (i32.store offset=1024 (local.get $a)
            (i32.sub (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.load offset=1024 (i32.shl (local.get $c) (i32.const 2)))))
          (br $dispatch))
          ;; MUL
          (i32.store offset=1024 (local.get $a)
            (i32.mul (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.load offset=1024 (i32.shl (local.get $c) (i32.const 2)))))
          (br $dispatch))
          ;; XOR
          (i32.store offset=1024 (local.get $a)
            (i32.xor (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.load offset=1024 (i32.shl (local.get $c) (i32.const 2)))))
          (br $dispatch))
          ;; AND
          (i32.store offset=1024 (local.get $a)
            (i32.and (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.load offset=1024 (i32.shl (local.get $c) (i32.const 2)))))
          (br $dispatch))
          ;; SHL (immediate)
          (i32.store offset=1024 (local.get $a)
            (i32.shl (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2))) (local.get $c)))
          (br $dispatch))
          ;; SHR (immediate, logical)
          (i32.store offset=1024 (local.get $a)
            (i32.shr_u (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2))) (local.get $c)))
          (br $dispatch))
          ;; ADDI (signed 8-bit immediate)
          (i32.store offset=1024 (local.get $a)
            (i32.add (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                     (i32.extend8_s (local.get $c))))
          (br $dispatch))
          ;; JNZ
          (if (i32.load offset=1024 (local.get $a))
            (then (local.set $pc (i32.or (local.get $b) (i32.shl (local.get $c) (i32.const 8))))))
          (br $dispatch))
          ;; LD
          (i32.store offset=1024 (local.get $a)
            (i32.load offset=1056
              (i32.shl (i32.and (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                                (i32.const 255))
                       (i32.const 2))))
          (br $dispatch))
          ;; ST
          (i32.store offset=1056
            (i32.shl (i32.and (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2)))
                              (i32.const 255))
                     (i32.const 2))
            (i32.load offset=1024 (local.get $a)))
          (br $dispatch))
          ;; MOV
          (i32.store offset=1024 (local.get $a)
            (i32.load offset=1024 (i32.shl (local.get $b) (i32.const 2))))
          (br $dispatch))
        ;; JMP
        (local.set $pc (i32.or (local.get $b) (i32.shl (local.get $c) (i32.const 8))))
        (br $dispatch)))
    (i64.or (i64.shl (i64.extend_i32_u (i32.load (i32.const 1048))) (i64.const 32))   ;; r6
            (i64.extend_i32_u (i32.load (i32.const 1028))))))                         ;; r1
