//! The front end: the only code that sees `wasmtime_environ`.
//!
//! [`translate`] validates a component binary with `wasmtime-environ`'s
//! component translator (the same "spine" jco builds on), which inlines
//! nested components and generates the fused adapter modules that connect
//! one inner component to another, and then converts its output right away
//! into our own [`Plan`], so that `wasmtime-environ`'s unstable types stop
//! here.

mod label_case;
mod module_type;
mod trim_exports;
mod types;

use std::collections::{HashMap, HashSet};

use wasmtime_environ::component::{
    self as env, ComponentTypesBuilder, GlobalInitializer, InstantiateModule, Translator,
};
use wasmtime_environ::wasmparser::{Validator, WasmFeatures};
use wasmtime_environ::{EntityIndex, ScopeVec, StaticModuleIndex, Tunables, WasmValType};

use crate::canon::StringEncoding;
use crate::canon::{Context as FlatContext, flatten_functype};
use crate::plan::{
    CoreDef, CoreExport, Counts, ExportDef, ExportedModule, LiftedFunc, Options, Plan,
    ResourcesPlan, Step, TableInfo, Trampoline, TrampolineKind,
};
use crate::trampolines::transcode::TranscodeOp;
use crate::types::{FlatType, Type};
use crate::{Context, Result, bail};
use types::TypeConverter;

/// The wasm features the translator validates against: wasmparser's
/// defaults plus the component model and multi-memory (adapters import two
/// memories), and the proposals this runtime implements as the engine's
/// [`Config`] says: maps and fixed-length lists (off by default as in
/// wasmtime), and exceptions (on when wasmtime is built with GC, as
/// wit-host's `gc` feature does; the fused adapters then wrap each callee
/// in a `try_table` that traps, and `store::exceptions` contains the
/// exceptions of the guest code the runtime calls), 64-bit memories in
/// canonical options (between components; see `Step::ExtractMemory`),
/// and `(implements "...")` names (off by default, as in wasmtime).
///
/// Never enabled: GC in canonical options, and the component model's
/// async (this runtime is synchronous: like wasmtime with
/// `concurrency_support(false)`, a component using `async` lifts,
/// `stream`, `future` or the task builtins is invalid, with the
/// validator's message saying which feature it needs).
///
/// [`Config`]: wasmtime::Config
pub(crate) fn features(engine: WasmFeatures) -> WasmFeatures {
    let mut f = WasmFeatures::default();
    f.insert(WasmFeatures::COMPONENT_MODEL | WasmFeatures::MULTI_MEMORY);
    f.remove(
        WasmFeatures::CM_ASYNC
            | WasmFeatures::CM_ASYNC_STACKFUL
            | WasmFeatures::CM_MORE_ASYNC_BUILTINS
            | WasmFeatures::CM_THREADING
            | WasmFeatures::CM_ERROR_CONTEXT
            | WasmFeatures::CM_GC,
    );
    let proposals = WasmFeatures::CM_MAP
        | WasmFeatures::CM_FIXED_LENGTH_LISTS
        | WasmFeatures::CM64
        | WasmFeatures::MEMORY64
        | WasmFeatures::CM_IMPLEMENTS
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::LEGACY_EXCEPTIONS;
    f.set(proposals, false);
    f | (engine & proposals)
}

/// Why a function the host calls or provides cannot have a 64-bit memory
/// in its canonical options (the runtime's lifting and lowering is 32-bit).
pub(crate) const MEMORY64_HOST: &str = "not supported yet: a 64-bit memory in the canonical \
     options of a function the host calls or provides (64-bit memories work between \
     components, through fused adapters)";

