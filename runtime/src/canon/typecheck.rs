//! Checking a host [`Val`] against the [`Type`] it is lowered as.
//!
//! The spec's lowering functions assume a well-typed value (Python's
//! dynamic typing does the rest); a host using the dynamic API can pass
//! anything, so lowering checks as it goes and reports both the expected
//! type and what was found.

use wasmtime::{Result, format_err};

use crate::resources::ResourceAny;
use crate::types::{FixedLengthList, Flags, ResourceRef, Type};
use crate::values::Val;

/// `type mismatch: expected <ty>, found <kind of val>`.
pub(crate) fn mismatch(ty: &Type, val: &Val) -> wasmtime::Error {
    format_err!("type mismatch: expected {ty}, found {}", val.desc())
}

/// The elements of a fixed-length list value: exactly the type's length,
/// or a type mismatch.
pub(crate) fn fixed_length_list_values<'v>(
    ty: &Type,
    list: &FixedLengthList,
    val: &'v Val,
) -> Result<&'v [Val]> {
    match val {
        Val::FixedLengthList(vals) if vals.len() == list.length() as usize => Ok(vals),
        Val::FixedLengthList(vals) => Err(format_err!(
            "type mismatch: expected {ty}, found a fixed-length list of {} elements",
            vals.len()
        )),
        _ => Err(mismatch(ty, val)),
    }
}

/// The field values of a record value, checked to have the type's field
/// names in the type's order (`v[f.label]` in `store_record`).
pub(crate) fn record_values<'v>(ty: &Type, val: &'v Val) -> Result<&'v [(String, Val)]> {
    let (Type::Record(r), Val::Record(vals)) = (ty, val) else {
        return Err(mismatch(ty, val));
    };
    let fields = r.fields();
    if fields.len() != vals.len() {
        return Err(format_err!(
            "type mismatch: expected {ty} with {} fields, found a record with {} fields",
            fields.len(),
            vals.len()
        ));
    }
    for (i, (field, (name, _))) in fields.iter().zip(vals).enumerate() {
        if field.name != *name {
            return Err(format_err!(
                "record field mismatch: expected field `{}` at position {i} of {ty}, found `{name}`",
                field.name
            ));
        }
    }
    Ok(vals)
}

/// The element values of a tuple value, checked to have the type's arity.
pub(crate) fn tuple_values<'v>(ty: &Type, val: &'v Val) -> Result<&'v [Val]> {
    let (Type::Tuple(t), Val::Tuple(vals)) = (ty, val) else {
        return Err(mismatch(ty, val));
    };
    if t.types().len() != vals.len() {
        return Err(format_err!(
            "type mismatch: expected {ty} with {} elements, found a tuple with {} elements",
            t.types().len(),
            vals.len()
        ));
    }
    Ok(vals)
}

/// `pack_flags_into_int`, in 32-bit words (flag `i` is bit `i % 32` of word
/// `i / 32`). Every name in the value must be a flag of the type; flags not
/// named are clear.
pub(crate) fn pack_flags(ty: &Type, flags: &Flags, val: &Val) -> Result<Vec<u32>> {
    let Val::Flags(set) = val else {
        return Err(mismatch(ty, val));
    };
    let names = flags.names();
    let mut words = vec![0u32; names.len().div_ceil(32)];
    for name in set {
        let Some(i) = names.iter().position(|n| n == name) else {
            return Err(format_err!("unknown flag `{name}` for {ty}"));
        };
        words[i / 32] |= 1 << (i % 32);
    }
    Ok(words)
}

/// `unpack_flags_from_int` for the word holding flags `32 * k ..`: pushes
/// the names of the set bits. Bits past the last flag are ignored, as in
/// the spec (its tests lift `4` as `flags { a, b }` with neither set).
pub(crate) fn unpack_flags_word(word: u32, names: &[String], out: &mut Vec<String>) {
    for (bit, name) in names.iter().take(32).enumerate() {
        if word & (1 << bit) != 0 {
            out.push(name.clone());
        }
    }
}

