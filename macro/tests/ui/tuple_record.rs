//! A record's fields have names.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(record)]
struct Point(u32, u32);

fn main() {}
