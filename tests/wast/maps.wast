;; `map<K, V>` (the component model's map proposal): a map travels as a
;; `list<tuple<K, V>>`. Both directions, flat and in memory, duplicate
;; keys kept in order, and the traps of a bad list.

;; Export direction: the guest sums a map<string, u32>'s values and
;; echoes a map back.
(component definition $Maps
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $r) (local.get 3)))
      (local.get $r))
    ;; Each entry is 12 bytes: string pointer, string length, u32 value.
    (func (export "sum") (param $p i32) (param $n i32) (result i32)
      (local $acc i32)
      (block $done (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.load offset=8 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 12)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
      (local.get $acc))
    ;; The number of entries, to see duplicates arrive.
    (func (export "count") (param $p i32) (param $n i32) (result i32)
      (local.get $n))
    ;; Returns the map it was given: pointer and length through memory.
    (func (export "echo") (param $p i32) (param $n i32) (result i32)
      (i32.store (i32.const 0) (local.get $p))
      (i32.store (i32.const 4) (local.get $n))
      (i32.const 0))
    ;; A map<u8, u8> the guest built: {1: 10, 2: 20, 1: 30}.
    (data (i32.const 64) "\01\0a\02\14\01\1e")
    (func (export "made") (result i32)
      (i32.store (i32.const 0) (i32.const 64))
      (i32.store (i32.const 4) (i32.const 3))
      (i32.const 0))
    ;; A list running off the end of memory.
    (func (export "bad-range") (result i32)
      (i32.store (i32.const 0) (i32.const 65532))
      (i32.store (i32.const 4) (i32.const 2))
      (i32.const 0))
    ;; Entries of map<u32, u32> must be 4-aligned.
    (func (export "bad-align") (result i32)
      (i32.store (i32.const 0) (i32.const 66))
      (i32.store (i32.const 4) (i32.const 1))
      (i32.const 0))
  )
  (core instance $i (instantiate $m))
  (type $sm (map string u32))
  (type $bm (map u8 u8))
  (type $wm (map u32 u32))
  (func (export "sum") (param "m" $sm) (result u32)
    (canon lift (core func $i "sum") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "count") (param "m" $sm) (result u32)
    (canon lift (core func $i "count") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "echo") (param "m" $sm) (result $sm)
    (canon lift (core func $i "echo") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func (export "made") (result $bm)
    (canon lift (core func $i "made") (memory (core memory $i "mem"))))
  (func (export "bad-range") (result $wm)
    (canon lift (core func $i "bad-range") (memory (core memory $i "mem"))))
  (func (export "bad-align") (result $wm)
    (canon lift (core func $i "bad-align") (memory (core memory $i "mem"))))
)
(component instance $maps $Maps)
(assert_return (invoke "sum" (map.const)) (u32.const 0))
(assert_return
  (invoke "sum" (map.const (entry (str.const "a") (u32.const 1)) (entry (str.const "bc") (u32.const 20)) (entry (str.const "def") (u32.const 300))))
  (u32.const 321))
(assert_return
  (invoke "count" (map.const (entry (str.const "k") (u32.const 1)) (entry (str.const "k") (u32.const 2))))
  (u32.const 2))
(assert_return
  (invoke "echo" (map.const (entry (str.const "x") (u32.const 7)) (entry (str.const "yz") (u32.const 8))))
  (map.const (entry (str.const "x") (u32.const 7)) (entry (str.const "yz") (u32.const 8))))
(assert_return (invoke "made")
  (map.const (entry (u8.const 1) (u8.const 10)) (entry (u8.const 2) (u8.const 20)) (entry (u8.const 1) (u8.const 30))))
(assert_trap (invoke "bad-range") "pointer out of bounds")
(component instance $maps $Maps)
(assert_trap (invoke "bad-align") "unaligned pointer")
(component instance $maps $Maps)
(register "maps")