/// Validates and translates a component binary into a [`Plan`], with the
/// wasm `features` of [`features`].
///
/// `compile` turns each core module of the component (adapters included),
/// by static module index, into whatever the caller keeps: a
/// `wasmtime::Module`, or a precompiled image.
pub(crate) fn translate<M>(
    bytes: &[u8],
    features: WasmFeatures,
    mut compile: impl FnMut(usize, &[u8]) -> Result<M>,
) -> Result<(Plan, Vec<M>)> {
    label_case::check(bytes)?;
    let scope = ScopeVec::new();
    let mut tunables = Tunables::default_u32();
    // Without this the adapters import task and context intrinsics that a
    // synchronous host does not need, and get slower.
    tunables.concurrency_support = false;
    let mut validator = Validator::new_with_features(features);
    let mut types = ComponentTypesBuilder::new(&validator);
    let (translation, modules) = Translator::new(&tunables, &mut validator, &mut types, &scope)
        .translate(bytes)
        .context("invalid component")?;
    let num_tables = types.num_resource_tables();
    let (types, _) = types.finish(&translation.component);
    let mut builder = Builder {
        component: &translation.component,
        modules: &modules,
        types: TypeConverter::new(&types),
        module_types: &types,
        instance_modules: Vec::new(),
        exported_modules: HashSet::new(),
        export_names: HashMap::new(),
        core_exports: 0,
    };
    let plan = builder.build(&translation, num_tables)?;
    let used = trim_exports::used_exports(&plan, &builder.instance_modules);
    let modules = modules
        .iter()
        .map(|(index, m)| {
            let wasm = if builder.exported_modules.contains(&index) {
                std::borrow::Cow::Borrowed(m.wasm)
            } else {
                let none = std::collections::HashSet::new();
                trim_exports::keep_exports(m.wasm, used.get(&index).unwrap_or(&none))?
            };
            compile(index.as_u32() as usize, &wasm)
        })
        .collect::<Result<Vec<M>>>()?;
    Ok((plan, modules))
}

/// Where a core instance's module came from.
#[derive(Clone, Copy)]
enum InstanceSource {
    Static(StaticModuleIndex),
    Imported,
}

struct Builder<'a, 'data> {
    component: &'a env::Component,
    modules: &'a wasmtime_environ::PrimaryMap<
        StaticModuleIndex,
        wasmtime_environ::ModuleTranslation<'data>,
    >,
    types: TypeConverter<'a>,
    module_types: &'a env::ComponentTypes,
    /// The module behind each core instance created so far.
    instance_modules: Vec<InstanceSource>,
    /// Static modules the component exports as modules: kept whole.
    exported_modules: HashSet<StaticModuleIndex>,
    /// Export names by item index, per static module, built on demand.
    export_names: HashMap<StaticModuleIndex, HashMap<EntityIndex, String>>,
    /// Core exports named so far (the next [`CoreExport::slot`]).
    core_exports: u32,
}

