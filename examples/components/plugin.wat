;; A plugin of world `example:plugin/plugin` (`examples/wit/plugin.wit`),
;; written by hand in the component text format: what a compiler would
;; make from a guest that implements the world.
;;
;; - `name()` returns "shouter";
;; - `handle(req)` logs (`log`, a world-level import), reads the host's
;;   setting `suffix` (`config.get`, an interface import), and answers
;;   with `req.text` repeated `req.repeat` times, upper-cased, followed by
;;   the suffix; or fails with `empty` or `too-long(n)` (more than 64
;;   bytes).
(component
  ;; The shared types: the world `use`s them, so the component imports
  ;; the interface that defines them (it has no functions).
  (import "example:plugin/types@0.1.0" (instance $types
    (type $level' (enum "debug" "info" "warn" "error"))
    (export "level" (type (eq $level')))
    (type $request' (record (field "text" string) (field "repeat" u32)))
    (export "request" (type (eq $request')))
    (type $response' (record (field "text" string) (field "length" u32)))
    (export "response" (type (eq $response')))
    (type $handle-error' (variant (case "empty") (case "too-long" u32)))
    (export "handle-error" (type (eq $handle-error')))))
  (alias export $types "level" (type $level))
  (alias export $types "request" (type $request))
  (alias export $types "response" (type $response))
  (alias export $types "handle-error" (type $handle-error))

  ;; An interface import and a world-level function import.
  (import "example:plugin/config@0.1.0" (instance $config
    (export "get" (func (param "key" string) (result (option string))))))
  (import "log" (func $log (param "level" $level) (param "msg" string)))

  ;; A tiny "libc": the linear memory and a bump allocator used as
  ;; `realloc` (it grows the memory as needed, never frees).
  (core module $Libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc")
          (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
          (result i32)
      (local $ptr i32)
      (local $end i32)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
      (block $fits
        (loop $grow
          (br_if $fits (i32.le_u (local.get $end) (i32.mul (memory.size) (i32.const 65536))))
          (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
          (br $grow)))
      (global.set $heap (local.get $end))
      (if (local.get $old)
        (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
      (local.get $ptr)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  ;; The imports as core functions. `config.get` returns a string, which
  ;; the host writes into our memory with our `realloc`.
  (core func $log (canon lower (func $log) (memory $mem)))
  (core func $get (canon lower (func $config "get") (memory $mem) (realloc $realloc)))

  (core module $Plugin
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    ;; log(level, msg.ptr, msg.len)
    (import "host" "log" (func $log (param i32 i32 i32)))
    ;; get(key.ptr, key.len, result area): an `option<string>` is three
    ;; core values, more than a core function returns, so the host writes
    ;; it at the address given as the last parameter.
    (import "host" "get" (func $get (param i32 i32 i32)))

    (data (i32.const 16) "shouter")
    (data (i32.const 32) "handling a request")
    (data (i32.const 64) "empty request")
    (data (i32.const 80) "answer too long")
    (data (i32.const 96) "suffix")
    ;; 256..272: the result area of our exports; 272..284: `get`'s result.

    ;; name() -> string: a string result is two core values, returned
    ;; through the result area.
    (func (export "name") (result i32)
      (i32.store (i32.const 256) (i32.const 16))
      (i32.store (i32.const 260) (i32.const 7))
      (i32.const 256))

    ;; handle(req: request) -> result<response, handle-error>. The record
    ;; arrives flattened: text.ptr, text.len, repeat. The result's layout:
    ;; its case (a byte) at 0; `ok` = response { text.ptr at 4, text.len
    ;; at 8, length at 12 }; `err` = handle-error { case at 4, u32 at 8 }.
    (func (export "handle") (param $text i32) (param $len i32) (param $repeat i32) (result i32)
      (local $suffix i32)
      (local $suffix_len i32)
      (local $total i64)
      (local $out i32)
      (local $at i32)
      (local $i i32)
      (local $c i32)
      (call $log (i32.const 1) (i32.const 32) (i32.const 18))
      ;; An empty text is an error: `err(empty)`.
      (if (i32.eqz (local.get $len))
        (then
          (call $log (i32.const 2) (i32.const 64) (i32.const 13))
          (i32.store8 (i32.const 256) (i32.const 1))
          (i32.store8 (i32.const 260) (i32.const 0))
          (return (i32.const 256))))
      ;; The host's `suffix` setting, if it has one.
      (call $get (i32.const 96) (i32.const 6) (i32.const 272))
      (if (i32.load8_u (i32.const 272))
        (then
          (local.set $suffix (i32.load (i32.const 276)))
          (local.set $suffix_len (i32.load (i32.const 280)))))
      ;; The answer's length, in 64 bits so that it cannot overflow.
      (local.set $total
        (i64.add
          (i64.mul (i64.extend_i32_u (local.get $len)) (i64.extend_i32_u (local.get $repeat)))
          (i64.extend_i32_u (local.get $suffix_len))))
      ;; Longer than 64 bytes: `err(too-long(n))`, `n` saturated to u32.
      (if (i64.gt_u (local.get $total) (i64.const 64))
        (then
          (call $log (i32.const 3) (i32.const 80) (i32.const 15))
          (i32.store8 (i32.const 256) (i32.const 1))
          (i32.store8 (i32.const 260) (i32.const 1))
          (i32.store (i32.const 264)
            (select
              (i32.const -1)
              (i32.wrap_i64 (local.get $total))
              (i64.gt_u (local.get $total) (i64.const 0xffffffff))))
          (return (i32.const 256))))
      ;; The text, `repeat` times.
      (local.set $out
        (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.wrap_i64 (local.get $total))))
      (local.set $at (local.get $out))
      (local.set $i (local.get $repeat))
      (block $copied
        (loop $copy
          (br_if $copied (i32.eqz (local.get $i)))
          (memory.copy (local.get $at) (local.get $text) (local.get $len))
          (local.set $at (i32.add (local.get $at) (local.get $len)))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br $copy)))
      ;; Upper-cased (ASCII letters only).
      (local.set $i (local.get $out))
      (block $shouted
        (loop $upper
          (br_if $shouted (i32.ge_u (local.get $i) (local.get $at)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
            (then (i32.store8 (local.get $i) (i32.sub (local.get $c) (i32.const 32)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $upper)))
      ;; Then the suffix.
      (memory.copy (local.get $at) (local.get $suffix) (local.get $suffix_len))
      ;; `ok(response { text, length })`.
      (i32.store8 (i32.const 256) (i32.const 0))
      (i32.store (i32.const 260) (local.get $out))
      (i32.store (i32.const 264) (i32.wrap_i64 (local.get $total)))
      (i32.store (i32.const 268) (i32.wrap_i64 (local.get $total)))
      (i32.const 256)))
  (core instance $plugin (instantiate $Plugin
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "log" (func $log))
      (export "get" (func $get))))))

  ;; The world's exports. Their types name `request`, `response` and
  ;; `handle-error`, which the component imported above.
  (func (export "name") (result string)
    (canon lift (core func $plugin "name") (memory $mem) (realloc $realloc)))
  (func (export "handle") (param "req" $request) (result (result $response (error $handle-error)))
    (canon lift (core func $plugin "handle") (memory $mem) (realloc $realloc))))
