//! [`GuestHandle`]: the host's owned handle to a resource a guest exports,
//! which `bindgen!` wraps in one type per exported resource.
//!
//! An owned handle ends in one of three ways, and the handle knows which:
//!
//! - it is passed back to the guest as an `own` (lowering it moves the
//!   resource into the guest and marks the handle *moved*, even when it
//!   was passed inside a borrowed record);
//! - [`GuestHandle::resource_drop`] runs the guest's destructor;
//! - [`GuestHandle::into_resource_any`] hands it to the dynamic API.
//!
//! Dropping it otherwise cannot run the destructor (that needs the store),
//! so the resource stays in the store until the store is dropped. Debug
//! builds say so on stderr, naming the resource, so the leak is not
//! silent.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::Result;
use crate::resources::ResourceAny;
use crate::store::AsContextMut;
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;

/// An owned handle to a guest's resource.
///
/// It ends in one of three ways, and knows which: passed back to the guest
/// as an `own` (lowering it moves the resource into the guest and marks
/// the handle [moved](GuestHandle::moved), even inside a borrowed list or
/// record); [`GuestHandle::resource_drop`], which runs the guest's
/// destructor; or [`GuestHandle::into_resource_any`]. Dropped otherwise,
/// it cannot run the destructor (that needs the store): the resource stays
/// in the store until the store is dropped, and debug builds print a
/// warning naming it.
///
/// Not `Clone`: one handle, one owner. Compares as its [`ResourceAny`].
/// `Send` and `Sync` (the moved flag is atomic), like `ResourceAny`.
pub struct GuestHandle {
    any: ResourceAny,
    /// The resource's WIT name, for the leak warning.
    name: &'static str,
    /// Whether the handle was consumed: moved into the guest, dropped or
    /// turned into a `ResourceAny`.
    consumed: AtomicBool,
}

impl GuestHandle {
    /// A handle to `any`, a resource named `name` (for messages).
    pub fn new(any: ResourceAny, name: &'static str) -> GuestHandle {
        GuestHandle {
            any,
            name,
            consumed: AtomicBool::new(false),
        }
    }

    /// The underlying `ResourceAny`.
    pub fn as_resource_any(&self) -> &ResourceAny {
        &self.any
    }

    /// Whether the handle was moved into a guest (passed as an `own`):
    /// it names nothing any more.
    pub fn moved(&self) -> bool {
        self.consumed.load(Ordering::Relaxed)
    }

    /// Runs the guest's destructor and gives up the handle. An error if
    /// the handle was moved into a guest or belongs to another store.
    pub fn resource_drop(self, store: impl AsContextMut) -> Result<()> {
        self.consume()?.resource_drop(store)
    }

    /// Marks the handle given up; its `ResourceAny`, or an error if it was
    /// moved into a guest.
    fn consume(&self) -> Result<ResourceAny> {
        if self.consumed.swap(true, Ordering::Relaxed) {
            crate::bail!(
                "the `{}` handle was moved into the guest; it cannot be dropped again",
                self.name
            );
        }
        Ok(self.any.clone())
    }

    /// [`Self::resource_drop`] on an asynchronous store (see
    /// [`ResourceAny::resource_drop_async`]).
    #[cfg(feature = "async")]
    pub async fn resource_drop_async<S>(self, store: S) -> Result<()>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        self.consume()?.resource_drop_async(store).await
    }

    /// Gives up the handle as a `ResourceAny`, which the caller must drop
    /// ([`ResourceAny::resource_drop`]) or pass to a guest.
    pub fn into_resource_any(self) -> ResourceAny {
        self.consumed.store(true, Ordering::Relaxed);
        self.any.clone()
    }
}

impl Drop for GuestHandle {
    fn drop(&mut self) {
        if cfg!(debug_assertions)
            && !self.consumed.load(Ordering::Relaxed)
            && !std::thread::panicking()
        {
            eprintln!(
                "wit-host: warning: a `{}` handle was dropped without `resource_drop(&mut store)`; \
                 the guest's destructor does not run and the resource stays in the store until the store is dropped",
                self.name
            );
        }
    }
}

impl std::fmt::Debug for GuestHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuestHandle")
            .field("resource", &self.name)
            .field("any", &self.any)
            .field("moved", &self.consumed.load(Ordering::Relaxed))
            .finish()
    }
}

impl PartialEq for GuestHandle {
    fn eq(&self, other: &Self) -> bool {
        self.any == other.any
    }
}

impl ComponentType for GuestHandle {
    const SIZE32: u32 = <ResourceAny as ComponentType>::SIZE32;
    const ALIGN32: u32 = <ResourceAny as ComponentType>::ALIGN32;
    const FLAT_COUNT: usize = <ResourceAny as ComponentType>::FLAT_COUNT;
    const HAS_HANDLES: bool = true;

    fn typecheck(ty: &Type) -> Result<()> {
        <ResourceAny as ComponentType>::typecheck(ty)
    }
}

impl Lower for GuestHandle {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        self.any.lower_flat(cx, ty, dst)?;
        self.mark_moved(ty);
        Ok(())
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        self.any.store(cx, ty, ptr)?;
        self.mark_moved(ty);
        Ok(())
    }
}

impl GuestHandle {
    /// After lowering as `ty`: an `own` moved the resource into the guest.
    fn mark_moved(&self, ty: &Type) {
        if matches!(ty, Type::Own(_)) {
            self.consumed.store(true, Ordering::Relaxed);
        }
    }

    /// Lifts a handle to resource `name` out of flat values.
    pub fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
        name: &'static str,
    ) -> Result<Self> {
        <ResourceAny as Lift>::lift_flat(cx, ty, src).map(|any| GuestHandle::new(any, name))
    }

    /// Loads a handle to resource `name` from guest memory.
    pub fn load<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        name: &'static str,
    ) -> Result<Self> {
        <ResourceAny as Lift>::load(cx, ty, ptr).map(|any| GuestHandle::new(any, name))
    }
}
