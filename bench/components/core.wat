;; The floor of `benches/calls.rs`: a core module, no component model. The
;; core call case calls `id`; the memcpy cases copy into `memory` from the
;; host with `Memory::data_mut`, at 64 KiB: where calls.wat's `realloc`
;; places every call's argument.
(module
  (memory (export "memory") 18)
  (func (export "id") (param i32) (result i32)
    (local.get 0)))
