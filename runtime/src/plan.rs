//! Our own description of a translated component: what to instantiate, in
//! which order, with which imports, and what it exports.
//!
//! The front end ([`crate::front`]) builds a [`Plan`] from
//! `wasmtime-environ`'s translation and nothing after it sees
//! `wasmtime_environ` types. Indices are plain `u32`s into the plan's vectors
//! or into the per-instance slots of [`crate::store::InstanceState`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::canon::StringEncoding;
use crate::component_type::ComponentItem;
use crate::trampolines::transcode::TranscodeOp;
use crate::types::{FlatType, FuncType, Type};

/// A translated component, ready to compile and instantiate.
pub(crate) struct Plan {
    /// The initializers, run in order at instantiation.
    pub steps: Vec<Step>,
    /// Host-implemented core functions the core modules import.
    pub trampolines: Vec<Trampoline>,
    /// The component's imports: name and type, by import index.
    pub imports: Vec<(String, ComponentItem)>,
    /// What each runtime import refers to: an import index and a path of
    /// names inside it (`["greet"]` for function `greet` of an imported
    /// instance).
    pub runtime_imports: Vec<(u32, Vec<String>)>,
    /// Root exports by name.
    pub exports: HashMap<String, ExportDef>,
    /// The exports with their types, in declaration order.
    pub export_types: Vec<(String, ComponentItem)>,
    /// Canonical options, by options index.
    pub options: Vec<Options>,
    /// Number of core instances, component instances, memories, reallocs
    /// and post-returns each instance has slots for.
    pub counts: Counts,
    /// The component's resource types and handle tables.
    pub resources: ResourcesPlan,
    /// Whether core modules (fused adapters) import the may-leave flags.
    pub flags_in_wasm: bool,
}

/// The resource types a component uses, and its handle-table types.
///
/// Resource indices count the imported resource types first, then the
/// ones the component defines.
#[derive(Default, Debug)]
pub(crate) struct ResourcesPlan {
    /// Handle-table types by table index: the resource type and the
    /// component instance whose table it is (`None` for types that exist
    /// only in signatures of uninstantiable items).
    pub tables: Vec<Option<TableInfo>>,
    /// The runtime import that supplies each imported resource type.
    pub imported: Vec<u32>,
    /// The component instance that defines each defined resource type.
    pub defined: Vec<u32>,
    /// A name for every resource type, for messages.
    pub names: Vec<Arc<str>>,
    /// Every imported name that declares a resource type, with the type
    /// (one type can be imported under several names, `(eq ...)`).
    pub imported_paths: Vec<(String, u32)>,
}

/// One handle-table type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TableInfo {
    /// The resource type (resource index).
    pub resource: u32,
    /// The component instance whose handle table it is.
    pub instance: u32,
}

impl ResourcesPlan {
    /// The table info of table type `table`.
    pub fn table(&self, table: u32) -> crate::Result<TableInfo> {
        self.tables
            .get(table as usize)
            .copied()
            .flatten()
            .ok_or_else(|| {
                crate::format_err!(
                    "internal: resource table type {table} does not exist at run time"
                )
            })
    }

    /// The component instance defining resource `resource`, if the
    /// component defines it (rather than importing it).
    pub fn definer(&self, resource: u32) -> Option<u32> {
        let defined = (resource as usize).checked_sub(self.imported.len())?;
        self.defined.get(defined).copied()
    }
}

/// Slot counts for one instance.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Counts {
    pub core_instances: u32,
    pub component_instances: u32,
    pub memories: u32,
    pub reallocs: u32,
    pub post_returns: u32,
    /// Core exports the plan names (see [`CoreExport::slot`]).
    pub core_exports: u32,
}

/// A core item: where a core module's import comes from.
#[derive(Clone, Debug)]
pub(crate) enum CoreDef {
    /// The export `name` of core instance `instance`.
    Export(CoreExport),
    /// The may-leave flag global of a component instance.
    InstanceFlags(u32),
    /// A host trampoline, by trampoline index.
    Trampoline(u32),
}

