//! A large component, generated: one core module of `funcs` functions
//! (string hashing, unrolled into long bodies), a tenth of them lifted
//! as `func(s: string) -> u32`, and a lowered `log` import. Big enough that
//! compiling it takes seconds, like a real guest built from a language
//! runtime; generated rather than committed.

use std::fmt::Write as _;

/// Core functions in the main module of the measured component.
pub const FUNCS: usize = 2000;

/// The component's text, with `funcs` core functions of which `funcs / 10`
/// are lifted as exports.
pub fn large_wat(funcs: usize) -> String {
    let exports = funcs / 10;
    let mut w = String::new();
    w.push_str(
        r#"(component
  (import "log" (func $log (param "msg" string)))
  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $bump))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $log (canon lower (func $log) (memory (core memory $libc "memory"))))
  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "log" (func $log (param i32 i32)))
"#,
    );
    for i in 0..funcs {
        // FNV-style hash of the bytes, then a chain of mixing steps with
        // constants that differ per function.
        let _ = write!(
            w,
            r#"    (func $f{i} (export "f{i}") (param $p i32) (param $n i32) (result i32)
      (local $h i32) (local $i i32)
      (local.set $h (i32.const {seed}))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i32.mul (i32.xor (local.get $h)
          (i32.load8_u (i32.add (local.get $p) (local.get $i)))) (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
"#,
            seed = 2166136261u32 as i32 ^ i as i32,
        );
        for k in 0..12 {
            let _ = writeln!(
                w,
                "      (local.set $h (i32.add (i32.rotl (i32.xor (local.get $h) (i32.const {})) (i32.const {})) (i32.const {})))",
                (i * 31 + k * 7) as i32,
                (k % 31) + 1,
                (i as i32).wrapping_mul(k as i32 + 3),
            );
        }
        if i % 100 == 0 {
            w.push_str("      (call $log (local.get $p) (local.get $n))\n");
        }
        w.push_str("      (local.get $h))\n");
    }
    w.push_str(
        r#"  )
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance (export "log" (func $log))))))
"#,
    );
    for i in 0..exports {
        let _ = writeln!(
            w,
            r#"  (func (export "f{i}") (param "s" string) (result u32)
    (canon lift (core func $main "f{i}") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))"#
        );
    }
    w.push_str(")\n");
    w
}
