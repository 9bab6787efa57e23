//! The echo component for a list of parameter types: one export
//! `echo: func(p0: T0, …) -> tuple<T0, …>` (or `-> T0` for one parameter)
//! that returns its arguments.
//!
//! The core function sees the parameters flattened and must produce the
//! results in the result's ABI:
//!
//! * more than [`MAX_FLAT_PARAMS`] flat parameters arrive as a pointer to
//!   a `tuple<T0, …>` in memory, which is exactly the result's layout: the
//!   function returns the pointer it got;
//! * one flat parameter (and so one flat result of the same core type) is
//!   returned as it is;
//! * otherwise the function allocates the result tuple with its own
//!   `realloc` and stores every flat parameter at its layout offset
//!   ([`store_flat`]): fields at their offsets, and for variants the
//!   discriminant, then, under a branch on it, the payload coerced from
//!   the joined flat slots back to the case's own types (the inverse of
//!   the spec's `join`).
//!
//! With [`Via::Host`] the guest instead forwards its core arguments to a
//! lowered host import of the same type (whose core signature takes the
//! same flat values or pointer, plus a return pointer), so the host's
//! lifting of arguments and lowering of results are compared too.
//!
//! Strings and lists are echoed as the same pointer and length, so every
//! `string-encoding` works unchanged. A `post-return` rewinds the bump
//! allocator, so memory stays small over many calls.

use std::fmt::Write;

use crate::types::{CoreTy, MAX_FLAT_PARAMS, Ty, TypeDefs, field_offsets, flatten_all};

/// A canonical `string-encoding` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Latin1Utf16,
}

impl Encoding {
    /// All three encodings.
    pub const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Latin1Utf16];

    /// The canonical option's text.
    pub fn wat(self) -> &'static str {
        match self {
            Encoding::Utf8 => "string-encoding=utf8",
            Encoding::Utf16 => "string-encoding=utf16",
            Encoding::Latin1Utf16 => "string-encoding=latin1+utf16",
        }
    }
}

/// Where the bump allocator starts; below it, scratch space the guests of
/// other targets use.
pub const HEAP_BASE: u32 = 1024;

/// A core bump allocator `$realloc` (exported as `realloc`) over the
/// module's memory and a `$bump` global starting at `base`: it aligns,
/// grows the memory when needed, and copies the old contents when
/// reallocating.
pub fn bump_realloc(base: u32) -> String {
    format!(
        r#"    (global $bump (mut i32) (i32.const {base}))
    (func $realloc (export "realloc")
        (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
      (local $p i32) (local $end i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $p) (local.get $new_size)))
      (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
        (then
          (if (i32.eq
                (memory.grow
                  (i32.add (i32.const 1)
                    (i32.shr_u
                      (i32.sub (local.get $end) (i32.shl (memory.size) (i32.const 16)))
                      (i32.const 16))))
                (i32.const -1))
            (then unreachable))))
      (global.set $bump (local.get $end))
      (if (local.get $old)
        (then
          (memory.copy (local.get $p) (local.get $old)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $p))
"#
    )
}

/// How the echo component produces its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The guest copies its parameters into its results itself.
    Guest,
    /// The guest passes its parameters to an imported `host-echo` of the
    /// same type and returns what the host returns: the host lifts the
    /// arguments out of the guest and lowers its results back into it
    /// (through a return pointer when they do not fit one core value).
    Host,
}

/// Where the scripted `realloc` reads the pointers it returns (64 of
/// them, one per call since the last `post-return`).
pub const SCRIPT_AT: u32 = 256;

/// A script entry: return a pointer from the good allocator.
pub const SCRIPT_GOOD: i32 = -1;

/// A script entry: allocate one byte more and return the good pointer
/// plus one (misaligned unless the alignment is one).
pub const SCRIPT_PLUS_ONE: i32 = -2;

/// A script entry: the allocation's last byte is one past the end of
/// memory.
pub const SCRIPT_STRADDLE_END: i32 = -3;

/// A script entry: the allocation ends exactly at the end of memory
/// (misaligned when the size is not a multiple of the alignment).
pub const SCRIPT_AT_END: i32 = -4;

