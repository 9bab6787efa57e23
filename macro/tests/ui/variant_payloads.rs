//! A variant case carries at most one unnamed payload; both misuses are
//! reported at once.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Shape {
    Rect(f32, f32),
    Circle { radius: f32 },
    Point,
}

fn main() {}
