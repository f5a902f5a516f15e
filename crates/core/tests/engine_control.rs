//! Control flow through the engine: blocks with parameters and several results, `br_if` and
//! `br_table` carrying values, loops, dead code, and the translator's local/constant tracking
//! (pending `local.get`s across writes and control flow, result retargeting, fused branches).

mod engine_util;

use engine_util::*;
use jitless_wasm_core::Val;

#[test]
fn multi_value_blocks_loops_and_ifs() {
    let inst = instance(
        r#"(module
      (type $ii-ii (func (param i32 i32) (result i32 i32)))
      (func (export "swap") (param i32 i32) (result i32 i32)
        local.get 1 local.get 0)
      (func (export "block") (param i32 i32) (result i32 i32)
        local.get 0 local.get 1
        block (type $ii-ii)
          i32.add
          i32.const 10
        end)
      (func (export "if") (param i32 i32 i32) (result i32 i32)
        local.get 0 local.get 1
        local.get 2
        if (type $ii-ii)
          i32.sub i32.const 1
        else
          i32.mul i32.const 2
        end)
      ;; sum 1..n with the accumulator and counter as loop parameters
      (func (export "loop") (param i32) (result i32)
        (local i32)
        i32.const 0 local.get 0
        loop (param i32 i32) (result i32)
          local.set 1
          local.get 1 i32.add
          local.get 1 i32.const 1 i32.sub
          local.get 1 i32.const 1 i32.gt_s
          br_if 0
          drop
        end)
      (func (export "br_out") (param i32) (result i32 i32)
        block (result i32 i32)
          i32.const 7 i32.const 8
          local.get 0 br_if 0
          drop drop
          i32.const 1 i32.const 2
        end))"#,
    );
    assert_eq!(call_ok(&inst, "swap", &[Val::I32(1), Val::I32(2)]), vec![Val::I32(2), Val::I32(1)]);
    assert_eq!(call_ok(&inst, "block", &[Val::I32(3), Val::I32(4)]), vec![Val::I32(7), Val::I32(10)]);
    assert_eq!(call_ok(&inst, "if", &[Val::I32(9), Val::I32(4), Val::I32(1)]), vec![Val::I32(5), Val::I32(1)]);
    assert_eq!(call_ok(&inst, "if", &[Val::I32(9), Val::I32(4), Val::I32(0)]), vec![Val::I32(36), Val::I32(2)]);
    assert_eq!(call_i32(&inst, "loop", &[Val::I32(10)]), 55);
    assert_eq!(call_ok(&inst, "br_out", &[Val::I32(1)]), vec![Val::I32(7), Val::I32(8)]);
    assert_eq!(call_ok(&inst, "br_out", &[Val::I32(0)]), vec![Val::I32(1), Val::I32(2)]);
}

#[test]
fn br_table_with_values_loops_and_returns() {
    let inst = instance(
        r#"(module
      (func (export "classify") (param i32) (result i32)
        block $d
          block $c
            block $b
              block $a
                local.get 0
                br_table $a $b $c $d
              end
              i32.const 100 return
            end
            i32.const 101 return
          end
          i32.const 102 return
        end
        i32.const 103)
      ;; br_table carrying two values to blocks and to the function (return)
      (func (export "pairs") (param i32) (result i32 i32)
        block $outer (result i32 i32)
          block $inner (result i32 i32)
            i32.const 5 local.get 0
            local.get 0
            br_table $inner $outer 2 $inner
          end
          i32.const 1000 i32.add
          return
        end
        i32.const 2000 i32.add)
      ;; br_table to a loop: counts down
      (func (export "countdown") (param i32) (result i32)
        (local i32)
        block $done
          loop $top
            local.get 1 i32.const 1 i32.add local.set 1
            local.get 0 i32.const 1 i32.sub local.tee 0
            i32.eqz
            br_table $top $done
          end
          unreachable
        end
        local.get 1)
      (func (export "const_index") (result i32)
        block $a (result i32)
          i32.const 1
          i32.const 7
          br_table $a $a
        end))"#,
    );
    for (i, want) in [(0, 100), (1, 101), (2, 102), (3, 103), (4, 103), (-1, 103)] {
        assert_eq!(call_i32(&inst, "classify", &[Val::I32(i)]), want, "classify({i})");
    }
    assert_eq!(call_ok(&inst, "pairs", &[Val::I32(0)]), vec![Val::I32(5), Val::I32(1000)]);
    assert_eq!(call_ok(&inst, "pairs", &[Val::I32(1)]), vec![Val::I32(5), Val::I32(2001)]);
    assert_eq!(call_ok(&inst, "pairs", &[Val::I32(2)]), vec![Val::I32(5), Val::I32(2)]);
    assert_eq!(call_ok(&inst, "pairs", &[Val::I32(3)]), vec![Val::I32(5), Val::I32(1003)]);
    assert_eq!(call_ok(&inst, "pairs", &[Val::I32(-5)]), vec![Val::I32(5), Val::I32(995)]);
    assert_eq!(call_i32(&inst, "countdown", &[Val::I32(5)]), 5);
    assert_eq!(call_i32(&inst, "const_index", &[]), 1);
}

