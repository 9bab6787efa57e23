//! Feature gates: `@unstable(feature = …)` imports are defined in the
//! linker only when their switch in the generated `LinkOptions` is on;
//! `features: [...]` narrows what is generated; `@since` items are always
//! there. (The corpus world `codegen/features.wit` is compiled under every
//! option in `corpus.rs`.)

use crate::common::compile;
use wit_host::{Engine, HasSelf, Linker, Resource, Store};

/// All features generated (no `features` option), gated at link time.
mod all {
    wit_host::bindgen!({
        inline: r#"
            package test:gates@1.0.0;

            interface api {
                @since(version = 1.0.0)
                stable-fn: func() -> u32;
                @unstable(feature = fancy)
                fancy-fn: func() -> u32;
                @unstable(feature = fancy-res)
                resource gadget {
                    @unstable(feature = fancy-res)
                    constructor();
                    @unstable(feature = fancy-method)
                    spin: func() -> u32;
                }
            }

            @unstable(feature = extra)
            interface extra {
                e: func() -> u32;
            }

            world gates {
                import api;
                @unstable(feature = extra)
                import extra;
                @unstable(feature = top)
                import top: func() -> u32;
                export run: func() -> u32;
            }
        "#,
    });
}

/// Only `fancy`'s items generated: no `gadget`, no `extra`, no `top`.
mod fancy_only {
    wit_host::bindgen!({
        inline: r#"
            package test:gates@1.0.0;

            interface api {
                @since(version = 1.0.0)
                stable-fn: func() -> u32;
                @unstable(feature = fancy)
                fancy-fn: func() -> u32;
                @unstable(feature = fancy-res)
                resource gadget {
                    @unstable(feature = fancy-res)
                    constructor();
                    @unstable(feature = fancy-method)
                    spin: func() -> u32;
                }
            }

            world gates {
                import api;
                export run: func() -> u32;
            }
        "#,
        features: ["fancy"],
    });
}

/// No unstable item: no `LinkOptions`, and `add_to_linker` as usual.
mod stable_only {
    wit_host::bindgen!({
        inline: r#"
            package test:gates@1.0.0;

            interface api {
                @since(version = 1.0.0)
                stable-fn: func() -> u32;
                @unstable(feature = fancy)
                fancy-fn: func() -> u32;
            }

            world gates {
                import api;
                @unstable(feature = top)
                import top: func() -> u32;
                export run: func() -> u32;
            }
        "#,
        features: [],
    });
}

#[derive(Default)]
struct Host {
    calls: Vec<&'static str>,
}

impl all::test::gates::api::Host for Host {
    fn stable_fn(&mut self) -> u32 {
        self.calls.push("stable-fn");
        1
    }
    fn fancy_fn(&mut self) -> u32 {
        self.calls.push("fancy-fn");
        2
    }
}

impl all::test::gates::api::HostGadget for Host {
    fn new(&mut self) -> Resource<all::test::gates::api::Gadget> {
        Resource::new_own(7)
    }
    fn spin(&mut self, _: Resource<all::test::gates::api::Gadget>) -> u32 {
        3
    }
    fn drop(&mut self, _: Resource<all::test::gates::api::Gadget>) -> wit_host::Result<()> {
        Ok(())
    }
}

impl all::test::gates::extra::Host for Host {
    fn e(&mut self) -> u32 {
        self.calls.push("e");
        4
    }
}

impl all::GatesImports for Host {
    fn top(&mut self) -> u32 {
        self.calls.push("top");
        5
    }
}

/// A component importing function `func` (of instance `instance`, or of
/// the world) and exporting `run`, which calls it.
fn guest(instance: Option<&str>, func: &str) -> String {
    let (import, lower) = match instance {
        Some(i) => (
            format!(r#"(import "{i}" (instance $i (export "{func}" (func (result u32)))))"#),
            format!(r#"(core func $f (canon lower (func $i "{func}")))"#),
        ),
        None => (
            format!(r#"(import "{func}" (func $g (result u32)))"#),
            r#"(core func $f (canon lower (func $g)))"#.to_string(),
        ),
    };
    format!(
        r#"(component
  {import}
  {lower}
  (core module $M
    (import "host" "f" (func $f (result i32)))
    (func (export "run") (result i32) (call $f)))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f))))))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))"#
    )
}

/// Runs `guest` with a linker set up with `options`: its result, or the
/// error of instantiation.
fn run(guest: &str, options: &all::LinkOptions) -> Result<u32, String> {
    let engine = Engine::default();
    let component = compile(&engine, guest);
    let mut linker = Linker::new(&engine);
    all::Gates::add_to_linker::<_, HasSelf<Host>>(&mut linker, options, |h| h)
        .map_err(|e| e.to_string())?;
    let mut store = Store::new(&engine, Host::default());
    let gates =
        all::Gates::instantiate(&mut store, &component, &linker).map_err(|e| format!("{e:#}"))?;
    gates.call_run(&mut store).map_err(|e| e.to_string())
}

const API: &str = "test:gates/api@1.0.0";
const EXTRA: &str = "test:gates/extra@1.0.0";

#[test]
fn stable_items_link_without_options() {
    let options = all::LinkOptions::default();
    assert_eq!(run(&guest(Some(API), "stable-fn"), &options), Ok(1));
}

