//! Derive macros, `flags!` and `bindgen!` for `wit-host`'s typed API.
//!
//! `#[derive(ComponentType, Lower, Lift)]` makes a Rust struct or enum a
//! component-model record, variant or enum; `flags!` declares a flags type;
//! `bindgen!` generates host bindings for a WIT world (using both).
//! The generated impls follow the canonical ABI (CanonicalABI.md in
//! WebAssembly/component-model) and use the helpers in
//! `wit_host::typed::internal`. Use them through `wit_host`, which
//! re-exports them next to the traits of the same names.
//!
//! Generated code names everything by absolute `::wit_host::...` paths.

mod attrs;
mod bindgen;
mod codegen;
mod enum_;
mod errors;
mod flags;
mod input;
mod names;
mod record;
mod variant;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::codegen::Trait;
use crate::input::{Body, Item};

/// Derives `wit_host::typed::ComponentType`: the canonical-ABI layout of
/// the type and the check that a component's type is this one.
///
/// The type says which interface type it is:
///
/// - `#[component(record)]` on a struct with named fields (or none): a
///   `record`, fields in declaration order;
/// - `#[component(variant)]` on an enum whose cases have no payload or one
///   unnamed one: a `variant`;
/// - `#[component(enum)]` on an enum of unit cases: an `enum` (Rust
///   discriminants, if any, do not matter: a case's index is its
///   position).
///
/// Field and case names are the Rust names in kebab-case (`y_coord` →
/// `y-coord`, `HttpError` → `http-error`) unless given with
/// `#[component(name = "...")]`. Generic types get a bound on each field
/// or payload type that uses a type parameter.
///
/// ```
/// use wit_host::{ComponentType, Lift, Lower};
///
/// /// `record point { x: u32, y-coord: u32 }`
/// #[derive(ComponentType, Lift, Lower, Debug, PartialEq)]
/// #[component(record)]
/// struct Point {
///     x: u32,
///     y_coord: u32,
/// }
///
/// /// `variant shape { circle(f32), none }`
/// #[derive(ComponentType, Lift, Lower)]
/// #[component(variant)]
/// enum Shape {
///     Circle(f32),
///     #[component(name = "none")]
///     Nothing,
/// }
///
/// /// `enum color { red, green }`
/// #[derive(ComponentType, Lift, Lower)]
/// #[component(enum)]
/// #[repr(u8)]
/// enum Color {
///     Red,
///     Green,
/// }
///
/// use wit_host::typed::ComponentType as _;
/// assert_eq!((Point::SIZE32, Point::ALIGN32, Point::FLAT_COUNT), (8, 4, 2));
/// assert_eq!((Shape::SIZE32, Shape::ALIGN32, Shape::FLAT_COUNT), (8, 4, 2));
/// assert_eq!((Color::SIZE32, Color::ALIGN32, Color::FLAT_COUNT), (1, 1, 1));
/// ```
#[proc_macro_derive(ComponentType, attributes(component))]
pub fn derive_component_type(input: TokenStream) -> TokenStream {
    derive(input, Trait::ComponentType)
}

/// Derives `wit_host::typed::Lower`, to pass values of the type to a
/// guest: `lower_flat` and `store` of each field in order, or of the case
/// index and the payload. Takes the same `#[component(...)]` options as
/// `#[derive(ComponentType)]`, which it needs beside it.
///
/// ```
/// use wit_host::{ComponentType, Lower};
///
/// #[derive(ComponentType, Lower)]
/// #[component(variant)]
/// enum Request {
///     Get(String),
///     Ping,
/// }
/// ```
#[proc_macro_derive(Lower, attributes(component))]
pub fn derive_lower(input: TokenStream) -> TokenStream {
    derive(input, Trait::Lower)
}

/// Derives `wit_host::typed::Lift`, to take values of the type from a
/// guest: `lift_flat` and `load` of each field in order, or of the case
/// index (an unknown one is an error) and the payload. Takes the same
/// `#[component(...)]` options as `#[derive(ComponentType)]`, which it
/// needs beside it.
///
/// ```
/// use wit_host::{ComponentType, Lift};
///
/// #[derive(ComponentType, Lift)]
/// #[component(record)]
/// struct Reply<T> {
///     status: u16,
///     body: Option<T>,
/// }
/// ```
#[proc_macro_derive(Lift, attributes(component))]
pub fn derive_lift(input: TokenStream) -> TokenStream {
    derive(input, Trait::Lift)
}

