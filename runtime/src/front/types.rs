//! Converts `wasmtime-environ`'s interned component types into our
//! [`Type`] trees, once per distinct type.

use std::collections::HashMap;
use std::sync::Arc;

use wasmtime_environ::component::{
    ComponentTypes, InterfaceType, TypeDef, TypeFuncIndex, TypeResourceTable,
    TypeResourceTableIndex,
};

use crate::Result;
use crate::component_type::ComponentItem;
use crate::types::{Case, Field, FuncType, ResourceRef, Type};

/// A memoizing converter over one component's type tables.
pub(super) struct TypeConverter<'a> {
    types: &'a ComponentTypes,
    seen: HashMap<InterfaceType, Type>,
    funcs: HashMap<TypeFuncIndex, Arc<FuncType>>,
    /// Names of resource types (by resource index) found in the
    /// component's imports and exports.
    resource_names: HashMap<u32, String>,
}

impl<'a> TypeConverter<'a> {
    pub fn new(types: &'a ComponentTypes) -> Self {
        TypeConverter {
            types,
            seen: HashMap::new(),
            funcs: HashMap::new(),
            resource_names: HashMap::new(),
        }
    }

    /// The component's type tables.
    pub fn types(&self) -> &'a ComponentTypes {
        self.types
    }

    /// The resource type a handle-table type refers to, and the component
    /// instance whose table it is; `None` for abstract tables.
    pub fn table(&self, table: TypeResourceTableIndex) -> Option<(u32, u32)> {
        match self.types[table] {
            TypeResourceTable::Concrete { ty, instance } => Some((ty.as_u32(), instance.as_u32())),
            TypeResourceTable::Abstract(_) => None,
        }
    }

    /// Records the names of the resource types declared in an import or
    /// export named `name` (recursively through instances), so that handle
    /// types print with names.
    pub fn collect_names(&mut self, name: &str, def: &TypeDef) {
        match def {
            TypeDef::Resource(table) => {
                if let Some((resource, _)) = self.table(*table) {
                    self.resource_names
                        .entry(resource)
                        .or_insert_with(|| name.to_string());
                }
            }
            TypeDef::ComponentInstance(i) => {
                let types = self.types;
                for (name, ext) in types[*i].exports.iter() {
                    self.collect_names(name, &ext.ty);
                }
            }
            _ => {}
        }
    }

    /// Every resource type declared in the import or export at `path`, as
    /// (path of the name that declares it, resource index); a path inside
    /// an instance is `instance#name`.
    pub fn resource_paths(&self, path: &str, def: &TypeDef, out: &mut Vec<(String, u32)>) {
        match def {
            TypeDef::Resource(table) => {
                if let Some((resource, _)) = self.table(*table) {
                    out.push((path.to_string(), resource));
                }
            }
            TypeDef::ComponentInstance(i) => {
                for (name, ext) in self.types[*i].exports.iter() {
                    self.resource_paths(&format!("{path}#{name}"), &ext.ty, out);
                }
            }
            _ => {}
        }
    }

    /// The name of resource `resource`, for messages.
    pub fn resource_name(&self, resource: u32) -> String {
        self.resource_names
            .get(&resource)
            .cloned()
            .unwrap_or_else(|| format!("resource{resource}"))
    }

    fn handle(&self, table: TypeResourceTableIndex) -> ResourceRef {
        let name = match self.table(table) {
            Some((resource, _)) => self.resource_name(resource),
            None => "resource".into(),
        };
        ResourceRef::new(name, table.as_u32())
    }

    /// The function type at `index`.
    pub fn func(&mut self, index: TypeFuncIndex) -> Result<Arc<FuncType>> {
        if let Some(ty) = self.funcs.get(&index) {
            return Ok(ty.clone());
        }
        let f = &self.types[index];
        if f.async_ {
            crate::bail!("not supported yet: async functions");
        }
        let params = &self.types[f.params].types;
        let results = &self.types[f.results].types;
        let params = f
            .param_names
            .iter()
            .zip(params.iter())
            .map(|(name, ty)| Ok((name.clone(), self.ty(ty)?)))
            .collect::<Result<Vec<_>>>()?;
        let results = results
            .iter()
            .map(|ty| self.ty(ty))
            .collect::<Result<Vec<_>>>()?;
        let ty = Arc::new(FuncType::new(params, results));
        self.funcs.insert(index, ty.clone());
        Ok(ty)
    }

    /// The value type `ty`.
    pub fn ty(&mut self, ty: &InterfaceType) -> Result<Type> {
        if let Some(t) = self.seen.get(ty) {
            return Ok(t.clone());
        }
        let types = self.types;
        let t = match *ty {
            InterfaceType::Bool => Type::Bool,
            InterfaceType::S8 => Type::S8,
            InterfaceType::U8 => Type::U8,
            InterfaceType::S16 => Type::S16,
            InterfaceType::U16 => Type::U16,
            InterfaceType::S32 => Type::S32,
            InterfaceType::U32 => Type::U32,
            InterfaceType::S64 => Type::S64,
            InterfaceType::U64 => Type::U64,
            InterfaceType::Float32 => Type::Float32,
            InterfaceType::Float64 => Type::Float64,
            InterfaceType::Char => Type::Char,
            InterfaceType::String => Type::String,
            InterfaceType::List(i) => Type::list(self.ty(&types[i].element)?),
            InterfaceType::Record(i) => {
                let fields = types[i]
                    .fields
                    .iter()
                    .map(|f| {
                        Ok(Field {
                            name: f.name.clone(),
                            ty: self.ty(&f.ty)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Type::record(fields)
            }
            InterfaceType::Tuple(i) => Type::tuple(
                types[i]
                    .types
                    .iter()
                    .map(|t| self.ty(t))
                    .collect::<Result<Vec<_>>>()?,
            ),
            InterfaceType::Variant(i) => {
                let cases = types[i]
                    .cases
                    .iter()
                    .map(|(name, ty)| {
                        Ok(Case {
                            name: name.clone(),
                            ty: ty.as_ref().map(|t| self.ty(t)).transpose()?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Type::variant(cases)
            }
            InterfaceType::Enum(i) => Type::enum_(types[i].names.iter().cloned()),
            InterfaceType::Flags(i) => Type::flags(types[i].names.iter().cloned()),
            InterfaceType::Option(i) => Type::option(self.ty(&types[i].ty)?),
            InterfaceType::Result(i) => {
                let r = &types[i];
                let ok = r.ok.as_ref().map(|t| self.ty(t)).transpose()?;
                let err = r.err.as_ref().map(|t| self.ty(t)).transpose()?;
                Type::result(ok, err)
            }
            InterfaceType::Own(i) => Type::Own(self.handle(i)),
            InterfaceType::Borrow(i) => Type::Borrow(self.handle(i)),
            InterfaceType::Map(i) => {
                let key = self.ty(&types[i].key)?;
                Type::map(key, self.ty(&types[i].value)?)
            }
            InterfaceType::FixedLengthList(i) => {
                let l = &types[i];
                Type::fixed_length_list(self.ty(&l.element)?, l.size)
            }
            InterfaceType::Future(_)
            | InterfaceType::Stream(_)
            | InterfaceType::ErrorContext(_) => {
                crate::bail!("not supported yet: async types (future, stream, error-context)")
            }
        };
        self.seen.insert(*ty, t.clone());
        Ok(t)
    }

    /// The item type of an import or export, for [`crate::ComponentType`].
    pub fn item(&mut self, def: &TypeDef) -> Result<ComponentItem> {
        Ok(match def {
            TypeDef::ComponentFunc(i) => ComponentItem::Func((*self.func(*i)?).clone()),
            TypeDef::ComponentInstance(i) => {
                let types = self.types;
                let items = types[*i]
                    .exports
                    .iter()
                    .map(|(name, ext)| Ok((name.clone(), self.item(&ext.ty)?)))
                    .collect::<Result<Vec<_>>>()?;
                ComponentItem::Instance(items)
            }
            TypeDef::Interface(ty) => ComponentItem::Type(self.ty(ty)?),
            TypeDef::Module(i) => {
                ComponentItem::Module(super::module_type::module_type(self.types, *i))
            }
            // A core function type is never a component's import or
            // export; what names one is an alias to a core module item.
            TypeDef::CoreFunc(_) => ComponentItem::Module(Default::default()),
            TypeDef::Component(_) => ComponentItem::Component,
            TypeDef::Resource(table) => ComponentItem::Resource(match self.table(*table) {
                Some((resource, _)) => self.resource_name(resource),
                None => "resource".into(),
            }),
        })
    }
}
