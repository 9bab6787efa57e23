//! Arrays: `[T; N]` as the fixed-length list `list<T, N>`, its `N`
//! elements stored inline (CanonicalABI.md: `load_list`, `store_list` and
//! the flat functions with a length).

use crate::typed::internal::mismatch;
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;
use crate::{Result, format_err};

/// The element type of `list<T, N>` type `ty` (checked when the function
/// was typed; the fallback keeps this panic-free).
#[inline]
fn element(ty: &Type) -> &Type {
    match ty {
        Type::FixedLengthList(l) => l.element(),
        other => other,
    }
}

/// `elem_size_list` with a length, saturating like the dynamic type's
/// layout: a saturated size fits no memory, so its range check fails.
const fn array_size(elem: u32, n: usize) -> u32 {
    if n > u32::MAX as usize {
        u32::MAX
    } else {
        elem.saturating_mul(n as u32)
    }
}

impl<E: ComponentType, const N: usize> ComponentType for [E; N] {
    const SIZE32: u32 = array_size(E::SIZE32, N);
    const ALIGN32: u32 = E::ALIGN32;
    const FLAT_COUNT: usize = E::FLAT_COUNT.saturating_mul(N);
    const HAS_HANDLES: bool = E::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::FixedLengthList(l) if l.length() as usize == N => E::typecheck(l.element()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl<E: Lower, const N: usize> Lower for [E; N] {
    #[inline]
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        let elem = element(ty);
        for item in self {
            item.lower_flat(cx, elem, dst)?;
        }
        Ok(())
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        E::store_list(self, cx, element(ty), ptr)
    }
}

impl<E: Lift, const N: usize> Lift for [E; N] {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let elem = element(ty);
        let mut items = Vec::with_capacity(N);
        for _ in 0..N {
            items.push(E::lift_flat(cx, elem, src)?);
        }
        into_array(items)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let len = u32::try_from(N).map_err(|_| format_err!("array of {N} elements is too long"))?;
        into_array(E::load_list(cx, element(ty), ptr, len)?)
    }
}

/// The array of exactly `N` lifted items.
fn into_array<E, const N: usize>(items: Vec<E>) -> Result<[E; N]> {
    items
        .try_into()
        .map_err(|v: Vec<E>| format_err!("internal error: lifted {} of {N} elements", v.len()))
}
