//! `wit_host::bindgen!` on every world in `tests/codegen/`: all the types,
//! resources on both sides and inside other types, `use` across
//! interfaces, Rust keywords and generated names as WIT names, world-level
//! imports and exports, a `deps/` directory with two versions of one
//! package, and the WASI 0.2.9 `proxy` and `command` worlds; and the
//! options (`with`, `imports`, `trappable_error_type`,
//! `additional_derives`, `interfaces`). The generated code must compile
//! warning- and clippy-clean, have the derives and impls its types allow,
//! and take hosts that implement its traits.

// The generated items are public but not used by every test.
#![allow(dead_code)]

macro_rules! codegen {
    ($($module:ident: $path:literal, $world:literal;)*) => {
        $(
            mod $module {
                wit_host::bindgen!({ path: $path, world: $world });
            }
        )*
    };
}

codegen! {
    types_imports: "codegen/types.wit", "imports";
    types_exports: "codegen/types.wit", "exports";
    types_both: "codegen/types.wit", "both";
    resources_host: "codegen/resources.wit", "host-side";
    resources_guest: "codegen/resources.wit", "guest-side";
    resources_both: "codegen/resources.wit", "both-sides";
    uses: "codegen/uses.wit", "uses";
    keywords: "codegen/keywords.wit", "self";
    keywords_collide: "codegen/keywords.wit", "collide";
    worlds_everything: "codegen/worlds.wit", "everything";
    worlds_empty: "codegen/worlds.wit", "empty";
    worlds_only_imports: "codegen/worlds.wit", "only-imports";
    worlds_only_exports: "codegen/worlds.wit", "only-exports";
    versions: "codegen/versions", "versions";
    wasi_proxy: "codegen/wasi", "wasi:http/proxy@0.2.9";
    wasi_command: "codegen/wasi", "wasi:cli/command@0.2.9";
}

/// The short forms.
mod short {
    wit_host::bindgen!("only-imports" in "codegen/worlds.wit");
}

use wit_host::{Engine, HasSelf, Linker, Resource};

fn copy<T: Copy>() {}
fn eq<T: Eq>() {}
fn clone<T: Clone>() {}
fn error<T: std::error::Error>() {}

#[test]
fn derives_follow_the_fields() {
    use types_both::codegen::types::all as imp;
    use types_both::exports::codegen::types::all as exp;
    copy::<imp::Prims>();
    // `prims` has floats: no `Eq`.
    clone::<imp::Person>();
    copy::<imp::Color>();
    eq::<imp::Color>();
    copy::<imp::Perms>();
    // `err(string)`: no `Copy`.
    eq::<imp::Maybe>();
    clone::<imp::Shape>();
    copy::<exp::Prims>();
    eq::<exp::Maybe>();
    assert_eq!(imp::Color::BlueIsh as u8, 2);
    assert_eq!(
        imp::Perms::READ | imp::Perms::READ_ALL,
        imp::Perms::READ_ALL | imp::Perms::READ
    );
}

#[test]
fn error_types_display() {
    use types_both::codegen::types::all::{BadThing, Errno, ErrorCode};
    error::<ErrorCode>();
    error::<Errno>();
    error::<BadThing>();
    assert_eq!(
        ErrorCode::NotFound("x".into()).to_string(),
        "NotFound(\"x\")"
    );
    assert_eq!(Errno::Again.to_string(), "Again");
}

/// A host of `resources.wit`'s `host-side` world.
struct FilesHost;

mod files_host {
    use super::resources_host::codegen::resources::files::*;
    use wit_host::Resource;

    impl HostFile for super::FilesHost {
        fn new(&mut self, _path: String) -> Resource<File> {
            Resource::new_own(1)
        }
        fn read(&mut self, _self_: Resource<File>, _len: u32) -> Result<Vec<u8>, String> {
            Ok(Vec::new())
        }
        fn write(&mut self, _self_: Resource<File>, _data: Vec<u8>) {}
        fn drop_(&mut self, _self_: Resource<File>) {}
        fn clone(&mut self, self_: Resource<File>) -> Resource<File> {
            Resource::new_own(self_.rep())
        }
        fn open_all(&mut self, paths: Vec<String>) -> Vec<Resource<File>> {
            paths.iter().map(|_| Resource::new_own(1)).collect()
        }
        fn drop(&mut self, _rep: Resource<File>) -> wit_host::Result<()> {
            Ok(())
        }
    }

