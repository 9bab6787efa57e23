//! Tuples: `(A, B, ...)` as `tuple<A, B, ...>` (a record with unnamed
//! fields), and as the parameter and result lists of typed functions
//! ([`ComponentList`], [`LowerList`], [`LiftList`]): a function's
//! parameters are lowered like a tuple's fields, flat or, past the flat
//! limit, stored as one tuple in memory.

use crate::typed::internal::{align_to, max, mismatch, next_field_bytes, part_at, value_bytes};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;
use crate::{Result, format_err};

/// A list of values with component types: a typed function's parameters
/// or results, written as a tuple (`(u32, String)`, `(u32,)`, `()`).
pub trait ComponentList {
    /// Number of values.
    const COUNT: usize;
    /// Number of flat core values of all of them.
    const FLAT_COUNT: usize;
    /// Size of the list stored as a tuple.
    const SIZE32: u32;
    /// Alignment of the list stored as a tuple.
    const ALIGN32: u32;
    /// Whether any value can contain resource handles.
    const HAS_HANDLES: bool;

    /// Checks the list against a function's parameter or result types.
    fn typecheck_list(tys: &[Type]) -> Result<()>;
}

/// A list of values the host can pass to a guest.
pub trait LowerList: ComponentList {
    /// Lowers every value, flat.
    fn lower_list<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        tys: &[Type],
        dst: &mut FlatWriter<'_>,
    ) -> Result<()>;

    /// Stores the values as a tuple at `ptr`.
    fn store_list_at<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        tys: &[Type],
        ptr: u32,
    ) -> Result<()>;
}

/// A list of values the host can receive from a guest.
pub trait LiftList: ComponentList + Sized {
    /// Lifts every value from flat values.
    fn lift_list<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        tys: &[Type],
        src: &mut FlatReader<'_>,
    ) -> Result<Self>;

    /// Loads the values from a tuple at `ptr`.
    fn load_list_at<T: 'static>(cx: &mut LiftCx<'_, '_, T>, tys: &[Type], ptr: u32)
    -> Result<Self>;

    /// [`load_list_at`](Self::load_list_at), given the tuple's bytes at
    /// `ptr` (see [`Lift::load_from`]). The default ignores them.
    #[inline]
    fn load_list_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        tys: &[Type],
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let _ = bytes;
        Self::load_list_at(cx, tys, ptr)
    }
}

/// The error for a list of the wrong length.
fn count_mismatch<R>(tys: &[Type], count: usize) -> crate::Error {
    format_err!(
        "type mismatch: the component has {} value(s) here, the host's `{}` has {count}",
        tys.len(),
        std::any::type_name::<R>()
    )
}

/// The element types of a tuple type (checked when the function was typed).
fn elements(ty: &Type) -> &[Type] {
    match ty {
        Type::Tuple(t) => t.types(),
        _ => &[],
    }
}

/// `tys` as an array of the tuple's length, so that `tys[i]` checks
/// nothing (the length was checked when the typed function was created);
/// the unit tuple indexes nothing, so it keeps the slice.
macro_rules! exactly {
    ($tys:ident, ) => {
        $tys
    };
    ($tys:ident, $($n:tt)*) => {{
        const LEN: usize = 0 $(+ { let _ = $n; 1 })*;
        crate::typed::internal::exactly::<{ LEN }, Type>($tys)?
    }};
}

