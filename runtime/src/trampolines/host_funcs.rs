//! The lowered host imports of synchronously instantiated instances,
//! defined once per `InstancePre` as engine-level host functions (a core
//! `wasmtime::Linker`), so that instantiating puts each into the store
//! without creating it: no boxed closure, no function context, no type
//! registration per instance (a `wasmtime::Func::new` per trampoline
//! did all three: 2.3 KB of the 16.2 KB resident per instance of the
//! production bench's ten-import component).
//!
//! A function defined once cannot hold its instance; it takes the store's
//! current one (`StoreData::current`, kept by `store::entry`). That is
//! exact for synchronous instances: their guest code runs only inside an
//! entry into their own instance (`entry::run`: calls, destructors run
//! for the host, instantiation), those entries nest, and every way out of
//! one (a result, an error, a panic) makes the synchronous instance
//! entered before current again. Asynchronously instantiated instances
//! keep a function per instance (`trampolines::create_async`); no
//! asynchronous entry may start while a synchronous one runs
//! (`entry_async::refuse_inside_sync_entry`), and asynchronous entries
//! leave `current` alone anyway (a pending call's future can be forgotten
//! with its entry open). As a second line, each function checks that the
//! current instance is entered, synchronous, and made from its own
//! `InstancePre`.

use wasmtime::{Extern, StoreContextMut};

use super::Prepared;
use crate::plan::Options;
use crate::store::StoreData;
use crate::store::guest::OptionSlots;
use crate::{Result, bail};

/// The module name the functions are defined under, in their own linker.
const MODULE: &str = "lowered";

/// The lowered host imports of one `InstancePre`, by trampoline index
/// (the definition's name).
pub(crate) struct HostFuncs<T: 'static> {
    linker: wasmtime::Linker<StoreData<T>>,
}

impl<T: 'static> HostFuncs<T> {
    /// Defines every synchronous lowered host import (prepared as
    /// `prepared`, of core types `types`, by trampoline index) for the
    /// `InstancePre` with id `pre`. Asynchronous host functions are left
    /// out (each `define` skips itself): only `instantiate_async`
    /// instantiates a component importing one.
    pub(crate) fn define(
        engine: &crate::Engine,
        types: &[wasmtime::FuncType],
        prepared: &[Option<Prepared<T>>],
        pre: u64,
    ) -> Result<HostFuncs<T>> {
        let mut linker = wasmtime::Linker::new(engine);
        for (index, prepared) in prepared.iter().enumerate() {
            let Some(prepared) = prepared else { continue };
            let Some(ty) = types.get(index) else {
                bail!("internal: trampoline {index} has no core type");
            };
            let name = index.to_string();
            let (module, ty) = (MODULE, ty.clone());
            match prepared {
                Prepared::Dynamic(lowered) => {
                    lowered
                        .clone()
                        .define(&mut linker, module, &name, ty, pre)?
                }
                Prepared::Typed(lowered) => {
                    lowered
                        .clone()
                        .define(&mut linker, module, &name, ty, pre)?
                }
            }
        }
        Ok(HostFuncs { linker })
    }

    /// Puts every function into `store`, as `trampolines[index]` (a slice
    /// sized by the same plan; an index past it is refused).
    pub(crate) fn put_into(
        &self,
        store: &mut StoreContextMut<'_, StoreData<T>>,
        trampolines: &mut [Option<wasmtime::Func>],
    ) -> Result<()> {
        for (_, name, item) in self.linker.iter(store) {
            let (Ok(index), Extern::Func(func)) = (name.parse::<usize>(), item) else {
                bail!("internal: lowered import `{name}` is not a numbered function");
            };
            match trampolines.get_mut(index) {
                Some(slot) => *slot = Some(func),
                None => bail!("internal: lowered import {index} out of range"),
            }
        }
        Ok(())
    }
}

/// The instance state whose guest called a lowered import with
/// `options`, defined for the `InstancePre` with id `pre`: the store's
/// current one (see the module docs), checked to be entered, synchronous
/// and made from that `InstancePre`; and the option slots there.
#[inline(always)]
pub(crate) fn calling_state<T>(
    data: &StoreData<T>,
    pre: u64,
    options: &Options,
) -> Result<(usize, OptionSlots)> {
    let state = data.current;
    match data.instances.get(state) {
        Some(s) if s.entered && !s.asynchronous && s.pre == pre => {
            Ok((state, OptionSlots::resolve(s, options)))
        }
        _ => Err(no_calling_state()),
    }
}

/// The error of a lowered import called outside its instance (a bug: see
/// the module docs).
#[cold]
#[inline(never)]
fn no_calling_state() -> crate::Error {
    crate::format_err!("internal: a lowered import ran outside an entry into its own instance")
}
