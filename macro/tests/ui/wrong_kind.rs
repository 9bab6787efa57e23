//! Unknown kinds, kinds that do not fit the Rust type, and a kind given
//! twice.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(struct)]
struct Point {
    x: u32,
}

#[derive(ComponentType, Lift, Lower)]
#[component(enum)]
struct Size {
    w: u32,
}

#[derive(ComponentType, Lift, Lower)]
#[component(record)]
enum Color {
    Red,
}

#[derive(ComponentType, Lift, Lower)]
#[component(variant, enum)]
enum Light {
    On,
}

#[derive(ComponentType, Lift, Lower)]
#[component]
struct Bare {
    x: u32,
}

fn main() {}