macro_rules! tuples {
    ($( ($($n:tt $v:ident),*) )*) => {$(
        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: ComponentType),*> ComponentList for ($($v,)*) {
            const COUNT: usize = 0 $(+ { let _ = $n; 1 })*;
            const FLAT_COUNT: usize = 0 $(+ $v::FLAT_COUNT)*;
            const ALIGN32: u32 = {
                let mut align = 1u32;
                $( align = max(align, $v::ALIGN32); )*
                align
            };
            const SIZE32: u32 = {
                let mut size = 0u32;
                $( size = align_to(size, $v::ALIGN32) + $v::SIZE32; )*
                align_to(size, <Self as ComponentList>::ALIGN32)
            };
            const HAS_HANDLES: bool = false $(|| $v::HAS_HANDLES)*;

            fn typecheck_list(tys: &[Type]) -> Result<()> {
                if tys.len() != <Self as ComponentList>::COUNT {
                    return Err(count_mismatch::<Self>(tys, <Self as ComponentList>::COUNT));
                }
                $( $v::typecheck(&tys[$n])?; )*
                Ok(())
            }
        }

        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: Lower),*> LowerList for ($($v,)*) {
            #[inline]
            fn lower_list<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                tys: &[Type],
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                let tys = exactly!(tys, $($n)*);
                $( self.$n.lower_flat(cx, &tys[$n], dst)?; )*
                Ok(())
            }

            #[inline]
            fn store_list_at<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, tys: &[Type], ptr: u32) -> Result<()> {
                let tys = exactly!(tys, $($n)*);
                let mut offset = 0u32;
                $(
                    offset = align_to(offset, $v::ALIGN32);
                    self.$n.store(cx, &tys[$n], part_at(ptr, offset)?)?;
                    offset += $v::SIZE32;
                )*
                Ok(())
            }
        }

        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: Lift),*> LiftList for ($($v,)*) {
            #[inline]
            fn lift_list<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                tys: &[Type],
                src: &mut FlatReader<'_>,
            ) -> Result<Self> {
                let tys = exactly!(tys, $($n)*);
                Ok(($( $v::lift_flat(cx, &tys[$n], src)?, )*))
            }

            #[inline]
            fn load_list_at<T: 'static>(cx: &mut LiftCx<'_, '_, T>, tys: &[Type], ptr: u32) -> Result<Self> {
                // A tuple that occupies no memory (`()`) has no range to check.
                let bytes = cx.window(ptr, <Self as ComponentList>::SIZE32)?;
                Self::load_list_from(cx, tys, ptr, bytes)
            }

            #[inline]
            fn load_list_from<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                tys: &[Type],
                ptr: u32,
                bytes: &[u8],
            ) -> Result<Self> {
                let tys = exactly!(tys, $($n)*);
                let bytes = value_bytes::<Self>(bytes, ptr)?;
                let mut offset = 0u32;
                Ok(($({
                    let (at, field) = next_field_bytes::<$v>(ptr, bytes, &mut offset)?;
                    $v::load_from(cx, &tys[$n], at, field)?
                },)*))
            }
        }

        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: ComponentType),*> ComponentType for ($($v,)*) {
            const SIZE32: u32 = <Self as ComponentList>::SIZE32;
            const ALIGN32: u32 = <Self as ComponentList>::ALIGN32;
            const FLAT_COUNT: usize = <Self as ComponentList>::FLAT_COUNT;
            const HAS_HANDLES: bool = <Self as ComponentList>::HAS_HANDLES;

            fn typecheck(ty: &Type) -> Result<()> {
                match ty {
                    Type::Tuple(t) => Self::typecheck_list(t.types()),
                    // `()` also stands for a missing payload; see `Result`.
                    _ => Err(mismatch::<Self>(ty)),
                }
            }
        }

        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: Lower),*> Lower for ($($v,)*) {
            #[inline]
            fn lower_flat<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                ty: &Type,
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                self.lower_list(cx, elements(ty), dst)
            }

            fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
                self.store_list_at(cx, elements(ty), ptr)
            }
        }

        #[allow(unused_variables, unused_mut, unused_assignments, clippy::unused_unit)]
        impl<$($v: Lift),*> Lift for ($($v,)*) {
            #[inline]
            fn lift_flat<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                ty: &Type,
                src: &mut FlatReader<'_>,
            ) -> Result<Self> {
                Self::lift_list(cx, elements(ty), src)
            }

            fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
                Self::load_list_at(cx, elements(ty), ptr)
            }

            #[inline]
            fn load_from<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                ty: &Type,
                ptr: u32,
                bytes: &[u8],
            ) -> Result<Self> {
                Self::load_list_from(cx, elements(ty), ptr, bytes)
            }
        }
    )*};
}

tuples! {
    ()
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
    (0 A, 1 B, 2 C, 3 D, 4 E)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26, 27 A27)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26, 27 A27, 28 A28)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26, 27 A27, 28 A28, 29 A29)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26, 27 A27, 28 A28, 29 A29, 30 A30)
    (0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N, 14 O, 15 P, 16 A16, 17 A17, 18 A18, 19 A19, 20 A20, 21 A21, 22 A22, 23 A23, 24 A24, 25 A25, 26 A26, 27 A27, 28 A28, 29 A29, 30 A30, 31 A31)
}
