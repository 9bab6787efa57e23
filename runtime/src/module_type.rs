//! [`ModuleType`]: the type a component declares for a core module it
//! imports, and the check of a host's module against it.
//!
//! The translator validated the component against the *declared* type: it
//! lets the component call the module's exports with the declared
//! signatures (as `canon lift` targets, `realloc`, `post-return`, …),
//! some of them through unchecked calls. A module the host supplies with
//! [`crate::LinkerInstance::module`] must therefore provide every declared
//! export with a type at least as good, and import nothing the component
//! does not give it, as the core module linking rules say: exports are
//! covariant (the module may give more), imports contravariant (it may ask
//! for less). The check runs once, at `instantiate_pre`.

use std::fmt;

use crate::{Result, bail};

/// A core value type, as a module type names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreValType {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `v128`.
    V128,
    /// `funcref` (nullable or not).
    FuncRef {
        /// Whether `null` is a value of the type.
        nullable: bool,
    },
    /// `externref` (nullable or not).
    ExternRef {
        /// Whether `null` is a value of the type.
        nullable: bool,
    },
    /// Any other reference type (GC proposal), by its text.
    OtherRef(String),
}

impl fmt::Display for CoreValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoreValType::I32 => f.write_str("i32"),
            CoreValType::I64 => f.write_str("i64"),
            CoreValType::F32 => f.write_str("f32"),
            CoreValType::F64 => f.write_str("f64"),
            CoreValType::V128 => f.write_str("v128"),
            CoreValType::FuncRef { nullable: true } => f.write_str("funcref"),
            CoreValType::FuncRef { nullable: false } => f.write_str("(ref func)"),
            CoreValType::ExternRef { nullable: true } => f.write_str("externref"),
            CoreValType::ExternRef { nullable: false } => f.write_str("(ref extern)"),
            CoreValType::OtherRef(text) => f.write_str(text),
        }
    }
}

/// The type of one import or export of a core module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoreItemType {
    /// A function.
    Func {
        /// Parameter types.
        params: Vec<CoreValType>,
        /// Result types.
        results: Vec<CoreValType>,
    },
    /// A linear memory.
    Memory {
        /// Minimum size, in pages.
        minimum: u64,
        /// Maximum size, in pages.
        maximum: Option<u64>,
        /// Whether it is shared (threads).
        shared: bool,
        /// Whether it is indexed by `i64` (memory64).
        memory64: bool,
    },
    /// A table.
    Table {
        /// The element type.
        element: CoreValType,
        /// Minimum size, in elements.
        minimum: u64,
        /// Maximum size, in elements.
        maximum: Option<u64>,
        /// Whether it is indexed by `i64`.
        table64: bool,
    },
    /// A global.
    Global {
        /// The value type.
        ty: CoreValType,
        /// Whether it is mutable.
        mutable: bool,
    },
    /// An exception tag with this payload.
    Tag {
        /// The payload's types.
        params: Vec<CoreValType>,
    },
}

impl fmt::Display for CoreItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, kind: &str, tys: &[CoreValType]| {
            for ty in tys {
                write!(f, " ({kind} {ty})")?;
            }
            Ok(())
        };
        let limits = |f: &mut fmt::Formatter<'_>, min: u64, max: Option<u64>| match max {
            Some(max) => write!(f, " {min} {max}"),
            None => write!(f, " {min}"),
        };
        match self {
            CoreItemType::Func { params, results } => {
                f.write_str("(func")?;
                list(f, "param", params)?;
                list(f, "result", results)?;
                f.write_str(")")
            }
            CoreItemType::Memory {
                minimum,
                maximum,
                shared,
                memory64,
            } => {
                f.write_str("(memory")?;
                if *memory64 {
                    f.write_str(" i64")?;
                }
                limits(f, *minimum, *maximum)?;
                if *shared {
                    f.write_str(" shared")?;
                }
                f.write_str(")")
            }
            CoreItemType::Table {
                element,
                minimum,
                maximum,
                table64,
            } => {
                f.write_str("(table")?;
                if *table64 {
                    f.write_str(" i64")?;
                }
                limits(f, *minimum, *maximum)?;
                write!(f, " {element})")
            }
            CoreItemType::Global { ty, mutable: true } => write!(f, "(global (mut {ty}))"),
            CoreItemType::Global { ty, mutable: false } => write!(f, "(global {ty})"),
            CoreItemType::Tag { params } => {
                f.write_str("(tag")?;
                list(f, "param", params)?;
                f.write_str(")")
            }
        }
    }
}

/// The type of a core module: its imports and exports.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ModuleType {
    pub(crate) imports: Vec<((String, String), CoreItemType)>,
    pub(crate) exports: Vec<(String, CoreItemType)>,
}

