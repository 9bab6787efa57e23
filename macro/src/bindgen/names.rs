//! Rust names for WIT names: `heck` case conversion, escaping of Rust
//! keywords (`type` → `type_`, `self` → `Self_`), and [`Scope`], which
//! hands out names in one Rust namespace (a module's types, an impl's
//! methods, a function's parameters) so that two items never collide.

use std::collections::HashSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Every Rust keyword, strict and reserved (edition 2024), which an
/// identifier cannot be without `r#`. `Self`, `self`, `super` and `crate`
/// cannot be raw identifiers either, so generated names escape all of them
/// the same way: with a trailing `_`, as wasmtime's bindgen does.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `name` with a `_` appended if it is a Rust keyword.
pub fn escape(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// A WIT name as a Rust function, parameter, field or module name:
/// `get-user-id` → `get_user_id`.
pub fn snake(wit: &str) -> String {
    escape(wit.to_snake_case())
}

/// A WIT name as a Rust type, trait or case name: `http-error` →
/// `HttpError`.
pub fn camel(wit: &str) -> String {
    escape(wit.to_upper_camel_case())
}

/// A WIT flag name as a Rust constant name: `read-all` → `READ_ALL`.
pub fn shouty(wit: &str) -> String {
    escape(wit.to_shouty_snake_case())
}

/// An identifier at the macro call site.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The names taken in one Rust namespace. [`Scope::claim`] returns the
/// name asked for, or, if it is taken, the first free one of `name_`,
/// `name__`, … (for snake-case names) or `NameType`, `NameType2`, … (for
/// type names, which stay UpperCamelCase).
#[derive(Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope with `reserved` taken already (the generated items'
    /// names, which WIT names give way to).
    pub fn with<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Scope {
        Scope {
            taken: reserved.into_iter().map(str::to_string).collect(),
        }
    }

    /// Takes `name` if free; returns whether it was.
    pub fn try_claim(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    /// Takes `name` or the first free variant of it.
    pub fn claim(&mut self, name: &str) -> String {
        if self.try_claim(name) {
            return name.to_string();
        }
        let is_type = name.starts_with(|c: char| c.is_ascii_uppercase());
        let mut n = 1;
        loop {
            let candidate = match (is_type, n) {
                (true, 1) => format!("{name}Type"),
                (true, _) => format!("{name}Type{n}"),
                (false, _) => format!("{name}{}", "_".repeat(n)),
            };
            if self.try_claim(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }

    /// [`Scope::claim`] as an identifier.
    pub fn claim_ident(&mut self, name: &str) -> Ident {
        ident(&self.claim(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(snake("get-user-id"), "get_user_id");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(camel("http-error"), "HttpError");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("x"), "X");
        assert_eq!(shouty("read-all"), "READ_ALL");
        assert_eq!(snake("http-1-1"), "http_1_1");
    }

    #[test]
    fn scopes() {
        let mut s = Scope::with(["Host", "store"]);
        assert_eq!(s.claim("Host"), "HostType");
        assert_eq!(s.claim("Host"), "HostType2");
        assert_eq!(s.claim("store"), "store_");
        assert_eq!(s.claim("store"), "store__");
        assert_eq!(s.claim("point"), "point");
    }
}
