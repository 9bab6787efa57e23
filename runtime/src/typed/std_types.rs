//! `Box<T>`, `Option<T>` as `option<T>` and `Result<T, E>` as
//! `result<T, E>` (`()` standing for a missing payload). Options and
//! results are variants (CanonicalABI.md, "despecialize"): a one-byte case
//! index, then the payload at the payload alignment.

use crate::typed::internal::{
    align_to, fixed_bytes, invalid_discriminant, load_in_window, max, max_usize, mismatch, part_at,
    payload_bytes, value_bytes,
};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;
use crate::{Result, format_err};

impl<V: ComponentType + ?Sized> ComponentType for Box<V> {
    const SIZE32: u32 = V::SIZE32;
    const ALIGN32: u32 = V::ALIGN32;
    const FLAT_COUNT: usize = V::FLAT_COUNT;
    const HAS_HANDLES: bool = V::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        V::typecheck(ty)
    }
}

impl<V: Lower + ?Sized> Lower for Box<V> {
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

impl<V: Lift> Lift for Box<V> {
    #[inline]
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        V::lift_flat(cx, ty, src).map(Box::new)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        V::load(cx, ty, ptr).map(Box::new)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        V::load_from(cx, ty, ptr, bytes).map(Box::new)
    }
}

/// The payload type of an `option` (checked when the function was typed).
fn some_type(ty: &Type) -> &Type {
    match ty {
        Type::Option(o) => o.some(),
        other => other,
    }
}

impl<V: ComponentType> ComponentType for Option<V> {
    const ALIGN32: u32 = max(1, V::ALIGN32);
    const SIZE32: u32 = align_to(align_to(1, V::ALIGN32) + V::SIZE32, Self::ALIGN32);
    const FLAT_COUNT: usize = 1 + V::FLAT_COUNT;
    const HAS_HANDLES: bool = V::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::Option(o) => V::typecheck(o.some()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl<V: Lower> Lower for Option<V> {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        match self {
            None => {
                dst.push_i32(0)?;
                dst.pad(V::FLAT_COUNT)
            }
            Some(v) => {
                dst.push_i32(1)?;
                v.lower_flat(cx, some_type(ty), dst)
            }
        }
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        match self {
            None => cx.write(ptr, &[0]),
            Some(v) => {
                cx.write(ptr, &[1])?;
                v.store(cx, some_type(ty), part_at(ptr, align_to(1, V::ALIGN32))?)
            }
        }
    }
}

impl<V: Lift> Lift for Option<V> {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        match src.next_i32()? as u32 {
            0 => {
                src.skip(V::FLAT_COUNT)?;
                Ok(None)
            }
            1 => V::lift_flat(cx, some_type(ty), src).map(Some),
            n => Err(invalid_discriminant(n, 2, ty)),
        }
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        load_in_window(cx, ty, ptr)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let bytes = value_bytes::<Self>(bytes, ptr)?;
        match fixed_bytes::<1>(bytes, ptr)?[0] {
            0 => Ok(None),
            1 => {
                let (at, payload) = payload_bytes(ptr, bytes, align_to(1, V::ALIGN32))?;
                V::load_from(cx, some_type(ty), at, payload).map(Some)
            }
            n => Err(invalid_discriminant(n.into(), 2, ty)),
        }
    }
}

/// Whether a Rust payload type stands for "no payload" (`()`).
const fn is_unit<V: ComponentType>() -> bool {
    V::SIZE32 == 0 && V::FLAT_COUNT == 0
}

/// Checks one side of a `result` against the Rust payload type.
fn check_side<V: ComponentType>(side: Option<&Type>, name: &str, ty: &Type) -> Result<()> {
    match side {
        Some(t) => V::typecheck(t),
        None if is_unit::<V>() => Ok(()),
        None => Err(format_err!(
            "type mismatch: `{ty}` has no {name} payload, the host uses Rust type `{}`",
            std::any::type_name::<V>()
        )),
    }
}

