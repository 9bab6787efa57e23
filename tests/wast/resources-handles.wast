;; The handle table of a component instance, step by step: the indices
;; `resource.new` hands out (from 1, dropped ones reused, most recently
;; dropped first), the representations behind them, and the traps for
;; handles that do not exist or belong to another resource type.

;; `new` returns the handle index, `rep` the representation behind an
;; index, `drop` drops it; `new-s`/`drop-s`/`rep-s` do the same for a second
;; resource type $S that shares the table.
(component definition $Handles
  (type $R (resource (rep i32)))
  (type $S (resource (rep i32)))
  (core func $new (canon resource.new $R))
  (core func $rep (canon resource.rep $R))
  (core func $drop (canon resource.drop $R))
  (core func $new-s (canon resource.new $S))
  (core func $rep-s (canon resource.rep $S))
  (core func $drop-s (canon resource.drop $S))
  (core module $M
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "rep" (func $rep (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (import "s" "new" (func $new-s (param i32) (result i32)))
    (import "s" "rep" (func $rep-s (param i32) (result i32)))
    (import "s" "drop" (func $drop-s (param i32)))
    (func (export "new") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "rep") (param i32) (result i32) (call $rep (local.get 0)))
    (func (export "drop") (param i32) (call $drop (local.get 0)))
    (func (export "new-s") (param i32) (result i32) (call $new-s (local.get 0)))
    (func (export "rep-s") (param i32) (result i32) (call $rep-s (local.get 0)))
    (func (export "drop-s") (param i32) (call $drop-s (local.get 0))))
  (core instance $m (instantiate $M
    (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))))
    (with "s" (instance (export "new" (func $new-s)) (export "rep" (func $rep-s)) (export "drop" (func $drop-s))))))
  (func (export "new") (param "rep" u32) (result u32) (canon lift (core func $m "new")))
  (func (export "rep") (param "h" u32) (result u32) (canon lift (core func $m "rep")))
  (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
  (func (export "new-s") (param "rep" u32) (result u32) (canon lift (core func $m "new-s")))
  (func (export "rep-s") (param "h" u32) (result u32) (canon lift (core func $m "rep-s")))
  (func (export "drop-s") (param "h" u32) (canon lift (core func $m "drop-s")))
)

;; Indices count up from 1; any i32 is a representation.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 0)) (u32.const 1))
(assert_return (invoke "new" (u32.const 0xffffffff)) (u32.const 2))
(assert_return (invoke "new" (u32.const 77)) (u32.const 3))
(assert_return (invoke "rep" (u32.const 1)) (u32.const 0))
(assert_return (invoke "rep" (u32.const 2)) (u32.const 0xffffffff))
(assert_return (invoke "rep" (u32.const 3)) (u32.const 77))

;; Dropped indices are reused, the most recently dropped first, before the
;; table grows; the reused index names the new representation.
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "drop" (u32.const 3)))
(assert_return (invoke "new" (u32.const 100)) (u32.const 3))
(assert_return (invoke "new" (u32.const 200)) (u32.const 1))
(assert_return (invoke "new" (u32.const 300)) (u32.const 4))
(assert_return (invoke "rep" (u32.const 1)) (u32.const 200))
(assert_return (invoke "rep" (u32.const 3)) (u32.const 100))
(assert_return (invoke "rep" (u32.const 4)) (u32.const 300))

;; Two resource types share one table: indices interleave.
(assert_return (invoke "new-s" (u32.const 5)) (u32.const 5))
(assert_return (invoke "drop" (u32.const 2)))
(assert_return (invoke "new-s" (u32.const 6)) (u32.const 2))
(assert_return (invoke "rep-s" (u32.const 2)) (u32.const 6))
(assert_return (invoke "rep-s" (u32.const 5)) (u32.const 5))

;; The free list is a stack: after dropping 2 and then 1, index 1 comes
;; back first, then 2.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_return (invoke "new" (u32.const 2)) (u32.const 2))
(assert_return (invoke "drop" (u32.const 2)))
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "new" (u32.const 3)) (u32.const 1))
(assert_return (invoke "new" (u32.const 4)) (u32.const 2))

;; Index 0 is never a handle, not even once the table has entries.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "rep" (u32.const 0)) "unknown handle index 0")
(component instance $h $Handles)
(assert_trap (invoke "drop" (u32.const 0)) "unknown handle index 0")

;; Indices never handed out, past the end or far beyond it, trap.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "rep" (u32.const 2)) "unknown handle index 2")
(component instance $h $Handles)
(assert_trap (invoke "drop" (u32.const 0x80000000)) "unknown handle index 2147483648")

;; A dropped index traps until it is handed out again.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_return (invoke "drop" (u32.const 1)))
(assert_trap (invoke "rep" (u32.const 1)) "unknown handle index 1")
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_return (invoke "drop" (u32.const 1)))
(assert_trap (invoke "drop" (u32.const 1)) "unknown handle index 1")

;; Every handle remembers its type: the other type's intrinsics trap on it.
(component instance $h $Handles)
(assert_return (invoke "new" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "rep-s" (u32.const 1))
  "handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource")
(component instance $h $Handles)
(assert_return (invoke "new-s" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "drop" (u32.const 1))
  "handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource")

;; Each component instance has its own table: two instances of one
;; definition, inside one outer component, do not see each other's handles.
(component definition $Twins
  (component $Inner
    (type $R (resource (rep i32)))
    (core func $new (canon resource.new $R))
    (core func $rep (canon resource.rep $R))
    (core module $M
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      (func (export "new") (param i32) (result i32) (call $new (local.get 0)))
      (func (export "rep") (param i32) (result i32) (call $rep (local.get 0))))
    (core instance $m (instantiate $M
      (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep))))))
    (func (export "new") (param "rep" u32) (result u32) (canon lift (core func $m "new")))
    (func (export "rep") (param "h" u32) (result u32) (canon lift (core func $m "rep"))))
  (instance $a (instantiate $Inner))
  (instance $b (instantiate $Inner))
  (func (export "a-new") (alias export $a "new"))
  (func (export "a-rep") (alias export $a "rep"))
  (func (export "b-new") (alias export $b "new"))
  (func (export "b-rep") (alias export $b "rep"))
)
(component instance $t $Twins)
(assert_return (invoke "a-new" (u32.const 10)) (u32.const 1))
(assert_return (invoke "a-new" (u32.const 11)) (u32.const 2))
(assert_return (invoke "b-new" (u32.const 20)) (u32.const 1))
(assert_return (invoke "a-rep" (u32.const 1)) (u32.const 10))
(assert_return (invoke "b-rep" (u32.const 1)) (u32.const 20))
(assert_trap (invoke "b-rep" (u32.const 2)) "unknown handle index 2")
