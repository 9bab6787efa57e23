;; Components that misuse resource types are rejected when compiled, with
;; the validator's reason: a borrow cannot be returned, `resource.rep`
;; only works on the component's own resource types, a resource in an
;; exported function's type must be exported, `own` needs a resource type,
;; destructors take one i32, the intrinsics have fixed core types, and
;; `[constructor]`/`[method]`/`[static]` names must fit their resource.

;; A function cannot return a borrow.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (export $R' "r" (type $R))
    (core module $M (func (export "f") (result i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "f") (result (borrow $R')) (canon lift (core func $m "f"))))
  "function result cannot contain a `borrow` type")

;; `resource.rep` of an imported resource type: the representation belongs
;; to whoever defined it.
(assert_invalid
  (component
    (import "r" (type $R (sub resource)))
    (core func $rep (canon resource.rep $R)))
  "is not a local resource")

;; An exported function's type may only use resource types that are
;; imported or exported.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (core module $M (func (export "f") (result i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "f") (result (own $R)) (canon lift (core func $m "f"))))
  "func not valid to be used as export")

;; `own` of a type that is not a resource.
(assert_invalid
  (component
    (type $T u32)
    (type (own $T)))
  "is not a resource type")

;; A destructor takes the representation (an i32) and returns nothing.
(assert_invalid
  (component
    (core module $M (func (export "dtor") (param i64)))
    (core instance $m (instantiate $M))
    (type $R (resource (rep i32) (dtor (core func $m "dtor")))))
  "has wrong signature for a destructor")

;; `resource.new` is `(func (param i32) (result i32))`.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (core func $new (canon resource.new $R))
    (core module $M (import "" "new" (func (param i64) (result i32))))
    (core instance (instantiate $M (with "" (instance (export "new" (func $new)))))))
  "type mismatch for export `new` of module instantiation argument")

;; A constructor returns an own of its resource.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (export $R' "r" (type $R))
    (core module $M (func (export "f") (result i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "[constructor]r") (result u32) (canon lift (core func $m "f"))))
  "function should return `(own $T)`")

;; A method's first parameter is `self`.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (export $R' "r" (type $R))
    (core module $M (func (export "f") (param i32) (result i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "[method]r.go") (param "x" u32) (result u32) (canon lift (core func $m "f"))))
  "function should have a first argument called `self`")

;; A static function belongs to a resource named in the same scope.
(assert_invalid
  (component
    (type $R (resource (rep i32)))
    (export $R' "r" (type $R))
    (core module $M (func (export "f") (result i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "[static]q.go") (result u32) (canon lift (core func $m "f"))))
  "static resource name is not known in this context")

;; The same shapes, correctly named, are valid.
(component
  (type $R (resource (rep i32)))
  (export $R' "r" (type $R))
  (core func $new (canon resource.new $R))
  (core module $M
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "ctor") (result i32) (call $new (i32.const 1)))
    (func (export "go") (param i32) (result i32) (local.get 0))
    (func (export "count") (result i32) (i32.const 0)))
  (core instance $m (instantiate $M (with "" (instance (export "new" (func $new))))))
  (func (export "[constructor]r") (result (own $R')) (canon lift (core func $m "ctor")))
  (func (export "[method]r.go") (param "self" (borrow $R')) (result u32) (canon lift (core func $m "go")))
  (func (export "[static]r.count") (result u32) (canon lift (core func $m "count"))))
(assert_return (invoke "[static]r.count") (u32.const 0))
