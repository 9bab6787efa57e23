//! The core exports a plan names, resolved once per [`InstancePre`]: each
//! one's index in its module, so that instantiating looks exports up by
//! index (`wasmtime::Instance::get_module_export`) instead of hashing
//! their names again in every instance; and which `realloc`s have the
//! canonical ABI's signature by their module's type, so that no instance
//! checks it again.
//!
//! [`InstancePre`]: crate::InstancePre

use wasmtime::{ExternType, FuncType, Module, ModuleExport};

use crate::host::Resolved;
use crate::instance::same_types;
use crate::plan::{CoreDef, CoreExport, Plan, Step};
use crate::types::FlatType;

/// What [`resolve`] found; indexes that are out of range or missing only
/// send instantiation back to the checks by name.
pub(crate) struct CoreExports {
    /// By [`CoreExport::slot`]: the export's index in the module its core
    /// instance is made from (`None` when the module has no such export,
    /// which instantiation then reports).
    by_slot: Box<[Option<ModuleExport>]>,
    /// By realloc slot: the core export slot of a `realloc` whose module's
    /// type already shows that it is `(i32, i32, i32, i32) -> i32`.
    realloc_typed: Box<[Option<u32>]>,
}

impl CoreExports {
    /// The index of `export` in its module, when [`resolve`] found it.
    pub fn index(&self, export: &CoreExport) -> Option<&ModuleExport> {
        self.by_slot.get(export.slot as usize)?.as_ref()
    }

    /// Whether realloc slot `index` is known to have the canonical ABI's
    /// signature: its module's type says so, and instantiation finds it
    /// by index, which wasmtime checks is an index of the instance's
    /// module (so the function found is the one whose type was read).
    pub fn realloc_typed(&self, index: u32) -> bool {
        let slot = self.realloc_typed.get(index as usize).copied().flatten();
        slot.is_some_and(|slot| matches!(self.by_slot.get(slot as usize), Some(Some(_))))
    }
}

/// Walks `plan`'s steps as instantiation will, following which module
/// each core instance is made from (`modules` for the component's own,
/// `imports` for the ones the host supplies).
pub(crate) fn resolve<'a, T>(
    plan: &'a Plan,
    modules: &'a [Module],
    imports: &'a [Resolved<T>],
) -> CoreExports {
    let slots = plan.counts.core_exports as usize;
    let mut walk = Walk {
        instances: Vec::with_capacity(plan.counts.core_instances as usize),
        by_slot: vec![None; slots],
        named: vec![Named::Free; slots],
    };
    let mut realloc_typed = vec![Realloc::Unseen; plan.counts.reallocs as usize];
    for step in &plan.steps {
        match step {
            Step::InstantiateStatic { module, args } => {
                args.iter().for_each(|def| walk.def(def));
                walk.instances.push(modules.get(*module as usize));
            }
            Step::InstantiateImported { import, args } => {
                args.values().for_each(|def| walk.def(def));
                walk.instances.push(match imports.get(*import as usize) {
                    Some(Resolved::Module(module)) => Some(module),
                    _ => None,
                });
            }
            Step::ExtractMemory { export, .. } => walk.export(export),
            Step::ExtractRealloc { index, def } => {
                walk.def(def);
                if let Some(slot) = realloc_typed.get_mut(*index as usize) {
                    let typed = match def {
                        CoreDef::Export(export) => walk
                            .func_type(export)
                            .is_some_and(|ty| is_realloc(&ty))
                            .then_some(export.slot),
                        _ => None,
                    };
                    // A slot filled twice (a corrupt artifact) is checked
                    // in every instance.
                    *slot = match slot {
                        Realloc::Unseen => typed.map_or(Realloc::Checked, Realloc::Typed),
                        _ => Realloc::Checked,
                    };
                }
            }
            Step::ExtractPostReturn { def, .. } => walk.def(def),
            Step::Resource { dtor, .. } => dtor.iter().for_each(|def| walk.def(def)),
        }
    }
    let realloc_typed = realloc_typed
        .into_iter()
        .map(|r| match r {
            Realloc::Typed(slot) => Some(slot),
            Realloc::Unseen | Realloc::Checked => None,
        })
        .collect();
    CoreExports {
        by_slot: walk.by_slot.into(),
        realloc_typed,
    }
}

/// What the walk knows of a realloc slot.
#[derive(Clone, Copy)]
enum Realloc {
    Unseen,
    /// Filled once, from the export in this core export slot, whose type
    /// in its module is the canonical `realloc`'s.
    Typed(u32),
    /// To be type-checked in each instance.
    Checked,
}

struct Walk<'a> {
    /// The module of each core instance created so far, by core instance
    /// index (`None` when the import is not a module: instantiation
    /// reports it).
    instances: Vec<Option<&'a Module>>,
    by_slot: Vec<Option<ModuleExport>>,
    /// Which export each slot was found for.
    named: Vec<Named<'a>>,
}

