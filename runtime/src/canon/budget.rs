//! The host memory one call may spend lifting guest values.
//!
//! Lifting turns guest bytes into host values: a `list<u8>` of `n` bytes
//! becomes `n` [`Val`](crate::Val)s of 40 bytes each on the dynamic path, and
//! many list entries may point at one large range of guest memory, each
//! copied once. Without a bound, a guest controls how much the host
//! allocates. Every lift — a call's results, a host function's parameters
//! — gets a [`Budget`] from the store's setting
//! ([`crate::Store::set_lift_budget`]) and charges what it is about to
//! allocate, *before* allocating; going over is an error (the call traps)
//! that names the setting.

use std::cell::Cell;

use wasmtime::{Result, bail};

/// The default budget: 1 GiB per lift.
pub const DEFAULT_LIFT_BUDGET: usize = 1 << 30;

/// What is left of one lift's budget.
pub(crate) struct Budget {
    left: Cell<usize>,
    limit: usize,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Budget {
        Budget {
            left: Cell::new(limit),
            limit,
        }
    }

    /// Charges `bytes`; an error once the budget is spent.
    #[inline]
    pub(crate) fn charge(&self, bytes: usize) -> Result<()> {
        match self.left.get().checked_sub(bytes) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => bail!(
                "lifting needs more host memory than this call may spend: the limit is {} bytes \
                 (`Store::set_lift_budget`)",
                self.limit
            ),
        }
    }

    /// Charges `count` values of type `E`.
    #[inline]
    pub(crate) fn charge_items<E>(&self, count: usize) -> Result<()> {
        self.charge(count.saturating_mul(size_of::<E>()))
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DEFAULT_LIFT_BUDGET)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_until_spent_then_errs_naming_the_setting() {
        let b = Budget::new(100);
        b.charge(60).unwrap();
        b.charge_items::<u32>(10).unwrap();
        let err = b.charge(1).unwrap_err().to_string();
        assert!(
            err.contains("limit is 100 bytes") && err.contains("set_lift_budget"),
            "{err}"
        );
    }

    #[test]
    fn a_count_overflowing_usize_is_refused() {
        let b = Budget::new(usize::MAX / 2);
        assert!(b.charge_items::<u64>(usize::MAX).is_err());
    }
}
