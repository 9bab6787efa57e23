//! Interface names: the kebab-case default for a Rust identifier, the
//! component model's rule for what a label may be, and the check that the
//! names of one item are distinct.

use heck::ToKebabCase;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Error, Ident, LitStr};

/// An interface name and where it came from, for error spans.
#[derive(Clone, Debug)]
pub struct Name {
    /// The label, as the component spells it.
    pub label: String,
    /// The `name = "..."` literal, or else the Rust identifier.
    pub span: Span,
}

impl Name {
    /// The label of `ident`: the override `rename` if given, else the
    /// identifier in kebab-case (`r#` prefix dropped). Checks that the
    /// result is a valid label; `how` says how to give an override, for the
    /// error about an identifier that makes none.
    pub fn resolve(ident: &Ident, rename: Option<&LitStr>, how: &str) -> syn::Result<Name> {
        let name = match rename {
            Some(lit) => Name {
                label: lit.value(),
                span: lit.span(),
            },
            None => Name {
                label: kebab_case(ident),
                span: ident.span(),
            },
        };
        if !is_label(&name.label) {
            let hint = match rename {
                Some(_) => String::new(),
                None => format!("; give one with `{how}`"),
            };
            return Err(Error::new(
                name.span,
                format!(
                    "`{}` is not a valid component-model name (kebab-case words, \
                     each all lower- or all upper-case, the first starting with a letter){hint}",
                    name.label
                ),
            ));
        }
        Ok(name)
    }
}

/// The default interface name of a Rust identifier: kebab-case, as `heck`
/// converts it (`y_coord` → `y-coord`, `HttpError` → `http-error`).
pub fn kebab_case(ident: &Ident) -> String {
    ident.unraw().to_string().to_kebab_case()
}

/// Whether `s` is a component-model label: words separated by single
/// hyphens, each word all lower-case or all upper-case letters and digits;
/// the first word starts with a letter, later ones with a letter or digit.
/// (The rule wasmparser's validator applies.)
pub fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').enumerate().all(|(i, word)| {
            let letters = word.trim_start_matches(|c: char| c.is_ascii_digit());
            let digits_first = letters.len() < word.len();
            if digits_first && i == 0 {
                return false;
            }
            match letters.chars().next() {
                None => digits_first,
                Some('a'..='z') => letters
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                Some('A'..='Z') => letters
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                Some(_) => false,
            }
        })
}

/// Errors for names that repeat an earlier one of the same item. Labels
/// are compared ignoring ASCII case, as component validation does.
/// `what` says what the names belong to ("field", "case", "flag").
pub fn duplicates(names: &[Name], what: &str) -> Vec<Error> {
    let mut errors = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i]
            .iter()
            .find(|n| n.label.eq_ignore_ascii_case(&name.label))
        {
            let msg = if first.label == name.label {
                format!("duplicate {what} name `{}`", name.label)
            } else {
                format!(
                    "duplicate {what} name `{}`: names differing only in case clash with `{}`",
                    name.label, first.label
                )
            };
            errors.push(Error::new(name.span, msg));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    const HOW: &str = "#[component(name = \"...\")]";

    fn ident(s: &str) -> Ident {
        syn::parse_str(s).unwrap()
    }

    fn name(label: &str) -> Name {
        Name {
            label: label.into(),
            span: Span::call_site(),
        }
    }

    #[test]
    fn kebab_case_of_rust_identifiers() {
        for (rust, wit) in [
            ("x", "x"),
            ("y_coord", "y-coord"),
            ("Circle", "circle"),
            ("HttpError", "http-error"),
            ("XMLHttpRequest", "xml-http-request"),
            ("READ", "read"),
            ("READ_WRITE", "read-write"),
            ("field2", "field2"),
            ("r#type", "type"),
            ("r#Match", "match"),
            ("_private", "private"),
        ] {
            assert_eq!(kebab_case(&ident(rust)), wit, "{rust}");
        }
    }

    #[test]
    fn labels_follow_the_validator() {
        for ok in [
            "a",
            "a-b",
            "a1",
            "foo-bar-baz",
            "HTTP",
            "xml-HTTP",
            "a-1",
            "a-1b",
            "A-b2",
        ] {
            assert!(is_label(ok), "{ok}");
        }
        for bad in [
            "", "-", "a-", "-a", "a--b", "1a", "aB", "Ab", "a_b", "a b", "é", "a-B-c-dE",
        ] {
            assert!(!is_label(bad), "{bad}");
        }
    }

    #[test]
    fn resolve_uses_the_override_and_checks_it() {
        let id = ident("y_coord");
        assert_eq!(Name::resolve(&id, None, HOW).unwrap().label, "y-coord");
        let lit = LitStr::new("why", Span::call_site());
        assert_eq!(Name::resolve(&id, Some(&lit), HOW).unwrap().label, "why");
        let bad = LitStr::new("Not Kebab", Span::call_site());
        let err = Name::resolve(&id, Some(&bad), HOW).unwrap_err().to_string();
        assert!(
            err.starts_with("`Not Kebab` is not a valid component-model name"),
            "{err}"
        );
        assert!(!err.contains("give one"), "{err}");
    }

    #[test]
    fn identifiers_without_a_label_ask_for_a_name() {
        let err = Name::resolve(&ident("naïve"), None, HOW)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`naïve` is not a valid"), "{err}");
        assert!(
            err.ends_with("give one with `#[component(name = \"...\")]`"),
            "{err}"
        );
    }

    #[test]
    fn duplicates_ignore_case() {
        let names = [name("a"), name("b"), name("a"), name("B")];
        let errors: Vec<String> = duplicates(&names, "field")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "duplicate field name `a`",
                "duplicate field name `B`: names differing only in case clash with `b`",
            ]
        );
        assert!(duplicates(&[name("a"), name("b")], "case").is_empty());
    }
}