/// The payload types of a `result` (checked when the function was typed;
/// for a missing payload the Rust type is `()`, which ignores the type).
fn sides(ty: &Type) -> (&Type, &Type) {
    match ty {
        Type::Result(r) => (r.ok().unwrap_or(ty), r.err().unwrap_or(ty)),
        other => (other, other),
    }
}

impl<V: ComponentType, E: ComponentType> ComponentType for Result<V, E> {
    const ALIGN32: u32 = max(1, max(V::ALIGN32, E::ALIGN32));
    const SIZE32: u32 = align_to(
        align_to(1, max(V::ALIGN32, E::ALIGN32)) + max(V::SIZE32, E::SIZE32),
        Self::ALIGN32,
    );
    const FLAT_COUNT: usize = 1 + max_usize(V::FLAT_COUNT, E::FLAT_COUNT);
    const HAS_HANDLES: bool = V::HAS_HANDLES || E::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::Result(r) => {
                check_side::<V>(r.ok(), "ok", ty)?;
                check_side::<E>(r.err(), "error", ty)
            }
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

/// Offset of a `result`'s payload.
const fn payload_offset<V: ComponentType, E: ComponentType>() -> u32 {
    align_to(1, max(V::ALIGN32, E::ALIGN32))
}

impl<V: Lower, E: Lower> Lower for Result<V, E> {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        let (ok, err) = sides(ty);
        let payload = Self::FLAT_COUNT - 1;
        match self {
            Ok(v) => {
                dst.push_i32(0)?;
                v.lower_flat(cx, ok, dst)?;
                dst.pad(payload - V::FLAT_COUNT)
            }
            Err(e) => {
                dst.push_i32(1)?;
                e.lower_flat(cx, err, dst)?;
                dst.pad(payload - E::FLAT_COUNT)
            }
        }
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        let (ok, err) = sides(ty);
        let at = part_at(ptr, payload_offset::<V, E>())?;
        match self {
            Ok(v) => {
                cx.write(ptr, &[0])?;
                v.store(cx, ok, at)
            }
            Err(e) => {
                cx.write(ptr, &[1])?;
                e.store(cx, err, at)
            }
        }
    }
}

impl<V: Lift, E: Lift> Lift for Result<V, E> {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let (ok, err) = sides(ty);
        let payload = Self::FLAT_COUNT - 1;
        match src.next_i32()? as u32 {
            0 => {
                let v = V::lift_flat(cx, ok, src)?;
                src.skip(payload - V::FLAT_COUNT)?;
                Ok(Ok(v))
            }
            1 => {
                let e = E::lift_flat(cx, err, src)?;
                src.skip(payload - E::FLAT_COUNT)?;
                Ok(Err(e))
            }
            n => Err(invalid_discriminant(n, 2, ty)),
        }
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        load_in_window(cx, ty, ptr)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let (ok, err) = sides(ty);
        let bytes = value_bytes::<Self>(bytes, ptr)?;
        let discriminant = fixed_bytes::<1>(bytes, ptr)?[0];
        let (at, payload) = payload_bytes(ptr, bytes, payload_offset::<V, E>())?;
        match discriminant {
            0 => V::load_from(cx, ok, at, payload).map(Ok),
            1 => E::load_from(cx, err, at, payload).map(Err),
            n => Err(invalid_discriminant(n.into(), 2, ty)),
        }
    }
}

/// References lower like the value they point to (`&str`, `&[T]`, …).
impl<V: ComponentType + ?Sized> ComponentType for &V {
    const SIZE32: u32 = V::SIZE32;
    const ALIGN32: u32 = V::ALIGN32;
    const FLAT_COUNT: usize = V::FLAT_COUNT;
    const HAS_HANDLES: bool = V::HAS_HANDLES;

    fn typecheck(ty: &Type) -> Result<()> {
        V::typecheck(ty)
    }
}

impl<V: Lower + ?Sized> Lower for &V {
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
