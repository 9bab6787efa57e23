//! The typed API: Rust values that know their component type.
//!
//! [`ComponentType`] ties a Rust type to an interface type (layout known at
//! compile time, checked against the component's type once); [`Lower`]
//! writes a value into a guest and [`Lift`] reads one out. They are
//! implemented for primitives, strings, lists, options, results, tuples and
//! handles here, and derived for records, variants, enums and flags by
//! `wit-host-macro`. [`TypedFunc`] and `LinkerInstance::func_wrap` use
//! them to call and to be called without per-call type checks.
//!
//! Flat values travel as 64-bit patterns ([`FlatWriter`], [`FlatReader`]):
//! 32-bit values zero-extended, floats as their bits. In that form the
//! spec's coercions between a variant's joined core types are plain
//! truncation and zero-extension, so the impls never need to know the
//! joined types.

mod borrowing;
mod cx;
mod fixed_length_list;
mod flat;
mod func;
mod guest_handle;
pub(crate) mod host_func;
mod index;
pub mod internal;
mod list;
mod map;
mod pointers;
mod primitives;
mod resources;
mod std_types;
mod string;
mod tuples;
mod view;
mod wasm_list;
mod wasm_str;

pub use borrowing::{BorrowingFunc, ParamsFamily};
pub use cx::{LiftCx, LowerCx};
pub use flat::{FlatReader, FlatWriter};
pub use func::TypedFunc;
pub use guest_handle::GuestHandle;
pub use index::TypedFuncIndex;
pub use tuples::{ComponentList, LiftList, LowerList};
pub use wasm_list::WasmList;
pub use wasm_str::WasmStr;

use crate::Result;
use crate::types::Type;

/// A Rust type with a component-model interface type.
///
/// The constants give the canonical-ABI layout; [`ComponentType::typecheck`]
/// checks, once, that a component's type is this type's.
///
/// Implemented for `bool`, integers, `f32`, `f64`, `char`, `String`, `str`,
/// `Vec<T>`, `[T]`, `[T; N]` (as `list<T, N>`), `HashMap<K, V>` and
/// `BTreeMap<K, V>` (as `map<K, V>`), `Box<T>`, `Arc<T>`, `Box<str>`, `Arc<str>`, `Box<[T]>`,
/// `Arc<[T]>`, `Option<T>`, `Result<T, E>`, tuples up to 32,
/// `()`, [`crate::Resource<T>`], [`crate::ResourceDynamic`] and [`crate::ResourceAny`]; derive it for
/// records, variants and enums with `#[derive(ComponentType)]`.
pub trait ComponentType {
    /// `elem_size`: bytes in linear memory.
    const SIZE32: u32;
    /// `alignment` in linear memory.
    const ALIGN32: u32;
    /// Number of flat core values (`flatten_type`).
    const FLAT_COUNT: usize;
    /// Whether values can contain resource handles.
    const HAS_HANDLES: bool = false;

    /// Checks that `ty` is this type's interface type; the error names
    /// both.
    fn typecheck(ty: &Type) -> Result<()>;
}

/// A value the host can give to a guest.
pub trait Lower: ComponentType {
    /// `lower_flat`: appends the value's flat core values to `dst`. `ty` is
    /// the (already type-checked) interface type.
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()>;

    /// `store`: writes the value at `ptr`, which is aligned for the type
    /// and has `SIZE32` bytes in bounds (the caller checked).
    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()>;

    /// Stores a slice of values at `ptr` (`SIZE32` bytes each, in bounds).
    /// Types whose memory image is their Rust image override this with
    /// one bulk copy.
    fn store_list<T: 'static>(
        items: &[Self],
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
    ) -> Result<()>
    where
        Self: Sized,
    {
        // Each item's offset from the list's start, never the offset past
        // the last one: a list may end exactly at the 4 GiB limit.
        for (i, item) in (0u32..).zip(items) {
            item.store(cx, ty, internal::item_at(ptr, i, Self::SIZE32)?)?;
        }
        Ok(())
    }
}

/// A value the host can take from a guest.
pub trait Lift: ComponentType + Sized {
    /// `lift_flat`: reads the value from flat core values.
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self>;

    /// `load`: reads the value at `ptr`, aligned and in bounds (checked by
    /// the caller).
    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self>;

    /// [`load`](Self::load), given `bytes`: the guest's memory from `ptr`
    /// on, at least the value's `SIZE32` bytes, sliced out by the caller
    /// (one range check for a whole record, tuple or list). The built-in
    /// types and the derived records, variants and enums override it to
    /// read at constant offsets in `bytes`, whose length they check once,
    /// cheaply; the default ignores `bytes` and calls `load`. A caller
    /// must pass the bytes at `ptr`: a value may read some of its parts
    /// from `bytes` and others (through `load`) from memory at `ptr`.
    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let _ = bytes;
        Self::load(cx, ty, ptr)
    }

    /// Loads `len` values at `ptr` (`SIZE32` bytes each, in bounds). Types
    /// whose memory image is their Rust image override this with one bulk
    /// copy.
    fn load_list<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        len: u32,
    ) -> Result<Vec<Self>> {
        if Self::SIZE32 == 0 {
            // Reserve only what guest memory backs: `len` items of a type
            // that occupies no memory are not backed by anything.
            let mut out = Vec::new();
            for _ in 0..len {
                out.push(Self::load(cx, ty, ptr)?);
            }
            return Ok(out);
        }
        // One range check for the whole list; each item then reads its
        // own bytes (item `i` at `ptr + i * SIZE32`; only the address
        // after the last item can reach 4 GiB and wrap, and it is never
        // used).
        let all = cx.bytes_u64(ptr, u64::from(len) * u64::from(Self::SIZE32))?;
        let mut out = Vec::with_capacity(len as usize);
        let mut at = ptr;
        for item in all.chunks_exact(Self::SIZE32 as usize) {
            out.push(Self::load_from(cx, ty, at, item)?);
            at = at.wrapping_add(Self::SIZE32);
        }
        Ok(out)
    }
}
