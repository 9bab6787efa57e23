;; A component of world `example:counters/counting`
;; (`examples/wit/counters.wit`): it defines the resource `counter` and
;; exports it, with its functions, in the interface
;; `example:counters/counters`.
;;
;; A counter's representation (`rep`) is its number, 1, 2, 3...; its value
;; is an `s64` at address 256 + 8 * rep. The destructor counts the
;; counters destroyed.
(component
  ;; The destructor lives in a module of its own, instantiated first: the
  ;; resource type needs it, and the main module needs the resource type.
  (core module $Dtor
    (global $destroyed (export "destroyed") (mut i32) (i32.const 0))
    (func (export "dtor") (param $rep i32)
      (global.set $destroyed (i32.add (global.get $destroyed) (i32.const 1)))))
  (core instance $dtor (instantiate $Dtor))

  ;; The resource type, and the built-ins to make, read and drop handles.
  (type $counter (resource (rep i32) (dtor (core func $dtor "dtor"))))
  (core func $counter-new (canon resource.new $counter))
  (core func $counter-rep (canon resource.rep $counter))
  (core func $counter-drop (canon resource.drop $counter))

  (core module $Counters
    (import "dtor" "destroyed" (global $destroyed (mut i32)))
    (import "counter" "new" (func $new (param i32) (result i32)))
    (import "counter" "rep" (func $rep (param i32) (result i32)))
    (import "counter" "drop" (func $drop (param i32)))
    (memory 1)
    (global $made (mut i32) (i32.const 0))

    ;; Where counter `rep`'s value is.
    (func $at (param $rep i32) (result i32)
      (i32.add (i32.const 256) (i32.shl (local.get $rep) (i32.const 3))))

    ;; A new counter holding `value`: a new rep, and an owned handle to it.
    (func $make (param $value i64) (result i32)
      (global.set $made (i32.add (global.get $made) (i32.const 1)))
      (i64.store (call $at (global.get $made)) (local.get $value))
      (call $new (global.get $made)))

    ;; constructor(start)
    (func (export "ctor") (param $start i64) (result i32)
      (call $make (local.get $start)))

    ;; Methods: a `borrow<counter>` reaches the component that defines the
    ;; resource as the rep itself.
    (func (export "add") (param $rep i32) (param $n i64) (result i64)
      (local $value i64)
      (local.set $value (i64.add (i64.load (call $at (local.get $rep))) (local.get $n)))
      (i64.store (call $at (local.get $rep)) (local.get $value))
      (local.get $value))
    (func (export "get") (param $rep i32) (result i64)
      (i64.load (call $at (local.get $rep))))
    (func (export "made") (result i32)
      (global.get $made))

    ;; merge(a, b): a new counter; both are only lent.
    (func (export "merge") (param $a i32) (param $b i32) (result i32)
      (call $make
        (i64.add (i64.load (call $at (local.get $a))) (i64.load (call $at (local.get $b))))))

    ;; finish(c): an `own<counter>` arrives as a handle in our table;
    ;; dropping it runs the destructor.
    (func (export "finish") (param $handle i32) (result i64)
      (local $value i64)
      (local.set $value (i64.load (call $at (call $rep (local.get $handle)))))
      (call $drop (local.get $handle))
      (local.get $value))
    (func (export "destroyed") (result i32)
      (global.get $destroyed)))
  (core instance $counters (instantiate $Counters
    (with "dtor" (instance $dtor))
    (with "counter" (instance
      (export "new" (func $counter-new))
      (export "rep" (func $counter-rep))
      (export "drop" (func $counter-drop))))))

  (func $ctor (param "start" s64) (result (own $counter))
    (canon lift (core func $counters "ctor")))
  (func $add (param "self" (borrow $counter)) (param "n" s64) (result s64)
    (canon lift (core func $counters "add")))
  (func $get (param "self" (borrow $counter)) (result s64)
    (canon lift (core func $counters "get")))
  (func $made (result u32)
    (canon lift (core func $counters "made")))
  (func $merge (param "a" (borrow $counter)) (param "b" (borrow $counter)) (result (own $counter))
    (canon lift (core func $counters "merge")))
  (func $finish (param "c" (own $counter)) (result s64)
    (canon lift (core func $counters "finish")))
  (func $destroyed (result u32)
    (canon lift (core func $counters "destroyed")))

  ;; The interface's instance. Its resource type and functions need
  ;; export names, which a nested component gives them: it imports the
  ;; type and the functions and exports them under the interface's names.
  (component $Interface
    (import "counter-type" (type $c (sub resource)))
    (import "ctor" (func $ctor (param "start" s64) (result (own $c))))
    (import "add" (func $add (param "self" (borrow $c)) (param "n" s64) (result s64)))
    (import "get" (func $get (param "self" (borrow $c)) (result s64)))
    (import "made" (func $made (result u32)))
    (import "merge" (func $merge (param "a" (borrow $c)) (param "b" (borrow $c)) (result (own $c))))
    (import "finish" (func $finish (param "c" (own $c)) (result s64)))
    (import "destroyed" (func $destroyed (result u32)))
    (export $e "counter" (type $c))
    (export "[constructor]counter" (func $ctor) (func (param "start" s64) (result (own $e))))
    (export "[method]counter.add" (func $add)
      (func (param "self" (borrow $e)) (param "n" s64) (result s64)))
    (export "[method]counter.get" (func $get) (func (param "self" (borrow $e)) (result s64)))
    (export "[static]counter.made" (func $made))
    (export "merge" (func $merge)
      (func (param "a" (borrow $e)) (param "b" (borrow $e)) (result (own $e))))
    (export "finish" (func $finish) (func (param "c" (own $e)) (result s64)))
    (export "destroyed" (func $destroyed)))
  (instance $interface (instantiate $Interface
    (with "counter-type" (type $counter))
    (with "ctor" (func $ctor))
    (with "add" (func $add))
    (with "get" (func $get))
    (with "made" (func $made))
    (with "merge" (func $merge))
    (with "finish" (func $finish))
    (with "destroyed" (func $destroyed))))
  (export "example:counters/counters" (instance $interface)))
