;; The floor of `benches/calls.rs`: a core module, no component model. The
;; core call case calls `id`; the memcpy cases copy into `memory` from the
;; host with `Memory::data_mut` (18 pages: the copies land at 64 KiB).
(module
  (memory (export "memory") 18)
  (func (export "id") (param i32) (result i32)
    (local.get 0)))
