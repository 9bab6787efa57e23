//! [`WasmList`]: a list result left in guest memory, its elements lifted
//! on demand.

use std::marker::PhantomData;

use crate::canon::StringEncoding;
use crate::canon::list::{ListOf, check_list_range};
use crate::store::guest::OptionSlots;
use crate::store::{AsContext, AsContextMut, StoreData};
use crate::typed::internal::{item_at, list_bytes, mismatch};
use crate::typed::view::Origin;
use crate::typed::{ComponentType, FlatReader, Lift, LiftCx};
use crate::types::Type;
use crate::{Result, bail};

/// What error messages call a list view.
const WHAT: &str = "a `WasmList`";

/// A `list<E>` that stays in the guest's linear memory until asked for:
/// lifting it checks the range (bounds, alignment, length limit) and
/// copies nothing; [`WasmList::get`] and [`WasmList::iter`] lift elements
/// one at a time (each checked as lifting a `Vec<E>` checks it), and
/// [`WasmList::as_le_slice`] lends a list of integers as it lies in
/// memory.
///
/// Use it as a result type of a [`crate::TypedFunc`] (or a parameter of a
/// typed host function) in place of `Vec<E>`. It only lifts; elements
/// that hold resource handles are refused when the function is typed
/// (their handles must move during the call).
///
/// The view reads the memory as it is *when read*: a call's `post-return`
/// (which runs before [`crate::TypedFunc::call`] returns) or a later call
/// into the instance may have freed or rewritten the bytes, as with
/// wasmtime's `WasmList`. Read it before calling the instance again.
/// Using it with another store, or after its instance trapped (and was
/// locked down), is an error.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Component, Engine, Linker, Store, WasmList};
/// let engine = Engine::default();
/// let component = Component::new(&engine, r#"
///     (component
///         (core module $m
///             (memory (export "mem") 1)
///             (data (i32.const 16) "\01\02\03")
///             (data (i32.const 8) "\10\00\00\00\03\00\00\00")
///             (func (export "bytes") (result i32) i32.const 8))
///         (core instance $i (instantiate $m))
///         (func (export "bytes") (result (list u8))
///             (canon lift (core func $i "bytes") (memory (core memory $i "mem")))))
/// "#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
/// let bytes = instance.get_typed_func::<(), (WasmList<u8>,)>(&mut store, "bytes")?;
/// let (list,) = bytes.call(&mut store, ())?;
/// assert_eq!(list.len(), 3);
/// assert_eq!(list.as_le_slice(&store)?, &[1, 2, 3]);
/// assert_eq!(list.get(&mut store, 2).transpose()?, Some(3));
/// let all = list.iter(&mut store)?.collect::<wit_host::Result<Vec<u8>>>()?;
/// assert_eq!(all, [1, 2, 3]);
/// # Ok(()) }
/// ```
pub struct WasmList<E> {
    origin: Origin,
    ptr: u32,
    len: u32,
    /// The element's interface type, for lifting elements.
    elem: Type,
    /// The `string-encoding` option, for lifting strings inside elements.
    encoding: StringEncoding,
    _elem: PhantomData<fn() -> E>,
}

impl<E> Clone for WasmList<E> {
    fn clone(&self) -> Self {
        WasmList {
            origin: self.origin,
            ptr: self.ptr,
            len: self.len,
            elem: self.elem.clone(),
            encoding: self.encoding,
            _elem: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for WasmList<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmList")
            .field("ptr", &self.ptr)
            .field("len", &self.len)
            .field("elem", &self.elem)
            .finish()
    }
}

/// The element type of list type `ty` (checked when the function was
/// typed).
fn element(ty: &Type) -> &Type {
    match ty {
        Type::List(l) => l.element(),
        other => other,
    }
}

impl<E: Lift> WasmList<E> {
    /// Checks the range a guest gave and makes the view.
    fn new<T: 'static>(cx: &LiftCx<'_, '_, T>, ty: &Type, ptr: u32, len: u32) -> Result<Self> {
        let origin = Origin::of(cx, "`WasmList`")?;
        let elem = element(ty);
        let mem_len = cx.memory()?.len();
        check_list_range(mem_len, ptr, len, E::SIZE32, E::ALIGN32, ListOf(elem))?;
        Ok(WasmList {
            origin,
            ptr,
            len,
            elem: elem.clone(),
            encoding: cx.encoding(),
            _elem: PhantomData,
        })
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Element `index`, lifted now: `None` past the end, `Some(Err(..))`
    /// when the element is invalid (a bad `char`, discriminant, string…),
    /// or when `store` is not the view's store or its instance was locked
    /// down.
    pub fn get(&self, mut store: impl AsContextMut, index: usize) -> Option<Result<E>> {
        let index = u32::try_from(index).ok().filter(|&i| i < self.len)?;
        let mut store = store.as_context_mut();
        Some(
            self.origin
                .check(store.0.data(), WHAT)
                .and_then(|()| self.lift_at(&mut store.0, index)),
        )
    }

