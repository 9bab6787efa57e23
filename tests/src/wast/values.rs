//! Converting between script values and [`wit_host::Val`].
//!
//! Arguments are converted against the function's parameter types
//! ([`arg_to_val`]): the type orders record fields, checks case and flag
//! names, and lets core constants such as `(i32.const 1)` or
//! `(f32.const nan)` stand for component integers and floats. Results are
//! compared structurally against the expected script values
//! ([`match_ret`]); a mismatch is an error naming the path to the
//! differing part (`result 0: field "x": ...`).
//!
//! Floats compare bit for bit, NaNs included (lifting canonicalizes NaNs,
//! so a script states the NaN the spec produces); `nan:canonical` and
//! `nan:arithmetic` have their core-wasm meaning. Flags compare as sets.
//! Map values (`map.const`) and resource handles have no [`Val`] form and
//! are errors.

use std::collections::BTreeSet;

use wast::component::WastVal;
use wast::core::{NanPattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};
use wit_host::Val;
use wit_host::types::Type;

/// Converts an invoke argument to a value of type `ty`.
pub fn arg_to_val(arg: &WastArg<'_>, ty: &Type) -> Result<Val, String> {
    match arg {
        WastArg::Component(v) => to_val(v, ty),
        WastArg::Core(c) => core_to_val(c, ty),
        other => Err(format!("unsupported argument form {other:?}")),
    }
}

/// Converts a core constant (`i32.const`, `i64.const`, `f32.const`,
/// `f64.const`) to a component value of type `ty`: integers must fit the
/// type's range (either signedness for 32- and 64-bit types).
fn core_to_val(c: &WastArgCore<'_>, ty: &Type) -> Result<Val, String> {
    let int = match c {
        WastArgCore::I32(x) => Some((i64::from(*x), i64::from(*x as u32))),
        WastArgCore::I64(x) => Some((*x, *x)),
        _ => None,
    };
    let range = || format!("core constant {c:?} is out of range for `{ty}`");
    let val = match (c, ty, int) {
        (WastArgCore::F32(f), Type::Float32, _) => Val::Float32(f32::from_bits(f.bits)),
        (WastArgCore::F64(f), Type::Float64, _) => Val::Float64(f64::from_bits(f.bits)),
        (_, Type::U8, Some((x, _))) => Val::U8(u8::try_from(x).map_err(|_| range())?),
        (_, Type::S8, Some((x, _))) => Val::S8(i8::try_from(x).map_err(|_| range())?),
        (_, Type::U16, Some((x, _))) => Val::U16(u16::try_from(x).map_err(|_| range())?),
        (_, Type::S16, Some((x, _))) => Val::S16(i16::try_from(x).map_err(|_| range())?),
        (WastArgCore::I32(x), Type::U32, _) => Val::U32(*x as u32),
        (WastArgCore::I32(x), Type::S32, _) => Val::S32(*x),
        (WastArgCore::I64(x), Type::U64, _) => Val::U64(*x as u64),
        (WastArgCore::I64(x), Type::S64, _) => Val::S64(*x),
        (_, Type::Bool, Some((x, _))) => Val::Bool(x != 0),
        _ => return Err(format!("core constant {c:?} does not fit type `{ty}`")),
    };
    Ok(val)
}

