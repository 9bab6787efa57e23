//! Names must be distinct after kebab-case conversion, ignoring case.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Point {
    y_coord: u32,
    #[component(name = "y-coord")]
    y: u32,
}

#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Shape {
    HttpError(u32),
    #[component(name = "HTTP-ERROR")]
    Other,
}

fn main() {}