;; Host direction: an import the runner defines from the registered
;; instance's "echo", so the map is lifted from this guest by the host,
;; then lowered into the other instance and back.
(component
  (type $sm (map string u32))
  (import "maps" (instance $maps (export "echo" (func (param "m" $sm) (result $sm)))))
  (alias export $maps "echo" (func $echo))
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $r) (local.get 3)))
      (local.get $r)))
  (core instance $libc (instantiate $libc))
  (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "host" "echo" (func $echo (param i32 i32 i32)))
    (data (i32.const 512) "keylonger")
    ;; {"key": 3, "longer": 6} sent and received back: the sum of the
    ;; values and the length of the second key that came back.
    (func (export "round-trip") (result i32)
      (i32.store (i32.const 256) (i32.const 512))
      (i32.store (i32.const 260) (i32.const 3))
      (i32.store (i32.const 264) (i32.const 3))
      (i32.store (i32.const 268) (i32.const 515))
      (i32.store (i32.const 272) (i32.const 6))
      (i32.store (i32.const 276) (i32.const 6))
      (call $echo (i32.const 256) (i32.const 2) (i32.const 128))
      (i32.add
        (i32.add
          (i32.load offset=8 (i32.load (i32.const 128)))
          (i32.load offset=20 (i32.load (i32.const 128))))
        (i32.mul (i32.const 100) (i32.load offset=16 (i32.load (i32.const 128))))))
    ;; A map list running past the end of memory: the host traps.
    (func (export "out-of-bounds") (result i32)
      (call $echo (i32.const 65528) (i32.const 1) (i32.const 128))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "host" (instance (export "echo" (func $echo))))))
  (func (export "round-trip") (result u32) (canon lift (core func $i "round-trip")))
  (func (export "out-of-bounds") (result u32) (canon lift (core func $i "out-of-bounds")))
)
(assert_return (invoke "round-trip") (u32.const 609))
(assert_trap (invoke "out-of-bounds") "pointer out of bounds")

;; Guest to guest: a map crosses from one component to another through
;; the fused adapter.
(component
  (component $producer
    (core module $m
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $r i32)
        (local.set $r (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
        (global.set $next (i32.add (local.get $r) (local.get 3)))
        (local.get $r))
      ;; map<u32, u64> entries are 16 bytes: key, padding, value.
      (func (export "weigh") (param $p i32) (param $n i32) (result i64)
        (local $acc i64)
        (block $done (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i64.add (local.get $acc)
            (i64.mul (i64.extend_i32_u (i32.load (local.get $p))) (i64.load offset=8 (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
        (local.get $acc)))
    (core instance $i (instantiate $m))
    (type $m (map u32 u64))
    (func (export "weigh") (param "m" $m) (result u64)
      (canon lift (core func $i "weigh") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))
  (component $consumer
    (type $m (map u32 u64))
    (import "weigh" (func $weigh (param "m" $m) (result u64)))
    (core module $libc (memory (export "mem") 1))
    (core instance $libc (instantiate $libc))
    (core func $weigh (canon lower (func $weigh) (memory (core memory $libc "mem"))))
    (core module $m
      (import "libc" "mem" (memory 1))
      (import "host" "weigh" (func $weigh (param i32 i32) (result i64)))
      ;; {2: 5, 3: 7} at 256: 2*5 + 3*7 = 31.
      (func (export "run") (result i64)
        (i32.store (i32.const 256) (i32.const 2))
        (i64.store (i32.const 264) (i64.const 5))
        (i32.store (i32.const 272) (i32.const 3))
        (i64.store (i32.const 280) (i64.const 7))
        (call $weigh (i32.const 256) (i32.const 2)))
      ;; Entries must be 8-aligned: the adapter traps.
      (func (export "misaligned") (result i64)
        (call $weigh (i32.const 260) (i32.const 1))))
    (core instance $i (instantiate $m
      (with "libc" (instance $libc))
      (with "host" (instance (export "weigh" (func $weigh))))))
    (func (export "run") (result u64) (canon lift (core func $i "run")))
    (func (export "misaligned") (result u64) (canon lift (core func $i "misaligned"))))
  (instance $p (instantiate $producer))
  (instance $c (instantiate $consumer (with "weigh" (func $p "weigh"))))
  (export "run" (func $c "run"))
  (export "misaligned" (func $c "misaligned"))
  (export "weigh" (func $p "weigh"))
)
(assert_return (invoke "run") (u64.const 31))
(assert_return (invoke "weigh" (map.const (entry (u32.const 4) (u64.const 4)))) (u64.const 16))
(assert_trap (invoke "misaligned") "unaligned pointer")
