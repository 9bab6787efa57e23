;; Fixed-length lists `list<T, N>` (the component model's proposal): the
;; `N` elements travel inline, as `N` flat values or `N` elements in memory,
;; with no pointer, no length and no `realloc`.

(component definition $Fixed
  (core module $m
    (memory (export "mem") 1)
    ;; list<u8, 4> flat: four i32 parameters.
    (func (export "sum4") (param i32 i32 i32 i32) (result i32)
      (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3))))
    ;; list<u32, 3> as a result: in memory at the return pointer.
    (func (export "count-up") (param $from i32) (result i32)
      (i32.store (i32.const 16) (local.get $from))
      (i32.store (i32.const 20) (i32.add (local.get $from) (i32.const 1)))
      (i32.store (i32.const 24) (i32.add (local.get $from) (i32.const 2)))
      (i32.const 16))
    ;; list<u64, 20> is 20 flat values: past the limit of 16, so the
    ;; parameter arrives in memory; returns the last element.
    (func (export "last") (param $p i32) (result i64)
      (i64.load offset=152 (local.get $p)))
    ;; A result pointer past the end of memory.
    (func (export "bad-result") (result i32) (i32.const 65532))
    ;; A misaligned result pointer for list<u32, 3>.
    (func (export "misaligned") (result i32) (i32.const 18))
    ;; A flat list<bool, 2> of out-of-range bools is lifted as true.
    (func (export "bools") (result i32)
      (i32.store8 (i32.const 32) (i32.const 0))
      (i32.store8 (i32.const 33) (i32.const 7))
      (i32.const 32))
    ;; list<char, 2> with an invalid code point.
    (func (export "bad-char") (result i32)
      (i32.store (i32.const 40) (i32.const 0x61))
      (i32.store (i32.const 44) (i32.const 0xd800))
      (i32.const 40))
    ;; A list of strings: the inline elements are pointers and lengths.
    (func (export "echo-strings") (param i32 i32 i32 i32) (result i32)
      (i32.store (i32.const 48) (local.get 0))
      (i32.store (i32.const 52) (local.get 1))
      (i32.store (i32.const 56) (local.get 2))
      (i32.store (i32.const 60) (local.get 3))
      (i32.const 48))
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $r) (local.get 3)))
      (local.get $r))
  )
  (core instance $i (instantiate $m))
  (func (export "sum4") (param "l" (list u8 4)) (result u32)
    (canon lift (core func $i "sum4")))
  (func (export "count-up") (param "from" u32) (result (list u32 3))
    (canon lift (core func $i "count-up") (memory (core memory $i "mem"))))
  (func (export "last") (param "l" (list u64 20)) (result u64)
    (canon lift (core func $i "last") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "bad-result") (result (list u32 3))
    (canon lift (core func $i "bad-result") (memory (core memory $i "mem"))))
  (func (export "misaligned") (result (list u32 3))
    (canon lift (core func $i "misaligned") (memory (core memory $i "mem"))))
  (func (export "bools") (result (list bool 2))
    (canon lift (core func $i "bools") (memory (core memory $i "mem"))))
  (func (export "bad-char") (result (list char 2))
    (canon lift (core func $i "bad-char") (memory (core memory $i "mem"))))
  (func (export "echo-strings") (param "l" (list string 2)) (result (list string 2))
    (canon lift (core func $i "echo-strings") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
)
(component instance $fixed $Fixed)
(assert_return
  (invoke "sum4" (list.const (u8.const 1) (u8.const 2) (u8.const 3) (u8.const 250)))
  (u32.const 256))
(assert_return (invoke "count-up" (u32.const 7))
  (list.const (u32.const 7) (u32.const 8) (u32.const 9)))
(assert_return
  (invoke "last" (list.const
    (u64.const 1) (u64.const 2) (u64.const 3) (u64.const 4) (u64.const 5)
    (u64.const 6) (u64.const 7) (u64.const 8) (u64.const 9) (u64.const 10)
    (u64.const 11) (u64.const 12) (u64.const 13) (u64.const 14) (u64.const 15)
    (u64.const 16) (u64.const 17) (u64.const 18) (u64.const 19) (u64.const 0xffffffffffffffff)))
  (u64.const 0xffffffffffffffff))
(assert_return (invoke "bools") (list.const (bool.const false) (bool.const true)))
(assert_return
  (invoke "echo-strings" (list.const (str.const "fixed") (str.const "länge")))
  (list.const (str.const "fixed") (str.const "länge")))
(component instance $fixed $Fixed)
(assert_trap (invoke "bad-result") "pointer out of bounds")
(component instance $fixed $Fixed)
(assert_trap (invoke "misaligned") "unaligned pointer")
(component instance $fixed $Fixed)
(assert_trap (invoke "bad-char") "invalid `char` bit pattern 0xd800")
(component instance $fixed $Fixed)
(register "fixed")

;; The host direction: the registered "sum4" and "count-up" imported by a
;; guest, so the runner lifts and lowers the lists between the two.
(component
  (import "fixed" (instance $f
    (export "sum4" (func (param "l" (list u8 4)) (result u32)))
    (export "count-up" (func (param "from" u32) (result (list u32 3))))))
  (alias export $f "sum4" (func $sum4))
  (alias export $f "count-up" (func $count-up))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (core func $sum4 (canon lower (func $sum4)))
  (core func $count-up (canon lower (func $count-up) (memory (core memory $libc "mem"))))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "host" "sum4" (func $sum4 (param i32 i32 i32 i32) (result i32)))
    (import "host" "count-up" (func $count-up (param i32 i32)))
    ;; The low bits of each flat value are the u8: 0x101 is 1.
    (func (export "sum") (result i32)
      (call $sum4 (i32.const 0x101) (i32.const 2) (i32.const 3) (i32.const 4)))
    ;; count-up(40) at 64, then 40 + 41 + 42.
    (func (export "count") (result i32)
      (call $count-up (i32.const 40) (i32.const 64))
      (i32.add (i32.load (i32.const 64))
        (i32.add (i32.load (i32.const 68)) (i32.load (i32.const 72)))))
    (func (export "count-out-of-bounds") (result i32)
      (call $count-up (i32.const 40) (i32.const 65532))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "host" (instance (export "sum4" (func $sum4)) (export "count-up" (func $count-up))))))
  (func (export "sum") (result u32) (canon lift (core func $i "sum")))
  (func (export "count") (result u32) (canon lift (core func $i "count")))
  (func (export "count-out-of-bounds") (result u32) (canon lift (core func $i "count-out-of-bounds")))
)
(assert_return (invoke "sum") (u32.const 10))
(assert_return (invoke "count") (u32.const 123))
(assert_trap (invoke "count-out-of-bounds") "out of bounds")