/// The echo component's text for `params`; `single` (with one parameter)
/// returns `T0` rather than `tuple<T0>`.
///
/// With `scripted`, the canonical options of the echo (and of the host
/// import) name a `realloc` that returns the pointers of a script instead
/// of good ones ([`SCRIPT_GOOD`], [`SCRIPT_PLUS_ONE`],
/// [`SCRIPT_STRADDLE_END`], [`SCRIPT_AT_END`] or a raw address, see
/// [`SCRIPT_AT`]); the component then also exports
/// `script: func(ptrs: list<s32>)`, which sets the script.
pub fn echo_wat(
    params: &[Ty],
    encoding: Encoding,
    single: bool,
    via: Via,
    scripted: bool,
) -> String {
    let flat = flatten_all(params);
    let result = Ty::Tuple(params.to_vec());
    let spilled = flat.len() > MAX_FLAT_PARAMS;
    let core_params = if spilled {
        "(param i32)".to_string()
    } else {
        let ps: Vec<_> = flat.iter().map(|t| t.wat()).collect();
        format!("(param {})", ps.join(" "))
    };
    let core_result = if flat.len() == 1 {
        flat[0]
    } else {
        CoreTy::I32
    };
    let args: String = (0..if spilled { 1 } else { flat.len() })
        .map(|i| format!(" (local.get {i})"))
        .collect();
    let alloc = format!(
        "      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const {}) (i32.const {})))\n",
        result.align(),
        result.size()
    );
    let mut core = String::new();
    match via {
        Via::Guest if spilled || flat.len() == 1 => core.push_str("      (local.get 0)\n"),
        Via::Guest => {
            core.push_str(&alloc);
            let exprs: Vec<_> = flat
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("(local.get {i})"), *t))
                .collect();
            store_flat(&result, &exprs, 0, &mut core);
            core.push_str("      (local.get $ret)\n");
        }
        Via::Host if flat.len() == 1 => writeln!(core, "      (call $host{args})").unwrap(),
        Via::Host => {
            core.push_str(&alloc);
            writeln!(core, "      (call $host{args} (local.get $ret))").unwrap();
            core.push_str("      (local.get $ret)\n");
        }
    }
    let mut types = TypeDefs::default();
    types.import = via == Via::Host;
    let mut sig = String::new();
    for (i, p) in params.iter().enumerate() {
        let name = types.name(p);
        write!(sig, " (param \"p{i}\" {name})").unwrap();
    }
    if single && params.len() == 1 {
        let name = types.name(&params[0]);
        write!(sig, " (result {name})").unwrap();
    } else {
        let names: Vec<_> = params.iter().map(|p| types.name(p)).collect();
        write!(sig, " (result (tuple {}))", names.join(" ")).unwrap();
    }
    let r = core_result.wat();
    let enc = encoding.wat();
    // Memory and allocator live in their own core instance, so that the
    // import can be lowered with them before the main module exists.
    let mut text = format!(
        r#"(component
  (core module $libc
    (memory (export "memory") 1)
{realloc}    (global $calls (mut i32) (i32.const 0))
    (func (export "scripted-realloc")
        (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
      (local $p i32)
      (local.set $p (i32.load (i32.add (i32.const {SCRIPT_AT})
        (i32.shl (i32.and (global.get $calls) (i32.const 63)) (i32.const 2)))))
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (if (i32.eq (local.get $p) (i32.const {SCRIPT_GOOD}))
        (then (return (call $realloc (local.get $old) (local.get $old_size)
          (local.get $align) (local.get $new_size)))))
      (if (i32.eq (local.get $p) (i32.const {SCRIPT_PLUS_ONE}))
        (then (return (i32.add (i32.const 1) (call $realloc (local.get $old)
          (local.get $old_size) (local.get $align)
          (i32.add (local.get $new_size) (i32.const 1)))))))
      (if (i32.eq (local.get $p) (i32.const {SCRIPT_STRADDLE_END}))
        (then (return (i32.add (i32.const 1)
          (i32.sub (i32.shl (memory.size) (i32.const 16)) (local.get $new_size))))))
      (if (i32.eq (local.get $p) (i32.const {SCRIPT_AT_END}))
        (then (return
          (i32.sub (i32.shl (memory.size) (i32.const 16)) (local.get $new_size)))))
      (local.get $p))
    (func (export "script") (param $p i32) (param $n i32)
      (memory.copy (i32.const {SCRIPT_AT}) (local.get $p)
        (i32.shl (select (local.get $n) (i32.const 64) (i32.lt_u (local.get $n) (i32.const 64)))
          (i32.const 2)))
      (global.set $calls (i32.const 0))
      (global.set $bump (i32.const {HEAP_BASE})))
    (func (export "post") (param {r})
      (global.set $calls (i32.const 0))
      (global.set $bump (i32.const {HEAP_BASE}))))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (alias core export $libc "scripted-realloc" (core func $scripted))
  (alias core export $libc "post" (core func $post))
{types}"#,
        realloc = bump_realloc(HEAP_BASE),
        types = types.text,
    );
    let realloc = if scripted { "$scripted" } else { "$realloc" };
    if scripted {
        writeln!(
            text,
            "  (func (export \"script\") (param \"ptrs\" (list s32))\n    (canon lift (core func $libc \"script\") (memory $mem) (realloc $realloc)))"
        )
        .unwrap();
    }
    let host_sig = if flat.len() == 1 {
        format!("{core_params} (result {r})")
    } else {
        format!("{core_params} (param i32)")
    };
    if via == Via::Host {
        writeln!(text, "  (import \"host-echo\" (func $host-echo{sig}))").unwrap();
        writeln!(
            text,
            "  (core func $host (canon lower (func $host-echo) (memory $mem) (realloc {realloc}) {enc}))"
        )
        .unwrap();
    }
    let import_host = match via {
        Via::Host => format!("\n    (import \"host\" \"echo\" (func $host {host_sig}))"),
        Via::Guest => String::new(),
    };
    let with_host = match via {
        Via::Host => " (with \"host\" (instance (export \"echo\" (func $host))))",
        Via::Guest => "",
    };
    write!(
        text,
        r#"  (core module $m
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32))){import_host}
    (func (export "echo") {core_params} (result {r})
      (local $ret i32)
{core}    ))
  (core instance $i (instantiate $m (with "libc" (instance $libc)){with_host}))
  (func (export "echo"){sig}
    (canon lift (core func $i "echo") (memory $mem) (realloc {realloc})
      (post-return $post) {enc})))
