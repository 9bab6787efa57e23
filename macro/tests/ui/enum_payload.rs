//! Enum cases have no payload.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(enum)]
enum Color {
    Red,
    Custom(u32),
}

fn main() {}
