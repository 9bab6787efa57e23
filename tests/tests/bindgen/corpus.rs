//! Every world of the corpus in `tests/codegen/` expanded and compiled
//! under each option that changes the generated code:
//!
//! - `plain`: no options;
//! - `trappable`: `imports: { default: trappable }` (every host method
//!   returns `wit_host::Result`);
//! - `flagged`: `imports: { default: store | trappable | tracing }` and
//!   `exports: { default: verbose_tracing }` (host methods in
//!   `…WithStore` traits taking the store, spans and events);
//! - `derives`: `additional_derives: [PartialOrd]` (one every type without
//!   handles can take);
//! - `borrowing`, `duplicating`: `ownership: Borrowing {
//!   duplicate_if_necessary: false }` and `true` (borrowing forms of the
//!   types passed to exports, `…Param<'a>`/`…Result` pairs);
//! - `asynchronous`: `imports: { default: async }` and `exports: {
//!   default: async }` (host methods returning futures, registered with
//!   `func_wrap_async` and `resource_async`, `async fn call_…`);
//! - `async_flagged`: `async` with every other flag (`…WithStore` methods
//!   returning futures, spans instrumenting them);
//! - `stable`: `features: []`, for the worlds with `@unstable` items (no
//!   unstable item, no `LinkOptions`).
//!
//! `with`, `interfaces`, `trappable_error_type` and a `features` subset
//! depend on the world: `codegen.rs` and `features.rs` cover them. The
//! generated code must compile warning- and clippy-clean.

// The generated items are public but not used by every test.
#![allow(dead_code)]

macro_rules! corpus {
    ($($module:ident: $path:literal, $world:literal $(, $stable:ident)?;)*) => {
        $(
            pub mod $module {
                pub mod plain {
                    wit_host::bindgen!({ path: $path, world: $world });
                }
                pub mod trappable {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        imports: { default: trappable },
                    });
                }
                pub mod flagged {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        imports: { default: store | trappable | tracing },
                        exports: { default: verbose_tracing },
                    });
                }
                pub mod derives {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        additional_derives: [PartialOrd],
                    });
                }
                pub mod borrowing {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        ownership: Borrowing { duplicate_if_necessary: false },
                    });
                }
                pub mod duplicating {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        ownership: Borrowing { duplicate_if_necessary: true },
                        additional_derives: [PartialOrd],
                    });
                }
                pub mod asynchronous {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        imports: { default: async },
                        exports: { default: async },
                    });
                }
                pub mod async_flagged {
                    wit_host::bindgen!({
                        path: $path,
                        world: $world,
                        imports: { default: async | store | trappable | tracing },
                        exports: { default: async | verbose_tracing },
                    });
                }
                $(
                    pub mod $stable {
                        wit_host::bindgen!({ path: $path, world: $world, features: [] });
                    }
                )?
            }
        )*
    };
}

corpus! {
    types_imports: "codegen/types.wit", "imports";
    types_exports: "codegen/types.wit", "exports";
    types_both: "codegen/types.wit", "both";
    proposals_imports: "codegen/proposals.wit", "imports";
    proposals_exports: "codegen/proposals.wit", "exports";
    proposals_both: "codegen/proposals.wit", "both";
    resources_host: "codegen/resources.wit", "host-side";
    resources_guest: "codegen/resources.wit", "guest-side";
    resources_both: "codegen/resources.wit", "both-sides";
    e2e_res: "codegen/e2e-res.wit", "res";
    uses: "codegen/uses.wit", "uses";
    keywords: "codegen/keywords.wit", "self";
    keywords_collide: "codegen/keywords.wit", "collide";
    worlds_everything: "codegen/worlds.wit", "everything";
    legacy: "codegen/legacy.wit", "legacy";
    worlds_empty: "codegen/worlds.wit", "empty";
    worlds_only_imports: "codegen/worlds.wit", "only-imports";
    worlds_only_exports: "codegen/worlds.wit", "only-exports";
    versions: "codegen/versions", "versions";
    include_small: "codegen/include", "small";
    include_big: "codegen/include", "big";
    include_renamed: "codegen/include", "renamed";
    include_nested: "codegen/include", "nested";
    include_dep: "codegen/include", "dep:base/base";
    features: "codegen/features.wit", "features", stable;
    features_gated_resource: "codegen/features-resource.wit", "gated-resource";
    features_gated_world: "codegen/features.wit", "gated-world";
    features_gated_exports: "codegen/features.wit", "gated-exports", stable;
    features_link_options: "codegen/features.wit", "link-options", stable;
    nested: "codegen/nested.wit", "nested";
    ownership: "codegen/ownership.wit", "ownership";
    long: "codegen/long.wit", "a-world-with-a-long-name-and-long-signatures";
    collisions_host: "codegen/collisions.wit", "host";
    collisions_guest: "codegen/collisions.wit", "guest";
    collisions_linker: "codegen/collisions.wit", "linker";
    wasi_proxy: "codegen/wasi", "wasi:http/proxy@0.2.9", stable;
    wasi_http_imports: "codegen/wasi", "wasi:http/imports@0.2.9", stable;
    wasi_command: "codegen/wasi", "wasi:cli/command@0.2.9", stable;
    wasi_cli_imports: "codegen/wasi", "wasi:cli/imports@0.2.9", stable;
    wasi_clocks: "codegen/wasi", "wasi:clocks/imports@0.2.9", stable;
    wasi_filesystem: "codegen/wasi", "wasi:filesystem/imports@0.2.9";
    wasi_io: "codegen/wasi", "wasi:io/imports@0.2.9";
    wasi_random: "codegen/wasi", "wasi:random/imports@0.2.9";
    wasi_sockets: "codegen/wasi", "wasi:sockets/imports@0.2.9", stable;
}
