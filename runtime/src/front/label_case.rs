//! Refuses components whose labels differ only in letter case between
//! types that can meet in a fused adapter.
//!
//! The component model compares names case-insensitively (`red` and `RED`
//! are the same enum case), so the validator lets a function lifted with
//! `(enum "red" "green")` be lowered as `(enum "RED" "green")`. The adapter
//! compiler of `wasmtime-environ` 48 then matches record fields, variant
//! cases, enum cases and flags by exact spelling, panics on such a pair
//! and panics again while unwinding: the process aborts, which no
//! `catch_unwind` can contain (wasmtime itself aborts on these components).
//!
//! [`check`] runs before the translator and returns an error instead. Two
//! types can only meet in an adapter if their label lists are equal
//! ignoring case, so only such pairs are refused: a component may still use
//! `ok` in one record and `OK` in an unrelated one.

use std::collections::HashMap;

use wasmtime_environ::wasmparser::{
    ComponentDefinedType, ComponentType, ComponentTypeDeclaration, InstanceTypeDeclaration, Parser,
    Payload,
};

use crate::{Result, bail};

/// The kinds of types whose labels the adapter compiler matches.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Record,
    Variant,
    Enum,
    Flags,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Record => "record fields",
            Kind::Variant => "variant cases",
            Kind::Enum => "enum cases",
            Kind::Flags => "flags",
        }
    }
}

/// Every labelled type of a binary, keyed by kind and lower-cased labels,
/// with the first exact spelling seen.
#[derive(Default)]
struct Labels {
    seen: HashMap<(Kind, Vec<String>), Vec<String>>,
}

impl Labels {
    fn add(&mut self, kind: Kind, labels: &[&str]) -> Result<()> {
        let exact: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
        let key = labels.iter().map(|l| l.to_ascii_lowercase()).collect();
        let first = self
            .seen
            .entry((kind, key))
            .or_insert_with(|| exact.clone());
        if let Some((a, b)) = first.iter().zip(&exact).find(|(a, b)| a != b) {
            bail!(
                "unsupported component: two types with the same {} spell a label \
                 differently (`{a}` and `{b}`); the component model treats them as one \
                 name, but wasmtime-environ 48's adapter compiler aborts the process on \
                 such a pair, so wit-host refuses the component (spell the label the \
                 same way in every component)",
                kind.what()
            );
        }
        Ok(())
    }

    fn component_type(&mut self, ty: &ComponentType<'_>) -> Result<()> {
        match ty {
            ComponentType::Defined(d) => self.defined(d),
            ComponentType::Component(decls) => decls.iter().try_for_each(|d| match d {
                ComponentTypeDeclaration::Type(t) => self.component_type(t),
                _ => Ok(()),
            }),
            ComponentType::Instance(decls) => decls.iter().try_for_each(|d| match d {
                InstanceTypeDeclaration::Type(t) => self.component_type(t),
                _ => Ok(()),
            }),
            ComponentType::Func(_) | ComponentType::Resource { .. } => Ok(()),
        }
    }

    fn defined(&mut self, ty: &ComponentDefinedType<'_>) -> Result<()> {
        match ty {
            ComponentDefinedType::Record(fields) => {
                let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
                self.add(Kind::Record, &names)
            }
            ComponentDefinedType::Variant(cases) => {
                let names: Vec<&str> = cases.iter().map(|c| c.name).collect();
                self.add(Kind::Variant, &names)
            }
            ComponentDefinedType::Enum(names) => self.add(Kind::Enum, names),
            ComponentDefinedType::Flags(names) => self.add(Kind::Flags, names),
            _ => Ok(()),
        }
    }
}

/// Returns an error if two types of `bytes` (at any nesting depth) have
/// the same labels up to letter case but spell one differently.
///
/// A binary that does not parse passes: the translator reports why, before
/// it compiles any adapter.
pub(super) fn check(bytes: &[u8]) -> Result<()> {
    let mut labels = Labels::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else {
            return Ok(());
        };
        if let Payload::ComponentTypeSection(reader) = payload {
            for ty in reader {
                let Ok(ty) = ty else {
                    return Ok(());
                };
                labels.component_type(&ty)?;
            }
        }
    }
    Ok(())
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use super::check;

    /// Component `A` exports `f` over `ty_a`; component `B` imports it over
    /// `ty_b`; the outer component wires them together (one fused adapter).
    fn composed(ty_a: &str, ty_b: &str) -> Vec<u8> {
        wat::parse_str(format!(
            r#"(component
              (component $A
                (core module $M (func (export "f") (param i32) (result i32) local.get 0))
                (core instance $m (instantiate $M))
                (type $t0 {ty_a})
                (export $t "t" (type $t0))
                (func (export "f") (param "x" $t) (result u32) (canon lift (core func $m "f"))))
              (instance $a (instantiate $A))
              (component $B
                (type $t0 {ty_b})
                (import "t" (type $t (eq $t0)))
                (import "f" (func $f (param "x" $t) (result u32)))
                (core func $g (canon lower (func $f)))
                (core module $N (import "" "f" (func (param i32) (result i32)))
                  (func (export "g") (result i32) i32.const 1 call 0))
                (core instance $n (instantiate $N (with "" (instance (export "f" (func $g))))))
                (func (export "g") (result u32) (canon lift (core func $n "g"))))
              (instance $b (instantiate $B (with "t" (type $a "t")) (with "f" (func $a "f"))))
              (export "g" (func $b "g")))"#
        ))
        .unwrap()
    }

    #[test]
    fn same_spelling_passes() {
        check(&composed(
            r#"(enum "red" "green")"#,
            r#"(enum "red" "green")"#,
        ))
        .unwrap();
        check(&composed(
            r#"(enum "red" "green")"#,
            r#"(enum "red" "blue")"#,
        ))
        .unwrap();
        check(&composed(r#"(flags "a" "b")"#, r#"(enum "A" "b")"#)).unwrap();
    }

    #[test]
    fn case_only_differences_are_refused() {
        for (a, b, what) in [
            (
                r#"(enum "red" "green")"#,
                r#"(enum "RED" "green")"#,
                "enum cases",
            ),
            (r#"(flags "r" "w")"#, r#"(flags "r" "W")"#, "flags"),
            (
                r#"(record (field "x" u32))"#,
                r#"(record (field "X" u32))"#,
                "record fields",
            ),
            (
                r#"(variant (case "a") (case "b" u8))"#,
                r#"(variant (case "A") (case "b" u8))"#,
                "variant cases",
            ),
        ] {
            let err = check(&composed(a, b)).unwrap_err().to_string();
            assert!(err.contains(what), "{err}");
            assert!(err.contains("differently"), "{err}");
        }
    }

    #[test]
    fn unparsable_bytes_are_left_to_the_translator() {
        check(b"\0asm\x0d\0\x01\0\xff\xff").unwrap();
    }
}
