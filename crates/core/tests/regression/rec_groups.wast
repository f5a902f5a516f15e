;; Recursion groups of function types: iso-recursive type equivalence across modules, in
;; call_indirect signature checks, and in tag matching; plus global.get of defined globals in
;; constant expressions.

(module $A
  (rec (type $f (func (param (ref null $g)) (result i32))) (type $g (func (param (ref null $f)) (result i32))))
  (func (export "f") (type $f) (i32.const 1))
  (func (export "g") (type $g) (i32.const 2))
  (tag (export "t") (param (ref null $f)))
  (table (export "tab") 2 funcref)
  (elem (table 0) (i32.const 0) func 0 1)
)
(register "A" $A)

;; An equivalent group in another module: the same types.
(module $B
  (rec (type $f (func (param (ref null $g)) (result i32))) (type $g (func (param (ref null $f)) (result i32))))
  (import "A" "f" (func $af (type $f)))
  (import "A" "g" (func $ag (type $g)))
  (import "A" "t" (tag (param (ref null $f))))
  (import "A" "tab" (table 2 funcref))
  (func (export "call") (param i32) (result i32)
    (call_indirect (type $f) (ref.null $g) (local.get 0)))
)
(assert_return (invoke "call" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "call" (i32.const 1)) "indirect call type mismatch")

;; The same types at other positions are not equivalent.
(assert_unlinkable
  (module
    (rec (type $f (func (param (ref null $g)) (result i32))) (type $g (func (param (ref null $f)) (result i32))))
    (import "A" "f" (func (type $g))))
  "incompatible import type")

;; A structurally equal type in a different group is not equivalent.
(assert_unlinkable
  (module
    (rec (type $f (func (param (ref null $g)) (result i32))) (type $g (func (param (ref null $f)) (result i32))) (type (func)))
    (import "A" "f" (func (type $f))))
  "incompatible import type")

;; Members of a group of two equal-looking types differ from each other and from the plain type.
(module
  (rec (type $a (func)) (type $b (func)))
  (type $c (func))
  (func $fa (type $a))
  (func $fc (type $c))
  (table 2 funcref)
  (elem (i32.const 0) func $fa $fc)
  (func (export "a") (param i32) (call_indirect (type $a) (local.get 0)))
  (func (export "b") (param i32) (call_indirect (type $b) (local.get 0)))
  (func (export "c") (param i32) (call_indirect (type $c) (local.get 0)))
)
(assert_return (invoke "a" (i32.const 0)))
(assert_trap (invoke "b" (i32.const 0)) "indirect call type mismatch")
(assert_trap (invoke "c" (i32.const 0)) "indirect call type mismatch")
(assert_trap (invoke "a" (i32.const 1)) "indirect call type mismatch")
(assert_return (invoke "c" (i32.const 1)))

;; A group of one type is the plain type; a self-referring one is not.
(module
  (rec (type $r (func (param (ref null $r)))))
  (type $p (func (param funcref)))
  (rec (type $s (func)))
  (func $f (type $s))
  (table 1 funcref)
  (elem (i32.const 0) func $f)
  (func (export "plain") (call_indirect (type 3) (i32.const 0)))
  (type (func))
)
(assert_return (invoke "plain"))

;; global.get of earlier defined globals in constant expressions.
(module
  (global $a i32 (i32.const 40))
  (global $b i32 (i32.add (global.get $a) (i32.const 2)))
  (memory 1)
  (data (offset (global.get $a)) "\2a")
  (func (export "b") (result i32) (global.get $b))
  (func (export "byte") (result i32) (i32.load8_u (i32.const 40)))
)
(assert_return (invoke "b") (i32.const 42))
(assert_return (invoke "byte") (i32.const 42))
