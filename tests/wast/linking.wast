;; Host functions between guests: `register` makes an instance's exported
;; functions importable by later components (as host functions of the
;; runner that call the registered instance in its own store). A call from
;; $App goes guest -> host (lifting $App's arguments, lowering the results
;; into $App) -> guest ($Lib, through the public call API).
(component $Lib
  (core module $M
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 0x1000))
    (global $mode (mut i32) (i32.const 0))
    (global $reallocs (mut i32) (i32.const 0))
    (func (export "set-mode") (param i32) (global.set $mode (local.get 0)))
    (func (export "reallocs") (result i32) (global.get $reallocs))
    (func $realloc (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $ret i32)
      (global.set $reallocs (i32.add (global.get $reallocs) (i32.const 1)))
      (if (i32.eq (global.get $mode) (i32.const 1)) (then (return (i32.const 0xfffffff0))))
      (local.set $ret
        (i32.and
          (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (if (i32.eq (global.get $mode) (i32.const 2))
        (then (local.set $ret (i32.add (local.get $ret) (i32.const 1)))))
      (global.set $next (i32.add (local.get $ret) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 0x10000)))
        (then
          (if (i32.eq (i32.const -1)
                (memory.grow
                  (i32.add (i32.const 1)
                    (i32.shr_u
                      (i32.sub (global.get $next) (i32.mul (memory.size) (i32.const 0x10000)))
                      (i32.const 16)))))
            (then unreachable))))
      (if (local.get $old)
        (then
          (memory.copy (local.get $ret) (local.get $old)
            (select (local.get $old-size) (local.get $size)
              (i32.lt_u (local.get $old-size) (local.get $size))))))
      (local.get $ret))
    ;; echo: returns the string it got
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 8) (local.get 0))
      (i32.store (i32.const 12) (local.get 1))
      (i32.const 8))
    (func (export "sum") (param $p i32) (param $n i32) (result i64) (local $acc i64)
      (block $done (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
      (local.get $acc))
    ;; swap: tuple<u32, string> -> tuple<string, u32>
    (func (export "swap") (param i32 i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 1))
      (i32.store (i32.const 20) (local.get 2))
      (i32.store (i32.const 24) (local.get 0))
      (i32.const 16))
    (func (export "fail") (param i32) (result i32) (if (local.get 0) (then unreachable)) (i32.const 0))
    (global $calls (mut i32) (i32.const 0))
    (func (export "bump") (result i32)
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (global.get $calls))
  )
  (core instance $m (instantiate $M))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (func (export "sum") (param "l" (list u32)) (result u64)
    (canon lift (core func $m "sum") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (func (export "swap") (param "t" (tuple u32 string)) (result (tuple string u32))
    (canon lift (core func $m "swap") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (func (export "fail") (param "x" u32) (result u32) (canon lift (core func $m "fail")))
  (func (export "bump") (result u32) (canon lift (core func $m "bump")))
)
(assert_return (invoke "bump") (u32.const 1))
(register "lib")

(component $App
  (import "lib" (instance $lib
    (export "echo" (func (param "s" string) (result string)))
    (export "sum" (func (param "l" (list u32)) (result u64)))
    (export "swap" (func (param "t" (tuple u32 string)) (result (tuple string u32))))
    (export "fail" (func (param "x" u32) (result u32)))
    (export "bump" (func (result u32)))))
  (core module $Mem
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 0x1000))
    (global $mode (mut i32) (i32.const 0))
    (global $reallocs (mut i32) (i32.const 0))
    (func (export "set-mode") (param i32) (global.set $mode (local.get 0)))
    (func (export "reallocs") (result i32) (global.get $reallocs))
    (func $realloc (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $ret i32)
      (global.set $reallocs (i32.add (global.get $reallocs) (i32.const 1)))
      (if (i32.eq (global.get $mode) (i32.const 1)) (then (return (i32.const 0xfffffff0))))
      (local.set $ret
        (i32.and
          (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (if (i32.eq (global.get $mode) (i32.const 2))
        (then (local.set $ret (i32.add (local.get $ret) (i32.const 1)))))
      (global.set $next (i32.add (local.get $ret) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 0x10000)))
        (then
          (if (i32.eq (i32.const -1)
                (memory.grow
                  (i32.add (i32.const 1)
                    (i32.shr_u
                      (i32.sub (global.get $next) (i32.mul (memory.size) (i32.const 0x10000)))
                      (i32.const 16)))))
            (then unreachable))))
      (if (local.get $old)
        (then
          (memory.copy (local.get $ret) (local.get $old)
            (select (local.get $old-size) (local.get $size)
              (i32.lt_u (local.get $old-size) (local.get $size))))))
      (local.get $ret))
  )
  (core instance $mem (instantiate $Mem))
  (core func $echo (canon lower (func $lib "echo") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $sum (canon lower (func $lib "sum") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $swap (canon lower (func $lib "swap") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (core func $fail (canon lower (func $lib "fail")))
  (core func $bump (canon lower (func $lib "bump")))
  (core module $M
    (import "" "mem" (memory 1))
    (import "" "echo" (func $echo (param i32 i32 i32)))
    (import "" "sum" (func $sum (param i32 i32) (result i64)))
    (import "" "swap" (func $swap (param i32 i32 i32 i32)))
    (import "" "fail" (func $fail (param i32) (result i32)))
    (import "" "bump" (func $bump (result i32)))
    (func (export "echo") (param i32 i32) (result i32) (call $echo (local.get 0) (local.get 1) (i32.const 0x20)) (i32.const 0x20))
    (func (export "sum") (param i32 i32) (result i64) (call $sum (local.get 0) (local.get 1)))
    (func (export "swap") (param i32 i32 i32) (result i32)
      (call $swap (local.get 0) (local.get 1) (local.get 2) (i32.const 0x40)) (i32.const 0x40))
    ;; calls echo twice and returns the length of the second result
    (func (export "echo-twice") (param i32 i32) (result i32)
      (call $echo (local.get 0) (local.get 1) (i32.const 0x20))
      (call $echo (i32.load (i32.const 0x20)) (i32.load (i32.const 0x24)) (i32.const 0x28))
      (i32.load (i32.const 0x2c)))
    (func (export "fail") (param i32) (result i32) (call $fail (local.get 0)))
    (func (export "bump") (result i32) (call $bump))
  )
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "echo" (func $echo)) (export "sum" (func $sum)) (export "swap" (func $swap))
    (export "fail" (func $fail)) (export "bump" (func $bump))))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "sum") (param "l" (list u32)) (result u64)
    (canon lift (core func $m "sum") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "swap") (param "t" (tuple u32 string)) (result (tuple string u32))
    (canon lift (core func $m "swap") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "echo-twice") (param "s" string) (result u32)
    (canon lift (core func $m "echo-twice") (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
  (func (export "fail") (param "x" u32) (result u32) (canon lift (core func $m "fail")))
  (func (export "bump") (result u32) (canon lift (core func $m "bump")))
)
(assert_return (invoke "echo" (str.const "")) (str.const ""))
(assert_return (invoke "echo" (str.const "h\u{e9}llo \u{2603} \u{1f370}")) (str.const "h\u{e9}llo \u{2603} \u{1f370}"))
(assert_return (invoke "echo-twice" (str.const "abc\u{2603}")) (u32.const 6))
(assert_return (invoke "sum" (list.const (u32.const 1) (u32.const 2) (u32.const 4294967295))) (u64.const 4294967298))
(assert_return (invoke "swap" (tuple.const (u32.const 7) (str.const "seven"))) (tuple.const (str.const "seven") (u32.const 7)))
;; state lives in the registered instance: its counter keeps counting
(assert_return (invoke "bump") (u32.const 2))
(assert_return (invoke "bump") (u32.const 3))
(assert_return (invoke $Lib "bump") (u32.const 4))
(assert_return (invoke "fail" (u32.const 0)) (u32.const 0))
;; a trap in the registered instance fails the host function, which traps
;; the calling guest
(assert_trap (invoke "fail" (u32.const 1)) "unreachable")

;; Linking errors: a missing instance, a missing function, the wrong kind
;; of item.
(assert_unlinkable
  (component (import "nowhere" (instance (export "f" (func)))))
  "nowhere")
(assert_unlinkable
  (component (import "lib" (instance (export "missing" (func)))))
  "missing")
(assert_unlinkable
  (component (import "lib" (func)))
  "lib")

;; Host functions are dynamically typed: a component importing one at
;; another type links, and the mismatch shows when the call is made.
(component $Mismatch
  (import "lib" (instance $lib (export "bump" (func (param "x" u32) (result u32)))))
  (core func $bump (canon lower (func $lib "bump")))
  (core module $M
    (import "" "bump" (func $bump (param i32) (result i32)))
    (func (export "run") (result i32) (call $bump (i32.const 1))))
  (core instance $m (instantiate $M (with "" (instance (export "bump" (func $bump))))))
  (func (export "run") (result u32) (canon lift (core func $m "run")))
)
(assert_trap (invoke "run") "takes 0 parameter(s), 1 given")
