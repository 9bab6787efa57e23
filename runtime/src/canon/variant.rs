//! Variant-like types seen as the spec's `despecialize` sees them.
//!
//! `enum`, `option` and `result` are lifted and lowered exactly like a
//! `variant` (CanonicalABI.md, "Despecialization"); [`Cases`] gives all four
//! one interface (case count, payload types, `match_case`, and building the
//! [`Val`] of a case) so the load/store/lift/lower code is written once.

use wasmtime::{Result, format_err};

use crate::canon::layout::{align_to, discriminant_size};
use crate::canon::typecheck::mismatch;
use crate::types::{Case, Type};
use crate::values::Val;

/// The cases of a variant-like type.
#[derive(Clone, Copy)]
pub(crate) enum Cases<'t> {
    /// `variant { ... }`.
    Variant(&'t [Case]),
    /// `enum { ... }`: cases without payloads.
    Enum(&'t [String]),
    /// `option<T>`: `none`, then `some(T)`.
    Option(&'t Type),
    /// `result<T, E>`: `ok(T?)`, then `error(E?)`.
    Result(Option<&'t Type>, Option<&'t Type>),
}

impl<'t> Cases<'t> {
    /// The cases of `ty`, or `None` if it is not variant-like.
    pub(crate) fn of(ty: &'t Type) -> Option<Cases<'t>> {
        Some(match ty {
            Type::Variant(v) => Cases::Variant(v.cases()),
            Type::Enum(e) => Cases::Enum(e.names()),
            Type::Option(o) => Cases::Option(o.some()),
            Type::Result(r) => Cases::Result(r.ok(), r.err()),
            _ => return None,
        })
    }

    /// The number of cases.
    pub(crate) fn len(&self) -> usize {
        match self {
            Cases::Variant(cases) => cases.len(),
            Cases::Enum(names) => names.len(),
            Cases::Option(_) | Cases::Result(..) => 2,
        }
    }

    /// The payload type of case `index` (`None` for a case without one, or
    /// an index out of range).
    pub(crate) fn payload(&self, index: usize) -> Option<&'t Type> {
        match (self, index) {
            (Cases::Variant(cases), i) => cases.get(i).and_then(|c| c.ty.as_ref()),
            (Cases::Option(some), 1) => Some(some),
            (Cases::Result(ok, _), 0) => *ok,
            (Cases::Result(_, err), 1) => *err,
            _ => None,
        }
    }

    /// The byte size of the discriminant (`discriminant_type`).
    pub(crate) fn discriminant_size(&self) -> u32 {
        discriminant_size(self.len())
    }

    /// The offset of the payload from the start of the variant:
    /// `align_to(disc_size, max_case_alignment)`. The variant's alignment is
    /// `max(disc_size, max_case_alignment)`, and both are powers of two, so
    /// aligning to it gives the same offset.
    pub(crate) fn payload_offset(&self, ty: &Type) -> u32 {
        align_to(self.discriminant_size(), ty.layout().align)
    }

    /// Traps unless `index` names a case ("invalid variant discriminant").
    pub(crate) fn check_index(&self, ty: &Type, index: u32) -> Result<usize> {
        let i = index as usize;
        if i < self.len() {
            Ok(i)
        } else {
            Err(format_err!(
                "invalid variant discriminant {index} for {} with {} cases",
                ty.desc(),
                self.len()
            ))
        }
    }

    /// `match_case`: the case index of `val` and its payload, checked
    /// against the type (`ty` is the type these cases came from, for
    /// messages).
    pub(crate) fn match_case<'v>(&self, ty: &Type, val: &'v Val) -> Result<(u32, Option<&'v Val>)> {
        let (index, payload, name): (usize, Option<&Val>, &str) = match (self, val) {
            (Cases::Variant(cases), Val::Variant(name, payload)) => {
                let Some(i) = cases.iter().position(|c| c.name == *name) else {
                    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
                    return Err(unknown_case(name, ty.desc(), &names));
                };
                (i, payload.as_deref(), name)
            }
            (Cases::Enum(names), Val::Enum(name)) => {
                let Some(i) = names.iter().position(|n| n == name) else {
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    return Err(unknown_case(name, ty.desc(), &names));
                };
                (i, None, name)
            }
            (Cases::Option(_), Val::Option(None)) => (0, None, "none"),
            (Cases::Option(_), Val::Option(Some(v))) => (1, Some(&**v), "some"),
            (Cases::Result(..), Val::Result(Ok(v))) => (0, v.as_deref(), "ok"),
            (Cases::Result(..), Val::Result(Err(v))) => (1, v.as_deref(), "error"),
            _ => return Err(mismatch(ty, val)),
        };
        match (self.payload(index), payload) {
            (Some(_), None) => Err(format_err!("missing payload for case `{name}` of {ty}")),
            (None, Some(_)) => Err(format_err!("unexpected payload for case `{name}` of {ty}")),
            _ => Ok((index as u32, payload)),
        }
    }

    /// The value of case `index` with `payload` (the dictionary the spec's
    /// `load_variant` and `lift_flat_variant` return).
    pub(crate) fn make(&self, index: usize, payload: Option<Val>) -> Val {
        let payload = payload.map(Box::new);
        match self {
            Cases::Variant(cases) => {
                let name = cases.get(index).map(|c| c.name.clone()).unwrap_or_default();
                Val::Variant(name, payload)
            }
            Cases::Enum(names) => Val::Enum(names.get(index).cloned().unwrap_or_default()),
            Cases::Option(_) if index == 0 => Val::Option(None),
            Cases::Option(_) => Val::Option(payload),
            Cases::Result(..) if index == 0 => Val::Result(Ok(payload)),
            Cases::Result(..) => Val::Result(Err(payload)),
        }
    }
}

/// `unknown case `foo` for variant { a, b }`.
fn unknown_case(name: &str, kind: &str, names: &[&str]) -> wasmtime::Error {
    format_err!(
        "unknown case `{name}` for {kind} {{ {} }}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ab() -> Type {
        Type::variant([
            Case {
                name: "a".into(),
                ty: Some(Type::U32),
            },
            Case {
                name: "b".into(),
                ty: None,
            },
        ])
    }

    #[test]
    fn unknown_variant_case_is_rejected() {
        let t = ab();
        let cases = Cases::of(&t).unwrap();
        let err = cases
            .match_case(&t, &Val::Variant("foo".into(), None))
            .unwrap_err();
        assert_eq!(err.to_string(), "unknown case `foo` for variant { a, b }");
    }

    #[test]
    fn unknown_enum_case_is_rejected() {
        let t = Type::enum_(["x".to_string()]);
        let cases = Cases::of(&t).unwrap();
        let err = cases.match_case(&t, &Val::Enum("y".into())).unwrap_err();
        assert_eq!(err.to_string(), "unknown case `y` for enum { x }");
    }

    #[test]
    fn missing_payload_is_rejected() {
        let t = ab();
        let cases = Cases::of(&t).unwrap();
        let err = cases
            .match_case(&t, &Val::Variant("a".into(), None))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing payload for case `a` of variant { a(u32), b }"
        );
    }

    #[test]
    fn unexpected_payload_is_rejected() {
        let t = Type::result(None, Some(Type::U8));
        let cases = Cases::of(&t).unwrap();
        let v = Val::Result(Ok(Some(Box::new(Val::U8(1)))));
        let err = cases.match_case(&t, &v).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected payload for case `ok` of result<_, u8>"
        );
    }

    #[test]
    fn option_cases_are_none_then_some() {
        let t = Type::option(Type::U8);
        let cases = Cases::of(&t).unwrap();
        let some = Val::Option(Some(Box::new(Val::U8(3))));
        assert_eq!(cases.match_case(&t, &some).unwrap(), (1, Some(&Val::U8(3))));
        assert_eq!(cases.make(1, Some(Val::U8(3))), some);
        assert_eq!(cases.make(0, None), Val::Option(None));
    }

    #[test]
    fn discriminant_past_the_cases_is_rejected() {
        let t = Type::enum_(["a", "b", "c"].map(String::from));
        let err = Cases::of(&t).unwrap().check_index(&t, 5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid variant discriminant 5 for enum with 3 cases"
        );
    }
}