/// What a slot of [`Walk::by_slot`] holds.
#[derive(Clone, Copy, PartialEq)]
enum Named<'a> {
    Free,
    /// The index of this export (core instance, name).
    One(u32, &'a str),
    /// Two different exports claimed the slot (a plan the front end does
    /// not make: a corrupt artifact). The slot stays empty, so both are
    /// looked up by name: an index is only ever used for the name it was
    /// found by, which the `realloc` check relies on.
    Clash,
}

impl<'a> Walk<'a> {
    fn module(&self, export: &CoreExport) -> Option<&'a Module> {
        *self.instances.get(export.instance as usize)?
    }

    fn def(&mut self, def: &'a CoreDef) {
        if let CoreDef::Export(export) = def {
            self.export(export);
        }
    }

    fn export(&mut self, export: &'a CoreExport) {
        let index = self
            .module(export)
            .and_then(|module| module.get_export_index(&export.name));
        let slot = export.slot as usize;
        let (Some(found), Some(named)) = (self.by_slot.get_mut(slot), self.named.get_mut(slot))
        else {
            return;
        };
        let this = Named::One(export.instance, &export.name);
        *named = match *named {
            Named::Free => this,
            same if same == this => same,
            _ => Named::Clash,
        };
        *found = if *named == Named::Clash { None } else { index };
    }

    fn func_type(&self, export: &CoreExport) -> Option<FuncType> {
        match self.module(export)?.get_export(&export.name)? {
            ExternType::Func(ty) => Some(ty),
            _ => None,
        }
    }
}

/// `(i32, i32, i32, i32) -> i32`, exactly.
fn is_realloc(ty: &FuncType) -> bool {
    same_types(ty.params(), &[FlatType::I32; 4]) && same_types(ty.results(), &[FlatType::I32])
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A component whose one lifted function has a `realloc`.
    const WITH_REALLOC: &str = r#"(component
        (core module $m
            (memory (export "memory") 1)
            (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
            (func (export "other") (param i32 i32) (result i32) i32.const 8)
            (func (export "take") (param i32 i32)))
        (core instance $i (instantiate $m))
        (func (export "take") (param "s" string)
            (canon lift (core func $i "take")
                (memory (core memory $i "memory"))
                (realloc (core func $i "realloc")))))"#;

    fn plan_and_modules() -> (Plan, Vec<Module>) {
        let engine = crate::Engine::default();
        let component = crate::Component::new(&engine, WITH_REALLOC).unwrap();
        let inner = Arc::into_inner(component.inner).expect("the only reference");
        (inner.plan, inner.modules)
    }

    #[test]
    fn a_realloc_of_the_canonical_type_is_checked_once() {
        let (plan, modules) = plan_and_modules();
        let found = resolve::<()>(&plan, &modules, &[]);
        assert!(found.realloc_typed(0));
        assert!(!found.realloc_typed(1), "no such slot");
    }

    /// Plans the front end does not make (a corrupt artifact) lose the
    /// shortcut: a realloc slot filled twice, first with a function of
    /// another type, is type-checked in every instance.
    #[test]
    fn a_realloc_slot_filled_twice_is_checked_in_every_instance() {
        let (mut plan, modules) = plan_and_modules();
        let other = CoreExport {
            instance: 0,
            name: "other".to_string(),
            slot: plan.counts.core_exports,
        };
        plan.counts.core_exports += 1;
        let at = plan
            .steps
            .iter()
            .position(|step| matches!(step, Step::ExtractRealloc { .. }))
            .unwrap();
        // The wrong one first: the canonical one after it must not vouch
        // for it.
        let wrong = Step::ExtractRealloc {
            index: 0,
            def: CoreDef::Export(other),
        };
        plan.steps.insert(at, wrong);
        let found = resolve::<()>(&plan, &modules, &[]);
        assert!(!found.realloc_typed(0));
    }

    /// Two different exports claiming one slot (a corrupt artifact) leave
    /// it empty: both are then looked up by name, so an index is only
    /// used for the name it was found by.
    #[test]
    fn a_slot_claimed_by_two_exports_is_looked_up_by_name() {
        let (_, modules) = plan_and_modules();
        let mut walk = Walk {
            instances: vec![Some(&modules[0])],
            by_slot: vec![None],
            named: vec![Named::Free],
        };
        let export = |name: &str| CoreExport {
            instance: 0,
            name: name.to_string(),
            slot: 0,
        };
        let (realloc, other) = (export("realloc"), export("other"));
        walk.export(&realloc);
        walk.export(&realloc);
        assert!(walk.by_slot[0].is_some(), "the same export twice is fine");
        walk.export(&other);
        assert!(walk.by_slot[0].is_none());
        walk.export(&realloc);
        assert!(walk.by_slot[0].is_none(), "a clash stays a clash");
        let beyond = CoreExport {
            slot: 7,
            ..export("realloc")
        };
        walk.export(&beyond);
    }
}