/// One derive: the impl of `tr`, or the input's errors. (Each of the three
/// derives checks the whole input; the compiler shows a repeated error
/// once.)
fn derive(input: TokenStream, tr: Trait) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let out = match Item::parse(&input) {
        Ok(item) => match &item.body {
            Body::Record(fields) => record::expand(&item, fields, tr),
            Body::Variant(cases) => variant::expand(&item, cases, tr),
            Body::Enum(cases) => enum_::expand(&item, cases, tr),
        },
        Err(e) => e.to_compile_error(),
    };
    out.into()
}

/// Declares a component-model `flags` type: a `Copy` set of named bits
/// with `ComponentType`, `Lower` and `Lift`.
///
/// Each flag is an associated constant; its interface name is given as a
/// string or defaults to the constant's name in kebab-case (`READ_ALL` →
/// `read-all`). The type is `pub` unless a visibility is written before
/// its name; attributes and doc comments on the type and the flags are
/// kept. Several types can be declared in one invocation.
///
/// The type has `empty()`, `all()`, `is_empty()`, `contains()`,
/// `insert()`, `remove()`, the operators `|`, `&`, `^` (and their
/// assignments) and `!` (which gives the known flags not set), `Default`
/// (empty), `Eq`, `Hash`, and a `Debug` that lists the flags set.
///
/// ```
/// wit_host::flags! {
///     /// `flags perms { read, write, exec }`
///     Perms {
///         const READ = "read";
///         const WRITE = "write";
///         /// Run it.
///         const EXEC;
///     }
/// }
///
/// let rw = Perms::READ | Perms::WRITE;
/// assert!(rw.contains(Perms::READ) && !rw.contains(Perms::EXEC));
/// assert_eq!(!rw, Perms::EXEC);
/// assert_eq!(format!("{rw:?}"), "Perms(READ | WRITE)");
/// ```
#[proc_macro]
pub fn flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as flags::FlagsInput);
    match input.expand() {
        Ok(out) => out.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Generates Rust bindings for a WIT world: a trait per imported interface
/// for the host to implement, typed wrappers to call what the component
/// exports, and `instantiate` helpers, over the wit-host runtime (as
/// `wasmtime::component::bindgen!` does over wasmtime).
///
/// # Input
///
/// ```ignore
/// wit_host::bindgen!({
///     path: "wit",            // a WIT file or directory (with `deps/`), or an array of them,
///                             // relative to CARGO_MANIFEST_DIR; "wit" unless `inline` is given
///     inline: "package ...",  // WIT source, parsed after `path`
///     world: "ns:pkg/name",   // optional when there is one world
///     // or, instead of `world`, bindings for some interfaces only (no world struct):
///     interfaces: "import ns:pkg/a; export ns:pkg/b;",
///     // existing Rust items instead of generated ones (imports only):
///     with: {
///         "ns:pkg/iface": crate::other_bindings::ns::pkg::iface, // a module generated before
///         "ns:pkg/iface/file": crate::MyFile,  // a host resource: handles are `Resource<MyFile>`
///         "ns:pkg/iface.point": crate::Point,  // a type implementing what the generated one would
///                                              // (`.` as wasmtime, or `/`, before a type's name)
///         "ns:pkg2": crate::other::ns::pkg2,   // every interface of a package (`"ns"`: of a namespace);
///                                              // the most specific key wins
///     },
///     // flags of host functions and of export calls (see "Function flags" below)
///     imports: { default: trappable, "ns:pkg/iface.func": store | tracing },
///     exports: { default: tracing },
///     // `T: Send` bounds on `add_to_linker` (the store's data)
///     require_store_data_send: true,
///     // `Owning` (the default: types own their data) or, as wasmtime,
///     // `Borrowing { duplicate_if_necessary: bool }`: types passed to exports
///     // borrow (`Name<'a>` with `&'a str`, `&'a [T]`; with `true`, a type
///     // also returned or imported gets `NameParam<'a>` and `NameResult`)
///     ownership: Owning,
///     // host methods returning `result<T, error-code>` return `Result<T, MyError>`,
///     // flagged `trappable` or not (wasmtime: `trappable` ones only); the defining
///     // interface's `Host` gets `convert_error_code(MyError) -> Result<ErrorCode>`
///     trappable_error_type: { "ns:pkg/iface.error-code" => crate::MyError },
///     // more derives on every type that does not hold resource handles
///     additional_derives: [Hash, serde::Serialize],
///     // only these features' `@unstable` items (default: all of them, as wasmtime,
///     // which has no such option)
///     features: ["my-feature"],
/// });
/// wit_host::bindgen!("world");              // `path` is "wit"
/// wit_host::bindgen!("world" in "my/wit");
/// ```
///
/// With `WIT_HOST_DEBUG_BINDGEN=1` in the build's environment, the
/// generated code is written to
/// `$TMPDIR/wit-host-bindgen/<crate>-<world>-<hash of the code>.rs`
/// (formatted if `rustfmt` is on the `PATH`) and included from there.
///
/// Call it at module level, not in a function body: the generated
/// modules refer to each other by `super::` paths, which cannot reach items
/// declared in a block.
///
/// Every WIT file read is tracked: editing one rebuilds the crate. (A new
/// file in a WIT directory is not noticed until something else changes.)
/// A WIT mistake is a compile error quoting the file, line and column.
///
/// # What is generated
///
/// For `world my-world`, in the module where the macro is called:
///
/// - a module per interface, `ns::pkg::iface` for imports and
///   `exports::ns::pkg::iface` for exports, with the interface's types:
///   records as structs, variants as enums, enums as `#[repr(u8)]` enums,
///   flags with `wit_host::flags!`, all with `ComponentType`, `Lift`,
///   `Lower`, `Debug`, `PartialEq`, and `Clone`, `Copy` and `Eq` where the
///   fields allow; types used as a `result`'s error also implement
///   `Display` and `std::error::Error`. `option`, `result`, `tuple`,
///   `list` and `string` are `Option`, `Result`, tuples, `Vec` and
///   `String`; `type x = y` is a type alias. WIT names become Rust names
///   (`get-user` → `get_user`, `http-error` → `HttpError`, `type` →
///   `type_`).
/// - for an imported interface: a `Host` trait with a method per
///   function, a `Host<Resource>` trait per resource (`new` for the
///   constructor, a method per method and static function, and `drop`),
///   and `add_to_linker(linker, getter)`. Host resources are
///   `wit_host::Resource<R>` handles to an uninhabited marker type `R`.
///   The methods return plain values: a host function cannot trap,
///   except with `imports: { ... trappable }` or `trappable_error_type`
///   (a resource's `drop` always returns `wit_host::Result`).
/// - for an exported interface: a `Guest` struct with a `call_<func>`
///   method per function (parameters borrowed where that saves a copy:
///   `&str`, `&[T]`, `&Record`) and, per exported resource, an owned
///   handle type `R` and a `GuestR` struct with `call_constructor`,
///   `call_<method>` (taking `&R`) and `call_<static>`. `R` is not
///   `Clone` and is `#[must_use]`: pass it back to the guest as an `own`
///   (which moves it; the handle records that, even inside a borrowed
///   list or record), drop it with `R::resource_drop(&mut store)` (runs the
///   guest's destructor) or scope it with `R::with(store, |store, r| ..)`
///   (drops it afterwards, whatever the closure returns). Dropped
///   otherwise, the resource lives until the store is dropped and debug
///   builds print a warning naming it; a stale handle is an error, never
///   a panic.
/// - `MyWorldImports`, the trait of the functions the world imports
///   itself; `MyWorld`, the world struct (`instantiate`, `new`,
///   `add_to_linker`, `call_<func>` per world-level export, an accessor
///   per exported interface); `MyWorldPre<T>`, which looks up and checks
///   every export once and then instantiates without lookups; and
///   `MyWorldIndices` (`GuestIndices`, `GuestRIndices` for interfaces
///   and resources), the checked exports themselves:
///   `MyWorldIndices::new(&component)?.load(&mut store, &instance)`.
///   Missing or mistyped exports are errors that name the export.
///
/// `add_to_linker::<T, D>(linker, getter)` takes `getter: fn(&mut T) ->
/// D::Data<'_>` ([`HasData`](https://docs.rs/wit-host/latest/wit_host/trait.HasData.html)):
/// with `D = HasSelf<U>` it returns `&mut U` (`|data| data`, or a field);
/// with a `HasData` of your own it can return a view that borrows several
/// fields of the store's data.
///
/// # Function flags
///
/// `imports: { rule, ... }` and `exports: { rule, ... }` give functions
/// flags, several joined by `|`. A rule's key names a function
/// (`"ns:pkg/iface.func"`, `"ns:pkg/iface.[method]file.read"`,
/// `"ns:pkg/iface.[drop]file"`, or a world-level `"func"`; with or without
/// the package's version; `.` is wasmtime's separator, and
/// `"ns:pkg/iface/func"` and `"ns:pkg/iface#func"` work too), or every
/// function of an interface
/// (`"ns:pkg/iface"`), a package (`"ns:pkg"`) or a namespace (`"ns"`);
/// `default: flags` applies to functions no rule names. A function gets
/// the flags of the most specific rule naming it (flags do not add up
/// across rules); a rule flagged `exact` names functions only. A key that
/// names nothing is a compile error, as is every other mistake in the
/// options: all of them are reported in one compile, each at its place.
///
/// - `trappable` (imports): the host method returns `wit_host::Result<T>`;
///   an `Err` traps the guest.
/// - `store` (imports): the function moves out of the `Host` trait (or
///   `Host<Resource>`, `MyWorldImports`) into `HostWithStore<T>` (or
///   `Host<Resource>WithStore<T>`, `MyWorldImportsWithStore<T>`), a trait
///   implemented on the `HasData` type `D` given to `add_to_linker`
///   rather than on the host, whose methods take a
///   `wit_host::Access<'_, T, Self>` instead of `&mut self`. It gives the
///   host (`get()`, what the getter returns), the store's data
///   (`data_mut()`) and the store (`AsContext`/`AsContextMut`).
///   `add_to_linker` then requires `D: HostWithStore<T>`.
///
///   ```ignore
///   // imports: { "example:app/host.add": store }
///   impl<T: 'static> host::HostWithStore<T> for wit_host::HasSelf<MyHost> {
///       fn add(mut host: wit_host::Access<'_, T, Self>, x: u32) -> u32 {
///           host.get().base + x
///       }
///   }
///   ```
/// - `tracing`: a `tracing` span around every call (`"wit-bindgen
///   import"` or `"wit-bindgen export"`, with fields `module` and
///   `function`) and events `"call"` (the arguments) and `"return"` (the
///   result), at level `TRACE`; values holding lists show as `"..."`.
///   `verbose_tracing`: the same with lists in full. Your crate needs no
///   `tracing` dependency for this (only to subscribe).
/// - `async`: on an import, the host method returns
///   `impl Future<Output = R> + Send` (implement it with `async fn`), the
///   trait it is in becomes `Send`, the function is registered with
///   `func_wrap_async` (a resource's `drop` with `resource_async`), and
///   `add_to_linker` requires `T: Send`; a component importing it
///   instantiates only with the generated `instantiate_async`. With
///   `store`, the `…WithStore` method takes the `Access` and returns the
///   future, so it can call back into guests (`call_async`) while the
///   guest that called it waits. On an export, `call_…` becomes an
///   `async fn` calling with `call_async` (a store that is asynchronous
///   refuses the synchronous `call_…`). `imports: { default: async },
///   exports: { default: async }` makes everything async; every world
///   also gets `instantiate_async`, and guest resource handles
///   `resource_drop_async`. WIT `async func`, `stream` and `future` (the
///   component model's async ABI) are not supported yet.
///
///   ```ignore
///   // imports: { default: async }
///   impl host::Host for MyHost {
///       async fn fetch(&mut self, url: String) -> String {
///           self.client.get(&url).await
///       }
///   }
///   ```
/// - not supported yet: `ignore_wit`, `task_exit`. `trappable`
///   and `store` do not apply to exports (their `call_…` methods take the
///   store and return `wit_host::Result` already), nor `trappable` to a
///   resource's `drop` (it returns `wit_host::Result` already).
///
/// # Feature gates
///
/// As with wasmtime, every `@unstable(feature = f)` item is generated and
/// linking is gated at run time. (`features: [...]`, wit-host's own
/// option, keeps only the unstable items of the features listed; the
/// others are dropped as if not written. A stable function of a gated
/// resource that is dropped, or a gated world-level resource, is then a
/// WIT error; a feature name no item has is not an error.) When
/// the world's imports (an interface) have unstable items, a
/// `LinkOptions` struct is generated next to its `add_to_linker`, with a
/// switch per feature, all off by default, and `add_to_linker` takes it
/// after the linker: `add_to_linker::<T, D>(linker, &options, getter)`,
/// with `options.f(true)` to define `f`'s items. An item whose gate is
/// off (its own, its resource's, its interface's, its import's or the
/// world's) is not defined in the linker, so a component importing it
/// fails to instantiate. The world's `LinkOptions` converts (`From`) into
/// each interface's. `@since` items are stable (always defined), and
/// exports are not gated.
///
/// # Example
///
/// ```
/// wit_host::bindgen!({
///     inline: "
///         package example:greet;
///
///         interface names {
///             /// The name to greet.
///             name: func() -> string;
///         }
///
///         world greeter {
///             import names;
///             export greet: func(greeting: string) -> string;
///         }
///     ",
/// });
///
/// struct MyHost;
///
/// impl example::greet::names::Host for MyHost {
///     fn name(&mut self) -> String {
///         "world".to_string()
///     }
/// }
///
/// # fn main() -> wit_host::Result<()> {
/// # let wat = r#"(component
/// #   (import "example:greet/names" (instance $names (export "name" (func (result string)))))
/// #   (core module $Libc
/// #     (memory (export "mem") 1)
/// #     (global $heap (mut i32) (i32.const 1024))
/// #     (func (export "realloc") (param i32 i32 i32 i32) (result i32)
/// #       (local $r i32)
/// #       (local.set $r (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
/// #                              (i32.sub (i32.const 0) (local.get 2))))
/// #       (global.set $heap (i32.add (local.get $r) (local.get 3)))
/// #       (local.get $r)))
/// #   (core instance $libc (instantiate $Libc))
/// #   (core func $name (canon lower (func $names "name")
/// #     (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
/// #   (core module $M
/// #     (import "libc" "mem" (memory 1))
/// #     (import "names" "name" (func $name (param i32)))
/// #     ;; greet(greeting) = greeting ++ ", " ++ name()
/// #     (func (export "greet") (param $g i32) (param $glen i32) (result i32)
/// #       (local $n i32) (local $nlen i32) (local $out i32)
/// #       (call $name (i32.const 64))
/// #       (local.set $n (i32.load (i32.const 64)))
/// #       (local.set $nlen (i32.load (i32.const 68)))
/// #       (local.set $out (i32.const 256))
/// #       (memory.copy (local.get $out) (local.get $g) (local.get $glen))
/// #       (i32.store16 (i32.add (local.get $out) (local.get $glen)) (i32.const 0x202c))
/// #       (memory.copy (i32.add (local.get $out) (i32.add (local.get $glen) (i32.const 2)))
/// #                    (local.get $n) (local.get $nlen))
/// #       (i32.store (i32.const 64) (local.get $out))
/// #       (i32.store (i32.const 68) (i32.add (local.get $glen) (i32.add (local.get $nlen) (i32.const 2))))
/// #       (i32.const 64)))
/// #   (core instance $m (instantiate $M
/// #     (with "libc" (instance $libc))
/// #     (with "names" (instance (export "name" (func $name))))))
/// #   (func (export "greet") (param "greeting" string) (result string)
/// #     (canon lift (core func $m "greet")
/// #       (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")))))"#;
/// let engine = wit_host::Engine::default();
/// let component = wit_host::Component::new(&engine, wat)?;
/// let mut linker = wit_host::Linker::new(&engine);
/// Greeter::add_to_linker::<_, wit_host::HasSelf<MyHost>>(&mut linker, |host| host)?;
/// let mut store = wit_host::Store::new(&engine, MyHost);
/// let greeter = Greeter::instantiate(&mut store, &component, &linker)?;
/// assert_eq!(greeter.call_greet(&mut store, "hello")?, "hello, world");
/// # Ok(()) }
/// ```
///
/// `map<K, V>` is `std::collections::HashMap<K, V>` (`&HashMap` as a
/// parameter of a `call_…` method) and a fixed-length list `list<T, N>`
/// is `[T; N]`, as in wasmtime; components using them need the engine's
/// `wit_host::ComponentModelConfig` switches.
///
/// Not supported yet: the component model's async functions, `future` and
/// `stream`; functions with more than 32 parameters and tuples of more than
/// 32 types.
#[proc_macro]
pub fn bindgen(input: TokenStream) -> TokenStream {
    bindgen::expand(input.into()).into()
}
