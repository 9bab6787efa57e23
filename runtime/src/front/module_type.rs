//! Converts the core module types a component declares (for the modules
//! it imports) from `wasmtime-environ`'s form into our [`ModuleType`].

use wasmtime_environ::component::{ComponentTypes, TypeModuleIndex};
use wasmtime_environ::{
    EngineOrModuleTypeIndex, EntityType, IndexType, WasmHeapType, WasmRefType, WasmValType,
};

use crate::module_type::{CoreItemType, CoreValType, ModuleType};

/// The declared type of core module type `index`.
pub(super) fn module_type(types: &ComponentTypes, index: TypeModuleIndex) -> ModuleType {
    let ty = &types[index];
    ModuleType {
        imports: ty
            .imports
            .iter()
            .map(|((m, n), ty)| ((m.clone(), n.clone()), item(types, ty)))
            .collect(),
        exports: ty
            .exports
            .iter()
            .map(|(n, ty)| (n.clone(), item(types, ty)))
            .collect(),
    }
}

/// The parameter and result types of function type `index`.
fn signature(
    types: &ComponentTypes,
    index: EngineOrModuleTypeIndex,
) -> (Vec<CoreValType>, Vec<CoreValType>) {
    let Some(index) = index.as_module_type_index() else {
        // Module types of a component are interned in its own tables.
        return (Vec::new(), vec![CoreValType::OtherRef("?".into())]);
    };
    match types[index].as_func() {
        Some(f) => (
            f.params().iter().map(val).collect(),
            f.results().iter().map(val).collect(),
        ),
        // Not a function type: a signature nothing can match.
        None => (Vec::new(), vec![CoreValType::OtherRef("?".into())]),
    }
}

fn item(types: &ComponentTypes, ty: &EntityType) -> CoreItemType {
    match ty {
        EntityType::Function(index) => {
            let (params, results) = signature(types, *index);
            CoreItemType::Func { params, results }
        }
        EntityType::Memory(m) => CoreItemType::Memory {
            minimum: m.limits.min,
            maximum: m.limits.max,
            shared: m.shared,
            memory64: m.idx_type == IndexType::I64,
        },
        EntityType::Table(t) => CoreItemType::Table {
            element: reference(&t.ref_type),
            minimum: t.limits.min,
            maximum: t.limits.max,
            table64: t.idx_type == IndexType::I64,
        },
        EntityType::Global(g) => CoreItemType::Global {
            ty: val(&g.wasm_ty),
            mutable: g.mutability,
        },
        EntityType::Tag(t) => CoreItemType::Tag {
            params: signature(types, t.signature).0,
        },
    }
}

fn val(ty: &WasmValType) -> CoreValType {
    match ty {
        WasmValType::I32 => CoreValType::I32,
        WasmValType::I64 => CoreValType::I64,
        WasmValType::F32 => CoreValType::F32,
        WasmValType::F64 => CoreValType::F64,
        WasmValType::V128 => CoreValType::V128,
        WasmValType::Ref(r) => reference(r),
    }
}

fn reference(r: &WasmRefType) -> CoreValType {
    match r.heap_type {
        WasmHeapType::Func => CoreValType::FuncRef {
            nullable: r.nullable,
        },
        WasmHeapType::Extern => CoreValType::ExternRef {
            nullable: r.nullable,
        },
        _ => CoreValType::OtherRef(r.to_string()),
    }
}