    impl HostDir for super::FilesHost {
        fn new(&mut self) -> Resource<Dir> {
            Resource::new_own(2)
        }
        fn entries(&mut self, _self_: Resource<Dir>) -> Vec<Entry> {
            vec![Entry {
                name: "a".into(),
                file: None,
            }]
        }
        fn drop(&mut self, _rep: Resource<Dir>) -> wit_host::Result<()> {
            Ok(())
        }
    }

    impl Host for super::FilesHost {
        fn open(&mut self, _path: String) -> HandleOrError {
            HandleOrError::Error("no".into())
        }
        fn close(&mut self, _f: Resource<File>) {}
        fn peek(&mut self, _f: Resource<File>, _g: Option<Resource<File>>) -> u32 {
            0
        }
    }
}

#[test]
fn hosts_add_to_linkers() {
    let engine = Engine::default();
    let mut linker = Linker::<FilesHost>::new(&engine);
    resources_host::HostSide::add_to_linker::<_, HasSelf<FilesHost>>(&mut linker, |h| h).unwrap();
    // Twice is an error: the names are defined already.
    let err = resources_host::HostSide::add_to_linker::<_, HasSelf<FilesHost>>(&mut linker, |h| h)
        .unwrap_err();
    assert!(err.to_string().contains("already defined"), "{err}");

    // A store whose data holds the host in a field.
    struct Data {
        files: FilesHost,
    }
    let mut linker = Linker::<Data>::new(&engine);
    resources_host::codegen::resources::files::add_to_linker::<_, HasSelf<FilesHost>>(
        &mut linker,
        |d| &mut d.files,
    )
    .unwrap();
    let _: Resource<resources_host::codegen::resources::files::File> = Resource::new_own(0);
}

/// `with` an interface: the module of another `bindgen!` of it, whose types
/// are then shared.
mod uses_reusing_base {
    wit_host::bindgen!({
        path: "codegen/uses.wit",
        world: "uses",
        with: { "codegen:uses/base": crate::codegen::uses::codegen::uses::base },
    });
}

/// `with` a package: every imported interface of `codegen:uses` comes from
/// the module of another `bindgen!` of the package.
mod uses_reusing_package {
    wit_host::bindgen!({
        path: "codegen/uses.wit",
        world: "uses",
        with: { "codegen:uses": crate::codegen::uses::codegen::uses },
    });
}

/// `with` a namespace, and an interface's own key beside it (the more
/// specific key wins: `base` is this module's own copy).
mod uses_reusing_namespace {
    wit_host::bindgen!({
        path: "codegen/uses.wit",
        world: "uses",
        with: {
            "codegen": crate::codegen::uses::codegen,
            "codegen:uses/base": crate::codegen::uses_reusing_base::codegen::uses::base,
        },
    });
}

/// `with` a type named with wasmtime's `.` before the type.
mod uses_point_dotted {
    wit_host::bindgen!({
        path: "codegen/uses.wit",
        world: "uses",
        with: { "codegen:uses/base.point": crate::codegen::uses::codegen::uses::base::Point },
    });
}

/// `with` a world-level resource (by name) and a versioned interface's
/// type.
mod worlds_with_session {
    wit_host::bindgen!({
        path: "codegen/worlds.wit",
        world: "everything",
        with: { "session": super::Session },
    });
}

/// The host's own session type.
pub struct Session;

#[test]
fn with_shares_types() {
    use uses::codegen::uses::base::{Point, Unit};
    let p = Point { x: 1, y: 2 };
    let line = uses_reusing_base::codegen::uses::middle::Line {
        a: p,
        b: p,
        unit: Unit::Mm,
    };
    let _: uses_reusing_base::codegen::uses::base::Point = line.a;
    let _: Resource<worlds_with_session::Session> = Resource::<Session>::new_own(1);
}

