//! The round-trip guest shared by the value tests (`values/`, dynamic
//! `Val`s through `func_new`) and the typed-API tests (`typed_*`, Rust
//! values through `func_wrap`): a component generated for one interface
//! type `T` that echoes values of `T` through its own memory and passes
//! them on to host imports.
//!
//! For a type `T`, [`roundtrip_wat`] builds a component with:
//!
//! * `echo: func(x: T) -> T` — host → guest → host: the host lowers `x`
//!   (flat, through `realloc` for strings and lists); the guest stores the
//!   flat values into its return area in `T`'s memory layout (instructions
//!   written by hand per type in [`Ty::store`]) and the host lifts the
//!   result out of memory;
//! * `echo-list: func(x: list<T>) -> list<T>` — the host stores a whole list
//!   in guest memory and loads it back (element layout, alignment, size);
//! * `run: func(x: T) -> T` — guest → host: the guest passes `x` to the
//!   imported host function `f`, so the host lifts it from the guest's flat
//!   values and memory and lowers its reply through the guest's return
//!   pointer and `realloc`; the guest returns the reply;
//! * `run-list` — the same with `list<T>` and the import `f-list`;
//! * `raw: func(x: list<T>, n: u32) -> list<u8>` — the first `n` bytes of
//!   the list as the host stored them, to check memory layouts byte by byte;
//!
//! plus the libc probes of `common` (`realloc-count`, `realloc-log`, ...).
//! The caller defines `f` and `f-list` in its linker.

#![allow(dead_code)]

use crate::common::{LIBC, LIBC_PROBE_EXPORTS, LIBC_PROBES, OPTS};

/// An interface type under test, as the roundtrip component spells it.
pub struct Ty {
    /// Type definitions in order: `(name, definition, named)`. A named type
    /// (record, variant, enum, flags) is imported and exported under `name`
    /// so functions may use it. Definitions refer to earlier ones as
    /// `$name`.
    pub defs: Vec<(String, String, bool)>,
    /// The type as functions use it: `u32`, `string`, `(list u8)`, `$name`.
    pub ty: String,
    /// The core types `T` flattens to.
    pub flat: Vec<&'static str>,
    /// When `T` flattens to more than one value: instructions storing the
    /// flat parameters (locals 0..) at address 64 (`RET`) in `T`'s memory
    /// layout.
    pub store: String,
}

impl Ty {
    /// A type without definitions that flattens to one core value.
    pub fn scalar(ty: &str, flat: &'static str) -> Ty {
        Ty {
            defs: vec![],
            ty: ty.into(),
            flat: vec![flat],
            store: String::new(),
        }
    }

    /// A type with definitions; `defs` as `(name, definition, named)`.
    pub fn defined(
        defs: &[(&str, &str, bool)],
        ty: &str,
        flat: &[&'static str],
        store: &str,
    ) -> Ty {
        Ty {
            defs: defs
                .iter()
                .map(|(n, d, named)| (n.to_string(), d.to_string(), *named))
                .collect(),
            ty: ty.into(),
            flat: flat.to_vec(),
            store: store.into(),
        }
    }

    /// A list or string: `(ptr, len)` stored at 64 and 68.
    pub fn ptr_len(defs: &[(&str, &str, bool)], ty: &str) -> Ty {
        Ty::defined(defs, ty, &["i32", "i32"], PTR_LEN_STORE)
    }

    /// A named type (record, variant, enum, flags) defined by `def` that
    /// flattens to one core value.
    pub fn named_scalar(name: &str, def: &str) -> Ty {
        Ty::defined(&[(name, def, true)], &format!("${name}"), &["i32"], "")
    }
}

/// Stores a `(ptr, len)` pair of flat parameters at 64.
pub const PTR_LEN_STORE: &str =
    "(i32.store (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))";

/// The definitions and the function type of `t`, with every `$name`
/// prefixed by `side` (`imp` or `exp`): the import side imports named types,
/// the export side exports them.
fn side(t: &Ty, side: &str) -> (String, String) {
    let prefix = format!("${side}-");
    let mut out = String::new();
    for (name, def, named) in &t.defs {
        let def = def.replace('$', &prefix);
        if *named {
            out.push_str(&format!("  (type {prefix}{name}' {def})\n"));
            if side == "imp" {
                out.push_str(&format!(
                    "  (import \"{name}\" (type {prefix}{name} (eq {prefix}{name}')))\n"
                ));
            } else {
                out.push_str(&format!(
                    "  (export {prefix}{name} \"{name}\" (type {prefix}{name}'))\n"
                ));
            }
        } else {
            out.push_str(&format!("  (type {prefix}{name} {def})\n"));
        }
    }
    (out, t.ty.replace('$', &prefix))
}

/// The component described in the module docs, for type `t`.
pub fn roundtrip_wat(t: &Ty) -> String {
    let (imp_defs, imp_ty) = side(t, "imp");
    let (exp_defs, exp_ty) = side(t, "exp");
    let flat = t.flat.join(" ");
    let gets: String = (0..t.flat.len())
        .map(|i| format!("(local.get {i}) "))
        .collect();
    let (lower_sig, lift_result, echo_body, run_body) = if t.flat.len() == 1 {
        (
            format!("(param {flat}) (result {flat})"),
            flat.clone(),
            "(local.get 0)".to_string(),
            "(call $f (local.get 0))".to_string(),
        )
    } else {
        (
            format!("(param {flat} i32)"),
            "i32".to_string(),
            format!("{} (i32.const 64)", t.store),
            format!("(call $f {gets}(i32.const 64)) (i32.const 64)"),
        )
    };
    format!(
        r#"(component
  {LIBC}
{imp_defs}
  (import "f" (func $f (param "x" {imp_ty}) (result {imp_ty})))
  (import "f-list" (func $f-list (param "x" (list {imp_ty})) (result (list {imp_ty}))))
  (core func $f' (canon lower (func $f) {OPTS}))
  (core func $f-list' (canon lower (func $f-list) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "f" (func $f {lower_sig}))
    (import "host" "f-list" (func $f-list (param i32 i32 i32)))
    (func (export "echo") (param {flat}) (result {lift_result}) {echo_body})
    (func (export "run") (param {flat}) (result {lift_result}) {run_body})
    (func (export "echo-list") (param i32 i32) (result i32) {PTR_LEN_STORE} (i32.const 64))
    (func (export "run-list") (param i32 i32) (result i32)
      (call $f-list (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64))
    (func (export "raw") (param i32 i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 2))
      (i32.const 64))
    {LIBC_PROBES}
  )
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "host" (instance (export "f" (func $f')) (export "f-list" (func $f-list'))))))
{exp_defs}
  (func (export "echo") (param "x" {exp_ty}) (result {exp_ty}) (canon lift (core func $m "echo") {OPTS}))
  (func (export "run") (param "x" {exp_ty}) (result {exp_ty}) (canon lift (core func $m "run") {OPTS}))
  (func (export "echo-list") (param "x" (list {exp_ty})) (result (list {exp_ty}))
    (canon lift (core func $m "echo-list") {OPTS}))
  (func (export "run-list") (param "x" (list {exp_ty})) (result (list {exp_ty}))
    (canon lift (core func $m "run-list") {OPTS}))
  (func (export "raw") (param "x" (list {exp_ty})) (param "n" u32) (result (list u8))
    (canon lift (core func $m "raw") {OPTS}))
  {LIBC_PROBE_EXPORTS}
)"#
    )
}
