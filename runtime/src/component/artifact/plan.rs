//! [`Codec`] for the plan: the translated component without its core
//! modules' code.

use super::codec::{codec_enum, codec_struct, codec_unit_enum};
use crate::canon::StringEncoding;
use crate::plan::{
    CoreDef, CoreExport, Counts, ExportDef, ExportedModule, LiftedFunc, Options, Plan,
    ResourcesPlan, Step, TableInfo, Trampoline, TrampolineKind,
};
use crate::trampolines::transcode::TranscodeOp;

codec_struct!(Plan {
    steps,
    trampolines,
    imports,
    runtime_imports,
    exports,
    export_types,
    options,
    counts,
    resources,
    flags_in_wasm,
});

codec_struct!(ResourcesPlan {
    tables,
    imported,
    defined,
    names,
    imported_paths,
});

codec_struct!(TableInfo { resource, instance });

codec_struct!(Counts {
    core_instances,
    component_instances,
    memories,
    reallocs,
    post_returns,
    core_exports,
});

codec_struct!(CoreExport {
    instance,
    name,
    slot
});

codec_enum!(CoreDef {
    0 => Export(export),
    1 => InstanceFlags(instance),
    2 => Trampoline(index),
});

codec_enum!(Step {
    0 => InstantiateStatic { module, args },
    1 => InstantiateImported { import, args },
    2 => ExtractMemory { index, export, lifted },
    3 => ExtractRealloc { index, def },
    4 => ExtractPostReturn { index, def },
    5 => Resource { defined, dtor },
});

codec_struct!(Trampoline {
    params,
    results,
    kind,
});

codec_enum!(TrampolineKind {
    0 => LowerImport { import, ty, options },
    1 => Transcode { op, from, to },
    2 => Trap,
    3 => ResourceNew { table },
    4 => ResourceRep { table },
    5 => ResourceDrop { table },
    6 => ResourceTransferOwn,
    7 => ResourceTransferBorrow,
    8 => EnterSyncCall,
    9 => ExitSyncCall,
    10 => Unsupported(what),
});

codec_unit_enum!(TranscodeOp {
    CopyUtf8,
    CopyUtf16,
    CopyLatin1,
    Latin1ToUtf16,
    Latin1ToUtf8,
    Utf16ToCompactProbablyUtf16,
    Utf16ToCompactUtf16,
    Utf16ToLatin1,
    Utf16ToUtf8,
    Utf8ToCompactUtf16,
    Utf8ToLatin1,
    Utf8ToUtf16,
});

codec_unit_enum!(StringEncoding {
    Utf8,
    Utf16,
    Latin1Utf16,
});

codec_struct!(Options {
    instance,
    encoding,
    memory,
    realloc,
    post_return,
});

codec_enum!(ExportDef {
    0 => Func(func),
    1 => Instance(items),
    2 => Other,
    3 => Module(module),
    4 => Resource(resource),
});

codec_enum!(ExportedModule {
    0 => Static(index),
    1 => Import(import),
});

codec_struct!(LiftedFunc {
    ty,
    params,
    core_results,
    core,
    options,
});
