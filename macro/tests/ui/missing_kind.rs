//! The type must say which interface type it is.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
struct Point {
    x: u32,
}

#[derive(ComponentType, Lift, Lower)]
enum Color {
    Red,
}

fn main() {}