/// Converts the elements of a script list to values of type `element`.
fn elements(items: &[WastVal<'_>], element: &Type) -> Result<Vec<Val>, String> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| to_val(item, element).map_err(|e| format!("element {i}: {e}")))
        .collect()
}

/// Converts a script value to a value of type `ty`, checking that its
/// shape matches the type.
pub fn to_val(v: &WastVal<'_>, ty: &Type) -> Result<Val, String> {
    use WastVal as W;
    let val = match (v, ty) {
        (_, Type::Own(_) | Type::Borrow(_)) => {
            return Err(format!(
                "not supported yet: resource handles (`{ty}`) have no script value form"
            ));
        }
        (W::Map(entries), Type::Map(map)) => Val::Map(
            entries
                .iter()
                .enumerate()
                .map(|(i, (k, v))| {
                    let k = to_val(k, map.key()).map_err(|e| format!("key {i}: {e}"))?;
                    let v = to_val(v, map.value()).map_err(|e| format!("value {i}: {e}"))?;
                    Ok((k, v))
                })
                .collect::<Result<_, String>>()?,
        ),
        (W::List(items), Type::FixedLengthList(list)) => {
            if items.len() != list.length() as usize {
                return Err(format!("{} list element(s) given for `{ty}`", items.len()));
            }
            Val::FixedLengthList(elements(items, list.element())?)
        }
        (W::Bool(b), Type::Bool) => Val::Bool(*b),
        (W::U8(x), Type::U8) => Val::U8(*x),
        (W::S8(x), Type::S8) => Val::S8(*x),
        (W::U16(x), Type::U16) => Val::U16(*x),
        (W::S16(x), Type::S16) => Val::S16(*x),
        (W::U32(x), Type::U32) => Val::U32(*x),
        (W::S32(x), Type::S32) => Val::S32(*x),
        (W::U64(x), Type::U64) => Val::U64(*x),
        (W::S64(x), Type::S64) => Val::S64(*x),
        (W::F32(f), Type::Float32) => Val::Float32(f32::from_bits(f.bits)),
        (W::F64(f), Type::Float64) => Val::Float64(f64::from_bits(f.bits)),
        (W::Char(c), Type::Char) => Val::Char(*c),
        (W::String(s), Type::String) => Val::String(s.to_string()),
        (W::List(items), Type::List(list)) => Val::List(elements(items, list.element())?),
        (W::Tuple(items), Type::Tuple(tuple)) => {
            if items.len() != tuple.types().len() {
                return Err(format!("{} tuple element(s) given for `{ty}`", items.len()));
            }
            Val::Tuple(
                items
                    .iter()
                    .zip(tuple.types())
                    .enumerate()
                    .map(|(i, (item, t))| to_val(item, t).map_err(|e| format!("element {i}: {e}")))
                    .collect::<Result<_, _>>()?,
            )
        }
        (W::Record(given), Type::Record(record)) => {
            for (name, _) in given {
                if !record.fields().iter().any(|f| f.name == *name) {
                    return Err(format!("`{ty}` has no field `{name}`"));
                }
            }
            let mut fields = Vec::new();
            for field in record.fields() {
                let (_, v) = given
                    .iter()
                    .find(|(name, _)| *name == field.name)
                    .ok_or_else(|| format!("field `{}` missing for `{ty}`", field.name))?;
                let v = to_val(v, &field.ty).map_err(|e| format!("field `{}`: {e}", field.name))?;
                fields.push((field.name.clone(), v));
            }
            Val::Record(fields)
        }
        (W::Variant(name, payload), Type::Variant(variant)) => {
            let case = variant
                .cases()
                .iter()
                .find(|c| c.name == *name)
                .ok_or_else(|| format!("`{ty}` has no case `{name}`"))?;
            Val::Variant(
                name.to_string(),
                payload_to_val(name, payload.as_deref(), case.ty.as_ref())?,
            )
        }
        (W::Enum(name), Type::Enum(e)) => {
            if !e.names().iter().any(|n| n == name) {
                return Err(format!("`{ty}` has no case `{name}`"));
            }
            Val::Enum(name.to_string())
        }
        (W::Option(o), Type::Option(t)) => Val::Option(match o {
            Some(v) => Some(Box::new(
                to_val(v, t.some()).map_err(|e| format!("some: {e}"))?,
            )),
            None => None,
        }),
        (W::Result(r), Type::Result(t)) => Val::Result(match r {
            Ok(v) => Ok(payload_to_val("ok", v.as_deref(), t.ok())?),
            Err(v) => Err(payload_to_val("err", v.as_deref(), t.err())?),
        }),
        (W::Flags(names), Type::Flags(f)) => {
            for name in names {
                if !f.names().iter().any(|n| n == name) {
                    return Err(format!("`{ty}` has no flag `{name}`"));
                }
            }
            Val::Flags(names.iter().map(|n| n.to_string()).collect())
        }
        (v, ty) => return Err(format!("{} does not match type `{ty}`", describe(v))),
    };
    Ok(val)
}

/// Converts the payload of case `case`, checking that it is present exactly
/// when the case has a payload type.
fn payload_to_val(
    case: &str,
    payload: Option<&WastVal<'_>>,
    ty: Option<&Type>,
) -> Result<Option<Box<Val>>, String> {
    match (payload, ty) {
        (Some(v), Some(t)) => Ok(Some(Box::new(
            to_val(v, t).map_err(|e| format!("case `{case}`: {e}"))?,
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!("case `{case}` takes no payload, one given")),
        (None, Some(t)) => Err(format!("case `{case}` needs a payload of type `{t}`")),
    }
}

/// Checks an actual result against the expected script value.
pub fn match_ret(expected: &WastRet<'_>, actual: &Val) -> Result<(), String> {
    match expected {
        WastRet::Component(v) => match_val(v, actual),
        WastRet::Core(c) => match_core(c, actual),
        other => Err(format!("unsupported expected-result form {other:?}")),
    }
}

/// Checks an actual result against an expected core constant: integers by
/// bits (so `(i32.const -1)` matches `u32` 4294967295), floats by
/// [`f32_matches`]/[`f64_matches`].
fn match_core(expected: &WastRetCore<'_>, actual: &Val) -> Result<(), String> {
    let ok = match (expected, actual) {
        (WastRetCore::I32(e), Val::U32(a)) => *a as i32 == *e,
        (WastRetCore::I32(e), Val::S32(a)) => a == e,
        (WastRetCore::I32(e), Val::U8(a)) => i32::from(*a) == *e,
        (WastRetCore::I32(e), Val::S8(a)) => i32::from(*a) == *e,
        (WastRetCore::I32(e), Val::U16(a)) => i32::from(*a) == *e,
        (WastRetCore::I32(e), Val::S16(a)) => i32::from(*a) == *e,
        (WastRetCore::I64(e), Val::U64(a)) => *a as i64 == *e,
        (WastRetCore::I64(e), Val::S64(a)) => a == e,
        (WastRetCore::F32(p), Val::Float32(a)) => f32_matches(p, a.to_bits()),
        (WastRetCore::F64(p), Val::Float64(a)) => f64_matches(p, a.to_bits()),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {}", show(actual)))
    }
}

/// Whether the bits of an `f32` result match the pattern: `nan:canonical`
/// and `nan:arithmetic` accept any NaN of that kind, of either sign; any
/// other expected value, a NaN included, must match bit for bit.
pub fn f32_matches(pattern: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match pattern {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(e) => e.bits == bits,
    }
}

/// Whether the bits of an `f64` result match the pattern, as
/// [`f32_matches`] does.
pub fn f64_matches(pattern: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    let quiet = 0x7ff8_0000_0000_0000u64;
    match pattern {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == quiet,
        NanPattern::ArithmeticNan => bits & quiet == quiet,
        NanPattern::Value(e) => e.bits == bits,
    }
}

/// Checks an actual value against the expected script value, recursively.
pub fn match_val(expected: &WastVal<'_>, actual: &Val) -> Result<(), String> {
    use WastVal as W;
    let mismatch = || {
        Err(format!(
            "expected {}, got {}",
            describe(expected),
            show(actual)
        ))
    };
    let same = match (expected, actual) {
        (W::Bool(e), Val::Bool(a)) => e == a,
        (W::U8(e), Val::U8(a)) => e == a,
        (W::S8(e), Val::S8(a)) => e == a,
        (W::U16(e), Val::U16(a)) => e == a,
        (W::S16(e), Val::S16(a)) => e == a,
        (W::U32(e), Val::U32(a)) => e == a,
        (W::S32(e), Val::S32(a)) => e == a,
        (W::U64(e), Val::U64(a)) => e == a,
        (W::S64(e), Val::S64(a)) => e == a,
        (W::F32(e), Val::Float32(a)) => f32_matches(&NanPattern::Value(*e), a.to_bits()),
        (W::F64(e), Val::Float64(a)) => f64_matches(&NanPattern::Value(*e), a.to_bits()),
        (W::Char(e), Val::Char(a)) => e == a,
        (W::String(e), Val::String(a)) => e == a,
        (W::Map(e), Val::Map(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "expected {} entries, got {}: {}",
                    e.len(),
                    a.len(),
                    show(actual)
                ));
            }
            for (i, ((ek, ev), (ak, av))) in e.iter().zip(a).enumerate() {
                match_val(ek, ak).map_err(|m| format!("key {i}: {m}"))?;
                match_val(ev, av).map_err(|m| format!("value {i}: {m}"))?;
            }
            true
        }
        (W::List(e), Val::List(a) | Val::FixedLengthList(a)) | (W::Tuple(e), Val::Tuple(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "expected {} element(s), got {}: {}",
                    e.len(),
                    a.len(),
                    show(actual)
                ));
            }
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                match_val(e, a).map_err(|m| format!("element {i}: {m}"))?;
            }
            true
        }
        (W::Record(e), Val::Record(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "expected {} field(s), got {}: {}",
                    e.len(),
                    a.len(),
                    show(actual)
                ));
            }
            for ((e_name, e), (a_name, a)) in e.iter().zip(a) {
                if e_name != a_name {
                    return Err(format!("expected field `{e_name}`, got field `{a_name}`"));
                }
                match_val(e, a).map_err(|m| format!("field `{e_name}`: {m}"))?;
            }
            true
        }
        (W::Variant(e_name, e), Val::Variant(a_name, a)) => {
            if e_name != a_name {
                return mismatch();
            }
            match_payload(e_name, e.as_deref(), a.as_deref())?;
            true
        }
        (W::Enum(e), Val::Enum(a)) => e == a,
        (W::Option(e), Val::Option(a)) => match (e, a) {
            (None, None) => true,
            (Some(e), Some(a)) => {
                match_val(e, a).map_err(|m| format!("some: {m}"))?;
                true
            }
            _ => false,
        },
        (W::Result(e), Val::Result(a)) => match (e, a) {
            (Ok(e), Ok(a)) => {
                match_payload("ok", e.as_deref(), a.as_deref())?;
                true
            }
            (Err(e), Err(a)) => {
                match_payload("err", e.as_deref(), a.as_deref())?;
                true
            }
            _ => false,
        },
        (W::Flags(e), Val::Flags(a)) => {
            let e: BTreeSet<&str> = e.iter().copied().collect();
            let a: BTreeSet<&str> = a.iter().map(String::as_str).collect();
            e == a
        }
        (W::Map(_), _) => {
            return Err("not supported: map values (`map.const`) have no wit-host form".into());
        }
        _ => false,
    };
    if same { Ok(()) } else { mismatch() }
}

