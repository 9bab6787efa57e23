;; Invalid and malformed components are rejected when they are compiled, with
;; the validator's message.

;; canon lift: the core function's type must be the flattened function type
(assert_invalid
  (component
    (core module $M (func (export "f")))
    (core instance $m (instantiate $M))
    (func (export "f") (param "x" u32) (canon lift (core func $m "f"))))
  "do not match parameter types")
(assert_invalid
  (component
    (core module $M (func (export "f") (param i64)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "x" u32) (canon lift (core func $m "f"))))
  "do not match parameter types")
;; more than one flat result must be returned through a pointer
(assert_invalid
  (component
    (core module $M (memory (export "mem") 1) (func (export "f") (result i32 i32) unreachable))
    (core instance $m (instantiate $M))
    (func (export "f") (result (tuple u32 u32)) (canon lift (core func $m "f") (memory (core memory $m "mem")))))
  "do not match result types")

;; strings and lists need a memory, and realloc to receive them
(assert_invalid
  (component
    (core module $M (func (export "f") (param i32 i32)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "s" string) (canon lift (core func $m "f"))))
  "canonical option `memory` is required")
(assert_invalid
  (component
    (core module $M (memory (export "mem") 1) (func (export "f") (param i32 i32)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "s" string) (canon lift (core func $m "f") (memory (core memory $m "mem")))))
  "canonical option `realloc` is required")
;; realloc and post-return must have the right types
(assert_invalid
  (component
    (core module $M
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32) (result i32) unreachable)
      (func (export "f") (param i32 i32)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "s" string)
      (canon lift (core func $m "f") (memory (core memory $m "mem")) (realloc (core func $m "realloc")))))
  "canonical option `realloc` uses a core function with an incorrect signature")
(assert_invalid
  (component
    (core module $M
      (func (export "f") (result i32) unreachable)
      (func (export "post") (param i64)))
    (core instance $m (instantiate $M))
    (func (export "f") (result u32) (canon lift (core func $m "f") (post-return (core func $m "post")))))
  "canonical option `post-return` uses a core function with an incorrect signature")
;; a string encoding may be given once
(assert_invalid
  (component
    (core module $M (memory (export "mem") 1) (func (export "f") (param i32 i32)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "s" string)
      (canon lift (core func $m "f") (memory (core memory $m "mem")) string-encoding=utf8 string-encoding=utf16)))
  "canonical encoding option `utf8` conflicts with option `utf16`")

;; type definitions
(assert_invalid
  (component (type (flags
    "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11" "f12" "f13" "f14" "f15"
    "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25" "f26" "f27" "f28" "f29" "f30" "f31"
    "f32")))
  "cannot have more than 32 flags")
(assert_invalid
  (component (type (record)))
  "record type must have at least one field")
(assert_invalid
  (component (type (variant)))
  "variant type must have at least one case")
(assert_invalid
  (component (type (enum "a" "b" "a")))
  "conflicts with previous")
(assert_invalid
  (component (type (record (field "x" u8) (field "x" u8))))
  "conflicts with previous")

;; names
(assert_invalid
  (component
    (core module $M (func (export "f")))
    (core instance $m (instantiate $M))
    (func (export "Not_Kebab") (canon lift (core func $m "f"))))
  "is not in kebab case")
(assert_invalid
  (component
    (core module $M (func (export "f")))
    (core instance $m (instantiate $M))
    (func (export "f") (canon lift (core func $m "f")))
    (func (export "f") (canon lift (core func $m "f"))))
  "conflicts with previous name")
(assert_invalid
  (component
    (core module $M (func (export "f")))
    (core instance $m (instantiate $M))
    (func (export "f") (canon lift (core func $m "nope"))))
  "has no export named `nope`")
;; exported functions must use exported (named) record types
(assert_invalid
  (component
    (core module $M (func (export "f") (param i32)))
    (core instance $m (instantiate $M))
    (func (export "f") (param "r" (record (field "x" u8))) (canon lift (core func $m "f"))))
  "not valid to be used as export")
;; instantiation arguments must match the imports
(assert_invalid
  (component
    (component $C (import "x" (func (param "a" u32))))
    (core module $M (func (export "f")))
    (core instance $m (instantiate $M))
    (func $f (canon lift (core func $m "f")))
    (instance (instantiate $C (with "x" (func $f)))))
  "type mismatch")
(assert_invalid
  (component
    (component $C (import "x" (func)))
    (instance (instantiate $C)))
  "missing import named `x`")

;; malformed binaries and text
(assert_malformed
  (component binary "\00asm" "\0d\00\01\00" "\ff")
  "malformed section id")
(assert_malformed
  (component binary "\00asm" "\0d\00\01")
  "unexpected end")
(assert_malformed
  (component quote "(core module (func (result i32) i32.const))")
  "expected a i32")
(assert_malformed
  (component quote "(func (export \"f\") (canon lift (core func $nope)))")
  "unknown core func")

;; Types that WIT parsers of wasmtime 48's time accepted, and that no
;; component may use.
(assert_invalid
  (component (type (record)))
  "record type must have at least one field")
(assert_invalid
  (component (type (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11"
    "f12" "f13" "f14" "f15" "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25"
    "f26" "f27" "f28" "f29" "f30" "f31" "f32")))
  "cannot have more than 32 flags")


;; Labels that differ only in letter case are the same name to the
;; validator, but wasmtime-environ 48's adapter compiler aborts the process
;; when a fused adapter joins two such types: refused before translation.
(assert_invalid
  (component
    (component $A
      (core module $M (func (export "f") (param i32) (result i32) local.get 0))
      (core instance $m (instantiate $M))
      (type $t0 (enum "red" "green"))
      (export $t "t" (type $t0))
      (func (export "f") (param "x" $t) (result u32) (canon lift (core func $m "f"))))
    (instance $a (instantiate $A))
    (component $B
      (type $t0 (enum "RED" "green"))
      (import "t" (type $t (eq $t0)))
      (import "f" (func $f (param "x" $t) (result u32)))
      (core func $g (canon lower (func $f)))
      (core module $N (import "" "f" (func (param i32) (result i32)))
        (func (export "g") (result i32) i32.const 1 call 0))
      (core instance $n (instantiate $N (with "" (instance (export "f" (func $g))))))
      (func (export "g") (result u32) (canon lift (core func $n "g"))))
    (instance $b (instantiate $B (with "t" (type $a "t")) (with "f" (func $a "f"))))
    (export "g" (func $b "g")))
  "spell a label differently (`red` and `RED`)")
(assert_invalid
  (component
    (component $A
      (core module $M (func (export "f") (param i32) (result i32) local.get 0))
      (core instance $m (instantiate $M))
      (type $t0 (flags "read" "write"))
      (export $t "t" (type $t0))
      (func (export "f") (param "x" $t) (result u32) (canon lift (core func $m "f"))))
    (instance $a (instantiate $A))
    (component $B
      (type $t0 (flags "read" "WRITE"))
      (import "t" (type $t (eq $t0)))
      (import "f" (func $f (param "x" $t) (result u32)))
      (core func $g (canon lower (func $f)))
      (core module $N (import "" "f" (func (param i32) (result i32)))
        (func (export "g") (result i32) i32.const 1 call 0))
      (core instance $n (instantiate $N (with "" (instance (export "f" (func $g))))))
      (func (export "g") (result u32) (canon lift (core func $n "g"))))
    (instance $b (instantiate $B (with "t" (type $a "t")) (with "f" (func $a "f"))))
    (export "g" (func $b "g")))
  "spell a label differently (`write` and `WRITE`)")