impl ModuleType {
    /// The imports: (module, name) and type.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = ((&str, &str), &CoreItemType)> {
        self.imports
            .iter()
            .map(|((m, n), ty)| ((m.as_str(), n.as_str()), ty))
    }

    /// The exports: name and type.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = (&str, &CoreItemType)> {
        self.exports.iter().map(|(n, ty)| (n.as_str(), ty))
    }

    /// Checks that `module` can stand where this type is declared: it
    /// exports at least what is declared, each with a type that is a
    /// subtype of the declared one, and imports only what is declared,
    /// each with a type the declared one satisfies.
    pub(crate) fn check(&self, module: &wasmtime::Module) -> Result<()> {
        for (name, expected) in &self.exports {
            let Some(actual) = module.get_export(name) else {
                bail!(
                    "the module does not export `{name}`, which the component expects: {expected}"
                );
            };
            let actual = item_type(&actual)?;
            if !subtype(&actual, expected) {
                bail!(
                    "the module's export `{name}` has type {actual}, the component expects {expected}"
                );
            }
        }
        for import in module.imports() {
            let (m, n) = (import.module(), import.name());
            let Some((_, given)) = self.imports.iter().find(|((dm, dn), _)| dm == m && dn == n)
            else {
                bail!("the module imports `{m}` `{n}`, which the component does not give it");
            };
            let wanted = item_type(&import.ty())?;
            if !subtype(given, &wanted) {
                bail!("the module imports `{m}` `{n}` as {wanted}, the component gives it {given}");
            }
        }
        Ok(())
    }
}

impl fmt::Display for ModuleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(module")?;
        for ((m, n), ty) in &self.imports {
            write!(f, " (import {m:?} {n:?} {ty})")?;
        }
        for (n, ty) in &self.exports {
            write!(f, " (export {n:?} {ty})")?;
        }
        f.write_str(")")
    }
}

/// Whether limits `(min, max)` fit within `(min2, max2)`.
fn limits_within(min: u64, max: Option<u64>, min2: u64, max2: Option<u64>) -> bool {
    min >= min2
        && match (max, max2) {
            (_, None) => true,
            (Some(max), Some(max2)) => max <= max2,
            (None, Some(_)) => false,
        }
}

/// Whether a value of type `a` can be used where `b` is expected.
fn val_subtype(a: &CoreValType, b: &CoreValType) -> bool {
    match (a, b) {
        (CoreValType::FuncRef { nullable: na }, CoreValType::FuncRef { nullable: nb })
        | (CoreValType::ExternRef { nullable: na }, CoreValType::ExternRef { nullable: nb }) => {
            !na || *nb
        }
        // Types we do not model are matched only when equal.
        _ => a == b,
    }
}

/// Whether an item of type `a` can be used where `b` is expected.
fn subtype(a: &CoreItemType, b: &CoreItemType) -> bool {
    match (a, b) {
        // Function types match exactly (no subtyping in the MVP).
        (CoreItemType::Func { .. }, CoreItemType::Func { .. }) => a == b,
        (
            CoreItemType::Memory {
                minimum,
                maximum,
                shared,
                memory64,
            },
            CoreItemType::Memory {
                minimum: min2,
                maximum: max2,
                shared: shared2,
                memory64: m64,
            },
        ) => {
            shared == shared2 && memory64 == m64 && limits_within(*minimum, *maximum, *min2, *max2)
        }
        (
            CoreItemType::Table {
                element,
                minimum,
                maximum,
                table64,
            },
            CoreItemType::Table {
                element: e2,
                minimum: min2,
                maximum: max2,
                table64: t64,
            },
        ) => element == e2 && table64 == t64 && limits_within(*minimum, *maximum, *min2, *max2),
        (
            CoreItemType::Global { ty, mutable },
            CoreItemType::Global {
                ty: ty2,
                mutable: mutable2,
            },
        ) => {
            // A mutable global is invariant; an immutable one covariant.
            mutable == mutable2
                && if *mutable {
                    ty == ty2
                } else {
                    val_subtype(ty, ty2)
                }
        }
        (CoreItemType::Tag { .. }, CoreItemType::Tag { .. }) => a == b,
        _ => false,
    }
}

/// Our type of a wasmtime value type.
fn val_type(ty: &wasmtime::ValType) -> CoreValType {
    use wasmtime::{HeapType, ValType};
    match ty {
        ValType::I32 => CoreValType::I32,
        ValType::I64 => CoreValType::I64,
        ValType::F32 => CoreValType::F32,
        ValType::F64 => CoreValType::F64,
        ValType::V128 => CoreValType::V128,
        ValType::Ref(r) => match r.heap_type() {
            HeapType::Func => CoreValType::FuncRef {
                nullable: r.is_nullable(),
            },
            HeapType::Extern => CoreValType::ExternRef {
                nullable: r.is_nullable(),
            },
            _ => CoreValType::OtherRef(r.to_string()),
        },
    }
}