/// Checks the payload of case `case`.
fn match_payload(
    case: &str,
    expected: Option<&WastVal<'_>>,
    actual: Option<&Val>,
) -> Result<(), String> {
    match (expected, actual) {
        (Some(e), Some(a)) => match_val(e, a).map_err(|m| format!("case `{case}`: {m}")),
        (None, None) => Ok(()),
        (Some(_), None) => Err(format!("expected a payload for case `{case}`, got none")),
        (None, Some(a)) => Err(format!(
            "expected no payload for case `{case}`, got {}",
            show(a)
        )),
    }
}

/// A short rendering of a script value for messages, in script syntax.
pub fn describe(v: &WastVal<'_>) -> String {
    use WastVal as W;
    let list = |items: &[WastVal<'_>]| {
        items
            .iter()
            .map(|i| format!(" ({})", describe(i)))
            .collect::<String>()
    };
    let payload = |p: &Option<Box<WastVal<'_>>>| match p {
        Some(v) => format!(" ({})", describe(v)),
        None => String::new(),
    };
    match v {
        W::Bool(b) => format!("bool.const {b}"),
        W::U8(x) => format!("u8.const {x}"),
        W::S8(x) => format!("s8.const {x}"),
        W::U16(x) => format!("u16.const {x}"),
        W::S16(x) => format!("s16.const {x}"),
        W::U32(x) => format!("u32.const {x}"),
        W::S32(x) => format!("s32.const {x}"),
        W::U64(x) => format!("u64.const {x}"),
        W::S64(x) => format!("s64.const {x}"),
        W::F32(f) => format!(
            "f32.const {:?} (bits {:#x})",
            f32::from_bits(f.bits),
            f.bits
        ),
        W::F64(f) => format!(
            "f64.const {:?} (bits {:#x})",
            f64::from_bits(f.bits),
            f.bits
        ),
        W::Char(c) => format!("char.const {c:?}"),
        W::String(s) => format!("str.const {s:?}"),
        W::List(items) => format!("list.const{}", list(items)),
        W::Tuple(items) => format!("tuple.const{}", list(items)),
        W::Map(entries) => format!("map.const ({} entries)", entries.len()),
        W::Record(fields) => format!(
            "record.const{}",
            fields
                .iter()
                .map(|(n, v)| format!(" (field {n:?} {})", describe(v)))
                .collect::<String>()
        ),
        W::Variant(name, p) => format!("variant.const {name:?}{}", payload(p)),
        W::Enum(name) => format!("enum.const {name:?}"),
        W::Option(None) => "option.none".into(),
        W::Option(Some(v)) => format!("option.some ({})", describe(v)),
        W::Result(Ok(p)) => format!("result.ok{}", payload(p)),
        W::Result(Err(p)) => format!("result.err{}", payload(p)),
        W::Flags(names) => format!(
            "flags.const{}",
            names.iter().map(|n| format!(" {n:?}")).collect::<String>()
        ),
    }
}

/// A rendering of an actual value for messages; floats show their bits.
pub fn show(v: &Val) -> String {
    match v {
        Val::Float32(f) => format!("Float32({f:?}, bits {:#x})", f.to_bits()),
        Val::Float64(f) => format!("Float64({f:?}, bits {:#x})", f.to_bits()),
        other => format!("{other:?}"),
    }
}
