;; The legacy exception-handling instructions (what Node 20's V8 runs and Emscripten emits):
;; try/catch/catch_all/delegate/rethrow, with payloads of every type, traps (never caught),
;; calls, call_indirect and deep unwinding.

(module
  (tag $e0 (export "e0"))
  (func (export "throw") (throw $e0))
)
(register "test")

(module
  (tag $imported (import "test" "e0"))
  (func $imported-throw (import "test" "throw"))
  (tag $e0)
  (tag $e1)
  (tag $e-i32 (param i32))
  (tag $e-i64 (param i64))
  (tag $e-f32 (param f32))
  (tag $e-f64 (param f64))
  (tag $e-ext (param externref))
  (tag $e-func (param funcref))
  (tag $e-mixed (param i32 i64 f32 f64))
  (tag $e-exn (param exnref))

  (func $throw-if (param i32) (result i32)
    (if (local.get 0) (then (throw $e0)))
    (i32.const 0))

  (func (export "simple") (param i32) (result i32)
    try (result i32)
      (drop (call $throw-if (local.get 0))) (i32.const 42)
    catch $e0
      (i32.const 23)
    end)

  (func (export "catch-order") (param i32) (result i32)
    try (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $e0)))
      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e1)))
      (throw $e-i32 (local.get 0))
    catch $e1 (i32.const 11)
    catch $e0 (i32.const 10)
    catch_all (i32.const 99)
    end)

  (func (export "uncaught") (param i32) (result i32)
    try (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $e1)))
      (i32.const 5)
    catch $e0 (i32.const 10)
    end)

  (func (export "payload-i32") (param i32) (result i32)
    try (result i32) (throw $e-i32 (local.get 0)) catch $e-i32 end)
  (func (export "payload-i64") (param i64) (result i64)
    try (result i64) (throw $e-i64 (local.get 0)) catch $e-i64 end)
  (func (export "payload-f32") (param f32) (result f32)
    try (result f32) (throw $e-f32 (local.get 0)) catch $e-f32 end)
  (func (export "payload-f64") (param f64) (result f64)
    try (result f64) (throw $e-f64 (local.get 0)) catch $e-f64 end)
  (func (export "payload-ext") (param externref) (result externref)
    try (result externref) (throw $e-ext (local.get 0)) catch $e-ext end)
  (func $f42 (result i32) (i32.const 42))
  (elem declare func $f42)
  (type $ri32 (func (result i32)))
  (func (export "payload-func") (result i32)
    (local $f funcref)
    try (result funcref) (throw $e-func (ref.func $f42)) catch $e-func end
    (local.set $f)
    (table.set $t (i32.const 1) (local.get $f))
    (call_indirect $t (type $ri32) (i32.const 1)))
  (func (export "payload-mixed") (param i32 i64 f32 f64) (result i32 i64 f32 f64)
    try (result i32 i64 f32 f64)
      (throw $e-mixed (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    catch $e-mixed
    end)

  ;; Traps are never caught, by catch_all either, also in a callee.
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "trap-not-caught") (param i32 i32) (result i32)
    try (result i32)
      (call $div (local.get 0) (local.get 1))
    catch_all (i32.const -1)
    end)
  (func (export "unreachable-not-caught")
    try (unreachable) catch_all end)
  (func $rec (param i32) (result i32) (call $rec (i32.add (local.get 0) (i32.const 1))))
  (func (export "overflow-not-caught") (result i32)
    try (result i32) (call $rec (i32.const 0)) catch_all (i32.const -1) end)

  ;; delegate to an outer try, past an intermediate one.
  (func (export "delegate-outer") (param i32) (result i32)
    try $outer (result i32)
      try (result i32)
        try (result i32)
          (drop (call $throw-if (local.get 0))) (i32.const 1)
        delegate $outer
      catch $e0 (i32.const 2)
      end
    catch $e0 (i32.const 3)
    end)

  ;; delegate to a plain block: the next enclosing try handles it.
  (func (export "delegate-block") (result i32)
    try (result i32)
      block $b (result i32)
        try (result i32)
          try (result i32) (throw $e0) delegate $b
        catch_all (i32.const 2)
        end
      end
    catch $e0 (i32.const 3)
    end)

  ;; delegate to the function level: to the caller, past the enclosing try.
  (func $delegate-to-caller
    try
      try (throw $e0) delegate 1
    catch_all
    end)
  (func (export "delegate-caller") (result i32)
    try (result i32) (call $delegate-to-caller) (i32.const 1) catch $e0 (i32.const 2) end)
  (func (export "delegate-caller-uncaught") (call $delegate-to-caller))

  ;; delegate 0 from the body of a try: its catches apply.
  (func (export "delegate-zero") (result i32)
    try (result i32)
      try (result i32) (throw $e1) delegate 0
    catch $e1 (i32.const 7)
    end)

  ;; rethrow from catch and catch_all, and with depth from a nested catch.
  (func (export "rethrow") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (local.get 0))
      catch $e-i32 (drop) (rethrow 0)
      end
    catch $e-i32
    end)
  (func (export "rethrow-all") (result i32)
    try (result i32)
      try (throw $e0) catch_all (rethrow 0) end
      (i32.const 0)
    catch $e0 (i32.const 1)
    end)
  (func (export "rethrow-nested") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (i32.const 1))
      catch $e-i32
        (drop)
        try (result i32)
          (throw $e-i32 (i32.const 2))
        catch $e-i32
          (drop)
          (if (i32.eqz (local.get 0)) (then (rethrow 2)))
          (rethrow 0)
        end
      end
    catch $e-i32
    end)
  (func (export "rethrow-in-block") (result i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (i32.const 9))
      catch_all
        (block (block (rethrow 2)))
        (i32.const 0)
      end
    catch $e-i32
    end)
  ;; A catch block keeps the caught exception for later rethrows, across nested handlers.
  (func (export "catch-values") (param i32) (result i32)
    (local $x i32)
    try (result i32)
      try (result i32)
        (throw $e-i32 (local.get 0))
      catch $e-i32
        (local.set $x)
        try (throw $e0) catch $e0 end
        (if (i32.gt_u (local.get $x) (i32.const 100)) (then (rethrow 1)))
        (i32.add (local.get $x) (i32.const 1))
      end
    catch $e-i32 (i32.const 1000) (i32.add)
    end)

  ;; Exceptions through call_indirect and imported functions.
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $throw-if)
  (type $ii (func (param i32) (result i32)))
  (func (export "via-call-indirect") (param i32) (result i32)
    try (result i32)
      (call_indirect $t (type $ii) (local.get 0) (i32.const 0))
    catch $e0 (i32.const 77)
    end)
  (func (export "imported") (result i32)
    try (result i32) (call $imported-throw) (i32.const 0) catch $imported (i32.const 1) end)
  (func (export "imported-not-local") (result i32)
    try (result i32)
      try (result i32) (call $imported-throw) (i32.const 0) catch $e0 (i32.const 1) end
    catch_all (i32.const 2)
    end)

  ;; Unwinding through many frames, then catching in the middle of a recursion.
  (func $deep (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $e-i32 (i32.const 1234)))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "deep") (param i32) (result i32)
    try (result i32) (call $deep (local.get 0)) catch $e-i32 end)
  (func $catch-every (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (throw $e-i32 (i32.const 0)))
      (else
        try (result i32)
          (call $catch-every (i32.sub (local.get 0) (i32.const 1)))
        catch $e-i32 (i32.add (i32.const 1)) (throw $e-i32)
        end)))
  (func (export "catch-every") (param i32) (result i32)
    try (result i32) (call $catch-every (local.get 0)) catch $e-i32 end)

  ;; A try in a loop, with the try body first in the loop (header copies must not move it).
  (func (export "loop") (param i32) (result i32)
    (local $n i32)
    loop $l
      try
        (drop (call $throw-if (i32.const 1)))
      catch $e0
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
      end
      (br_if $l (i32.lt_u (local.get $n) (local.get 0)))
    end
    (local.get $n))

  ;; Block parameters, branches out of try and catch bodies, and values below the try.
  (func (export "params") (param i32) (result i32)
    (i32.const 100)
    (local.get 0)
    try (param i32) (result i32)
      (if (param i32) (result i32) (i32.eqz (local.get 0)) (then (throw $e-i32)) (else))
    catch $e-i32 (i32.const 10) (i32.add)
    end
    (i32.add))
  (func (export "branch-out") (param i32) (result i32)
    block $out (result i32)
      try (result i32)
        (br_if $out (i32.const 5) (local.get 0)) (throw $e0)
      catch $e0 (br $out (i32.const 6))
      end
    end)

  ;; try_table and legacy try mix; exnref as a payload.
  (func (export "mixed") (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        try (throw $e0) catch $e1 end)
      (return (i32.const 0)))
    try (param exnref) (result i32) (throw_ref) catch $e0 (i32.const 8) end)
  (func $exn-payload (export "exn-payload") (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $e-i32 (i32.const 31)))
      (unreachable))
    (throw $e-exn))
  (func (export "exn-payload-catch") (result i32)
    (block $h2 (result exnref)
      (try_table (catch $e-exn $h2) (drop (call $exn-payload)))
      (unreachable))
    (block $h (param exnref) (result i32)
      (try_table (param exnref) (catch $e-i32 $h) (throw_ref))
      (unreachable)))
  (func (export "throw-ref-null")
    (throw_ref (ref.null exn)))
)

