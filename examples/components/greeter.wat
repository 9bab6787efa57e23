;; A small plugin, written by hand in the component text format.
;;
;; It imports a logger from the host (`example:app/host@1.0.0`) and exports
;; an interface `example:app/api@1.0.0` with `greet: func(name: string) ->
;; string`, plus a root function `sum: func(numbers: list<u32>) -> u64`.
(component
  (import "example:app/host@1.0.0" (instance $host
    (export "log" (func (param "message" string)))))

  ;; A tiny "libc": the linear memory and a bump allocator used as `realloc`.
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc")
          (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
          (result i32)
      (local $ptr i32)
      ;; Round the heap pointer up to `align`.
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $ptr) (local.get $new_size)))
      (if (local.get $old)
        (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
      (local.get $ptr)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  ;; The host's logger, lowered to a core function that reads the string
  ;; out of our memory.
  (alias export $host "log" (func $log))
  (core func $log (canon lower (func $log) (memory $mem)))

  (core module $plugin
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    (import "host" "log" (func $log (param i32 i32)))
    (data (i32.const 16) "Hello, ")

    ;; greet(name) = "Hello, " + name + "!"; the result string is returned
    ;; through a return area (a string is two core values).
    (func (export "greet") (param $name i32) (param $len i32) (result i32)
      (local $out i32) (local $total i32)
      (call $log (local.get $name) (local.get $len))
      (local.set $total (i32.add (local.get $len) (i32.const 8)))
      (local.set $out
        (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))
      (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $name) (local.get $len))
      (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7)))
                  (i32.const 33))
      (i32.store (i32.const 0) (local.get $out))
      (i32.store (i32.const 4) (local.get $total))
      (i32.const 0))

    ;; sum(numbers): adds a list of u32 into a u64.
    (func (export "sum") (param $ptr i32) (param $len i32) (result i64)
      (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $len)))
          (local.set $acc
            (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $ptr)))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
          (local.set $len (i32.sub (local.get $len) (i32.const 1)))
          (br $next)))
      (local.get $acc)))
  (core instance $plugin (instantiate $plugin
    (with "libc" (instance $libc))
    (with "host" (instance (export "log" (func $log))))))

  (func $greet (param "name" string) (result string)
    (canon lift (core func $plugin "greet") (memory $mem) (realloc (core func $realloc))))
  (instance $api (export "greet" (func $greet)))
  (export "example:app/api@1.0.0" (instance $api))

  (func (export "sum") (param "numbers" (list u32)) (result u64)
    (canon lift (core func $plugin "sum") (memory $mem) (realloc (core func $realloc)))))