#[test]
fn pending_local_reads_survive_writes() {
    let inst = instance(
        r#"(module
      ;; the old value of local 0 is still on the stack when it is overwritten
      (func (export "old_plus_new") (param i32) (result i32)
        local.get 0
        i32.const 10 local.set 0
        local.get 0
        i32.add)
      ;; tee: the stack keeps the new value, a pending read keeps the old one
      (func (export "tee") (param i32) (result i32)
        local.get 0
        local.get 0 i32.const 3 i32.mul local.tee 0
        i32.sub)
      ;; a write on only one path of an `if` must not corrupt a value read before the `if`
      (func (export "one_path") (param i32 i32) (result i32)
        local.get 0
        local.get 1
        if
          i32.const 99 local.set 0
        end
        local.get 0
        i32.mul)
      ;; the same across a loop iteration
      (func (export "in_loop") (param i32) (result i32)
        (local i32)
        local.get 0
        loop
          local.get 0 i32.const 1 i32.add local.set 0
          local.get 1 i32.const 1 i32.add local.tee 1
          i32.const 3 i32.lt_u br_if 0
        end
        local.get 0 i32.const 100 i32.mul
        i32.add)
      ;; retargeted results: x = x + 1; y = x * x
      (func (export "retarget") (param i32) (result i32)
        (local i32)
        local.get 0 i32.const 1 i32.add local.set 0
        local.get 0 local.get 0 i32.mul local.set 1
        local.get 1)
      ;; a value computed into a local while another pending read of it exists
      (func (export "retarget_pending") (param i32) (result i32)
        local.get 0
        local.get 0 i32.const 5 i32.add local.set 0
        local.get 0 i32.const 1000 i32.mul
        i32.add)
      ;; swapping two locals through the stack
      (func (export "swap_locals") (param i32 i32) (result i32)
        local.get 0 local.get 1 local.set 0 local.set 1
        local.get 0 i32.const 10 i32.mul local.get 1 i32.add))"#,
    );
    assert_eq!(call_i32(&inst, "old_plus_new", &[Val::I32(5)]), 15);
    assert_eq!(call_i32(&inst, "tee", &[Val::I32(4)]), 4 - 12);
    assert_eq!(call_i32(&inst, "one_path", &[Val::I32(6), Val::I32(1)]), 6 * 99);
    assert_eq!(call_i32(&inst, "one_path", &[Val::I32(6), Val::I32(0)]), 36);
    assert_eq!(call_i32(&inst, "in_loop", &[Val::I32(2)]), 2 + 500);
    assert_eq!(call_i32(&inst, "retarget", &[Val::I32(4)]), 25);
    assert_eq!(call_i32(&inst, "retarget_pending", &[Val::I32(1)]), 1 + 6000);
    assert_eq!(call_i32(&inst, "swap_locals", &[Val::I32(1), Val::I32(2)]), 21);
}

#[test]
fn fused_compare_branches() {
    let inst = instance(
        r#"(module
      (func (export "cmp32") (param i32 i32) (result i32)
        (local i32)
        local.get 0 local.get 1 i32.lt_s if local.get 2 i32.const 1 i32.or local.set 2 end
        local.get 0 local.get 1 i32.lt_u if local.get 2 i32.const 2 i32.or local.set 2 end
        local.get 0 local.get 1 i32.ge_s if local.get 2 i32.const 4 i32.or local.set 2 end
        local.get 0 local.get 1 i32.eq if local.get 2 i32.const 8 i32.or local.set 2 end
        local.get 0 i32.const -5 i32.gt_s if local.get 2 i32.const 16 i32.or local.set 2 end
        i32.const 7 local.get 0 i32.gt_u if local.get 2 i32.const 32 i32.or local.set 2 end
        block local.get 0 i32.eqz br_if 0 local.get 2 i32.const 64 i32.or local.set 2 end
        local.get 2)
      (func (export "cmp64") (param i64 i64) (result i32)
        (local i32)
        local.get 0 local.get 1 i64.le_s if local.get 2 i32.const 1 i32.or local.set 2 end
        local.get 0 local.get 1 i64.gt_u if local.get 2 i32.const 2 i32.or local.set 2 end
        local.get 0 i64.const 0x100000000 i64.lt_s if local.get 2 i32.const 4 i32.or local.set 2 end
        local.get 0 i64.const -1 i64.ne if local.get 2 i32.const 8 i32.or local.set 2 end
        block local.get 0 i64.eqz br_if 0 local.get 2 i32.const 16 i32.or local.set 2 end
        local.get 2)
      ;; a comparison whose result is used twice is not fused away
      (func (export "reuse") (param i32) (result i32)
        local.get 0 i32.const 3 i32.lt_s local.tee 0
        if (result i32) local.get 0 i32.const 10 i32.add else local.get 0 end))"#,
    );
    let c32 = |a: i32, b: i32| {
        let mut r = 0;
        if a < b {
            r |= 1
        }
        if (a as u32) < (b as u32) {
            r |= 2
        }
        if a >= b {
            r |= 4
        }
        if a == b {
            r |= 8
        }
        if a > -5 {
            r |= 16
        }
        if 7 > a as u32 {
            r |= 32
        }
        if a != 0 {
            r |= 64
        }
        r
    };
    for (a, b) in [(0, 0), (1, 2), (-1, 2), (2, -1), (i32::MIN, i32::MAX), (-5, -6), (6, 6), (7, 0)] {
        assert_eq!(call_i32(&inst, "cmp32", &[Val::I32(a), Val::I32(b)]), c32(a, b), "cmp32({a}, {b})");
    }
    let c64 = |a: i64, b: i64| {
        let mut r = 0;
        if a <= b {
            r |= 1
        }
        if a as u64 > b as u64 {
            r |= 2
        }
        if a < 0x1_0000_0000 {
            r |= 4
        }
        if a != -1 {
            r |= 8
        }
        if a != 0 {
            r |= 16
        }
        r
    };
    for (a, b) in [(0, 0), (-1, 1), (1 << 40, 3), (i64::MIN, i64::MAX), (0xffff_ffff, 0x1_0000_0000)] {
        assert_eq!(call_i32(&inst, "cmp64", &[Val::I64(a), Val::I64(b)]), c64(a, b), "cmp64({a}, {b})");
    }
    assert_eq!(call_i32(&inst, "reuse", &[Val::I32(1)]), 11);
    assert_eq!(call_i32(&inst, "reuse", &[Val::I32(5)]), 0);
}

