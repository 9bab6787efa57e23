//! Not written yet.

use crate::Batch;

/// The component the target drives.
pub const COMPONENT: &str = "(component)";

/// Runs one batch.
pub fn run(_seed: u64, _max_cases: u64, batch: &mut Batch) {
    batch.cases += 1;
}