(assert_return (invoke "simple" (i32.const 0)) (i32.const 42))
(assert_return (invoke "simple" (i32.const 1)) (i32.const 23))
(assert_return (invoke "catch-order" (i32.const 0)) (i32.const 10))
(assert_return (invoke "catch-order" (i32.const 1)) (i32.const 11))
(assert_return (invoke "catch-order" (i32.const 2)) (i32.const 99))
(assert_exception (invoke "uncaught" (i32.const 0)))
(assert_return (invoke "uncaught" (i32.const 1)) (i32.const 5))

(assert_return (invoke "payload-i32" (i32.const -7)) (i32.const -7))
(assert_return (invoke "payload-i64" (i64.const 0x123456789abcdef0)) (i64.const 0x123456789abcdef0))
(assert_return (invoke "payload-f32" (f32.const -1.5)) (f32.const -1.5))
(assert_return (invoke "payload-f32" (f32.const nan:0x200001)) (f32.const nan:0x200001))
(assert_return (invoke "payload-f64" (f64.const 2.25)) (f64.const 2.25))
(assert_return (invoke "payload-f64" (f64.const -nan:0x4000000000001)) (f64.const -nan:0x4000000000001))
(assert_return (invoke "payload-ext" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "payload-ext" (ref.null extern)) (ref.null extern))
(assert_return (invoke "payload-func") (i32.const 42))
(assert_return (invoke "payload-mixed" (i32.const 1) (i64.const -2) (f32.const 3.5) (f64.const -4.25))
  (i32.const 1) (i64.const -2) (f32.const 3.5) (f64.const -4.25))

