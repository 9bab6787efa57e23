//! Owning pointers: `Arc<T>` lowers and lifts like `T`; `Box<str>`,
//! `Arc<str>`, `Box<[T]>` and `Arc<[T]>` lift like `String` and `Vec<T>`
//! (and lower like `str` and `[T]`), as with `wasmtime::component`.
//! (`Box<T>` of a sized `T` is in `std_types.rs`.)

use std::sync::Arc;

use crate::Result;
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;

impl<V: ComponentType + ?Sized> ComponentType for Arc<V> {
    const SIZE32: u32 = V::SIZE32;
    const ALIGN32: u32 = V::ALIGN32;
    const FLAT_COUNT: usize = V::FLAT_COUNT;
    const HAS_HANDLES: bool = V::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        V::typecheck(ty)
    }
}

impl<V: Lower + ?Sized> Lower for Arc<V> {
    #[inline]
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        (**self).lower_flat(cx, ty, dst)
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        (**self).store(cx, ty, ptr)
    }
}

/// `Lift` for a pointer type `$ptr` by lifting `$owned` and converting it
/// with `From`.
macro_rules! lift_via {
    ($(impl$(<$e:ident>)? for $ptr:ty => $owned:ty;)*) => {$(
        impl$(<$e: Lift>)? Lift for $ptr {
            #[inline]
            fn lift_flat<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                ty: &Type,
                src: &mut FlatReader<'_>,
            ) -> Result<Self> {
                <$owned>::lift_flat(cx, ty, src).map(<$ptr>::from)
            }

            fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
                <$owned>::load(cx, ty, ptr).map(<$ptr>::from)
            }
        }
    )*};
}

lift_via! {
    impl<V> for Arc<V> => V;
    impl for Box<str> => String;
    impl for Arc<str> => String;
    impl<E> for Box<[E]> => Vec<E>;
    impl<E> for Arc<[E]> => Vec<E>;
}
