//! Variants and enums need a case.

use wit_host::{ComponentType, Lift, Lower};

#[derive(ComponentType, Lift, Lower)]
#[component(variant)]
enum Never {}

#[derive(ComponentType, Lift, Lower)]
#[component(enum)]
enum Nothing {}

fn main() {}