(assert_return (invoke "trap-not-caught" (i32.const 6) (i32.const 3)) (i32.const 2))
(assert_trap (invoke "trap-not-caught" (i32.const 6) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "unreachable-not-caught") "unreachable")
(assert_exhaustion (invoke "overflow-not-caught") "call stack exhausted")

(assert_return (invoke "delegate-outer" (i32.const 0)) (i32.const 1))
(assert_return (invoke "delegate-outer" (i32.const 1)) (i32.const 3))
(assert_return (invoke "delegate-block") (i32.const 3))
(assert_return (invoke "delegate-caller") (i32.const 2))
(assert_exception (invoke "delegate-caller-uncaught"))
(assert_return (invoke "delegate-zero") (i32.const 7))

(assert_return (invoke "rethrow" (i32.const 17)) (i32.const 17))
(assert_return (invoke "rethrow-all") (i32.const 1))
(assert_return (invoke "rethrow-nested" (i32.const 0)) (i32.const 1))
(assert_return (invoke "rethrow-nested" (i32.const 1)) (i32.const 2))
(assert_return (invoke "rethrow-in-block") (i32.const 9))
(assert_return (invoke "catch-values" (i32.const 5)) (i32.const 6))
(assert_return (invoke "catch-values" (i32.const 500)) (i32.const 1500))

(assert_return (invoke "via-call-indirect" (i32.const 0)) (i32.const 0))
(assert_return (invoke "via-call-indirect" (i32.const 1)) (i32.const 77))
(assert_return (invoke "imported") (i32.const 1))
(assert_return (invoke "imported-not-local") (i32.const 2))

(assert_return (invoke "deep" (i32.const 10000)) (i32.const 1234))
(assert_return (invoke "catch-every" (i32.const 1000)) (i32.const 1000))

(assert_return (invoke "loop" (i32.const 5)) (i32.const 5))
(assert_return (invoke "params" (i32.const 0)) (i32.const 110))
(assert_return (invoke "params" (i32.const 3)) (i32.const 103))
(assert_return (invoke "branch-out" (i32.const 1)) (i32.const 5))
(assert_return (invoke "branch-out" (i32.const 0)) (i32.const 6))

(assert_return (invoke "mixed") (i32.const 8))
(assert_exception (invoke "exn-payload"))
(assert_return (invoke "exn-payload-catch") (i32.const 31))
(assert_trap (invoke "throw-ref-null") "null exception reference")

;; Validation: rethrow outside a catch, and delegate to a label out of range.
(assert_invalid (module (func try (rethrow 0) end)) "")
(assert_invalid (module (func (block (rethrow 0)))) "")
(assert_invalid (module (tag $e) (func try catch $e (rethrow 1) end)) "")
(assert_invalid (module (func try delegate 1)) "")
