//! [`ComponentType`], [`Lower`] and [`Lift`] for `bool`, the integers,
//! `f32`, `f64` and `char` (CanonicalABI.md: `lift_flat`/`lower_flat` of
//! scalars, `load_int`/`store_int`). Lists of numbers move in one pass
//! over the bytes.

use crate::Result;
use crate::canon::scalar::{canonicalize_nan32, canonicalize_nan64, convert_i32_to_char};
use crate::typed::internal::{fixed_bytes, list_bytes, mismatch};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;

/// Integers and floats: the memory image is the little-endian bytes.
macro_rules! number {
    (@lift f32, $e:expr) => { canonicalize_nan32($e as f32) };
    (@lift f64, $e:expr) => { canonicalize_nan64($e as f64) };
    (@lift $rust:ident, $e:expr) => { $e as $rust };
    ($($rust:ident => $wit:ident, $push:ident, $next:ident, $flat:ty;)*) => {$(
        impl ComponentType for $rust {
            const SIZE32: u32 = std::mem::size_of::<$rust>() as u32;
            const ALIGN32: u32 = std::mem::size_of::<$rust>() as u32;
            const FLAT_COUNT: usize = 1;

            fn typecheck(ty: &Type) -> Result<()> {
                match ty {
                    Type::$wit => Ok(()),
                    _ => Err(mismatch::<Self>(ty)),
                }
            }
        }

        impl Lower for $rust {
            #[inline]
            fn lower_flat<T: 'static>(
                &self,
                _cx: &mut LowerCx<'_, '_, T>,
                _ty: &Type,
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                dst.$push(*self as $flat)
            }

            #[inline]
            fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<()> {
                cx.write(ptr, &self.to_le_bytes())
            }

            fn store_list<T: 'static>(
                items: &[Self],
                cx: &mut LowerCx<'_, '_, T>,
                _ty: &Type,
                ptr: u32,
            ) -> Result<()> {
                const N: usize = std::mem::size_of::<$rust>();
                let len = list_bytes(items.len(), N)?;
                let dst = cx.bytes_mut(ptr, len)?;
                for (chunk, item) in dst.chunks_exact_mut(N).zip(items) {
                    chunk.copy_from_slice(&item.to_le_bytes());
                }
                Ok(())
            }
        }

        impl Lift for $rust {
            #[inline]
            fn lift_flat<T: 'static>(
                _cx: &mut LiftCx<'_, '_, T>,
                _ty: &Type,
                src: &mut FlatReader<'_>,
            ) -> Result<Self> {
                Ok(number!(@lift $rust, src.$next()?))
            }

            #[inline]
            fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<Self> {
                Ok(number!(@lift $rust, <$rust>::from_le_bytes(cx.read(ptr)?)))
            }

            #[inline]
            fn load_from<T: 'static>(
                _cx: &mut LiftCx<'_, '_, T>,
                _ty: &Type,
                ptr: u32,
                bytes: &[u8],
            ) -> Result<Self> {
                Ok(number!(@lift $rust, <$rust>::from_le_bytes(fixed_bytes(bytes, ptr)?)))
            }

            fn load_list<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                _ty: &Type,
                ptr: u32,
                len: u32,
            ) -> Result<Vec<Self>> {
                const N: usize = std::mem::size_of::<$rust>();
                let bytes = cx.bytes(ptr, list_bytes(len as usize, N)?)?;
                Ok(bytes
                    .chunks_exact(N)
                    .map(|c| {
                        let mut b = [0u8; N];
                        b.copy_from_slice(c);
                        number!(@lift $rust, <$rust>::from_le_bytes(b))
                    })
                    .collect())
            }
        }
    )*};
}

number! {
    u8 => U8, push_i32, next_i32, i32;
    i8 => S8, push_i32, next_i32, i32;
    u16 => U16, push_i32, next_i32, i32;
    i16 => S16, push_i32, next_i32, i32;
    u32 => U32, push_i32, next_i32, i32;
    i32 => S32, push_i32, next_i32, i32;
    u64 => U64, push_i64, next_i64, i64;
    i64 => S64, push_i64, next_i64, i64;
    f32 => Float32, push_f32, next_f32, f32;
    f64 => Float64, push_f64, next_f64, f64;
}

impl ComponentType for bool {
    const SIZE32: u32 = 1;
    const ALIGN32: u32 = 1;
    const FLAT_COUNT: usize = 1;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::Bool => Ok(()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl Lower for bool {
    #[inline]
    fn lower_flat<T: 'static>(
        &self,
        _cx: &mut LowerCx<'_, '_, T>,
        _ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        dst.push_i32(i32::from(*self))
    }

    #[inline]
    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<()> {
        cx.write(ptr, &[u8::from(*self)])
    }
}

impl Lift for bool {
    /// `convert_int_to_bool`: any non-zero value is `true`.
    #[inline]
    fn lift_flat<T: 'static>(
        _cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        Ok(src.next_i32()? != 0)
    }

    #[inline]
    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<Self> {
        Ok(cx.read::<1>(ptr)?[0] != 0)
    }

    #[inline]
    fn load_from<T: 'static>(
        _cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        Ok(fixed_bytes::<1>(bytes, ptr)?[0] != 0)
    }
}

impl ComponentType for char {
    const SIZE32: u32 = 4;
    const ALIGN32: u32 = 4;
    const FLAT_COUNT: usize = 1;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::Char => Ok(()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl Lower for char {
    #[inline]
    fn lower_flat<T: 'static>(
        &self,
        _cx: &mut LowerCx<'_, '_, T>,
        _ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        dst.push_i32(u32::from(*self) as i32)
    }

    #[inline]
    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<()> {
        cx.write(ptr, &u32::from(*self).to_le_bytes())
    }
}

impl Lift for char {
    /// `convert_i32_to_char`: surrogates and values past U+10FFFF trap.
    #[inline]
    fn lift_flat<T: 'static>(
        _cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        convert_i32_to_char(src.next_i32()? as u32)
    }

    #[inline]
    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<Self> {
        convert_i32_to_char(u32::from_le_bytes(cx.read(ptr)?))
    }

    #[inline]
    fn load_from<T: 'static>(
        _cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        convert_i32_to_char(u32::from_le_bytes(fixed_bytes(bytes, ptr)?))
    }
}
