;; WasmGC casts: a visitor over a subtype hierarchy. 1000 shapes (circle, rect, square <: rect,
;; triangle, or null, chosen by an LCG) sit in an array of (ref null $shape); each of n rounds
;; visits all of them, dispatching with `br_on_cast` (square, circle), then `ref.test` +
;; `ref.cast` (rect, triangle); each visit reads fields of the cast type, mutates one field
;; (so later rounds see other values) and folds a value into the checksum.
(module
  (type $shape (sub (struct (field $tag i32))))
  (type $circle (sub final $shape (struct (field $tag i32) (field $r (mut i32)))))
  (type $rect (sub $shape (struct (field $tag i32) (field $w (mut i32)) (field $h i32))))
  (type $square (sub final $rect (struct (field $tag i32) (field $w (mut i32)) (field $h i32))))
  (type $tri (sub final $shape
    (struct (field $tag i32) (field $a i32) (field $b i32) (field $c (mut i32)))))
  (type $shapes (array (mut (ref null $shape))))

  (global $count i32 (i32.const 1000))

  ;; The shapes: x = x * 1103515245 + 12345; kind = (x >>> 16) % 5.
  (func $make (result (ref $shapes))
    (local $arr (ref $shapes)) (local $i i32) (local $x i32) (local $kind i32)
    (local.set $arr (array.new_default $shapes (global.get $count)))
    (local.set $x (i32.const 2463534))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (global.get $count)))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $kind (i32.rem_u (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 5)))
      (block $set
        (block $null (block $t (block $s (block $re (block $c
          (br_table $c $re $s $t $null (local.get $kind)))
          ;; circle: r = x & 63
          (array.set $shapes (local.get $arr) (local.get $i)
            (struct.new $circle (local.get $kind) (i32.and (local.get $x) (i32.const 63))))
          (br $set))
          ;; rect: w = (x >>> 8) & 31, h = (x >>> 3) & 31
          (array.set $shapes (local.get $arr) (local.get $i)
            (struct.new $rect (local.get $kind)
              (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 31))
              (i32.and (i32.shr_u (local.get $x) (i32.const 3)) (i32.const 31))))
          (br $set))
          ;; square: w = h = (x >>> 5) & 31
          (array.set $shapes (local.get $arr) (local.get $i)
            (struct.new $square (local.get $kind)
              (i32.and (i32.shr_u (local.get $x) (i32.const 5)) (i32.const 31))
              (i32.and (i32.shr_u (local.get $x) (i32.const 5)) (i32.const 31))))
          (br $set))
          ;; triangle: a = x & 15, b = (x >>> 4) & 15, c = (x >>> 9) & 15
          (array.set $shapes (local.get $arr) (local.get $i)
            (struct.new $tri (local.get $kind)
              (i32.and (local.get $x) (i32.const 15))
              (i32.and (i32.shr_u (local.get $x) (i32.const 4)) (i32.const 15))
              (i32.and (i32.shr_u (local.get $x) (i32.const 9)) (i32.const 15))))
          (br $set))
        ;; null: the default element stays
        )
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $arr))

  ;; One visit: the value of a shape, mutating it.
  (func $visit (param $e (ref null $shape)) (result i32)
    (local $sq (ref $square)) (local $c (ref $circle)) (local $re (ref $rect)) (local $t (ref $tri))
    (local $v i32)
    (block $done
      (block $is_circle (result (ref $circle))
        (block $is_square (result (ref $square))
          (local.get $e)
          (br_on_cast $is_square (ref null $shape) (ref $square))
          (br_on_cast $is_circle (ref null $shape) (ref $circle))
          (local.set $e)
          (if (ref.test (ref $rect) (local.get $e))
            (then
              ;; rect: v = w * h + tag; w = (w + 1) & 31
              (local.set $re (ref.cast (ref $rect) (local.get $e)))
              (local.set $v (i32.add
                (i32.mul (struct.get $rect $w (local.get $re)) (struct.get $rect $h (local.get $re)))
                (struct.get $rect $tag (local.get $re))))
              (struct.set $rect $w (local.get $re)
                (i32.and (i32.add (struct.get $rect $w (local.get $re)) (i32.const 1)) (i32.const 31))))
            (else
              (if (ref.test (ref $tri) (local.get $e))
                (then
                  ;; triangle: v = a + 3b + c; c = (c + a + 1) & 255
                  (local.set $t (ref.cast (ref $tri) (local.get $e)))
                  (local.set $v (i32.add (i32.add (struct.get $tri $a (local.get $t))
                      (i32.mul (struct.get $tri $b (local.get $t)) (i32.const 3)))
                    (struct.get $tri $c (local.get $t))))
                  (struct.set $tri $c (local.get $t)
                    (i32.and (i32.add (i32.add (struct.get $tri $c (local.get $t))
                                               (struct.get $tri $a (local.get $t)))
                                      (i32.const 1))
                             (i32.const 255))))
                ;; null
                (else (local.set $v (i32.const 7))))))
          (br $done))
        ;; square: v = 2 w^2 + h; w = (w + 3) & 31 (read and written through the $rect view)
        (local.set $sq)
        (local.set $v (i32.add
          (i32.shl (i32.mul (struct.get $square $w (local.get $sq)) (struct.get $square $w (local.get $sq)))
                   (i32.const 1))
          (struct.get $square $h (local.get $sq))))
        (local.set $re (local.get $sq))
        (struct.set $rect $w (local.get $re)
          (i32.and (i32.add (struct.get $rect $w (local.get $re)) (i32.const 3)) (i32.const 31)))
        (br $done))
      ;; circle: v = 3 r^2; r = (5r + 1) & 63
      (local.set $c)
      (local.set $v (i32.mul (i32.mul (struct.get $circle $r (local.get $c))
                                      (struct.get $circle $r (local.get $c)))
                             (i32.const 3)))
      (struct.set $circle $r (local.get $c)
        (i32.and (i32.add (i32.mul (struct.get $circle $r (local.get $c)) (i32.const 5)) (i32.const 1))
                 (i32.const 63))))
    (local.get $v))

  ;; checksum: acc = acc * 31 + visit(shape) over n rounds of all shapes, in order.
  (func (export "run") (param $n i32) (result i64)
    (local $arr (ref $shapes)) (local $r i32) (local $i i32) (local $acc i64)
    (local.set $arr (call $make))
    (block $done (loop $rounds
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $row_done (loop $row
        (br_if $row_done (i32.ge_u (local.get $i) (array.len (local.get $arr))))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
          (i64.extend_i32_u (call $visit (array.get $shapes (local.get $arr) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rounds)))
    (local.get $acc)))
