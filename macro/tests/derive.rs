//! The derives and `flags!` as a user sees them: layout constants against
//! the canonical ABI's numbers (CanonicalABI.md: `elem_size`, `alignment`,
//! `flatten_type`), `typecheck` against `wit_host::types::Type` values,
//! and the flags operations. (Lifting and lowering through real components
//! is tested in the runtime.)

use wit_host::types::{Case, Field, Type};
use wit_host::{ComponentType, Lift, Lower, Resource, flags};

/// `record { x: u32, y-coord: u32 }`
#[derive(ComponentType, Lift, Lower, Debug, PartialEq)]
#[component(record)]
struct Point {
    x: u32,
    y_coord: u32,
}

/// `record { a: u8, b: u64, c: u16 }`: padding after `a` and at the end.
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Padded {
    a: u8,
    b: u64,
    c: u16,
}

/// `record { }`
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Empty {}

/// A unit struct is an empty record too.
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Unit;

/// `record { label: string, at: point, on: bool }`, with a renamed field.
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Labelled {
    label: String,
    at: Point,
    #[component(name = "visible")]
    on: bool,
}

/// `record { first: T, second: T }`
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Pair<T> {
    first: T,
    second: T,
}

/// A record that borrows: lowered only.
#[derive(ComponentType, Lower)]
#[component(record)]
struct Message<'a, T> {
    text: &'a str,
    tags: &'a [T],
}

/// A record holding a resource handle.
#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct WithHandle {
    id: u32,
    file: Resource<Empty>,
}

/// `variant { circle(f32), none }`
#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Shape {
    Circle(f32),
    #[component(name = "none")]
    Nothing,
}

/// `variant { only(u64) }`: a single case.
#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Only {
    Only(u64),
}

/// `variant { small(u8), nothing }`: byte-aligned payload.
#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Small {
    Small(u8),
    Nothing(),
}

/// `variant { f(f32), wide(u64), text(string), empty }`: joined payloads.
#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Mixed {
    F(f32),
    Wide(u64),
    Text(String),
    Empty {},
}

/// `variant { some(T), none }`
#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Maybe<T> {
    Some(T),
    None,
}

/// `enum { red, green, light-blue }`
#[derive(ComponentType, Lift, Lower, Clone, Copy)]
#[component(enum)]
#[repr(u8)]
enum Color {
    Red,
    Green,
    LightBlue = 7,
}

flags! {
    /// `flags { read, write, exec }`
    Perms {
        const READ = "read";
        const WRITE = "write";
        const EXEC;
    }

    /// No flags at all.
    pub(crate) NoFlags {}

    Nine {
        const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7;
        const F8;
    }
}

/// 33 flags: two words.
macro_rules! many_flags {
    ($name:ident: $($flag:ident)*) => {
        flags! { $name { $(const $flag;)* } }
        /// The flags' interface names.
        fn many_names() -> Vec<String> {
            vec![$(stringify!($flag).to_lowercase()),*]
        }
    };
}

many_flags!(Many:
    A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15 A16
    A17 A18 A19 A20 A21 A22 A23 A24 A25 A26 A27 A28 A29 A30 A31 A32
);

/// `(SIZE32, ALIGN32, FLAT_COUNT)` of `T`.
fn layout<T: ComponentType + ?Sized>() -> (u32, u32, usize) {
    (T::SIZE32, T::ALIGN32, T::FLAT_COUNT)
}

fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.into(),
        ty,
    }
}