impl Builder<'_, '_> {
    fn build(
        &mut self,
        translation: &env::ComponentTranslation,
        num_tables: usize,
    ) -> Result<Plan> {
        let component = self.component;
        let mut imported_paths = Vec::new();
        for (name, ext) in component.import_types.values() {
            self.types.collect_names(name, &ext.ty);
            self.types
                .resource_paths(name, &ext.ty, &mut imported_paths);
        }
        for (name, (index, _)) in component.exports.raw_iter() {
            self.collect_export_names(name, &component.export_items[*index]);
        }
        let mut lowered_imports = HashMap::new();
        let mut steps = Vec::new();
        for init in &component.initializers {
            match init {
                GlobalInitializer::InstantiateModule(
                    InstantiateModule::Static(module, args),
                    _,
                ) => {
                    let args = args
                        .iter()
                        .map(|d| self.core_def(d))
                        .collect::<Result<_>>()?;
                    self.instance_modules.push(InstanceSource::Static(*module));
                    steps.push(Step::InstantiateStatic {
                        module: module.as_u32(),
                        args,
                    });
                }
                GlobalInitializer::InstantiateModule(
                    InstantiateModule::Import(import, args),
                    _,
                ) => {
                    let mut map = HashMap::new();
                    for (module, fields) in args {
                        for (field, def) in fields {
                            map.insert((module.clone(), field.clone()), self.core_def(def)?);
                        }
                    }
                    self.instance_modules.push(InstanceSource::Imported);
                    steps.push(Step::InstantiateImported {
                        import: import.as_u32(),
                        args: map,
                    });
                }
                GlobalInitializer::LowerImport { index, import } => {
                    lowered_imports.insert(*index, import.as_u32());
                }
                GlobalInitializer::ExtractMemory(m) => steps.push(Step::ExtractMemory {
                    index: m.index.as_u32(),
                    export: self.core_export(&m.export.clone().map_index(EntityIndex::from))?,
                    lifted: false,
                }),
                GlobalInitializer::ExtractRealloc(r) => steps.push(Step::ExtractRealloc {
                    index: r.index.as_u32(),
                    def: self.core_def(&r.def)?,
                }),
                GlobalInitializer::ExtractPostReturn(p) => steps.push(Step::ExtractPostReturn {
                    index: p.index.as_u32(),
                    def: self.core_def(&p.def)?,
                }),
                // Callbacks belong to async lifts and tables to threads; the
                // options or intrinsics that would use them are rejected
                // where they appear.
                GlobalInitializer::ExtractCallback(_) | GlobalInitializer::ExtractTable(_) => {}
                GlobalInitializer::Resource(r) => {
                    if r.rep != WasmValType::I32 {
                        bail!("not supported yet: resource representations other than i32");
                    }
                    steps.push(Step::Resource {
                        defined: r.index.as_u32(),
                        dtor: r.dtor.as_ref().map(|d| self.core_def(d)).transpose()?,
                    })
                }
            }
        }

        let trampolines = translation
            .trampolines
            .iter()
            .map(|(index, t)| self.trampoline(component.trampolines[index], t, &lowered_imports))
            .collect::<Result<Vec<_>>>()?;

        let options = component
            .options
            .values()
            .map(convert_options)
            .collect::<Result<Vec<_>>>()?;
        for step in &mut steps {
            if let Step::ExtractMemory { index, lifted, .. } = step {
                *lifted = options.iter().any(|o| o.memory == Some(*index));
            }
        }

        let imports = component
            .import_types
            .values()
            .map(|(name, ext)| Ok((name.clone(), self.types.item(&ext.ty)?)))
            .collect::<Result<Vec<_>>>()?;
        let runtime_imports = component
            .imports
            .values()
            .map(|(import, path)| (import.as_u32(), path.clone()))
            .collect();

        let mut exports = HashMap::new();
        let mut export_types = Vec::new();
        for (name, (index, _)) in component.exports.raw_iter() {
            let (def, item) = self.export(&component.export_items[*index])?;
            exports.insert(name.to_string(), def);
            export_types.push((name.to_string(), item));
        }

        let resources = ResourcesPlan {
            tables: (0..num_tables)
                .map(|t| {
                    let table = env::TypeResourceTableIndex::from_u32(t as u32);
                    self.types
                        .table(table)
                        .map(|(resource, instance)| TableInfo { resource, instance })
                })
                .collect(),
            imported: component
                .imported_resources
                .values()
                .map(|i| i.as_u32())
                .collect(),
            defined: component
                .defined_resource_instances
                .values()
                .map(|i| i.as_u32())
                .collect(),
            imported_paths,
            names: (0..component.num_resources)
                .map(|r| self.types.resource_name(r).into())
                .collect(),
        };

        let flags_in_wasm = steps.iter().any(|step| match step {
            Step::InstantiateStatic { args, .. } => {
                args.iter().any(|d| matches!(d, CoreDef::InstanceFlags(_)))
            }
            Step::InstantiateImported { args, .. } => args
                .values()
                .any(|d| matches!(d, CoreDef::InstanceFlags(_))),
            _ => false,
        });

        Ok(Plan {
            flags_in_wasm,
            resources,
            steps,
            trampolines,
            imports,
            runtime_imports,
            exports,
            export_types,
            options,
            counts: Counts {
                core_instances: component.num_runtime_instances,
                component_instances: component.num_runtime_component_instances,
                memories: component.num_runtime_memories,
                reallocs: component.num_runtime_reallocs,
                post_returns: component.num_runtime_post_returns,
                core_exports: self.core_exports,
            },
        })
    }

    /// Records resource names declared by an export (see
    /// `TypeConverter::collect_names`).
    fn collect_export_names(&mut self, name: &str, export: &env::Export) {
        match export {
            env::Export::Type(def) => self.types.collect_names(name, def),
            env::Export::Instance { ty, exports } => {
                self.types
                    .collect_names(name, &env::TypeDef::ComponentInstance(*ty));
                for (child, (index, _)) in exports.raw_iter() {
                    self.collect_export_names(child, &self.component.export_items[*index]);
                }
            }
            _ => {}
        }
    }

