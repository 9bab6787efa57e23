;; A component of world `example:kv/app` (`examples/wit/kv.wit`): it uses
;; `bucket`, a resource the host implements, through handles (`i32`
;; indices into its handle table); it never sees a bucket's contents
;; except through the bucket's methods.
(component
  (import "example:kv/buckets" (instance $buckets
    (export "bucket" (type $bucket (sub resource)))
    (export "[constructor]bucket" (func (param "name" string) (result (own $bucket))))
    (export "[method]bucket.set"
      (func (param "self" (borrow $bucket)) (param "key" string) (param "value" string)))
    (export "[method]bucket.get"
      (func (param "self" (borrow $bucket)) (param "key" string) (result (option string))))
    (export "[method]bucket.len" (func (param "self" (borrow $bucket)) (result u32)))
    (export "[static]bucket.open" (func (result u32)))
    (export "archive" (func (param "b" (own $bucket)) (result u32)))))
  (alias export $buckets "bucket" (type $bucket))

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

  ;; The bucket's functions as core functions, and `resource.drop`.
  (core func $new (canon lower (func $buckets "[constructor]bucket") (memory $mem)))
  (core func $set (canon lower (func $buckets "[method]bucket.set") (memory $mem)))
  (core func $get
    (canon lower (func $buckets "[method]bucket.get") (memory $mem) (realloc $realloc)))
  (core func $len (canon lower (func $buckets "[method]bucket.len")))
  (core func $open (canon lower (func $buckets "[static]bucket.open")))
  (core func $archive (canon lower (func $buckets "archive")))
  (core func $drop (canon resource.drop $bucket))

  (core module $App
    (import "libc" "memory" (memory 1))
    (import "buckets" "new" (func $new (param i32 i32) (result i32)))
    (import "buckets" "set" (func $set (param i32 i32 i32 i32 i32)))
    (import "buckets" "get" (func $get (param i32 i32 i32 i32)))
    (import "buckets" "len" (func $len (param i32) (result i32)))
    (import "buckets" "open" (func $open (result i32)))
    (import "buckets" "archive" (func $archive (param i32) (result i32)))
    (import "buckets" "drop" (func $drop (param i32)))
    (data (i32.const 16) "lang")
    (data (i32.const 24) "wat")
    (data (i32.const 32) "host")
    (data (i32.const 40) "wit-host")
    (data (i32.const 48) "made-by")
    (data (i32.const 56) "guest")
    ;; 256..268: the result area of `lookup`.

    ;; run(name): new bucket, set two keys (one twice), read its length,
    ;; drop it (the host's destructor runs), return the length.
    (func (export "run") (param $name i32) (param $name_len i32) (result i32)
      (local $b i32)
      (local $n i32)
      (local.set $b (call $new (local.get $name) (local.get $name_len)))
      (call $set (local.get $b) (i32.const 16) (i32.const 4) (i32.const 24) (i32.const 3))
      (call $set (local.get $b) (i32.const 32) (i32.const 4) (i32.const 40) (i32.const 8))
      (call $set (local.get $b) (i32.const 16) (i32.const 4) (i32.const 24) (i32.const 3))
      (local.set $n (call $len (local.get $b)))
      (call $drop (local.get $b))
      (local.get $n))

    ;; make(name): the new handle is the `own<bucket>` result: ownership
    ;; leaves this component.
    (func (export "make") (param $name i32) (param $name_len i32) (result i32)
      (local $b i32)
      (local.set $b (call $new (local.get $name) (local.get $name_len)))
      (call $set (local.get $b) (i32.const 48) (i32.const 7) (i32.const 56) (i32.const 5))
      (local.get $b))

    ;; lookup(b, key): `get` writes the `option<string>` at 256, which is
    ;; also the layout of our result. A borrowed handle must be dropped
    ;; before returning.
    (func (export "lookup") (param $b i32) (param $key i32) (param $key_len i32) (result i32)
      (call $get (local.get $b) (local.get $key) (local.get $key_len) (i32.const 256))
      (call $drop (local.get $b))
      (i32.const 256))

    ;; keep(name): the bucket moves to the host through `archive`.
    (func (export "keep") (param $name i32) (param $name_len i32) (result i32)
      (local $b i32)
      (local.set $b (call $new (local.get $name) (local.get $name_len)))
      (call $set (local.get $b) (i32.const 48) (i32.const 7) (i32.const 56) (i32.const 5))
      (call $archive (local.get $b)))

    (func (export "open-buckets") (result i32)
      (call $open)))
  (core instance $app (instantiate $App
    (with "libc" (instance $libc))
    (with "buckets" (instance
      (export "new" (func $new))
      (export "set" (func $set))
      (export "get" (func $get))
      (export "len" (func $len))
      (export "open" (func $open))
      (export "archive" (func $archive))
      (export "drop" (func $drop))))))

  (func (export "run") (param "name" string) (result u32)
    (canon lift (core func $app "run") (memory $mem) (realloc $realloc)))
  (func (export "make") (param "name" string) (result (own $bucket))
    (canon lift (core func $app "make") (memory $mem) (realloc $realloc)))
  (func (export "lookup") (param "b" (borrow $bucket)) (param "key" string) (result (option string))
    (canon lift (core func $app "lookup") (memory $mem) (realloc $realloc)))
  (func (export "keep") (param "name" string) (result u32)
    (canon lift (core func $app "keep") (memory $mem) (realloc $realloc)))
  (func (export "open-buckets") (result u32)
    (canon lift (core func $app "open-buckets"))))