fn case(name: &str, ty: Option<Type>) -> Case {
    Case {
        name: name.into(),
        ty,
    }
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

fn point_type() -> Type {
    Type::record([field("x", Type::U32), field("y-coord", Type::U32)])
}

#[test]
fn record_layouts() {
    assert_eq!(layout::<Point>(), (8, 4, 2));
    // a at 0, b at 8, c at 16: 18 rounded up to 8.
    assert_eq!(layout::<Padded>(), (24, 8, 3));
    assert_eq!(layout::<Empty>(), (0, 1, 0));
    assert_eq!(layout::<Unit>(), (0, 1, 0));
    // label at 0 (8 bytes), at at 8 (8 bytes), visible at 16: 17 → 20.
    assert_eq!(layout::<Labelled>(), (20, 4, 5));
    assert_eq!(layout::<Pair<u8>>(), (2, 1, 2));
    assert_eq!(layout::<Pair<u64>>(), (16, 8, 2));
    assert_eq!(layout::<Pair<Point>>(), (16, 4, 4));
    assert_eq!(layout::<Message<'static, u8>>(), (16, 4, 4));
}

/// `HAS_HANDLES` of `T`.
fn has_handles<T: ComponentType + ?Sized>() -> bool {
    T::HAS_HANDLES
}

#[test]
fn handles_are_tracked() {
    assert!(!has_handles::<Point>());
    assert!(!has_handles::<Empty>());
    assert!(has_handles::<WithHandle>());
    assert!(has_handles::<Pair<WithHandle>>());
    assert!(has_handles::<Maybe<Resource<Empty>>>());
    assert!(!has_handles::<Maybe<u8>>());
    assert!(!has_handles::<Color>() && !has_handles::<Perms>());
}

#[test]
fn record_typecheck() {
    Point::typecheck(&point_type()).unwrap();
    Empty::typecheck(&Type::record([])).unwrap();
    Unit::typecheck(&Type::record([])).unwrap();
    Labelled::typecheck(&Type::record([
        field("label", Type::String),
        field("at", point_type()),
        field("visible", Type::Bool),
    ]))
    .unwrap();
    Pair::<u8>::typecheck(&Type::record([
        field("first", Type::U8),
        field("second", Type::U8),
    ]))
    .unwrap();
    Message::<Point>::typecheck(&Type::record([
        field("text", Type::String),
        field("tags", Type::list(point_type())),
    ]))
    .unwrap();
}

#[test]
fn record_typecheck_failures() {
    let err = Point::typecheck(&Type::U32).unwrap_err().to_string();
    assert!(
        err.contains("type mismatch") && err.contains("Point"),
        "{err}"
    );

    // A field named differently, missing, or in another order.
    for fields in [
        vec![field("x", Type::U32), field("y", Type::U32)],
        vec![field("x", Type::U32)],
        vec![field("y-coord", Type::U32), field("x", Type::U32)],
    ] {
        let err = Point::typecheck(&Type::record(fields))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("record mismatch") && err.contains("x, y-coord"),
            "{err}"
        );
    }

    // A field of another type, also deep inside.
    let err = Point::typecheck(&Type::record([
        field("x", Type::U32),
        field("y-coord", Type::S32),
    ]))
    .unwrap_err()
    .to_string();
    assert!(err.contains("`s32`") && err.contains("`u32`"), "{err}");
    let err = Labelled::typecheck(&Type::record([
        field("label", Type::String),
        field(
            "at",
            Type::record([field("x", Type::U32), field("y-coord", Type::U64)]),
        ),
        field("visible", Type::Bool),
    ]))
    .unwrap_err()
    .to_string();
    assert!(err.contains("`u64`"), "{err}");
    assert!(Empty::typecheck(&Type::record([field("x", Type::U32)])).is_err());
}

#[test]
fn variant_layouts() {
    // Discriminant 1 byte, payload at 4.
    assert_eq!(layout::<Shape>(), (8, 4, 2));
    // Payload at 8.
    assert_eq!(layout::<Only>(), (16, 8, 2));
    // Payload right after the discriminant.
    assert_eq!(layout::<Small>(), (2, 1, 2));
    // Payload at 8, widest 8 bytes; flat: i32 index + max(1, 1, 2).
    assert_eq!(layout::<Mixed>(), (16, 8, 3));
    assert_eq!(layout::<Maybe<u16>>(), (4, 2, 2));
    assert_eq!(layout::<Maybe<Point>>(), (12, 4, 3));
    assert_eq!(layout::<Maybe<Empty>>(), (1, 1, 1));
}

#[test]
fn variant_typecheck() {
    let shape = Type::variant([case("circle", Some(Type::Float32)), case("none", None)]);
    Shape::typecheck(&shape).unwrap();
    Only::typecheck(&Type::variant([case("only", Some(Type::U64))])).unwrap();
    Mixed::typecheck(&Type::variant([
        case("f", Some(Type::Float32)),
        case("wide", Some(Type::U64)),
        case("text", Some(Type::String)),
        case("empty", None),
    ]))
    .unwrap();
    Maybe::<Point>::typecheck(&Type::variant([
        case("some", Some(point_type())),
        case("none", None),
    ]))
    .unwrap();
}

#[test]
fn variant_typecheck_failures() {
    // Not a variant; `option<f32>` is not this variant either.
    assert!(Shape::typecheck(&Type::option(Type::Float32)).is_err());
    let err = Shape::typecheck(&Type::enum_(names(&["circle", "none"])))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("type mismatch") && err.contains("Shape"),
        "{err}"
    );
    // Other case names or count.
    let err = Shape::typecheck(&Type::variant([case("circle", Some(Type::Float32))]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("variant mismatch") && err.contains("circle, none"),
        "{err}"
    );
    // A payload of another type, a payload too many or too few.
    for cases in [
        [case("circle", Some(Type::Float64)), case("none", None)],
        [
            case("circle", Some(Type::Float32)),
            case("none", Some(Type::U8)),
        ],
        [case("circle", None), case("none", None)],
    ] {
        assert!(Shape::typecheck(&Type::variant(cases)).is_err());
    }
}

#[test]
fn enum_layout_and_typecheck() {
    assert_eq!(layout::<Color>(), (1, 1, 1));
    Color::typecheck(&Type::enum_(names(&["red", "green", "light-blue"]))).unwrap();
    let err = Color::typecheck(&Type::enum_(names(&["red", "green"])))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("enum mismatch") && err.contains("red, green, light-blue"),
        "{err}"
    );
    assert!(Color::typecheck(&Type::flags(names(&["red", "green", "light-blue"]))).is_err());
    // The Rust discriminant does not matter.
    assert_eq!(Color::LightBlue as u8, 7);
    assert_eq!((Color::Red as u8, Color::Green as u8), (0, 1));
}

