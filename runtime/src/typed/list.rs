//! Lists: `Vec<T>` and `[T]` as `list<T>`. Lists of numbers move with one
//! pass over the bytes (see `Lower::store_list` and `Lift::load_list`).

use crate::canon::list::{ListOf, MAX_LIST_BYTE_LENGTH, check_list_range};
use crate::typed::internal::{mismatch, ptr_len_from};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;
use crate::{Result, bail};

/// The element type of list type `ty` (checked when the function was
/// typed; an empty fallback keeps this panic-free).
#[inline]
fn element(ty: &Type) -> &Type {
    match ty {
        Type::List(l) => l.element(),
        other => other,
    }
}

macro_rules! list_type {
    ($($t:ty),*) => {$(
        impl<E: ComponentType> ComponentType for $t {
            const SIZE32: u32 = 8;
            const ALIGN32: u32 = 4;
            const FLAT_COUNT: usize = 2;
            const HAS_HANDLES: bool = E::HAS_HANDLES;

            fn typecheck(ty: &Type) -> Result<()> {
                match ty {
                    Type::List(l) => E::typecheck(l.element()),
                    _ => Err(mismatch::<Self>(ty)),
                }
            }
        }

        impl<E: Lower> Lower for $t {
            #[inline]
            fn lower_flat<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                ty: &Type,
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                dst.push_ptr_len(store_list_into_range(cx, self, element(ty))?)
            }

            fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
                let pair = store_list_into_range(cx, self, element(ty))?;
                cx.write_ptr_len(ptr, pair)
            }
        }
    )*};
}

list_type!([E], Vec<E>);

/// `store_list_into_range`: one `realloc` for the whole list, then the
/// elements.
fn store_list_into_range<E: Lower, T: 'static>(
    cx: &mut LowerCx<'_, '_, T>,
    items: &[E],
    elem: &Type,
) -> Result<(u32, u32)> {
    let ptr = allocate_list(cx, items.len(), E::SIZE32, E::ALIGN32)?;
    E::store_list(items, cx, elem, ptr)?;
    Ok((ptr, items.len() as u32))
}

/// The allocation of `store_list_into_range`: `count` elements of `size`
/// bytes aligned to `align`, held to the limit a guest's list is lifted
/// with.
pub(crate) fn allocate_list<T: 'static>(
    cx: &mut LowerCx<'_, '_, T>,
    count: usize,
    size: u32,
    align: u32,
) -> Result<u32> {
    let byte_length = count as u64 * u64::from(size);
    if byte_length > u64::from(MAX_LIST_BYTE_LENGTH) {
        bail!(
            "list too long: {count} elements of {size} bytes exceed the maximum of \
             {MAX_LIST_BYTE_LENGTH} bytes"
        );
    }
    cx.allocate(align, byte_length as u32)
}

/// `load_list_from_range`, checked as the dynamic path checks it.
fn load_list<E: Lift, T: 'static>(
    cx: &mut LiftCx<'_, '_, T>,
    elem: &Type,
    ptr: u32,
    len: u32,
) -> Result<Vec<E>> {
    let mem_len = cx.memory()?.len();
    check_list_range(mem_len, ptr, len, E::SIZE32, E::ALIGN32, ListOf(elem))?;
    cx.budget.charge_items::<E>(len as usize)?;
    E::load_list(cx, elem, ptr, len)
}

impl<E: Lift> Lift for Vec<E> {
    #[inline]
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let (ptr, len) = src.next_ptr_len()?;
        load_list(cx, element(ty), ptr, len)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let (data, len) = cx.read_ptr_len(ptr)?;
        load_list(cx, element(ty), data, len)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let (data, len) = ptr_len_from(bytes, ptr)?;
        load_list(cx, element(ty), data, len)
    }
}
