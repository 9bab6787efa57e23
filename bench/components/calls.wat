;; The component behind every call case of `benches/calls.rs`.
;;
;; A "libc" core module owns the memory and a bump `realloc`; the "main"
;; module holds the exports and calls the two imports. Guests do O(1) work:
;; echoes hand back the argument's own bytes, `list-len` returns the length.
;;
;; Memory map (48 pages = 3 MiB):
;;   0      .. 1024     unused (keeps pointers non-zero)
;;   1024   .. 1040     the 16-byte string `call-string` passes to the host
;;   2048   .. 2112     return area for results that do not fit flat
;;   65536  .. 3 MiB    realloc's arena
;;
;; Allocations are freed the way a real guest frees them, with libc's
;; `reset` (which empties the arena): `list-len` frees its argument before
;; it returns, and `echo`'s post-return frees the string it returned (as
;; wit-bindgen's `cabi_post_*` functions do). So every call allocates at
;; the arena's bottom, the address the memcpy floor copies to. `realloc`
;; also starts again at the bottom when a request does not fit in what is
;; left, so nothing can exhaust memory.
(component
  (import "host-nothing" (func $host-nothing))
  (import "host-string" (func $host-string (param "s" string)))

  (type $big' (record
    (field "a" u8) (field "b" u16) (field "c" u32) (field "d" u64)
    (field "e" s32) (field "f" s64) (field "g" f32) (field "h" f64)
    (field "i" bool) (field "j" char)))
  (export $big "big" (type $big'))
  (type $shape' (variant
    (case "none") (case "int" u32) (case "long" u64) (case "real" f64)))
  (export $shape "shape" (type $shape'))

  (core module $libc
    (memory (export "memory") 48)
    (global $bump (mut i32) (i32.const 65536))
    (func (export "realloc")
        (param $old i32) (param $old-size i32) (param $align i32) (param $size i32)
        (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (if (i32.gt_u (i32.add (local.get $p) (local.get $size))
                    (i32.const 3145728))
        (then (local.set $p (i32.const 65536))))
      (global.set $bump (i32.add (local.get $p) (local.get $size)))
      (local.get $p))
    (func (export "reset")
      (global.set $bump (i32.const 65536))))
  (core instance $libc (instantiate $libc))

  (core func $host-nothing (canon lower (func $host-nothing)))
  (core func $host-string (canon lower (func $host-string) (memory (core memory $libc "memory"))))

  (core module $main
    (import "libc" "memory" (memory 1))
    (import "libc" "reset" (func $reset))
    (import "host" "nothing" (func $host-nothing))
    (import "host" "string" (func $host-string (param i32 i32)))
    (data (i32.const 1024) "0123456789abcdef")

    (func (export "nothing"))
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))
    ;; string -> string: hand the argument back.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 2048) (local.get 0))
      (i32.store (i32.const 2052) (local.get 1))
      (i32.const 2048))
    ;; echo's post-return: frees the string.
    (func (export "echo-post") (param i32)
      (call $reset))
    ;; list<u8> -> u32: frees the list, returns its length.
    (func (export "list-len") (param i32 i32) (result i32)
      (call $reset)
      (local.get 1))
    ;; big -> big: store the ten flat fields at the record's offsets.
    (func (export "record-echo")
        (param $a i32) (param $b i32) (param $c i32) (param $d i64) (param $e i32)
        (param $f i64) (param $g f32) (param $h f64) (param $i i32) (param $j i32)
        (result i32)
      (i32.store8 (i32.const 2048) (local.get $a))
      (i32.store16 (i32.const 2050) (local.get $b))
      (i32.store (i32.const 2052) (local.get $c))
      (i64.store (i32.const 2056) (local.get $d))
      (i32.store (i32.const 2064) (local.get $e))
      (i64.store (i32.const 2072) (local.get $f))
      (f32.store (i32.const 2080) (local.get $g))
      (f64.store (i32.const 2088) (local.get $h))
      (i32.store8 (i32.const 2096) (local.get $i))
      (i32.store (i32.const 2100) (local.get $j))
      (i32.const 2048))
    ;; shape -> shape: discriminant, then the joined i64 payload at +8.
    (func (export "variant-echo") (param $disc i32) (param $payload i64) (result i32)
      (i32.store8 (i32.const 2048) (local.get $disc))
      (i64.store (i32.const 2056) (local.get $payload))
      (i32.const 2048))
    (func (export "call-nothing")
      (call $host-nothing))
    (func (export "call-string")
      (call $host-string (i32.const 1024) (i32.const 16))))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "nothing" (func $host-nothing))
      (export "string" (func $host-string))))))

  (func (export "nothing") (canon lift (core func $main "nothing")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $main "add")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $main "echo")
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))
      (post-return (core func $main "echo-post"))))
  (func (export "list-len") (param "l" (list u8)) (result u32)
    (canon lift (core func $main "list-len")
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (func (export "record-echo") (param "r" $big) (result $big)
    (canon lift (core func $main "record-echo") (memory (core memory $libc "memory"))))
  (func (export "variant-echo") (param "v" $shape) (result $shape)
    (canon lift (core func $main "variant-echo") (memory (core memory $libc "memory"))))
  (func (export "call-nothing") (canon lift (core func $main "call-nothing")))
  (func (export "call-string") (canon lift (core func $main "call-string")))
)