#[test]
fn with_packages_namespaces_and_dotted_types() {
    use uses::codegen::uses::base::{Point, Unit};
    let p = Point { x: 1, y: 2 };
    let line = uses::codegen::uses::middle::Line {
        a: p,
        b: p,
        unit: Unit::Mm,
    };
    // The package key: `middle` and `base` are `uses`' own.
    let _: uses_reusing_package::codegen::uses::middle::Line = line;
    // The namespace key gives `middle`; `base`'s own key wins over it.
    let _: uses_reusing_namespace::codegen::uses::middle::Line = line;
    let _: uses_reusing_namespace::codegen::uses::base::Point =
        uses_reusing_base::codegen::uses::base::Point { x: 0, y: 0 };
    // The dotted type key: `base::Point` is `uses`' `Point`.
    let _: uses_point_dotted::codegen::uses::base::Point = p;
}

/// `imports: { default: trappable }`: every host method returns
/// `wit_host::Result`.
mod resources_trappable {
    wit_host::bindgen!({
        path: "codegen/resources.wit",
        world: "both-sides",
        imports: { default: trappable },
    });
}

mod worlds_trappable {
    wit_host::bindgen!({
        path: "codegen/worlds.wit",
        world: "everything",
        imports: { default: trappable, "codegen:worlds/named@1.2.3#hello": trappable, "log": trappable },
    });
}

#[test]
fn trappable_methods_return_results() {
    use resources_trappable::codegen::resources::files::{File, HostFile};
    fn new_file<H: HostFile>(host: &mut H) -> wit_host::Result<Resource<File>> {
        host.new("a".into())
    }
    assert!(new_file(&mut FilesTrap).is_err());
    struct FilesTrap;
    impl HostFile for FilesTrap {
        fn new(&mut self, _path: String) -> wit_host::Result<Resource<File>> {
            Err(wit_host::Error::msg("no"))
        }
        fn read(&mut self, _: Resource<File>, _: u32) -> wit_host::Result<Result<Vec<u8>, String>> {
            Ok(Ok(Vec::new()))
        }
        fn write(&mut self, _: Resource<File>, _: Vec<u8>) -> wit_host::Result<()> {
            Ok(())
        }
        fn drop_(&mut self, _: Resource<File>) -> wit_host::Result<()> {
            Ok(())
        }
        fn clone(&mut self, f: Resource<File>) -> wit_host::Result<Resource<File>> {
            Ok(f)
        }
        fn open_all(&mut self, _: Vec<String>) -> wit_host::Result<Vec<Resource<File>>> {
            Ok(Vec::new())
        }
        fn drop(&mut self, _: Resource<File>) -> wit_host::Result<()> {
            Ok(())
        }
    }
}

/// `additional_derives` on every type that can take them (those holding
/// handles cannot, and flags have `Hash` already).
mod keywords_derives {
    wit_host::bindgen!({
        path: "codegen/keywords.wit",
        world: "self",
        additional_derives: [Hash, PartialOrd, Ord, ::core::default::Default],
    });
}

mod resources_derives {
    wit_host::bindgen!({
        path: "codegen/resources.wit",
        world: "both-sides",
        additional_derives: [Hash],
    });
}

#[test]
fn additional_derives_apply() {
    use keywords_derives::crate_::self_::type_::{Enum, Match, Struct, Trait};
    fn hash<T: std::hash::Hash + Ord>() {}
    hash::<Struct>();
    hash::<Enum>();
    hash::<Match>();
    hash::<Trait>();
    assert!(Match::Mod < Match::Fn);
    let s = Struct::default();
    assert_eq!(s.type_, 0);
}

/// `map<K, V>` and `list<T, N>`, with derives a map or a long array lacks.
mod proposals_derives {
    wit_host::bindgen!({
        path: "codegen/proposals.wit",
        world: "both",
        additional_derives: [Default, PartialOrd],
    });
}

