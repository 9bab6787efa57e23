;; Traps in guest code: they surface as errors of the call (or of the
;; instantiation) with the core trap's message.
(component definition $Traps
  (core module $M
    (memory 1)
    (func (export "unreachable") (result i32) unreachable)
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func $recurse (export "recurse") (param i32) (result i32)
      (call $recurse (i32.add (local.get 0) (i32.const 1))))
  )
  (core instance $m (instantiate $M))
  (func (export "unreachable") (result u32) (canon lift (core func $m "unreachable")))
  (func (export "div") (param "x" u32) (result u32) (canon lift (core func $m "div")))
  (func (export "load") (param "p" u32) (result u32) (canon lift (core func $m "load")))
  (func (export "recurse") (param "x" u32) (result u32) (canon lift (core func $m "recurse")))
)
(component instance $traps $Traps)
(assert_trap (invoke "unreachable") "unreachable")
(component instance $traps $Traps)
(assert_return (invoke "div" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "div" (u32.const 0)) "integer divide by zero")
(component instance $traps $Traps)
(assert_return (invoke "load" (u32.const 65532)) (u32.const 0))
(assert_trap (invoke "load" (u32.const 65533)) "out of bounds memory access")
(component instance $traps $Traps)
(assert_exhaustion (invoke "recurse" (u32.const 0)) "call stack exhausted")

;; A trap in a core start function fails the instantiation.
(assert_trap
  (component
    (core module $M (func $start unreachable) (start $start))
    (core instance (instantiate $M)))
  "unreachable")

;; A trap in an inner component propagates to the outer caller.
(component definition $Nested
  (component $Inner
    (core module $M (func (export "f") (param i32) (result i32)
      (if (i32.eqz (local.get 0)) (then unreachable))
      (local.get 0)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "x" u32) (result u32) (canon lift (core func $m "f"))))
  (component $Outer
    (import "f" (func $f (param "x" u32) (result u32)))
    (core func $f' (canon lower (func $f)))
    (core module $M
      (import "" "f" (func $f (param i32) (result i32)))
      (func (export "g") (param i32) (result i32) (i32.mul (call $f (local.get 0)) (i32.const 2))))
    (core instance $m (instantiate $M (with "" (instance (export "f" (func $f'))))))
    (func (export "g") (param "x" u32) (result u32) (canon lift (core func $m "g"))))
  (instance $inner (instantiate $Inner))
  (instance $outer (instantiate $Outer (with "f" (func $inner "f"))))
  (func (export "g") (alias export $outer "g"))
)
(component instance $nested $Nested)
(assert_return (invoke "g" (u32.const 21)) (u32.const 42))
(assert_trap (invoke "g" (u32.const 0)) "unreachable")

;; Named instances: `invoke $name` calls a specific instance.
(component instance $a $Traps)
(component instance $b $Nested)
(assert_return (invoke $a "div" (u32.const 1)) (u32.const 1))
(assert_return (invoke $b "g" (u32.const 2)) (u32.const 4))
(assert_return (invoke "g" (u32.const 3)) (u32.const 6))
