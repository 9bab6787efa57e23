//! Import names with versions: which linker definitions satisfy an import.
//!
//! Like `wasmtime::component::Linker`, a definition of
//! `ns:pkg/iface@1.2.0` satisfies an import of `ns:pkg/iface@1.2.3` (and the
//! other way round): versions that semver says are compatible (same major
//! version from 1.0, same minor version in 0.x) name the same interface.

/// The part of a versioned name that compatible versions share:
/// `"ns:pkg/iface@1"` for `"ns:pkg/iface@1.2.3"`, `"ns:pkg/iface@0.2"` for
/// `"ns:pkg/iface@0.2.1"`. `None` for unversioned names, `0.0.x` versions and
/// pre-releases, which only match exactly.
pub(crate) fn compatibility_key(name: &str) -> Option<String> {
    let (base, version) = name.rsplit_once('@')?;
    let mut parts = version.split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let minor: u64 = parts.next()?.parse().ok()?;
    let patch = parts.next()?;
    if parts.next().is_some() || patch.parse::<u64>().is_err() {
        return None;
    }
    match (major, minor) {
        (0, 0) => None,
        (0, minor) => Some(format!("{base}@0.{minor}")),
        (major, _) => Some(format!("{base}@{major}")),
    }
}

/// Finds the value for `name` in `items`: an exact match first, else a
/// definition with a compatible version.
pub(crate) fn lookup<'a, V>(
    items: &'a std::collections::HashMap<String, V>,
    name: &str,
) -> Option<&'a V> {
    if let Some(v) = items.get(name) {
        return Some(v);
    }
    let key = compatibility_key(name)?;
    items
        .iter()
        .find(|(n, _)| compatibility_key(n).as_deref() == Some(key.as_str()))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_versions_share_a_key() {
        assert_eq!(compatibility_key("a:b/c@1.2.3").as_deref(), Some("a:b/c@1"));
        assert_eq!(
            compatibility_key("a:b/c@1.0.0"),
            compatibility_key("a:b/c@1.9.1")
        );
        assert_eq!(
            compatibility_key("a:b/c@0.2.1").as_deref(),
            Some("a:b/c@0.2")
        );
        assert_ne!(
            compatibility_key("a:b/c@0.2.1"),
            compatibility_key("a:b/c@0.3.0")
        );
    }

    #[test]
    fn unversioned_and_prerelease_names_match_only_exactly() {
        assert_eq!(compatibility_key("a:b/c"), None);
        assert_eq!(compatibility_key("a:b/c@0.0.1"), None);
        assert_eq!(compatibility_key("a:b/c@1.0.0-rc1"), None);
    }

    #[test]
    fn lookup_prefers_the_exact_name() {
        let items: std::collections::HashMap<String, u32> = [
            ("a:b/c@1.0.0".to_string(), 1),
            ("a:b/c@1.2.0".to_string(), 2),
        ]
        .into();
        assert_eq!(lookup(&items, "a:b/c@1.2.0"), Some(&2));
        assert!(lookup(&items, "a:b/c@1.5.0").is_some());
        assert_eq!(lookup(&items, "a:b/c@2.0.0"), None);
    }
}