/// Checks a list of values against their types (parameters or results)
/// before anything is lowered, so that a call rejected for a bad argument
/// changes nothing in the guest (no handle moved, nothing allocated).
pub(crate) fn typecheck_values(vals: &[Val], tys: &[Type]) -> Result<()> {
    if vals.len() != tys.len() {
        return Err(format_err!(
            "expected {} values, found {}",
            tys.len(),
            vals.len()
        ));
    }
    vals.iter()
        .zip(tys)
        .try_for_each(|(val, ty)| typecheck_value(val, ty))
}

/// Checks a whole value against its type before anything is lowered, so
/// that a call rejected for a bad argument changes nothing in the guest
/// (no handle moved, nothing allocated).
pub(crate) fn typecheck_value(val: &Val, ty: &Type) -> Result<()> {
    use crate::canon::variant::Cases;
    match (ty, val) {
        (Type::Bool, Val::Bool(_))
        | (Type::S8, Val::S8(_))
        | (Type::U8, Val::U8(_))
        | (Type::S16, Val::S16(_))
        | (Type::U16, Val::U16(_))
        | (Type::S32, Val::S32(_))
        | (Type::U32, Val::U32(_))
        | (Type::S64, Val::S64(_))
        | (Type::U64, Val::U64(_))
        | (Type::Float32, Val::Float32(_))
        | (Type::Float64, Val::Float64(_))
        | (Type::Char, Val::Char(_))
        | (Type::String, Val::String(_))
        | (Type::Own(_) | Type::Borrow(_), Val::Resource(_)) => Ok(()),
        (Type::List(l), Val::List(vals)) => vals
            .iter()
            .try_for_each(|v| typecheck_value(v, l.element())),
        (Type::Map(m), Val::Map(entries)) => entries.iter().try_for_each(|(k, v)| {
            typecheck_value(k, m.key())?;
            typecheck_value(v, m.value())
        }),
        (Type::FixedLengthList(l), _) => fixed_length_list_values(ty, l, val)?
            .iter()
            .try_for_each(|v| typecheck_value(v, l.element())),
        (Type::Record(r), _) => {
            let vals = record_values(ty, val)?;
            r.fields()
                .iter()
                .zip(vals)
                .try_for_each(|(f, (_, v))| typecheck_value(v, &f.ty))
        }
        (Type::Tuple(t), _) => {
            let vals = tuple_values(ty, val)?;
            t.types()
                .iter()
                .zip(vals)
                .try_for_each(|(t, v)| typecheck_value(v, t))
        }
        (Type::Variant(_) | Type::Enum(_) | Type::Option(_) | Type::Result(_), _) => {
            let Some(cases) = Cases::of(ty) else {
                return Err(mismatch(ty, val));
            };
            let (index, payload) = cases.match_case(ty, val)?;
            match (cases.payload(index as usize), payload) {
                (Some(t), Some(v)) => typecheck_value(v, t),
                _ => Ok(()),
            }
        }
        (Type::Flags(f), _) => pack_flags(ty, f, val).map(|_| ()),
        _ => Err(mismatch(ty, val)),
    }
}