    /// Converts an export and its type.
    fn export(&mut self, export: &env::Export) -> Result<(ExportDef, crate::ComponentItem)> {
        Ok(match export {
            env::Export::LiftedFunction { ty, func, options } => {
                let ty = self.types.func(*ty)?;
                let item = crate::ComponentItem::Func((*ty).clone());
                let params: Box<[Type]> = ty.params().iter().map(|(_, t)| t.clone()).collect();
                let (_, core_results) = flatten_functype(&params, ty.results(), FlatContext::Lift);
                let func = LiftedFunc {
                    params,
                    core_results: core_results.into(),
                    ty,
                    core: self.core_def(func)?,
                    options: options.as_u32(),
                };
                (ExportDef::Func(std::sync::Arc::new(func)), item)
            }
            env::Export::Instance { exports, .. } => {
                let mut defs = HashMap::new();
                let mut items = Vec::new();
                for (name, (index, _)) in exports.raw_iter() {
                    let (def, item) = self.export(&self.component.export_items[*index])?;
                    defs.insert(name.to_string(), def);
                    items.push((name.to_string(), item));
                }
                (
                    ExportDef::Instance(defs),
                    crate::ComponentItem::Instance(items),
                )
            }
            env::Export::ModuleStatic { ty, index } => (
                {
                    self.exported_modules.insert(*index);
                    ExportDef::Module(ExportedModule::Static(index.as_u32()))
                },
                crate::ComponentItem::Module(module_type::module_type(self.types.types(), *ty)),
            ),
            env::Export::ModuleImport { ty, import } => (
                ExportDef::Module(ExportedModule::Import(import.as_u32())),
                crate::ComponentItem::Module(module_type::module_type(self.types.types(), *ty)),
            ),
            env::Export::Type(def) => {
                let export = match def {
                    env::TypeDef::Resource(table) => match self.types.table(*table) {
                        Some((resource, _)) => ExportDef::Resource(resource),
                        None => ExportDef::Other,
                    },
                    _ => ExportDef::Other,
                };
                (export, self.types.item(def)?)
            }
        })
    }

    fn core_def(&mut self, def: &env::CoreDef) -> Result<CoreDef> {
        Ok(match def {
            env::CoreDef::Export(e) => CoreDef::Export(self.core_export(e)?),
            env::CoreDef::InstanceFlags(i) => CoreDef::InstanceFlags(i.as_u32()),
            env::CoreDef::Trampoline(i) => CoreDef::Trampoline(i.as_u32()),
            env::CoreDef::UnsafeIntrinsic(_) => bail!("not supported yet: unsafe intrinsics"),
            env::CoreDef::TaskMayBlock => bail!("not supported yet: async tasks"),
        })
    }

    /// Names a core export; the translator names items of static modules by
    /// index, and the core API finds exports by name.
    fn core_export(&mut self, e: &env::CoreExport<EntityIndex>) -> Result<CoreExport> {
        let name = match &e.item {
            env::ExportItem::Name(name) => name.clone(),
            env::ExportItem::Index(index) => {
                let source = self
                    .instance_modules
                    .get(e.instance.as_u32() as usize)
                    .copied()
                    .context("internal: core export from an instance not created yet")?;
                let InstanceSource::Static(module) = source else {
                    bail!("internal: index export from an imported module");
                };
                let translation = &self.modules[module];
                let names = self.export_names.entry(module).or_insert_with(|| {
                    let m = &translation.module;
                    m.exports
                        .iter()
                        .map(|(atom, index)| (*index, m.strings[*atom].to_string()))
                        .collect()
                });
                names
                    .get(index)
                    .cloned()
                    .context("internal: core item is not exported")?
            }
        };
        let slot = self.core_exports;
        self.core_exports += 1;
        Ok(CoreExport {
            instance: e.instance.as_u32(),
            name,
            slot,
        })
    }

