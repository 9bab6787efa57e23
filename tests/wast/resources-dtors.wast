;; Destructors of guest-defined resources: `resource.drop` of an owned
;; handle calls the destructor with the representation, at once and once
;; per resource, in drop order; a trapping destructor traps the drop; a
;; resource type without a destructor is simply dropped.
;;
;; The destructor appends the representation to a log in memory: `dropped`
;; is the log's length, `dropped-at i` its i-th entry. Representation 13
;; makes the destructor trap.
(component definition $Dtors
  (core module $Log
    (memory (export "mem") 1)
    ;; the log's length at 0, entries from 4
    (func (export "dtor") (param $rep i32)
      (if (i32.eq (local.get $rep) (i32.const 13)) (then unreachable))
      (i32.store
        (i32.add (i32.const 4) (i32.shl (i32.load (i32.const 0)) (i32.const 2)))
        (local.get $rep))
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
    (func (export "dropped") (result i32) (i32.load (i32.const 0)))
    (func (export "dropped-at") (param $i i32) (result i32)
      (i32.load (i32.add (i32.const 4) (i32.shl (local.get $i) (i32.const 2))))))
  (core instance $log (instantiate $Log))
  (type $R (resource (rep i32) (dtor (core func $log "dtor"))))
  (type $Plain (resource (rep i32)))
  (core func $new (canon resource.new $R))
  (core func $drop (canon resource.drop $R))
  (core func $new-plain (canon resource.new $Plain))
  (core func $drop-plain (canon resource.drop $Plain))
  (core module $M
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (import "r" "new-plain" (func $new-plain (param i32) (result i32)))
    (import "r" "drop-plain" (func $drop-plain (param i32)))
    (import "log" "dropped" (func $dropped (result i32)))
    (func (export "new") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "drop") (param i32) (call $drop (local.get 0)))
    (func (export "new-plain") (param i32) (result i32) (call $new-plain (local.get 0)))
    (func (export "drop-plain") (param i32) (call $drop-plain (local.get 0)))
    ;; drops handle h and returns how many destructor calls there were by
    ;; then: the destructor runs inside `resource.drop`
    (func (export "drop-and-count") (param $h i32) (result i32)
      (call $drop (local.get $h))
      (call $dropped)))
  (core instance $m (instantiate $M
    (with "r" (instance
      (export "new" (func $new))
      (export "drop" (func $drop))
      (export "new-plain" (func $new-plain))
      (export "drop-plain" (func $drop-plain))))
    (with "log" (instance $log))))
  (func (export "new") (param "rep" u32) (result u32) (canon lift (core func $m "new")))
  (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
  (func (export "new-plain") (param "rep" u32) (result u32) (canon lift (core func $m "new-plain")))
  (func (export "drop-plain") (param "h" u32) (canon lift (core func $m "drop-plain")))
  (func (export "drop-and-count") (param "h" u32) (result u32)
    (canon lift (core func $m "drop-and-count")))
  (func (export "dropped") (result u32) (canon lift (core func $log "dropped")))
  (func (export "dropped-at") (param "i" u32) (result u32) (canon lift (core func $log "dropped-at")))
)

;; Creating a resource runs no destructor; dropping it runs the destructor
;; once, with its representation.
(component instance $d $Dtors)
(assert_return (invoke "new" (u32.const 42)) (u32.const 1))
(assert_return (invoke "dropped") (u32.const 0))
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "dropped") (u32.const 1))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 42))

;; The destructor has run by the time `resource.drop` returns.
(component instance $d $Dtors)
(assert_return (invoke "new" (u32.const 5)) (u32.const 1))
(assert_return (invoke "drop-and-count" (u32.const 1)) (u32.const 1))

;; Destructors run in the order the handles are dropped, not the order the
;; resources were made.
(component instance $d $Dtors)
(assert_return (invoke "new" (u32.const 10)) (u32.const 1))
(assert_return (invoke "new" (u32.const 20)) (u32.const 2))
(assert_return (invoke "new" (u32.const 30)) (u32.const 3))
(assert_return (invoke "drop" (u32.const 2)))
(assert_return (invoke "drop" (u32.const 3)))
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "dropped") (u32.const 3))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 20))
(assert_return (invoke "dropped-at" (u32.const 1)) (u32.const 30))
(assert_return (invoke "dropped-at" (u32.const 2)) (u32.const 10))

;; Two handles to the same representation are two resources: each drop
;; runs the destructor.
(component instance $d $Dtors)
(assert_return (invoke "new" (u32.const 7)) (u32.const 1))
(assert_return (invoke "new" (u32.const 7)) (u32.const 2))
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "drop" (u32.const 2)))
(assert_return (invoke "dropped") (u32.const 2))

;; A destructor that traps traps the drop.
(component instance $d $Dtors)
(assert_return (invoke "new" (u32.const 13)) (u32.const 1))
(assert_trap (invoke "drop" (u32.const 1)) "unreachable")

;; A resource type without a destructor drops without running anything.
(component instance $d $Dtors)
(assert_return (invoke "new-plain" (u32.const 13)) (u32.const 1))
(assert_return (invoke "drop-plain" (u32.const 1)))
(assert_return (invoke "dropped") (u32.const 0))