#[test]
fn proposal_types_are_std_collections_and_arrays() {
    use proposals_derives::codegen::proposals::collections::{Block, Entry, Inventory, Pixel};
    use std::collections::HashMap;
    fn default<T: Default>() {}
    fn partial_ord<T: PartialOrd>() {}
    let inventory = Inventory {
        counts: HashMap::from([("bolts".to_string(), 7)]),
        origin: [0.5, 1.0, 2.0],
    };
    assert_eq!(inventory.clone(), inventory);
    // A map has no `PartialOrd`: skipped on `Inventory` and `Entry`.
    default::<Inventory>();
    copy::<Pixel>();
    eq::<Pixel>();
    default::<Pixel>();
    partial_ord::<Pixel>();
    // `[u8; 64]` has no `Default`: skipped on `Block`, `PartialOrd` kept.
    copy::<Block>();
    partial_ord::<Block>();
    clone::<Entry>();
    let fixed = Entry::Fixed(["a".to_string(), "b".to_string()]);
    assert_ne!(fixed, Entry::None);
}

/// `interfaces`: bindings for some interfaces, without a world struct.
mod only_interfaces {
    wit_host::bindgen!({
        path: "codegen/uses.wit",
        interfaces: "
            import codegen:uses/top;
            export codegen:uses/mine;
        ",
    });
}

#[test]
fn interfaces_without_a_world() {
    use only_interfaces::codegen::uses::{base, top};
    use only_interfaces::exports::codegen::uses::mine;
    struct Top;
    impl base::HostCanvas for Top {
        fn new(&mut self) -> Resource<base::Canvas> {
            Resource::new_own(0)
        }
        fn draw(&mut self, _: Resource<base::Canvas>, _: base::Point) {}
        fn drop(&mut self, _: Resource<base::Canvas>) -> wit_host::Result<()> {
            Ok(())
        }
    }
    impl base::Host for Top {}
    impl top::Host for Top {
        fn longest(&mut self, ls: Vec<top::Line>) -> Option<top::Line> {
            ls.into_iter().next()
        }
        fn center(&mut self, _: top::Points) -> top::Pt {
            top::Pt { x: 0, y: 0 }
        }
        fn paint(&mut self, _: Resource<top::Surface>, _: top::Line) {}
    }
    let mut linker = Linker::<Top>::new(&Engine::default());
    base::add_to_linker::<_, HasSelf<Top>>(&mut linker, |t| t).unwrap();
    top::add_to_linker::<_, HasSelf<Top>>(&mut linker, |t| t).unwrap();
    let _ = mine::GuestIndices::new;
}

/// `with` across packages: a world that `include`s others shares a
/// dependency's types with the bindings of that dependency's world.
mod include_big_with_dep {
    wit_host::bindgen!({
        path: "codegen/include",
        world: "big",
        with: { "dep:base/types": crate::corpus::include_dep::plain::dep::base::types },
    });
}

#[test]
fn include_merges_worlds() {
    use include_big_with_dep::dep::base::types::{Level, Thing};
    let thing: crate::corpus::include_dep::plain::dep::base::types::Thing = Thing {
        id: 1,
        name: "a".into(),
    };
    let wrapper = include_big_with_dep::codegen::includes::local::Wrapper {
        inner: thing,
        level: Level::High,
    };
    assert_eq!(wrapper.inner.id, 1);
    // `big` has `small`'s `log` and `run`, `base`'s `note` and `start`,
    // and its own `extra` (these generic functions only type-check).
    fn imports<H: include_big_with_dep::BigImports>(h: &mut H) {
        h.log("x".into());
        h.note("y".into());
        h.extra();
    }
    fn exports(big: &include_big_with_dep::Big, store: &mut wit_host::Store<()>) {
        let _ = big.call_run(&mut *store);
        let _ = big.call_start(&mut *store);
    }
    // Renamed includes: `small`'s `log` is `small-log`, next to the
    // world's own `log`.
    fn renamed<H: crate::corpus::include_renamed::plain::RenamedImports>(h: &mut H) {
        h.small_log("x".into());
        h.base_note("y".into());
        h.log("z".into(), 1);
    }
}
