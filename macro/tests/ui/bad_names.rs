//! `name =` takes a kebab-case string literal, on fields and cases only;
//! every error of the item is reported.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Point {
    #[component(name = 1)]
    x: u32,
    #[component(name = y_coord)]
    y: u32,
    #[component(name = "Not Kebab")]
    z: u32,
    #[component(name = "a", name = "b")]
    w: u32,
    #[component(rename = "v")]
    v: u32,
    #[component(record)]
    u: u32,
    naïve: u32,
}

#[derive(ComponentType, Lift, Lower)]
#[component(enum, name = "color")]
enum Color {
    #[component(name = "red-")]
    Red,
}

fn main() {}
