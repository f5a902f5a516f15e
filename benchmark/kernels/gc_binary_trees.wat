;; WasmGC binary-trees (the Benchmarks Game's algorithm, sized for seconds): every tree node is
;; a GC struct {left, right} of (ref null $node); trees are built bottom-up and walked by `check`
;; (the node count). With max = max(n, 6): one stretch tree of depth max + 1, one long-lived tree
;; of depth max kept alive across the loop, and for d = 4, 6, ..., max: 2^(max - d + 4) trees of
;; depth d, each built, checked and dropped. Nothing is freed by hand: the collector must.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  ;; A perfect tree of depth $d (depth 0 = one leaf node).
  (func $bottom_up (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        (struct.new $node
          (call $bottom_up (i32.sub (local.get $d) (i32.const 1)))
          (call $bottom_up (i32.sub (local.get $d) (i32.const 1)))))))

  ;; The number of nodes of a tree (a leaf has two null children).
  (func $check (param $t (ref $node)) (result i32)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $left (local.get $t)))
    (if (result i32) (ref.is_null (local.get $l))
      (then (i32.const 1))
      (else
        (i32.add
          (i32.add
            (call $check (ref.as_non_null (local.get $l)))
            (call $check (ref.as_non_null (struct.get $node $right (local.get $t)))))
          (i32.const 1)))))

  ;; checksum: acc = acc * 31 + x over the stretch check, then per depth the iteration count and
  ;; the sum of checks, then the long-lived tree's check.
  (func (export "run") (param $n i32) (result i64)
    (local $max i32) (local $long (ref null $node)) (local $d i32) (local $iters i32)
    (local $i i32) (local $sum i32) (local $acc i64)
    (local.set $max (select (local.get $n) (i32.const 6) (i32.gt_s (local.get $n) (i32.const 6))))
    (local.set $acc (i64.extend_i32_u
      (call $check (call $bottom_up (i32.add (local.get $max) (i32.const 1))))))
    (local.set $long (call $bottom_up (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done (loop $depths
      (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
      (local.set $iters (i32.shl (i32.const 1)
        (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
      (local.set $sum (i32.const 0))
      (local.set $i (i32.const 0))
      (block $trees_done (loop $trees
        (br_if $trees_done (i32.ge_u (local.get $i) (local.get $iters)))
        (local.set $sum (i32.add (local.get $sum) (call $check (call $bottom_up (local.get $d)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $trees)))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
                               (i64.extend_i32_u (local.get $iters))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
                               (i64.extend_i32_u (local.get $sum))))
      (local.set $d (i32.add (local.get $d) (i32.const 2)))
      (br $depths)))
    (i64.add (i64.mul (local.get $acc) (i64.const 31))
             (i64.extend_i32_u (call $check (ref.as_non_null (local.get $long)))))))
