//! The core exports a plan names, resolved once per [`InstancePre`]: each
//! one's index in its module, so that instantiating looks exports up by
//! index (`wasmtime::Instance::get_module_export`) instead of hashing
//! their names again in every instance; and which `realloc`s have the
//! canonical ABI's signature by their module's type, so that no instance
//! checks it again.
//!
//! [`InstancePre`]: crate::InstancePre

use wasmtime::{ExternType, FuncType, Module, ModuleExport, ValType};

use crate::host::Resolved;
use crate::plan::{CoreDef, CoreExport, Plan, Step};

/// What [`resolve`] found; indexes that are out of range or missing only
/// send instantiation back to the checks by name.
pub(crate) struct CoreExports {
    /// By [`CoreExport::slot`]: the export's index in the module its core
    /// instance is made from (`None` when the module has no such export,
    /// which instantiation then reports).
    by_slot: Box<[Option<ModuleExport>]>,
    /// By realloc slot: whether the module's type already shows that the
    /// `realloc` is `(i32, i32, i32, i32) -> i32`.
    realloc_typed: Box<[bool]>,
}

impl CoreExports {
    /// The index of `export` in its module, when [`resolve`] found it.
    pub fn index(&self, export: &CoreExport) -> Option<&ModuleExport> {
        self.by_slot.get(export.slot as usize)?.as_ref()
    }

    /// Whether realloc slot `index` is known to have the canonical ABI's
    /// signature.
    pub fn realloc_typed(&self, index: u32) -> bool {
        self.realloc_typed
            .get(index as usize)
            .copied()
            .unwrap_or(false)
    }
}

/// Walks `plan`'s steps as instantiation will, following which module
/// each core instance is made from (`modules` for the component's own,
/// `imports` for the ones the host supplies).
pub(crate) fn resolve<T>(plan: &Plan, modules: &[Module], imports: &[Resolved<T>]) -> CoreExports {
    let mut walk = Walk {
        instances: Vec::with_capacity(plan.counts.core_instances as usize),
        by_slot: vec![None; plan.counts.core_exports as usize],
    };
    let mut realloc_typed = vec![false; plan.counts.reallocs as usize];
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
                if let CoreDef::Export(export) = def
                    && let Some(slot) = realloc_typed.get_mut(*index as usize)
                {
                    *slot = walk.func_type(export).is_some_and(|ty| is_realloc(&ty));
                }
            }
            Step::ExtractPostReturn { def, .. } => walk.def(def),
            Step::Resource { dtor, .. } => dtor.iter().for_each(|def| walk.def(def)),
        }
    }
    CoreExports {
        by_slot: walk.by_slot.into(),
        realloc_typed: realloc_typed.into(),
    }
}

struct Walk<'a> {
    /// The module of each core instance created so far, by core instance
    /// index (`None` when the import is not a module: instantiation
    /// reports it).
    instances: Vec<Option<&'a Module>>,
    by_slot: Vec<Option<ModuleExport>>,
}

impl Walk<'_> {
    fn module(&self, export: &CoreExport) -> Option<&Module> {
        *self.instances.get(export.instance as usize)?
    }

    fn def(&mut self, def: &CoreDef) {
        if let CoreDef::Export(export) = def {
            self.export(export);
        }
    }

    fn export(&mut self, export: &CoreExport) {
        let index = self
            .module(export)
            .and_then(|module| module.get_export_index(&export.name));
        if let Some(slot) = self.by_slot.get_mut(export.slot as usize) {
            *slot = index;
        }
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
    ty.params().len() == 4
        && ty.params().all(|t| matches!(t, ValType::I32))
        && ty.results().len() == 1
        && ty.results().all(|t| matches!(t, ValType::I32))
}
