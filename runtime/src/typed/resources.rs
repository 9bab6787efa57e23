//! Handles in the typed API: [`Resource<R>`] (a host resource of Rust type
//! `R`), [`ResourceDynamic`] (a host resource of a type made at run time)
//! and [`ResourceAny`] as `own<T>` / `borrow<T>`.
//!
//! Component handle types name a table of the instance; whether the
//! resource type behind it is `R` is checked when a handle crosses, against
//! the instance's run-time resource types.

use crate::resources::{Pending, Resource, ResourceAny, ResourceDynamic, ResourceType};
use crate::store::resource_ops as ops;
use crate::typed::internal::{fixed_bytes, mismatch};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;
use crate::{Result, bail};

/// The table and ownership of handle type `ty`.
fn handle_of(ty: &Type) -> Result<(u32, bool)> {
    match ty {
        Type::Own(r) => Ok((r.table(), true)),
        Type::Borrow(r) => Ok((r.table(), false)),
        _ => bail!("internal: `{ty}` is not a handle type"),
    }
}

fn check_handle<R: ?Sized>(ty: &Type) -> Result<()> {
    match ty {
        Type::Own(_) | Type::Borrow(_) => Ok(()),
        _ => Err(mismatch::<R>(ty)),
    }
}

macro_rules! handle_layout {
    () => {
        const SIZE32: u32 = 4;
        const ALIGN32: u32 = 4;
        const FLAT_COUNT: usize = 1;
        const HAS_HANDLES: bool = true;

        fn typecheck(ty: &Type) -> Result<()> {
            check_handle::<Self>(ty)
        }
    };
}

impl<R: 'static> ComponentType for Resource<R> {
    handle_layout!();
}

impl ComponentType for ResourceAny {
    handle_layout!();
}

impl ComponentType for ResourceDynamic {
    handle_layout!();
}

/// Gives the guest a handle for host resource `r`.
fn lower_resource<R: 'static, T: 'static>(
    cx: &mut LowerCx<'_, '_, T>,
    r: &Resource<R>,
    ty: &Type,
) -> Result<u32> {
    let (table, own) = handle_of(ty)?;
    if own && !r.owned() {
        bail!(
            "a borrowed `Resource<{}>` cannot be passed where `{ty}` is expected",
            std::any::type_name::<R>()
        );
    }
    let state = cx.guest.state;
    ops::lower_host_rep(
        cx.guest.store.data_mut(),
        state,
        table,
        &ResourceType::host::<R>(),
        r.rep(),
        own,
    )
}

/// Moves a guest handle to the host as the representation of a host
/// resource of type `R`.
fn lift_resource<R: 'static, T: 'static>(
    cx: &mut LiftCx<'_, '_, T>,
    ty: &Type,
    handle: u32,
) -> Result<Resource<R>> {
    let (table, own) = handle_of(ty)?;
    let rep = ops::lift_host_rep(
        cx.data,
        cx.state,
        table,
        &ResourceType::host::<R>(),
        handle,
        own,
    )?;
    Ok(if own {
        Resource::new_own(rep)
    } else {
        Resource::new_borrow(rep)
    })
}

impl<R: 'static> Lower for Resource<R> {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        let handle = lower_resource(cx, self, ty)?;
        dst.push_i32(handle as i32)
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        let handle = lower_resource(cx, self, ty)?;
        cx.write(ptr, &handle.to_le_bytes())
    }
}

impl<R: 'static> Lift for Resource<R> {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let handle = src.next_i32()? as u32;
        lift_resource(cx, ty, handle)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let handle = u32::from_le_bytes(cx.read(ptr)?);
        lift_resource(cx, ty, handle)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let handle = u32::from_le_bytes(fixed_bytes(bytes, ptr)?);
        lift_resource(cx, ty, handle)
    }
}

/// Gives the guest a handle for the host's `any`.
fn lower_any<T: 'static>(cx: &mut LowerCx<'_, '_, T>, any: &ResourceAny, ty: &Type) -> Result<u32> {
    let (table, own) = handle_of(ty)?;
    let state = cx.guest.state;
    ops::lower_from_host(cx.guest.store.data_mut(), state, table, any, own)
}

/// Moves a guest handle to the host.
fn lift_any<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, handle: u32) -> Result<ResourceAny> {
    let (table, own) = handle_of(ty)?;
    ops::lift_to_host(cx.data, cx.state, Pending { table, handle, own })
}

impl Lower for ResourceAny {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        let handle = lower_any(cx, self, ty)?;
        dst.push_i32(handle as i32)
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        let handle = lower_any(cx, self, ty)?;
        cx.write(ptr, &handle.to_le_bytes())
    }
}

impl Lift for ResourceAny {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let handle = src.next_i32()? as u32;
        lift_any(cx, ty, handle)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let handle = u32::from_le_bytes(cx.read(ptr)?);
        lift_any(cx, ty, handle)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let handle = u32::from_le_bytes(fixed_bytes(bytes, ptr)?);
        lift_any(cx, ty, handle)
    }
}

/// Gives the guest a handle for the dynamic host resource `r`; the
/// component's type must be `r`'s.
fn lower_dynamic<T: 'static>(
    cx: &mut LowerCx<'_, '_, T>,
    r: &ResourceDynamic,
    ty: &Type,
) -> Result<u32> {
    let (table, own) = handle_of(ty)?;
    if own && !r.owned() {
        bail!("a borrowed `ResourceDynamic` cannot be passed where `{ty}` is expected");
    }
    let state = cx.guest.state;
    ops::lower_host_rep(
        cx.guest.store.data_mut(),
        state,
        table,
        &r.resource_type(),
        r.rep(),
        own,
    )
}

/// Moves a guest handle to the host as a dynamic host resource, of the
/// type the component's handle type has (which must be a
/// [`ResourceType::host_dynamic`] type).
fn lift_dynamic<T: 'static>(
    cx: &mut LiftCx<'_, '_, T>,
    ty: &Type,
    handle: u32,
) -> Result<ResourceDynamic> {
    let (table, own) = handle_of(ty)?;
    let (data, state) = (&mut *cx.data, cx.state);
    let resource = ops::table_resource_type(data, state, table)?;
    let Some(payload) = resource.as_host_dynamic() else {
        bail!(
            "resource type mismatch: `{resource}` is not a dynamic host resource type, the host expects a `ResourceDynamic`"
        );
    };
    let rep = ops::lift_host_rep(data, state, table, &resource, handle, own)?;
    Ok(if own {
        ResourceDynamic::new_own(rep, payload)
    } else {
        ResourceDynamic::new_borrow(rep, payload)
    })
}

impl Lower for ResourceDynamic {
    fn lower_flat<T: 'static>(
        &self,
        cx: &mut LowerCx<'_, '_, T>,
        ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        let handle = lower_dynamic(cx, self, ty)?;
        dst.push_i32(handle as i32)
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        let handle = lower_dynamic(cx, self, ty)?;
        cx.write(ptr, &handle.to_le_bytes())
    }
}

impl Lift for ResourceDynamic {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let handle = src.next_i32()? as u32;
        lift_dynamic(cx, ty, handle)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        let handle = u32::from_le_bytes(cx.read(ptr)?);
        lift_dynamic(cx, ty, handle)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let handle = u32::from_le_bytes(fixed_bytes(bytes, ptr)?);
        lift_dynamic(cx, ty, handle)
    }
}