#[test]
fn unstable_functions_link_when_their_feature_is_on() {
    let fancy = guest(Some(API), "fancy-fn");
    let off = all::LinkOptions::default();
    let err = run(&fancy, &off).unwrap_err();
    assert!(err.contains("fancy-fn"), "{err}");
    let mut on = all::LinkOptions::default();
    on.fancy(true);
    assert_eq!(run(&fancy, &on), Ok(2));
    // Another feature does not open this gate.
    let mut other = all::LinkOptions::default();
    other
        .top(true)
        .extra(true)
        .fancy_res(true)
        .fancy_method(true);
    assert!(run(&fancy, &other).is_err());
}

#[test]
fn unstable_interfaces_and_world_functions() {
    let extra = guest(Some(EXTRA), "e");
    let top = guest(None, "top");
    let off = all::LinkOptions::default();
    let err = run(&extra, &off).unwrap_err();
    assert!(err.contains(EXTRA), "{err}");
    let err = run(&top, &off).unwrap_err();
    assert!(err.contains("top"), "{err}");
    let mut on = all::LinkOptions::default();
    on.extra(true).top(true);
    assert_eq!(run(&extra, &on), Ok(4));
    assert_eq!(run(&top, &on), Ok(5));
}

/// A component that makes a `gadget` and drops it.
const GADGET_GUEST: &str = r#"(component
  (import "test:gates/api@1.0.0" (instance $i
    (export "gadget" (type $g (sub resource)))
    (export "[constructor]gadget" (func (result (own $g))))))
  (alias export $i "gadget" (type $g))
  (core func $new (canon lower (func $i "[constructor]gadget")))
  (core func $drop (canon resource.drop $g))
  (core module $M
    (import "host" "new" (func $new (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "run") (result i32)
      (call $drop (call $new))
      (i32.const 9)))
  (core instance $m (instantiate $M
    (with "host" (instance (export "new" (func $new)) (export "drop" (func $drop))))))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))"#;

#[test]
fn unstable_resources_link_when_their_feature_is_on() {
    let err = run(GADGET_GUEST, &all::LinkOptions::default()).unwrap_err();
    assert!(err.contains("gadget"), "{err}");
    let mut on = all::LinkOptions::default();
    on.fancy_res(true);
    assert_eq!(run(GADGET_GUEST, &on), Ok(9));
}

#[test]
fn interface_options_convert_from_the_worlds() {
    let mut world = all::LinkOptions::default();
    world.fancy(true);
    let iface: all::test::gates::api::LinkOptions = (&world).into();
    // The interface's own `add_to_linker` takes its own options.
    let engine = Engine::default();
    let mut linker = Linker::<Host>::new(&engine);
    all::test::gates::api::add_to_linker::<_, HasSelf<Host>>(&mut linker, &iface, |h| h).unwrap();
    let debug = format!("{iface:?}");
    assert!(debug.contains("fancy: true"), "{debug}");
    assert!(debug.contains("fancy_method: false"), "{debug}");
}

/// With `features: ["fancy"]` the host implements `fancy-fn` but no
/// `gadget` (the impls below would not compile otherwise), and the switch
/// is there, off by default.
#[test]
fn the_features_option_narrows_the_bindings() {
    struct Fancy;
    impl fancy_only::test::gates::api::Host for Fancy {
        fn stable_fn(&mut self) -> u32 {
            1
        }
        fn fancy_fn(&mut self) -> u32 {
            2
        }
    }
    let mut options = fancy_only::LinkOptions::default();
    options.fancy(true);
    let engine = Engine::default();
    let mut linker = Linker::<Fancy>::new(&engine);
    fancy_only::Gates::add_to_linker::<_, HasSelf<Fancy>>(&mut linker, &options, |h| h).unwrap();

    // No unstable item left: no options at all.
    struct Stable;
    impl stable_only::test::gates::api::Host for Stable {
        fn stable_fn(&mut self) -> u32 {
            1
        }
    }
    let mut linker = Linker::<Stable>::new(&engine);
    stable_only::Gates::add_to_linker::<_, HasSelf<Stable>>(&mut linker, |h| h).unwrap();
}

/// `interfaces`: each interface has its own `LinkOptions` (there is no
/// world's).
mod gated_interfaces {
    wit_host::bindgen!({
        path: "codegen/features.wit",
        interfaces: "
            import codegen:features/gated@1.2.0;
            import codegen:features/mixed@1.2.0;
        ",
    });
}

/// `with` a gated interface: the world's `LinkOptions` converts into the
/// other module's.
mod features_with_gated {
    wit_host::bindgen!({
        path: "codegen/features.wit",
        world: "features",
        with: {
            "codegen:features/gated@1.2.0": crate::corpus::features::plain::codegen::features::gated,
        },
    });
}

#[test]
fn interfaces_and_with_keep_their_options() {
    use features_with_gated::LinkOptions;
    use gated_interfaces::codegen::features::{gated, mixed};
    let mut world = LinkOptions::default();
    world.exp_iface(true).exp_func(true);
    let theirs: crate::corpus::features::plain::codegen::features::gated::LinkOptions =
        (&world).into();
    assert!(format!("{theirs:?}").contains("exp_iface: true"));
    let mut g = gated::LinkOptions::default();
    g.exp_iface(true)
        .exp_func(true)
        .exp_res(true)
        .exp_method(true);
    let mut m = mixed::LinkOptions::default();
    m.exp_func(true).exp_type(true).type_(true);
    let _ = (g, m);
}