    /// An iterator lifting each element in turn (each `Err` when invalid).
    /// Errors at once if `store` is not the view's store or its instance
    /// was locked down.
    pub fn iter<'a, S: AsContextMut>(
        &'a self,
        store: &'a mut S,
    ) -> Result<impl ExactSizeIterator<Item = Result<E>> + 'a> {
        let mut store = store.as_context_mut();
        self.origin.check(store.0.data(), WHAT)?;
        Ok((0..self.len).map(move |i| self.lift_at(&mut store.0, i)))
    }

    /// Lifts element `index` (below `len`), the store checked.
    fn lift_at<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        index: u32,
    ) -> Result<E> {
        // In bounds: `new` checked `len` elements from `ptr`, and memory
        // never shrinks.
        let ptr = item_at(self.ptr, index, E::SIZE32)?;
        let slots = OptionSlots {
            memory: Some(self.origin.memory()),
            // Lifting never allocates in the guest or returns.
            realloc: None,
            post_return: None,
            instance: self.origin.instance,
        };
        let mut cx = LiftCx::new(store, self.origin.state(), &slots, self.encoding);
        E::load(&mut cx, &self.elem, ptr)
    }
}

/// `as_le_slice` for each integer type.
macro_rules! integer_slices {
    ($($int:ty)*) => {$(
        impl WasmList<$int> {
            /// The list as it lies in guest memory now, without copying:
            /// little-endian integers (on a big-endian host, convert each
            /// with `from_le`).
            ///
            /// Errors if `store` is not the view's store or its instance
            /// was locked down.
            pub fn as_le_slice<'a, S: AsContext>(&self, store: &'a S) -> Result<&'a [$int]> {
                const N: usize = std::mem::size_of::<$int>();
                let len = list_bytes(self.len as usize, N)?;
                let bytes = self.origin.bytes(store.as_context().0, self.ptr, len, WHAT)?;
                // SAFETY: every bit pattern is a valid `$int`, and
                // `align_to` only hands out the part of `bytes` that is
                // aligned for it (checked just below to be all of it).
                let (head, ints, tail) = unsafe { bytes.align_to::<$int>() };
                if !head.is_empty() || !tail.is_empty() {
                    bail!("{WHAT} of {} is not aligned in host memory", stringify!($int));
                }
                Ok(ints)
            }
        }
    )*};
}

integer_slices!(u8 i8 u16 i16 u32 i32 u64 i64);

impl<E: ComponentType> ComponentType for WasmList<E> {
    const SIZE32: u32 = 8;
    const ALIGN32: u32 = 4;
    const FLAT_COUNT: usize = 2;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::List(_) if E::HAS_HANDLES => bail!(
                "a `WasmList` cannot hold resource handles (`{ty}`): lift it as a `Vec` so the \
                 handles move during the call"
            ),
            Type::List(l) => E::typecheck(l.element()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl<E: Lift> Lift for WasmList<E> {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let (ptr, len) = src.next_ptr_len()?;
        WasmList::new(cx, ty, ptr, len)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let (data, len) = cx.read_ptr_len(ptr)?;
        WasmList::new(cx, ty, data, len)
    }
}