#[test]
fn dead_code_and_constants() {
    let inst = instance(
        r#"(module
      (func (export "dead") (param i32) (result i32)
        block (result i32)
          i32.const 1
          br 0
          block (result i64)
            loop
              unreachable
            end
            i64.const 0
          end
          drop
          i32.const 2
          if (result i32) i32.const 3 else i32.const 4 end
        end
        local.get 0 i32.add)
      (func (export "select") (param i32) (result i32 i64 f64)
        i32.const 1 i32.const 2 local.get 0 select
        i64.const 10 local.get 0 i64.extend_i32_u local.get 0 select (result i64)
        f64.const 1.5 f64.const -2.5 i32.const 0 select)
      (func (export "consts_left") (param i32) (result i32 i32 i32)
        i32.const 100 local.get 0 i32.sub
        i32.const 100 local.get 0 i32.lt_u
        i32.const 3 i32.const 4 i32.add)
      (func (export "return_in_if") (param i32) (result i32 i32)
        local.get 0
        if
          i32.const 1 local.get 0 return
        end
        i32.const 2 i32.const 3))"#,
    );
    assert_eq!(call_i32(&inst, "dead", &[Val::I32(5)]), 6);
    assert_eq!(call_ok(&inst, "select", &[Val::I32(0)]), vec![Val::I32(2), Val::I64(0), Val::from_f64(-2.5)]);
    assert_eq!(call_ok(&inst, "select", &[Val::I32(3)]), vec![Val::I32(1), Val::I64(10), Val::from_f64(-2.5)]);
    assert_eq!(call_ok(&inst, "consts_left", &[Val::I32(30)]), vec![Val::I32(70), Val::I32(0), Val::I32(7)]);
    assert_eq!(call_ok(&inst, "consts_left", &[Val::I32(300)]), vec![Val::I32(-200), Val::I32(1), Val::I32(7)]);
    assert_eq!(call_ok(&inst, "return_in_if", &[Val::I32(9)]), vec![Val::I32(1), Val::I32(9)]);
    assert_eq!(call_ok(&inst, "return_in_if", &[Val::I32(0)]), vec![Val::I32(2), Val::I32(3)]);
}

#[test]
fn huge_frames_are_rejected_at_compile_time() {
    // 49,000 locals plus 17,000 operand-stack values exceed the 65,535 slots a frame may have.
    let locals = "i32 ".repeat(49_000);
    let pushes = "i32.const 0 ".repeat(17_000);
    let drops = "drop ".repeat(17_000);
    let wat = format!("(module (func (local {locals}) {pushes} {drops}))");
    let bytes = jitless_wasm_core::text::wat_to_wasm(&wat).unwrap();
    let err = jitless_wasm_core::Module::new(&bytes).unwrap_err();
    assert!(err.message.contains("value slots"), "{err}");
    // Just below the limit is fine.
    let pushes = "i32.const 0 ".repeat(16_000);
    let drops = "drop ".repeat(16_000);
    let wat = format!("(module (func (export \"f\") (local {locals}) {pushes} {drops}))");
    let inst = instance(&wat);
    call_ok(&inst, "f", &[]);
}
