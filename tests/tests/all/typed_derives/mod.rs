//! `#[derive(ComponentType, Lift, Lower)]` and `flags!` through real
//! components, in both directions (see `typed_common` for the round trip):
//! [`records`] (with string and list fields, renamed fields, nested, in
//! lists, borrowing, generic, empty), [`variants`] (payload joins such as
//! `f32|u64` and `u8|string`, single cases, record and option payloads,
//! generic), [`enums`] (Rust discriminants ignored, 300 cases) and
//! [`flags`] (1, 8, 9 and 32 flags), with the memory layouts the derives
//! store, byte by byte.

mod enums;
mod flags;
mod records;
mod variants;

use wit_host::{ComponentType, Lift, Lower};

/// `record point { x: s32, y-coord: s32 }`
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Point {
    x: i32,
    y_coord: i32,
}

const POINT_DEF: (&str, &str, bool) = (
    "point",
    r#"(record (field "x" s32) (field "y-coord" s32))"#,
    true,
);

fn pt(x: i32, y: i32) -> Point {
    Point { x, y_coord: y }
}
