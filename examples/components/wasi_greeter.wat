;; A plugin of world `example:wasi-greeter/greeter` (examples/wit/wasi-greeter):
;; `greet(name)` writes "Hello, <name>!\n" to its stdout through WASI 0.2
;; (`wasi:cli/stdout` and `wasi:io/streams`) and returns the bytes written.
;;
;; It imports WASI at version 0.2.0, as older toolchains' output does; the
;; host's 0.2.12 definitions satisfy it (semver-compatible names).
(component $greeter
  (import "wasi:io/error@0.2.0" (instance $io-error
    (export "error" (type (sub resource)))))
  (alias export $io-error "error" (type $error))

  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer $greeter $error (type $e))
    (export "error" (type $error (eq $e)))
    (export "output-stream" (type $output-stream (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $error)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $output-stream)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))

  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer $greeter $output-stream (type $o))
    (export "output-stream" (type $output-stream (eq $o)))
    (export "get-stdout" (func (result (own $output-stream))))))

  ;; The guest's memory and a bump allocator for the host to write into.
  (core module $memory
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 8192))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32)
                             (param $size i32) (result i32)
      (local $at i32)
      ;; Align up, allocate, and trap if the page is exhausted.
      (local.set $at (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $at) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.const 65536)) (then unreachable))
      (local.get $at)))
  (core instance $memory (instantiate $memory))
  (alias core export $memory "memory" (core memory $mem))
  (alias core export $memory "realloc" (core func $realloc))

  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $write (canon lower
    (func $streams "[method]output-stream.blocking-write-and-flush") (memory $mem)))
  (core func $drop-stream (canon resource.drop $output-stream))

  (core module $main
    (import "env" "memory" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "drop-stream" (func $drop-stream (param i32)))
    (data (i32.const 0) "Hello, ")
    (data (i32.const 16) "!\n")
    ;; greet(name) -> u32: the message is built at 256, the result of the
    ;; write lands at 64.
    (func (export "greet") (param $name i32) (param $len i32) (result i32)
      (local $total i32) (local $stdout i32)
      ;; blocking-write-and-flush takes at most 4096 bytes.
      (if (i32.gt_u (local.get $len) (i32.const 4000)) (then unreachable))
      (memory.copy (i32.const 256) (i32.const 0) (i32.const 7))
      (memory.copy (i32.const 263) (local.get $name) (local.get $len))
      (memory.copy (i32.add (i32.const 263) (local.get $len)) (i32.const 16) (i32.const 2))
      (local.set $total (i32.add (local.get $len) (i32.const 9)))
      (local.set $stdout (call $get-stdout))
      (call $write (local.get $stdout) (i32.const 256) (local.get $total) (i32.const 64))
      ;; An error (the stream closed) is reported as 0 bytes written.
      (if (i32.load8_u (i32.const 64)) (then (local.set $total (i32.const 0))))
      (call $drop-stream (local.get $stdout))
      (local.get $total)))
  (core instance $main (instantiate $main
    (with "env" (instance (export "memory" (memory $mem))))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout))
      (export "write" (func $write))
      (export "drop-stream" (func $drop-stream))))))

  (func (export "greet") (param "name" string) (result u32)
    (canon lift (core func $main "greet") (memory $mem) (realloc $realloc))))
