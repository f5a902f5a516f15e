;; try_table, throw and throw_ref (WebAssembly 3.0): catch clauses of every kind, clause labels
;; of every kind of block (block, loop, the function itself), block parameters, nesting,
;; exnref in locals, globals and tables, and traps (never caught). (The spec's try_table.wast
;; also needs tail calls and typed references; these cover the rest of it.)

(module
  (tag $e0 (export "e0"))
  (tag $e1)
  (tag $ei (param i32))
  (tag $eii (param i32 i64))
  (tag $ef (param f64))
  (global $g (mut exnref) (ref.null exn))
  (table $t 2 exnref)

  (func $throw-if (param i32)
    (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e0)))
    (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e1)))
    (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $ei (i32.const 33)))))

  (func (export "kinds") (param i32) (result i32)
    (block $all (result exnref)
      (block $i (result i32)
        (block $e1 (result exnref)
          (block $e0
            (try_table (catch $e0 $e0) (catch_ref $e1 $e1) (catch $ei $i) (catch_all_ref $all)
              (call $throw-if (local.get 0))
              (throw $ef (f64.const 1)))
            (return (i32.const -1)))
          (return (i32.const 10)))
        (drop)
        (return (i32.const 11)))
      (return))
    (drop)
    (i32.const 12))

  ;; Clause order: the first matching clause wins, catch_all included.
  (func (export "order") (result i32)
    (block $a
      (block $b
        (try_table (catch_all $a) (catch $e0 $b) (throw $e0))
        (return (i32.const 0)))
      (return (i32.const 1)))
    (i32.const 2))

  ;; A clause label that is the function itself returns the payload.
  (func (export "to-func") (param i32) (result i32)
    (try_table (catch $ei 0) (throw $ei (local.get 0)))
    (i32.const -1))
  (func (export "to-func-multi") (result i32 i64)
    (try_table (catch $eii 0) (throw $eii (i32.const 7) (i64.const -8)))
    (unreachable))

  ;; A clause label that is a loop restarts it (with the loop's parameter).
  (func (export "to-loop") (param i32) (result i32)
    (local $n i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (drop)
      (try_table (catch $ei $l)
        (if (i32.lt_u (local.get $n) (local.get 0)) (then (throw $ei (local.get $n)))))
      (local.get $n)))

  ;; Block parameters and values below the try_table.
  (func (export "params") (param i32) (result i32)
    (i32.const 1000)
    (block $h (result i32)
      (i32.const 5)
      (try_table (param i32) (result i32) (catch $ei $h)
        (if (local.get 0) (then (throw $ei (i32.const 40))))
        (i32.const 1) (i32.add))
      (i32.const 100) (i32.add))
    (i32.add))

  ;; Nesting: an inner try_table that does not match passes the exception outwards.
  (func (export "nested") (param i32) (result i32)
    (block $outer (result i32)
      (block $inner
        (try_table (catch $ei $outer)
          (try_table (catch $e0 $inner) (call $throw-if (local.get 0))))
        (return (i32.const 0)))
      (i32.const 1)))

  ;; exnref in a local, a global and a table; throw_ref rethrows the same exception.
  (func (export "store") (param i32) (result i32)
    (local $x exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $ei (local.get 0)))
      (unreachable))
    (local.set $x)
    (global.set $g (local.get $x))
    (table.set $t (i32.const 1) (local.get $x))
    (block $c (result i32)
      (try_table (catch $ei $c) (throw_ref (table.get $t (i32.const 1))))
      (unreachable)))
  (func (export "from-global") (result i32)
    (block $c (result i32)
      (try_table (catch $ei $c) (throw_ref (global.get $g)))
      (unreachable)))
  (func (export "is-null") (result i32) (ref.is_null (global.get $g)))
  (func (export "throw-null") (throw_ref (ref.null exn)))

  ;; Traps are never caught.
  (func (export "trap") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h)
        (drop (i32.div_s (i32.const 1) (local.get 0)))
        (throw $e0))
      (return (i32.const 0)))
    (i32.const 1))

  ;; Branching out of a try_table body skips its handlers.
  (func (export "br-out") (param i32) (result i32)
    (block $h
      (block $out
        (try_table (catch_all $h) (br_if $out (local.get 0)) (throw $e0))
        (unreachable))
      (call $throw-if (i32.const 1)))
    (i32.const 2))

  ;; A caught exception of f64 payload.
  (func (export "f64") (param f64) (result f64)
    (block $h (result f64)
      (try_table (catch $ef $h) (throw $ef (local.get 0)))
      (unreachable)))
)

(assert_return (invoke "kinds" (i32.const 1)) (i32.const 10))
(assert_return (invoke "kinds" (i32.const 2)) (i32.const 11))
(assert_return (invoke "kinds" (i32.const 3)) (i32.const 33))
(assert_return (invoke "kinds" (i32.const 0)) (i32.const 12))
(assert_return (invoke "order") (i32.const 2))
(assert_return (invoke "to-func" (i32.const 17)) (i32.const 17))
(assert_return (invoke "to-func-multi") (i32.const 7) (i64.const -8))
(assert_return (invoke "to-loop" (i32.const 5)) (i32.const 5))
(assert_return (invoke "params" (i32.const 0)) (i32.const 1106))
(assert_return (invoke "params" (i32.const 1)) (i32.const 1040))
(assert_return (invoke "nested" (i32.const 0)) (i32.const 0))
(assert_return (invoke "nested" (i32.const 1)) (i32.const 1))
(assert_return (invoke "nested" (i32.const 3)) (i32.const 33))
(assert_exception (invoke "nested" (i32.const 2)))
(assert_return (invoke "is-null") (i32.const 1))
(assert_return (invoke "store" (i32.const 21)) (i32.const 21))
(assert_return (invoke "from-global") (i32.const 21))
(assert_return (invoke "is-null") (i32.const 0))
(assert_trap (invoke "throw-null") "null exception reference")
(assert_trap (invoke "trap" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "trap" (i32.const 1)) (i32.const 1))
(assert_return (invoke "br-out" (i32.const 0)) (i32.const 2))
(assert_exception (invoke "br-out" (i32.const 1)))
(assert_return (invoke "f64" (f64.const -0x1.5p3)) (f64.const -0x1.5p3))

(assert_invalid (module (tag $e (param i32)) (func (try_table (catch $e 0)))) "type mismatch")
(assert_invalid (module (func (result exnref) (try_table (catch_all 0)) (unreachable))) "type mismatch")