    fn trampoline(
        &mut self,
        core_ty: wasmtime_environ::ModuleInternedTypeIndex,
        t: &env::Trampoline,
        lowered_imports: &HashMap<env::LoweredIndex, u32>,
    ) -> Result<Trampoline> {
        let func = self.module_types.module_types()[core_ty].unwrap_func();
        let params: Vec<FlatType> = func.params().iter().map(flat_type).collect::<Result<_>>()?;
        let results: Vec<FlatType> = func
            .results()
            .iter()
            .map(flat_type)
            .collect::<Result<_>>()?;
        let kind = match t {
            env::Trampoline::LowerImport {
                index,
                lower_ty,
                options,
            } => {
                let ty = self.types.func(*lower_ty)?;
                let param_tys: Vec<Type> = ty.params().iter().map(|(_, t)| t.clone()).collect();
                let expected = flatten_functype(&param_tys, ty.results(), FlatContext::Lower);
                if expected != (params.clone(), results.clone()) {
                    // i64 where the 32-bit flattening has i32 pointers and
                    // lengths: the options name a 64-bit memory.
                    let widened = |want: &[FlatType], got: &[FlatType]| {
                        want.len() == got.len()
                            && want.iter().zip(got).all(|(w, g)| {
                                w == g || (*w == FlatType::I32 && *g == FlatType::I64)
                            })
                    };
                    if widened(&expected.0, &params) && widened(&expected.1, &results) {
                        bail!("{MEMORY64_HOST} (lowered `{ty}`)");
                    }
                    bail!(
                        "internal: the core signature of lowered `{ty}` disagrees with the canonical ABI"
                    );
                }
                TrampolineKind::LowerImport {
                    import: *lowered_imports
                        .get(index)
                        .context("internal: lowered import without an initializer")?,
                    ty,
                    options: options.as_u32(),
                }
            }
            // A 64-bit side passes its pointers and lengths as i64: the
            // core signature (`params`, `results`) says which.
            env::Trampoline::Transcoder { op, from, to, .. } => TrampolineKind::Transcode {
                op: transcode_op(*op),
                from: from.as_u32(),
                to: to.as_u32(),
            },
            env::Trampoline::Trap => TrampolineKind::Trap,
            env::Trampoline::ResourceNew { ty, .. } => {
                TrampolineKind::ResourceNew { table: ty.as_u32() }
            }
            env::Trampoline::ResourceRep { ty, .. } => {
                TrampolineKind::ResourceRep { table: ty.as_u32() }
            }
            env::Trampoline::ResourceDrop { ty, .. } => {
                TrampolineKind::ResourceDrop { table: ty.as_u32() }
            }
            env::Trampoline::ResourceTransferOwn => TrampolineKind::ResourceTransferOwn,
            env::Trampoline::ResourceTransferBorrow => TrampolineKind::ResourceTransferBorrow,
            env::Trampoline::EnterSyncCall => TrampolineKind::EnterSyncCall,
            env::Trampoline::ExitSyncCall => TrampolineKind::ExitSyncCall,
            other => {
                TrampolineKind::Unsupported(format!("async intrinsic {}", other.symbol_name()))
            }
        };
        Ok(Trampoline {
            params,
            results,
            kind,
        })
    }
}

fn flat_type(ty: &WasmValType) -> Result<FlatType> {
    Ok(match ty {
        WasmValType::I32 => FlatType::I32,
        WasmValType::I64 => FlatType::I64,
        WasmValType::F32 => FlatType::F32,
        WasmValType::F64 => FlatType::F64,
        other => bail!("not supported yet: core type {other} in a component intrinsic"),
    })
}

fn convert_options(o: &env::CanonicalOptions) -> Result<Options> {
    if o.async_ || o.callback.is_some() {
        bail!("not supported yet: async canonical options");
    }
    let env::CanonicalOptionsDataModel::LinearMemory(mem) = o.data_model else {
        bail!("not supported yet: the GC canonical ABI");
    };
    Ok(Options {
        instance: o.instance.as_u32(),
        encoding: match o.string_encoding {
            env::StringEncoding::Utf8 => StringEncoding::Utf8,
            env::StringEncoding::Utf16 => StringEncoding::Utf16,
            env::StringEncoding::CompactUtf16 => StringEncoding::Latin1Utf16,
        },
        memory: mem.memory.map(|m| m.as_u32()),
        realloc: mem.realloc.map(|r| r.as_u32()),
        post_return: o.post_return.map(|p| p.as_u32()),
    })
}

fn transcode_op(op: env::Transcode) -> TranscodeOp {
    use env::{FixedEncoding, Transcode};
    match op {
        Transcode::Copy(FixedEncoding::Utf8) => TranscodeOp::CopyUtf8,
        Transcode::Copy(FixedEncoding::Utf16) => TranscodeOp::CopyUtf16,
        Transcode::Copy(FixedEncoding::Latin1) => TranscodeOp::CopyLatin1,
        Transcode::Latin1ToUtf16 => TranscodeOp::Latin1ToUtf16,
        Transcode::Latin1ToUtf8 => TranscodeOp::Latin1ToUtf8,
        Transcode::Utf16ToCompactProbablyUtf16 => TranscodeOp::Utf16ToCompactProbablyUtf16,
        Transcode::Utf16ToCompactUtf16 => TranscodeOp::Utf16ToCompactUtf16,
        Transcode::Utf16ToLatin1 => TranscodeOp::Utf16ToLatin1,
        Transcode::Utf16ToUtf8 => TranscodeOp::Utf16ToUtf8,
        Transcode::Utf8ToCompactUtf16 => TranscodeOp::Utf8ToCompactUtf16,
        Transcode::Utf8ToLatin1 => TranscodeOp::Utf8ToLatin1,
        Transcode::Utf8ToUtf16 => TranscodeOp::Utf8ToUtf16,
    }
}
