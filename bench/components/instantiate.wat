;; The component of the instantiation case of `benches/calls.rs`: ten
;; imported functions (five `func(x: u32) -> u32`, three `func(s: string)`,
;; two `func(s: string) -> string`), a "libc" core module with memory and a
;; bump `realloc` (as in calls.wat, without its wrap-around: nothing is
;; called), a "main" module that imports all ten lowered functions, and
;; three exports. Instantiating it creates two core instances, one memory
;; and ten lowered imports.
(component
  (import "f0" (func $f0 (param "x" u32) (result u32)))
  (import "f1" (func $f1 (param "x" u32) (result u32)))
  (import "f2" (func $f2 (param "x" u32) (result u32)))
  (import "f3" (func $f3 (param "x" u32) (result u32)))
  (import "f4" (func $f4 (param "x" u32) (result u32)))
  (import "f5" (func $f5 (param "s" string)))
  (import "f6" (func $f6 (param "s" string)))
  (import "f7" (func $f7 (param "s" string)))
  (import "f8" (func $f8 (param "s" string) (result string)))
  (import "f9" (func $f9 (param "s" string) (result string)))

  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc")
        (param $old i32) (param $old-size i32) (param $align i32) (param $size i32)
        (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (global.set $bump (i32.add (local.get $p) (local.get $size)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (core func $f0 (canon lower (func $f0)))
  (core func $f1 (canon lower (func $f1)))
  (core func $f2 (canon lower (func $f2)))
  (core func $f3 (canon lower (func $f3)))
  (core func $f4 (canon lower (func $f4)))
  (core func $f5 (canon lower (func $f5) (memory (core memory $libc "memory"))))
  (core func $f6 (canon lower (func $f6) (memory (core memory $libc "memory"))))
  (core func $f7 (canon lower (func $f7) (memory (core memory $libc "memory"))))
  (core func $f8 (canon lower (func $f8)
    (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $f9 (canon lower (func $f9)
    (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "host" "f0" (func $f0 (param i32) (result i32)))
    (import "host" "f1" (func $f1 (param i32) (result i32)))
    (import "host" "f2" (func $f2 (param i32) (result i32)))
    (import "host" "f3" (func $f3 (param i32) (result i32)))
    (import "host" "f4" (func $f4 (param i32) (result i32)))
    (import "host" "f5" (func $f5 (param i32 i32)))
    (import "host" "f6" (func $f6 (param i32 i32)))
    (import "host" "f7" (func $f7 (param i32 i32)))
    (import "host" "f8" (func $f8 (param i32 i32 i32)))
    (import "host" "f9" (func $f9 (param i32 i32 i32)))
    (data (i32.const 16) "hello")
    (func (export "run") (result i32)
      (call $f5 (i32.const 16) (i32.const 5))
      (call $f0 (i32.const 1)))
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))
    (func (export "nothing")))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "f0" (func $f0))
      (export "f1" (func $f1))
      (export "f2" (func $f2))
      (export "f3" (func $f3))
      (export "f4" (func $f4))
      (export "f5" (func $f5))
      (export "f6" (func $f6))
      (export "f7" (func $f7))
      (export "f8" (func $f8))
      (export "f9" (func $f9))))))

  (func (export "run") (result u32) (canon lift (core func $main "run")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $main "add")))
  (func (export "nothing") (canon lift (core func $main "nothing")))
)