"#
    )
    .unwrap();
    text
}

/// The instruction that stores a `want`-typed core value from `expr` of
/// type `have` (a joined flat slot): the spec's coercion of a joined slot
/// back to the case's type.
fn coerce(expr: &str, have: CoreTy, want: CoreTy) -> String {
    use CoreTy::*;
    match (have, want) {
        _ if have == want => expr.to_string(),
        (I32, F32) => format!("(f32.reinterpret_i32 {expr})"),
        (I64, I32) => format!("(i32.wrap_i64 {expr})"),
        (I64, F32) => format!("(f32.reinterpret_i32 (i32.wrap_i64 {expr}))"),
        (I64, F64) => format!("(f64.reinterpret_i64 {expr})"),
        _ => unreachable!("no join makes {have:?} from {want:?}"),
    }
}

/// The store instruction for an integer of `size` bytes.
fn int_store(size: u32) -> &'static str {
    match size {
        1 => "i32.store8",
        2 => "i32.store16",
        _ => "i32.store",
    }
}

/// Writes instructions that store a value of `ty`, given as its flat core
/// values `vals` (text expressions with their core types), at
/// `$ret + offset`.
pub fn store_flat(ty: &Ty, vals: &[(String, CoreTy)], offset: u32, out: &mut String) {
    let mut put = |op: &str, off: u32, e: &str| {
        writeln!(out, "      ({op} offset={off} (local.get $ret) {e})").unwrap();
    };
    match ty {
        Ty::Bool | Ty::S8 | Ty::U8 => put("i32.store8", offset, &vals[0].0),
        Ty::S16 | Ty::U16 => put("i32.store16", offset, &vals[0].0),
        Ty::S32 | Ty::U32 | Ty::Char => put("i32.store", offset, &vals[0].0),
        Ty::S64 | Ty::U64 => put("i64.store", offset, &vals[0].0),
        Ty::F32 => put("f32.store", offset, &vals[0].0),
        Ty::F64 => put("f64.store", offset, &vals[0].0),
        Ty::String | Ty::List(_) | Ty::Map(..) => {
            put("i32.store", offset, &vals[0].0);
            put("i32.store", offset + 4, &vals[1].0);
        }
        Ty::FixedList(elem, n) => {
            let flat = elem.flat().len();
            for i in 0..*n as usize {
                let at = offset + i as u32 * elem.size();
                store_flat(elem, &vals[i * flat..(i + 1) * flat], at, out);
            }
        }
        Ty::Flags(_) => put(int_store(ty.size()), offset, &vals[0].0),
        Ty::Record(fields) | Ty::Tuple(fields) => {
            let mut at = 0;
            for (f, off) in fields.iter().zip(field_offsets(fields)) {
                let n = f.flat().len();
                store_flat(f, &vals[at..at + n], offset + off, out);
                at += n;
            }
        }
        _ => {
            let cases = ty.cases().unwrap();
            let disc = &vals[0].0;
            put(int_store(Ty::discriminant_size(cases.len())), offset, disc);
            let payload_at = offset + ty.payload_offset();
            for (i, case) in cases.iter().enumerate() {
                let Some(case) = case else { continue };
                let coerced: Vec<_> = case
                    .flat()
                    .into_iter()
                    .zip(&vals[1..])
                    .map(|(want, (e, have))| (coerce(e, *have, want), want))
                    .collect();
                writeln!(out, "      (if (i32.eq {disc} (i32.const {i})) (then").unwrap();
                store_flat(case, &coerced, payload_at, out);
                out.push_str("      ))\n");
            }
        }
    }
}
