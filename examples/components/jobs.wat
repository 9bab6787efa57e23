;; A job of world `example:jobs/job` (`examples/wit/jobs.wit`), written by
;; hand in the component text format:
;;
;; - `process(url)` calls the host's `net.fetch(url)` and returns the body
;;   it got (the host writes it into our memory with our `realloc`);
;; - `spin()` loops forever.
(component
  (import "example:jobs/net@0.1.0" (instance $net
    (export "fetch" (func (param "url" string) (result string)))))

  ;; The linear memory and a bump allocator used as `realloc` (it grows
  ;; the memory as needed, never frees).
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

  (core func $fetch (canon lower (func $net "fetch") (memory $mem) (realloc $realloc)))

  (core module $Job
    (import "libc" "memory" (memory 1))
    ;; fetch(url.ptr, url.len, result area)
    (import "net" "fetch" (func $fetch (param i32 i32 i32)))
    ;; The body's (ptr, len) pair goes to offset 16, which is also the
    ;; result area of `process`.
    (func (export "process") (param $ptr i32) (param $len i32) (result i32)
      (call $fetch (local.get $ptr) (local.get $len) (i32.const 16))
      (i32.const 16))
    (func (export "spin")
      (loop $forever (br $forever))))
  (core instance $job (instantiate $Job
    (with "libc" (instance $libc))
    (with "net" (instance (export "fetch" (func $fetch))))))

  (func (export "process") (param "url" string) (result string)
    (canon lift (core func $job "process") (memory $mem) (realloc $realloc)))
  (func (export "spin") (canon lift (core func $job "spin"))))
