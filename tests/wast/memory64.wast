;; 64-bit memories in canonical options (component-model memory64, on
;; with `component_model_memory64(true)` and core `wasm_memory64(true)`,
;; as in the runner's engine): a 64-bit component called by a 32-bit one
;; through a fused adapter. The adapter code is wasmtime-environ's; the
;; string transcoders it calls are wit-host's, here with i64 pointers and
;; lengths on the 64-bit side (`memory64-transcode.wast` runs the other
;; eight pairs of encodings). The host's own lifting and lowering is
;; 32-bit for now (wasmtime 48 has no host support either): an export
;; lifted with a 64-bit memory is refused at instantiation (last case; a
;; lowered host import with one, already by `Component::new`).

;; 64-bit callee `utf8`, 32-bit caller `utf8`.
(component
  (component $Echo64
    (core module $M
      (memory (export "mem") i64 1)
      (global $next (mut i64) (i64.const 4096))
      (func (export "realloc") (param $old i64) (param $old-size i64) (param $align i64) (param $size i64) (result i64)
        (local $ret i64)
        (local.set $ret
          (i64.and
            (i64.add (global.get $next) (i64.sub (local.get $align) (i64.const 1)))
            (i64.sub (i64.const 0) (local.get $align))))
        (global.set $next (i64.add (local.get $ret) (local.get $size)))
        (if (i64.ne (local.get $old) (i64.const 0))
          (then
            (memory.copy (local.get $ret) (local.get $old)
              (select (local.get $old-size) (local.get $size)
                (i64.lt_u (local.get $old-size) (local.get $size))))))
        (local.get $ret))
      ;; The string comes back where it arrived: (ptr, len) at 16.
      (func (export "echo") (param i64 i64) (result i64)
        (i64.store (i64.const 16) (local.get 0))
        (i64.store (i64.const 24) (local.get 1))
        (i64.const 16))
      ;; The sum of a list<u32>, read through the 64-bit pointer.
      (func (export "sum") (param $p i64) (param $n i64) (result i64)
        (local $s i64)
        (block $done
          (loop $next
            (br_if $done (i64.eqz (local.get $n)))
            (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $p))))
            (local.set $p (i64.add (local.get $p) (i64.const 4)))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $next)))
        (local.get $s))
      ;; list<u32> [1, 2, 3] at `start` - 16 (its header at 32).
      (func (export "list") (result i64)
        (i64.store (i64.const 32) (i64.const 4080))
        (i64.store (i64.const 40) (i64.const 3))
        (i32.store (i64.const 4080) (i32.const 1))
        (i32.store (i64.const 4084) (i32.const 2))
        (i32.store (i64.const 4088) (i32.const 3))
        (i64.const 32))
      ;; A string whose bytes are invalid in every encoding's copy: a lone
      ;; 0xff for utf8, an unpaired surrogate for utf16.
      (func (export "bad") (result i64)
        (i64.store (i64.const 48) (i64.const 64))
        (i64.store (i64.const 56) (i64.const 1))
        (i64.const 48))
      ;; A string that runs past the end of the memory.
      (func (export "oob") (result i64)
        (i64.store (i64.const 48) (i64.sub (i64.mul (memory.size) (i64.const 0x10000)) (i64.const 2)))
        (i64.store (i64.const 56) (i64.const 8))
        (i64.const 48))
      (data (i64.const 64) "\ff\d8\00\00")
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
    (func (export "sum") (param "l" (list u32)) (result u64)
      (canon lift (core func $m "sum") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
    (func (export "list") (result (list u32))
      (canon lift (core func $m "list") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
    (func (export "bad") (result string)
      (canon lift (core func $m "bad") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
    (func (export "oob") (result string)
      (canon lift (core func $m "oob") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
    (import "sum" (func $sum (param "l" (list u32)) (result u64)))
    (import "list" (func $list (result (list u32))))
    (import "bad" (func $bad (result string)))
    (import "oob" (func $oob (result string)))
    (core module $Libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
        (local $ret i32)
        (local.set $ret
          (i32.and
            (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
            (i32.sub (i32.const 0) (local.get $align))))
        (global.set $next (i32.add (local.get $ret) (local.get $size)))
        (if (local.get $old)
          (then
            (memory.copy (local.get $ret) (local.get $old)
              (select (local.get $old-size) (local.get $size)
                (i32.lt_u (local.get $old-size) (local.get $size))))))
        (local.get $ret)))
    (core instance $libc (instantiate $Libc))
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
    (core func $sum (canon lower (func $sum) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core func $list (canon lower (func $list) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core func $bad (canon lower (func $bad) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
    (core func $oob (canon lower (func $oob) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (import "" "sum" (func $sum (param i32 i32) (result i64)))
      (import "" "list" (func $list (param i32)))
      (import "" "bad" (func $bad (param i32)))
      (import "" "oob" (func $oob (param i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
      (func (export "sum") (param i32 i32) (result i64) (call $sum (local.get 0) (local.get 1)))
      (func (export "list") (result i32) (call $list (i32.const 8)) (i32.const 8))
      (func (export "bad") (result i32) (call $bad (i32.const 8)) (i32.const 8))
      (func (export "oob") (result i32) (call $oob (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
      (export "sum" (func $sum))
      (export "list" (func $list))
      (export "bad" (func $bad))
      (export "oob" (func $oob))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
    (func (export "sum") (param "l" (list u32)) (result u64)
      (canon lift (core func $m "sum") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (func (export "list") (result (list u32))
      (canon lift (core func $m "list") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (func (export "bad") (result string)
      (canon lift (core func $m "bad") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
    (func (export "oob") (result string)
      (canon lift (core func $m "oob") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
    (with "sum" (func $echo "sum"))
    (with "list" (func $echo "list"))
    (with "bad" (func $echo "bad"))
    (with "oob" (func $echo "oob"))
  ))
  (export "echo" (func $fwd "echo"))
  (export "sum" (func $fwd "sum"))
  (export "list" (func $fwd "list"))
  (export "bad" (func $fwd "bad"))
  (export "oob" (func $fwd "oob"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))
(assert_return (invoke "sum" (list.const (u32.const 1) (u32.const 2) (u32.const 4000000000))) (u64.const 4000000003))
(assert_return (invoke "list") (list.const (u32.const 1) (u32.const 2) (u32.const 3)))
(assert_trap (invoke "bad") "invalid UTF-8")

;; Above 4 GiB (a pointer truncated to 32 bits would read the wrong bytes): 64-bit callee `utf8`, 32-bit caller `utf16`.
(component
  (component $Echo64
    (core module $M
      (memory (export "mem") i64 0x1_0001)
      (global $next (mut i64) (i64.const 4294967296))
      (func (export "realloc") (param $old i64) (param $old-size i64) (param $align i64) (param $size i64) (result i64)
        (local $ret i64)
        (local.set $ret
          (i64.and
            (i64.add (global.get $next) (i64.sub (local.get $align) (i64.const 1)))
            (i64.sub (i64.const 0) (local.get $align))))
        (global.set $next (i64.add (local.get $ret) (local.get $size)))
        (if (i64.ne (local.get $old) (i64.const 0))
          (then
            (memory.copy (local.get $ret) (local.get $old)
              (select (local.get $old-size) (local.get $size)
                (i64.lt_u (local.get $old-size) (local.get $size))))))
        (local.get $ret))
      ;; The string comes back where it arrived: (ptr, len) at 16.
      (func (export "echo") (param i64 i64) (result i64)
        (i64.store (i64.const 16) (local.get 0))
        (i64.store (i64.const 24) (local.get 1))
        (i64.const 16))
      ;; The sum of a list<u32>, read through the 64-bit pointer.
      (func (export "sum") (param $p i64) (param $n i64) (result i64)
        (local $s i64)
        (block $done
          (loop $next
            (br_if $done (i64.eqz (local.get $n)))
            (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $p))))
            (local.set $p (i64.add (local.get $p) (i64.const 4)))
            (local.set $n (i64.sub (local.get $n) (i64.const 1)))
            (br $next)))
        (local.get $s))
      ;; list<u32> [1, 2, 3] at `start` - 16 (its header at 32).
      (func (export "list") (result i64)
        (i64.store (i64.const 32) (i64.const 4294967280))
        (i64.store (i64.const 40) (i64.const 3))
        (i32.store (i64.const 4294967280) (i32.const 1))
        (i32.store (i64.const 4294967284) (i32.const 2))
        (i32.store (i64.const 4294967288) (i32.const 3))
        (i64.const 32))
      ;; A string whose bytes are invalid in every encoding's copy: a lone
      ;; 0xff for utf8, an unpaired surrogate for utf16.
      (func (export "bad") (result i64)
        (i64.store (i64.const 48) (i64.const 64))
        (i64.store (i64.const 56) (i64.const 1))
        (i64.const 48))
      ;; A string that runs past the end of the memory.
      (func (export "oob") (result i64)
        (i64.store (i64.const 48) (i64.sub (i64.mul (memory.size) (i64.const 0x10000)) (i64.const 2)))
        (i64.store (i64.const 56) (i64.const 8))
        (i64.const 48))
      (data (i64.const 64) "\ff\d8\00\00")
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
    (func (export "sum") (param "l" (list u32)) (result u64)
      (canon lift (core func $m "sum") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
    (func (export "list") (result (list u32))
      (canon lift (core func $m "list") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
    (func (export "bad") (result string)
      (canon lift (core func $m "bad") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
    (func (export "oob") (result string)
      (canon lift (core func $m "oob") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
    (import "sum" (func $sum (param "l" (list u32)) (result u64)))
    (import "list" (func $list (result (list u32))))
    (import "bad" (func $bad (result string)))
    (import "oob" (func $oob (result string)))
    (core module $Libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
        (local $ret i32)
        (local.set $ret
          (i32.and
            (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
            (i32.sub (i32.const 0) (local.get $align))))
        (global.set $next (i32.add (local.get $ret) (local.get $size)))
        (if (local.get $old)
          (then
            (memory.copy (local.get $ret) (local.get $old)
              (select (local.get $old-size) (local.get $size)
                (i32.lt_u (local.get $old-size) (local.get $size))))))
        (local.get $ret)))
    (core instance $libc (instantiate $Libc))
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
    (core func $sum (canon lower (func $sum) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core func $list (canon lower (func $list) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core func $bad (canon lower (func $bad) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
    (core func $oob (canon lower (func $oob) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (import "" "sum" (func $sum (param i32 i32) (result i64)))
      (import "" "list" (func $list (param i32)))
      (import "" "bad" (func $bad (param i32)))
      (import "" "oob" (func $oob (param i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
      (func (export "sum") (param i32 i32) (result i64) (call $sum (local.get 0) (local.get 1)))
      (func (export "list") (result i32) (call $list (i32.const 8)) (i32.const 8))
      (func (export "bad") (result i32) (call $bad (i32.const 8)) (i32.const 8))
      (func (export "oob") (result i32) (call $oob (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
      (export "sum" (func $sum))
      (export "list" (func $list))
      (export "bad" (func $bad))
      (export "oob" (func $oob))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
    (func (export "sum") (param "l" (list u32)) (result u64)
      (canon lift (core func $m "sum") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (func (export "list") (result (list u32))
      (canon lift (core func $m "list") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (func (export "bad") (result string)
      (canon lift (core func $m "bad") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
    (func (export "oob") (result string)
      (canon lift (core func $m "oob") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
    (with "sum" (func $echo "sum"))
    (with "list" (func $echo "list"))
    (with "bad" (func $echo "bad"))
    (with "oob" (func $echo "oob"))
  ))
  (export "echo" (func $fwd "echo"))
  (export "sum" (func $fwd "sum"))
  (export "list" (func $fwd "list"))
  (export "bad" (func $fwd "bad"))
  (export "oob" (func $fwd "oob"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))
(assert_return (invoke "sum" (list.const (u32.const 1) (u32.const 2) (u32.const 4000000000))) (u64.const 4000000003))
(assert_return (invoke "list") (list.const (u32.const 1) (u32.const 2) (u32.const 3)))
(assert_trap (invoke "oob") "string content out-of-bounds")

;; An export lifted with a 64-bit memory is refused when the component is
;; instantiated (the component itself is valid).
(assert_unlinkable
  (component
    (core module $M
      (memory (export "mem") i64 1)
      (func (export "f") (result i64) (i64.const 0)))
    (core instance $m (instantiate $M))
    (func (export "f") (result string)
      (canon lift (core func $m "f") (memory (core memory $m "mem")))))
  "not supported yet: a 64-bit memory in the canonical options of a function the host calls or provides")