/// Calls `f` on every resource handle in `val` (of type `ty`, checked
/// already) with its resource reference and whether it is an `own`;
/// subtrees whose type holds no handles are skipped without a walk.
pub(crate) fn for_each_handle(
    val: &Val,
    ty: &Type,
    f: &mut dyn FnMut(&ResourceRef, bool, &ResourceAny) -> Result<()>,
) -> Result<()> {
    use crate::canon::variant::Cases;
    if !has_handles(ty) {
        return Ok(());
    }
    match (ty, val) {
        (Type::Own(r), Val::Resource(any)) => f(r, true, any),
        (Type::Borrow(r), Val::Resource(any)) => f(r, false, any),
        (Type::List(l), Val::List(vals)) => vals
            .iter()
            .try_for_each(|v| for_each_handle(v, l.element(), f)),
        (Type::FixedLengthList(l), Val::FixedLengthList(vals)) => vals
            .iter()
            .try_for_each(|v| for_each_handle(v, l.element(), f)),
        (Type::Map(m), Val::Map(entries)) => entries.iter().try_for_each(|(k, v)| {
            for_each_handle(k, m.key(), f)?;
            for_each_handle(v, m.value(), f)
        }),
        (Type::Record(r), Val::Record(vals)) => r
            .fields()
            .iter()
            .zip(vals)
            .try_for_each(|(field, (_, v))| for_each_handle(v, &field.ty, f)),
        (Type::Tuple(t), Val::Tuple(vals)) => t
            .types()
            .iter()
            .zip(vals)
            .try_for_each(|(t, v)| for_each_handle(v, t, f)),
        _ => {
            let Some(cases) = Cases::of(ty) else {
                return Ok(());
            };
            let (index, payload) = cases.match_case(ty, val)?;
            match (cases.payload(index as usize), payload) {
                (Some(t), Some(v)) => for_each_handle(v, t, f),
                _ => Ok(()),
            }
        }
    }
}

/// Whether values of `ty` can hold resource handles.
fn has_handles(ty: &Type) -> bool {
    match ty {
        Type::Own(_) | Type::Borrow(_) => true,
        Type::List(l) => has_handles(l.element()),
        Type::FixedLengthList(l) => has_handles(l.element()),
        Type::Map(m) => has_handles(m.key()) || has_handles(m.value()),
        Type::Record(r) => r.fields().iter().any(|f| has_handles(&f.ty)),
        Type::Tuple(t) => t.types().iter().any(has_handles),
        Type::Variant(v) => v
            .cases()
            .iter()
            .filter_map(|c| c.ty.as_ref())
            .any(has_handles),
        Type::Option(o) => has_handles(o.some()),
        Type::Result(r) => r.ok().into_iter().chain(r.err()).any(has_handles),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Field;

    fn point() -> Type {
        Type::record(["x", "y"].map(|n| Field {
            name: n.into(),
            ty: Type::U32,
        }))
    }

    #[test]
    fn record_with_fields_in_another_order_is_rejected() {
        let v = Val::Record(vec![("y".into(), Val::U32(1)), ("x".into(), Val::U32(2))]);
        let err = record_values(&point(), &v).unwrap_err().to_string();
        assert_eq!(
            err,
            "record field mismatch: expected field `x` at position 0 of \
             record { x: u32, y: u32 }, found `y`"
        );
    }

    #[test]
    fn record_with_missing_field_is_rejected() {
        let v = Val::Record(vec![("x".into(), Val::U32(1))]);
        let err = record_values(&point(), &v).unwrap_err().to_string();
        assert!(
            err.contains("with 2 fields, found a record with 1 fields"),
            "{err}"
        );
    }

    #[test]
    fn tuple_of_wrong_arity_is_rejected() {
        let t = Type::tuple([Type::U8, Type::U8]);
        let err = tuple_values(&t, &Val::Tuple(vec![Val::U8(1)]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("expected tuple<u8, u8> with 2 elements"),
            "{err}"
        );
    }

    #[test]
    fn unknown_flag_is_rejected() {
        let t = Type::flags(["a".to_string(), "b".to_string()]);
        let Type::Flags(f) = &t else { unreachable!() };
        let err = pack_flags(&t, f, &Val::Flags(vec!["c".into()])).unwrap_err();
        assert_eq!(err.to_string(), "unknown flag `c` for flags { a, b }");
    }

    #[test]
    fn flags_pack_into_words_by_position() {
        let names: Vec<String> = (0..40).map(|i| format!("f{i}")).collect();
        let t = Type::flags(names);
        let Type::Flags(f) = &t else { unreachable!() };
        let v = Val::Flags(vec!["f0".into(), "f33".into(), "f39".into()]);
        assert_eq!(pack_flags(&t, f, &v).unwrap(), [1, (1 << 1) | (1 << 7)]);
    }
}