/// An export of a core instance, by name.
#[derive(Clone, Debug)]
pub(crate) struct CoreExport {
    pub instance: u32,
    pub name: String,
    /// Numbers the plan's core exports (below [`Counts::core_exports`]),
    /// so that an `InstancePre` can find each one's index in its module
    /// once (see `instance::core_exports`).
    pub slot: u32,
}

/// One initializer.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    /// Instantiate a core module of the component with these imports (in the
    /// module's import order).
    InstantiateStatic { module: u32, args: Vec<CoreDef> },
    /// Instantiate a core module the host supplies as a component import;
    /// imports by module and field name.
    InstantiateImported {
        import: u32,
        args: HashMap<(String, String), CoreDef>,
    },
    /// Record a memory in its slot. `lifted` says whether canonical
    /// options the runtime lifts or lowers with name it (a memory only
    /// string transcoders of fused adapters use may be 64-bit; the
    /// runtime's own lifting and lowering is 32-bit).
    ExtractMemory {
        index: u32,
        export: CoreExport,
        lifted: bool,
    },
    /// Record a `realloc` function in its slot.
    ExtractRealloc { index: u32, def: CoreDef },
    /// Record a `post-return` function in its slot.
    ExtractPostReturn { index: u32, def: CoreDef },
    /// Record the destructor of a resource type the component defines.
    Resource { defined: u32, dtor: Option<CoreDef> },
}

/// A core function the runtime provides to the core modules.
#[derive(Clone, Debug)]
pub(crate) struct Trampoline {
    /// The core signature the importing module expects.
    pub params: Vec<FlatType>,
    pub results: Vec<FlatType>,
    pub kind: TrampolineKind,
}

/// What a trampoline does.
#[derive(Clone, Debug)]
pub(crate) enum TrampolineKind {
    /// `canon lower` of a host import.
    LowerImport {
        /// The runtime import that implements it.
        import: u32,
        ty: Arc<FuncType>,
        options: u32,
    },
    /// Copy a string between two memories, changing encoding.
    Transcode {
        op: TranscodeOp,
        from: u32,
        to: u32,
    },
    /// Trap with a code from the adapter (`runtime/trap`).
    Trap,
    /// `resource.new`, `resource.rep`, `resource.drop` for a table type.
    ResourceNew {
        table: u32,
    },
    ResourceRep {
        table: u32,
    },
    ResourceDrop {
        table: u32,
    },
    /// Adapters moving an `own` or a `borrow` from one table to another.
    ResourceTransferOwn,
    ResourceTransferBorrow,
    /// Adapters entering and leaving a call that carries borrows.
    EnterSyncCall,
    ExitSyncCall,
    /// An intrinsic this version does not implement; instantiation fails
    /// with this description.
    Unsupported(String),
}

/// Canonical options of one lift or lower.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// The component instance the options belong to.
    pub instance: u32,
    pub encoding: StringEncoding,
    pub memory: Option<u32>,
    pub realloc: Option<u32>,
    pub post_return: Option<u32>,
}

/// An exported item.
#[derive(Clone, Debug)]
pub(crate) enum ExportDef {
    /// A lifted function.
    Func(Arc<LiftedFunc>),
    /// An instance with named exports.
    Instance(HashMap<String, ExportDef>),
    /// A core module.
    Module(ExportedModule),
    /// A resource type, by resource index.
    Resource(u32),
    /// Something else that cannot be called (a value type).
    Other,
}

/// Which core module a component exports.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ExportedModule {
    /// One of its own, by static module index.
    Static(u32),
    /// One it imports, by runtime import index.
    Import(u32),
}

/// A function lifted out of a core instance.
#[derive(Debug)]
pub(crate) struct LiftedFunc {
    pub ty: Arc<FuncType>,
    /// The parameter types alone, in order.
    pub params: Box<[Type]>,
    /// The core results of the core function: the flattened result types,
    /// or one `i32` return pointer when they are more than
    /// `MAX_FLAT_RESULTS`.
    pub core_results: Box<[FlatType]>,
    /// The core function: usually a core export, a trampoline when the
    /// component lifts a lowered import again.
    pub core: CoreDef,
    pub options: u32,
}
