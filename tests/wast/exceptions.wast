;; Exceptions and tags in a component's core modules (the exception-handling
;; proposal, on in wasmtime's default build and in wit-host's `gc` feature).
;; An exception never crosses a component boundary: one the guest does not
;; catch is the trap `uncaught exception propagated out of component`, and
;; the instance is locked down like after any trap.

;; Thrown and caught inside one core module: a normal return.
(component
  (core module $M
    (tag $t (param i32))
    (func $throw (param i32) (throw $t (local.get 0)))
    (func (export "catch") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $throw (local.get 0)))
        (i32.const -1))
      (i32.const 1)
      i32.add))
  (core instance $m (instantiate $M))
  (func (export "catch") (param "x" u32) (result u32) (canon lift (core func $m "catch"))))
(assert_return (invoke "catch" (u32.const 41)) (u32.const 42))

;; A tag shared by two core instances through the component: the exporter
;; throws, the importer catches.
(component
  (core module $Thrower
    (tag $t (export "t") (param i32))
    (func (export "throw") (param i32) (throw $t (local.get 0))))
  (core instance $thrower (instantiate $Thrower))
  (core module $Catcher
    (import "thrower" "t" (tag $t (param i32)))
    (import "thrower" "throw" (func $throw (param i32)))
    (func (export "run") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $throw (local.get 0)))
        (i32.const -1))))
  (core instance $catcher (instantiate $Catcher (with "thrower" (instance $thrower))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $catcher "run"))))
(assert_return (invoke "run" (u32.const 7)) (u32.const 7))

;; Uncaught by an export the host calls: a trap (and lockdown: see
;; tests/all/lockdown.rs).
(component definition $Uncaught
  (core module $M
    (tag $t)
    (func (export "throw") (throw $t))
    (func (export "one") (result i32) (i32.const 1)))
  (core instance $m (instantiate $M))
  (func (export "throw") (canon lift (core func $m "throw")))
  (func (export "one") (result u32) (canon lift (core func $m "one"))))
(component instance $uncaught $Uncaught)
(assert_return (invoke "one") (u32.const 1))
(assert_trap (invoke "throw") "uncaught exception propagated out of component")
;; A fresh instance in the same store works.
(component instance $uncaught2 $Uncaught)
(assert_return (invoke "one") (u32.const 1))

;; Uncaught in a start function: the instantiation fails with the trap.
(assert_trap
  (component
    (core module $M
      (tag $t)
      (func $start (throw $t))
      (start $start))
    (core instance $m (instantiate $M)))
  "uncaught exception propagated out of component")

;; Uncaught in a callee component: the fused adapter between the two turns
;; it into a trap before it reaches the caller's `catch_all`.
(component definition $Fused
  (component $A
    (core module $M
      (tag $t)
      (func (export "f") (throw $t)))
    (core instance $m (instantiate $M))
    (func (export "f") (canon lift (core func $m "f"))))
  (component $B
    (import "f" (func $f))
    (core func $f (canon lower (func $f)))
    (core module $M
      (import "" "f" (func $f))
      (func (export "run") (result i32)
        (block $h
          (try_table (catch_all $h) (call $f))
          (return (i32.const 0)))
        ;; the exception leaked into this component
        (i32.const 1)))
    (core instance $m (instantiate $M (with "" (instance (export "f" (func $f))))))
    (func (export "run") (result u32) (canon lift (core func $m "run"))))
  (instance $a (instantiate $A))
  (instance $b (instantiate $B (with "f" (func $a "f"))))
  (export "run" (func $b "run")))
(component instance $fused $Fused)
(assert_trap (invoke "run") "uncaught exception propagated out of component")

;; Uncaught in a guest destructor that another component's `resource.drop`
;; runs: the runtime's `resource.drop` turns it into a trap (it would
;; otherwise unwind into the dropping component).
(component definition $Dtor
  (component $A
    (core module $Dtor
      (tag $t)
      (func (export "dtor") (param i32) (throw $t)))
    (core instance $dtor (instantiate $Dtor))
    (type $r (resource (rep i32) (dtor (core func $dtor "dtor"))))
    (core func $new (canon resource.new $r))
    (core module $M
      (import "" "new" (func $new (param i32) (result i32)))
      (func (export "make") (result i32) (call $new (i32.const 5))))
    (core instance $m (instantiate $M (with "" (instance (export "new" (func $new))))))
    (export $r' "r" (type $r))
    (func (export "make") (result (own $r')) (canon lift (core func $m "make"))))
  (component $B
    (import "a" (instance $a
      (export "r" (type $r (sub resource)))
      (export "make" (func (result (own $r))))))
    (alias export $a "r" (type $r))
    (core func $make (canon lower (func $a "make")))
    (core func $drop (canon resource.drop $r))
    (core module $M
      (import "" "make" (func $make (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "run") (result i32)
        (block $h
          (try_table (catch_all $h) (call $drop (call $make)))
          (return (i32.const 0)))
        ;; the exception leaked into this component
        (i32.const 1)))
    (core instance $m (instantiate $M
      (with "" (instance (export "make" (func $make)) (export "drop" (func $drop))))))
    (func (export "run") (result u32) (canon lift (core func $m "run"))))
  (instance $a (instantiate $A))
  (instance $b (instantiate $B (with "a" (instance $a))))
  (export "run" (func $b "run")))
(component instance $dtor $Dtor)
(assert_trap (invoke "run") "uncaught exception propagated out of component")

;; Uncaught in `realloc` while the runtime lowers an argument into the
;; guest: a trap.
(component definition $Realloc
  (core module $M
    (memory (export "mem") 1)
    (tag $t)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (throw $t))
    (func (export "len") (param i32 i32) (result i32) (local.get 1)))
  (core instance $m (instantiate $M))
  (func (export "len") (param "s" string) (result u32)
    (canon lift (core func $m "len") (memory (core memory $m "mem")) (realloc (core func $m "realloc")))))
(component instance $realloc $Realloc)
(assert_trap (invoke "len" (str.const "abc")) "uncaught exception propagated out of component")
