;; A component that uses a resource the host implements: `logger`, from the
;; host interface `example:log/logging`. The guest never sees a logger's
;; state, only handles (`i32` indices into its handle table).
;;
;; Exports:
;; - `run: func(name: string) -> u32` creates a logger named `name`, logs two
;;   lines through it, drops it, and returns `logger.created()`;
;; - `make-logger: func(prefix: string) -> own<logger>` creates a logger and
;;   gives it to the caller;
;; - `log-to: func(l: borrow<logger>, msg: string)` logs through a logger the
;;   caller lends for the call.
(component
  (import "example:log/logging" (instance $logging
    (export "logger" (type $logger (sub resource)))
    (export "[constructor]logger" (func (param "prefix" string) (result (own $logger))))
    (export "[method]logger.log" (func (param "self" (borrow $logger)) (param "msg" string) (result u32)))
    (export "[static]logger.created" (func (result u32)))))
  (alias export $logging "logger" (type $logger))

  ;; A tiny "libc": the linear memory and a bump allocator used as `realloc`.
  (core module $Libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc")
          (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
          (result i32)
      (local $ptr i32)
      (local.set $ptr
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $ptr) (local.get $new_size)))
      (if (local.get $old)
        (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
      (local.get $ptr)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  ;; The logger's functions as core functions, and `resource.drop`, which
  ;; tells the host (through the destructor) that the guest is done.
  (core func $new (canon lower (func $logging "[constructor]logger") (memory $mem)))
  (core func $log (canon lower (func $logging "[method]logger.log") (memory $mem)))
  (core func $created (canon lower (func $logging "[static]logger.created")))
  (core func $drop (canon resource.drop $logger))

  (core module $Plugin
    (import "libc" "memory" (memory 1))
    (import "logging" "new" (func $new (param i32 i32) (result i32)))
    (import "logging" "log" (func $log (param i32 i32 i32) (result i32)))
    (import "logging" "created" (func $created (result i32)))
    (import "logging" "drop" (func $drop (param i32)))
    (data (i32.const 16) "starting")
    (data (i32.const 24) "done")

    (func (export "run") (param $name i32) (param $len i32) (result i32)
      (local $logger i32)
      (local.set $logger (call $new (local.get $name) (local.get $len)))
      (drop (call $log (local.get $logger) (i32.const 16) (i32.const 8)))
      (drop (call $log (local.get $logger) (i32.const 24) (i32.const 4)))
      (call $drop (local.get $logger))
      (call $created))

    ;; The new handle is returned as the `own<logger>` result: ownership
    ;; leaves this component.
    (func (export "make-logger") (param $prefix i32) (param $len i32) (result i32)
      (call $new (local.get $prefix) (local.get $len)))

    ;; A borrowed handle must be dropped before returning.
    (func (export "log-to") (param $logger i32) (param $msg i32) (param $len i32)
      (drop (call $log (local.get $logger) (local.get $msg) (local.get $len)))
      (call $drop (local.get $logger))))
  (core instance $plugin (instantiate $Plugin
    (with "libc" (instance $libc))
    (with "logging" (instance
      (export "new" (func $new))
      (export "log" (func $log))
      (export "created" (func $created))
      (export "drop" (func $drop))))))

  (func (export "run") (param "name" string) (result u32)
    (canon lift (core func $plugin "run") (memory $mem) (realloc $realloc)))
  (func (export "make-logger") (param "prefix" string) (result (own $logger))
    (canon lift (core func $plugin "make-logger") (memory $mem) (realloc $realloc)))
  (func (export "log-to") (param "l" (borrow $logger)) (param "msg" string)
    (canon lift (core func $plugin "log-to") (memory $mem) (realloc $realloc))))