;; Guest to guest through the fused adapter.
(component
  (component $callee
    (core module $m
      (func (export "dot") (param i32 i32 i32 i32 i32 i32) (result i32)
        (i32.add (i32.add
          (i32.mul (local.get 0) (local.get 3))
          (i32.mul (local.get 1) (local.get 4)))
          (i32.mul (local.get 2) (local.get 5)))))
    (core instance $i (instantiate $m))
    (func (export "dot") (param "a" (list s16 3)) (param "b" (list s16 3)) (result s32)
      (canon lift (core func $i "dot"))))
  (component $caller
    (import "dot" (func $dot (param "a" (list s16 3)) (param "b" (list s16 3)) (result s32)))
    (core func $dot (canon lower (func $dot)))
    (core module $m
      (import "host" "dot" (func $dot (param i32 i32 i32 i32 i32 i32) (result i32)))
      ;; (1, 2, 3) . (-4, 5, 6): 0xfffc is -4 as an s16.
      (func (export "run") (result i32)
        (call $dot (i32.const 1) (i32.const 2) (i32.const 3)
                   (i32.const 0xfffc) (i32.const 5) (i32.const 6))))
    (core instance $i (instantiate $m (with "host" (instance (export "dot" (func $dot))))))
    (func (export "run") (result s32) (canon lift (core func $i "run"))))
  (instance $callee (instantiate $callee))
  (instance $caller (instantiate $caller (with "dot" (func $callee "dot"))))
  (export "run" (func $caller "run"))
)
(assert_return (invoke "run") (s32.const 24))

;; A fixed-length list must have at least one element.
(assert_invalid
  (component (type (list u8 0)))
  "Fixed-length lists must have more than zero elements")
