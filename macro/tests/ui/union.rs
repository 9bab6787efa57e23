//! A union is no component type, whatever kind it claims.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(record)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