#[test]
fn flags_layouts() {
    assert_eq!(layout::<NoFlags>(), (0, 1, 0));
    assert_eq!(layout::<Perms>(), (1, 1, 1));
    assert_eq!(layout::<Nine>(), (2, 2, 1));
    assert_eq!(layout::<Many>(), (8, 4, 2));
}

#[test]
fn flags_typecheck() {
    Perms::typecheck(&Type::flags(names(&["read", "write", "exec"]))).unwrap();
    NoFlags::typecheck(&Type::flags([])).unwrap();
    Many::typecheck(&Type::flags(many_names())).unwrap();
    let err = Perms::typecheck(&Type::flags(names(&["read", "exec", "write"])))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("flags mismatch") && err.contains("read, write, exec"),
        "{err}"
    );
    assert!(Perms::typecheck(&Type::enum_(names(&["read", "write", "exec"]))).is_err());
}

#[test]
fn flags_operations() {
    let rw = Perms::READ | Perms::WRITE;
    assert!(rw.contains(Perms::READ) && rw.contains(Perms::WRITE));
    assert!(!rw.contains(Perms::EXEC) && !rw.contains(Perms::all()));
    assert!(rw.contains(Perms::empty()));
    assert_eq!(rw & Perms::WRITE, Perms::WRITE);
    assert_eq!(rw ^ Perms::all(), Perms::EXEC);
    assert_eq!(!rw, Perms::EXEC);
    assert_eq!(!Perms::all(), Perms::empty());
    assert_eq!(!Perms::empty(), Perms::all());
    assert_eq!(Perms::default(), Perms::empty());
    assert!(Perms::empty().is_empty() && !Perms::READ.is_empty());

    let mut p = Perms::empty();
    p.insert(Perms::EXEC | Perms::READ);
    assert_eq!(p, Perms::READ | Perms::EXEC);
    p.remove(Perms::READ);
    assert_eq!(p, Perms::EXEC);
    p |= Perms::WRITE;
    p &= Perms::WRITE | Perms::READ;
    assert_eq!(p, Perms::WRITE);
    p ^= Perms::all();
    assert_eq!(p, Perms::READ | Perms::EXEC);

    assert_eq!(
        format!("{:?}", Perms::READ | Perms::EXEC),
        "Perms(READ | EXEC)"
    );
    assert_eq!(format!("{:?}", Perms::empty()), "Perms()");
    assert_eq!(format!("{:?}", NoFlags::all()), "NoFlags()");
    assert_eq!(NoFlags::all(), NoFlags::empty());
    assert_eq!(!NoFlags::empty(), NoFlags::empty());
}

#[test]
fn flags_across_words() {
    let high = Many::A32;
    assert!(!Many::all().is_empty() && Many::all().contains(high | Many::A0 | Many::A31));
    assert!(!(Many::A31 | Many::A0).contains(high));
    assert_eq!(!(Many::all() ^ high), high);
    assert_eq!(format!("{:?}", Many::A0 | high), "Many(A0 | A32)");
    let mut set = Many::empty();
    set.insert(Many::A31);
    set.insert(high);
    set.remove(Many::A31);
    assert_eq!(set, high);
    assert_eq!(format!("{:?}", Nine::F8 | Nine::F0), "Nine(F0 | F8)");
}

/// The derived types are usable where the traits are required.
#[test]
fn traits_are_implemented() {
    fn lower<T: Lower>() {}
    fn lift<T: Lift>() {}
    lower::<Point>();
    lift::<Point>();
    lower::<Pair<String>>();
    lift::<Maybe<Vec<Shape>>>();
    lower::<Color>();
    lift::<Perms>();
    lower::<Many>();
    lift::<NoFlags>();
    lower::<Option<Labelled>>();
    lift::<Result<Only, Small>>();
    lower::<(Mixed, Empty, Unit, WithHandle)>();
    lower::<Message<'_, Point>>();
}

/// A variant that borrows (what `bindgen!`'s `ownership: Borrowing` writes):
/// lowered only.
#[derive(ComponentType, Lower, Clone, Copy)]
#[component(variant)]
enum Text<'a> {
    Plain(&'a str),
    Parts(&'a [&'a str]),
    #[component(name = "nothing")]
    Empty,
}

#[test]
fn borrowing_variant() {
    // Discriminant 1 byte, payload (pointer, length) at 4.
    assert_eq!(layout::<Text<'static>>(), (12, 4, 3));
    let ty = Type::variant([
        case("plain", Some(Type::String)),
        case("parts", Some(Type::list(Type::String))),
        case("nothing", None),
    ]);
    Text::typecheck(&ty).unwrap();
    let wrong = Type::variant([
        case("plain", Some(Type::String)),
        case("parts", Some(Type::list(Type::U8))),
        case("nothing", None),
    ]);
    assert!(Text::typecheck(&wrong).is_err());
    let _ = [Text::Plain("a"), Text::Parts(&["b"]), Text::Empty];
}
