;; String transcoders with a 64-bit side (see `memory64.wast`): a 64-bit
;; component echoes strings for a 32-bit one, in every pair of encodings
;; but utf8/utf8 (which `memory64.wast` runs), so each transcoder runs
;; once with an i64 destination (the argument) and once with an i64
;; source (the result).
;; The pairs share one shape; only the encodings differ.

;; 64-bit callee `utf8`, 32-bit caller `utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `utf8`, 32-bit caller `latin1+utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf8))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `utf16`, 32-bit caller `utf8`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `utf16`, 32-bit caller `utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `utf16`, 32-bit caller `latin1+utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `latin1+utf16`, 32-bit caller `utf8`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=latin1+utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf8))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `latin1+utf16`, 32-bit caller `utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=latin1+utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))

;; 64-bit callee `latin1+utf16`, 32-bit caller `latin1+utf16`.
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
    )
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc")) string-encoding=latin1+utf16))
  )
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
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
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 8)) (i32.const 8))
    )
    (core instance $m (instantiate $M (with "" (instance
      (export "echo" (func $echo))
    ))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
  )
  (instance $fwd (instantiate $Fwd32
    (with "echo" (func $echo "echo"))
  ))
  (export "echo" (func $fwd "echo"))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "hello")) (str.const "hello"))
(assert_return (invoke "echo" (str.const "ÿé latin-1")) (str.const "ÿé latin-1"))
(assert_return (invoke "echo" (str.const "snowman ☃ and 🦀")) (str.const "snowman ☃ and 🦀"))