/// Our type of a wasmtime item type.
fn item_type(ty: &wasmtime::ExternType) -> Result<CoreItemType> {
    use wasmtime::ExternType;
    Ok(match ty {
        ExternType::Func(f) => CoreItemType::Func {
            params: f.params().map(|t| val_type(&t)).collect(),
            results: f.results().map(|t| val_type(&t)).collect(),
        },
        ExternType::Memory(m) => CoreItemType::Memory {
            minimum: m.minimum(),
            maximum: m.maximum(),
            shared: m.is_shared(),
            memory64: m.is_64(),
        },
        ExternType::Table(t) => CoreItemType::Table {
            element: val_type(&wasmtime::ValType::Ref(t.element().clone())),
            minimum: t.minimum(),
            maximum: t.maximum(),
            table64: t.is_64(),
        },
        ExternType::Global(g) => CoreItemType::Global {
            ty: val_type(g.content()),
            mutable: g.mutability() == wasmtime::Mutability::Var,
        },
        ExternType::Tag(t) => CoreItemType::Tag {
            params: t.ty().params().map(|t| val_type(&t)).collect(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn func(params: &[CoreValType], results: &[CoreValType]) -> CoreItemType {
        CoreItemType::Func {
            params: params.to_vec(),
            results: results.to_vec(),
        }
    }

    fn memory(minimum: u64, maximum: Option<u64>) -> CoreItemType {
        CoreItemType::Memory {
            minimum,
            maximum,
            shared: false,
            memory64: false,
        }
    }

    fn module(text: &str) -> wasmtime::Module {
        let bytes = wat::parse_str(text).unwrap();
        wasmtime::Module::new(&wasmtime::Engine::default(), bytes).unwrap()
    }

    #[test]
    fn exports_must_be_present_with_a_subtype() {
        use CoreValType::*;
        let declared = ModuleType {
            imports: Vec::new(),
            exports: vec![
                ("pr".into(), func(&[I32], &[])),
                ("memory".into(), memory(1, None)),
            ],
        };
        let good = module(
            r#"(module (memory (export "memory") 2 3) (func (export "pr") (param i32))
                       (func (export "extra")))"#,
        );
        declared.check(&good).unwrap();
        let wrong_sig = module(
            r#"(module (memory (export "memory") 1) (func (export "pr") (param i64) (result i64)
                         local.get 0))"#,
        );
        let err = declared.check(&wrong_sig).unwrap_err().to_string();
        assert_eq!(
            err,
            "the module's export `pr` has type (func (param i64) (result i64)), the component expects (func (param i32))"
        );
        let missing = module(r#"(module (func (export "pr") (param i32)))"#);
        let err = declared.check(&missing).unwrap_err().to_string();
        assert!(err.contains("does not export `memory`"), "{err}");
    }

    #[test]
    fn imports_must_be_given_with_a_type_that_satisfies_them() {
        use CoreValType::*;
        let declared = ModuleType {
            imports: vec![(("host".into(), "f".into()), func(&[I32], &[I32]))],
            exports: Vec::new(),
        };
        declared.check(&module("(module)")).unwrap();
        declared
            .check(&module(
                r#"(module (import "host" "f" (func (param i32) (result i32))))"#,
            ))
            .unwrap();
        let err = declared
            .check(&module(r#"(module (import "host" "g" (func)))"#))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`host` `g`, which the component does not give"),
            "{err}"
        );
        let err = declared
            .check(&module(
                r#"(module (import "host" "f" (func (param i32))))"#,
            ))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("imports `host` `f` as (func (param i32))"),
            "{err}"
        );
    }

    #[test]
    fn memory_limits_and_globals_follow_the_subtyping_rules() {
        assert!(subtype(&memory(2, Some(3)), &memory(1, Some(4))));
        assert!(!subtype(&memory(1, None), &memory(1, Some(4))));
        assert!(!subtype(&memory(0, None), &memory(1, None)));
        let global = |ty, mutable| CoreItemType::Global { ty, mutable };
        let func_ref = |nullable| CoreValType::FuncRef { nullable };
        assert!(subtype(
            &global(func_ref(false), false),
            &global(func_ref(true), false)
        ));
        assert!(!subtype(
            &global(func_ref(false), true),
            &global(func_ref(true), true)
        ));
        assert!(!subtype(
            &global(CoreValType::I32, true),
            &global(CoreValType::I32, false)
        ));
    }
}
