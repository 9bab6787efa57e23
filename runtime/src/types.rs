//! Interface value types: what crosses a component boundary.
//!
//! A [`Type`] is a tree of shared nodes; every compound node carries its
//! canonical-ABI layout (size, alignment, flattened core types), computed
//! once when the type is built (see `canon::layout`), so that lifting
//! and lowering never recompute it.

use std::fmt;
use std::sync::Arc;

use crate::canon::layout::{self, Layout};

/// The type of a component-model value.
///
/// Compound types are cheap to clone (reference counted).
///
/// ```
/// use wit_host::types::Type;
/// let t = Type::list(Type::U8);
/// assert_eq!(t.to_string(), "list<u8>");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    Float32,
    Float64,
    Char,
    String,
    List(List),
    Record(Record),
    Tuple(Tuple),
    Variant(Variant),
    Enum(Enum),
    Option(OptionType),
    Result(ResultType),
    Flags(Flags),
    /// An owned handle to a resource.
    Own(ResourceRef),
    /// A borrowed handle to a resource.
    Borrow(ResourceRef),
    /// `map<K, V>` (the component model's map proposal; see
    /// [`crate::Config`]).
    Map(Map),
    /// `list<T, N>`: a list of exactly `N` elements (the component model's
    /// fixed-length-lists proposal).
    FixedLengthList(FixedLengthList),
}

/// A core WebAssembly value type, as produced by `flatten_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlatType {
    I32,
    I64,
    F32,
    F64,
}

/// Declares a public handle around a shared payload in [`shared`].
macro_rules! shared_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub(crate) Arc<shared::$name>);
    };
}

/// The shared payloads behind the compound types.
pub(crate) mod shared {
    use super::*;

    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct List {
        pub element: Type,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Map {
        pub key: Type,
        pub value: Type,
        /// `tuple<key, value>`: how one entry is laid out in memory.
        pub entry: Type,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct FixedLengthList {
        pub element: Type,
        pub length: u32,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Record {
        pub fields: Box<[Field]>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Tuple {
        pub types: Box<[Type]>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Variant {
        pub cases: Box<[Case]>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Enum {
        pub names: Box<[String]>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct OptionType {
        pub some: Type,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct ResultType {
        pub ok: Option<Type>,
        pub err: Option<Type>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct Flags {
        pub names: Box<[String]>,
        pub layout: Layout,
    }
    #[derive(Debug, PartialEq, Eq, Hash)]
    pub struct ResourceRef {
        pub name: String,
        pub table: u32,
    }
}

shared_type!(
    /// `list<T>`.
    List
);
shared_type!(
    /// `map<K, V>`: in the canonical ABI, a `list<tuple<K, V>>`.
    Map
);
shared_type!(
    /// `list<T, N>`: exactly `N` elements, stored inline (no pointer).
    FixedLengthList
);
shared_type!(
    /// `record { ... }`: named fields in order.
    Record
);
shared_type!(
    /// `tuple<...>`.
    Tuple
);
shared_type!(
    /// `variant { ... }`: named cases, each with an optional payload.
    Variant
);
shared_type!(
    /// `enum { ... }`: named cases without payloads.
    Enum
);
shared_type!(
    /// `option<T>`.
    OptionType
);
shared_type!(
    /// `result<T, E>`, either side optional.
    ResultType
);
shared_type!(
    /// `flags { ... }`: a set of named bits, any count.
    Flags
);
shared_type!(
    /// A resource type as a component declares it: its name and the
    /// component's handle-table type. (The run-time identity of a resource
    /// type is [`crate::ResourceType`].)
    ResourceRef
);

/// A field of a [`Record`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field's name in kebab-case, as in WIT.
    pub name: String,
    /// The field's type.
    pub ty: Type,
}

/// A case of a [`Variant`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Case {
    /// The case's name in kebab-case, as in WIT.
    pub name: String,
    /// The payload type, if the case carries one.
    pub ty: Option<Type>,
}

impl Type {
    /// `list<element>`.
    pub fn list(element: Type) -> Type {
        Type::List(List(Arc::new(shared::List { element })))
    }

    /// `map<key, value>`.
    pub fn map(key: Type, value: Type) -> Type {
        let entry = Type::tuple([key.clone(), value.clone()]);
        Type::Map(Map(Arc::new(shared::Map { key, value, entry })))
    }

    /// `list<element, length>`. Its size in memory saturates at `u32::MAX`
    /// bytes (a value that large can never be stored, so using it is an
    /// error rather than a wrong layout).
    pub fn fixed_length_list(element: Type, length: u32) -> Type {
        let layout = layout::fixed_length_list_layout(&element, length);
        Type::FixedLengthList(FixedLengthList(Arc::new(shared::FixedLengthList {
            element,
            length,
            layout,
        })))
    }

    /// `record { fields }`.
    pub fn record(fields: impl IntoIterator<Item = Field>) -> Type {
        let fields: Box<[Field]> = fields.into_iter().collect();
        let layout = layout::record_layout(fields.iter().map(|f| &f.ty));
        Type::Record(Record(Arc::new(shared::Record { fields, layout })))
    }

    /// `tuple<types>`.
    pub fn tuple(types: impl IntoIterator<Item = Type>) -> Type {
        let types: Box<[Type]> = types.into_iter().collect();
        let layout = layout::record_layout(types.iter());
        Type::Tuple(Tuple(Arc::new(shared::Tuple { types, layout })))
    }

    /// `variant { cases }`.
    pub fn variant(cases: impl IntoIterator<Item = Case>) -> Type {
        let cases: Box<[Case]> = cases.into_iter().collect();
        let layout = layout::variant_layout(cases.iter().map(|c| c.ty.as_ref()));
        Type::Variant(Variant(Arc::new(shared::Variant { cases, layout })))
    }

    /// `enum { names }`.
    pub fn enum_(names: impl IntoIterator<Item = String>) -> Type {
        let names: Box<[String]> = names.into_iter().collect();
        let layout = layout::variant_layout(names.iter().map(|_| None));
        Type::Enum(Enum(Arc::new(shared::Enum { names, layout })))
    }

    /// `option<some>`.
    pub fn option(some: Type) -> Type {
        let layout = layout::variant_layout([None, Some(&some)]);
        Type::Option(OptionType(Arc::new(shared::OptionType { some, layout })))
    }

    /// `result<ok, err>`.
    pub fn result(ok: Option<Type>, err: Option<Type>) -> Type {
        let layout = layout::variant_layout([ok.as_ref(), err.as_ref()]);
        Type::Result(ResultType(Arc::new(shared::ResultType { ok, err, layout })))
    }

    /// `flags { names }`.
    pub fn flags(names: impl IntoIterator<Item = String>) -> Type {
        let names: Box<[String]> = names.into_iter().collect();
        let layout = layout::flags_layout(names.len());
        Type::Flags(Flags(Arc::new(shared::Flags { names, layout })))
    }

    /// The canonical-ABI layout of this type: size and alignment in linear
    /// memory and the flattened core types.
    pub(crate) fn layout(&self) -> &Layout {
        layout::layout_of(self)
    }

    /// A short description of the kind of type, for error messages.
    pub fn desc(&self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::S8 => "s8",
            Type::U8 => "u8",
            Type::S16 => "s16",
            Type::U16 => "u16",
            Type::S32 => "s32",
            Type::U32 => "u32",
            Type::S64 => "s64",
            Type::U64 => "u64",
            Type::Float32 => "f32",
            Type::Float64 => "f64",
            Type::Char => "char",
            Type::String => "string",
            Type::List(_) => "list",
            Type::Record(_) => "record",
            Type::Tuple(_) => "tuple",
            Type::Variant(_) => "variant",
            Type::Enum(_) => "enum",
            Type::Option(_) => "option",
            Type::Result(_) => "result",
            Type::Flags(_) => "flags",
            Type::Own(_) => "own",
            Type::Borrow(_) => "borrow",
            Type::Map(_) => "map",
            Type::FixedLengthList(_) => "fixed-length list",
        }
    }
}

impl List {
    /// The element type.
    pub fn element(&self) -> &Type {
        &self.0.element
    }
}

impl Map {
    /// The key type.
    pub fn key(&self) -> &Type {
        &self.0.key
    }
    /// The value type.
    pub fn value(&self) -> &Type {
        &self.0.value
    }
    /// `tuple<key, value>`: one entry as the canonical ABI lays it out.
    pub(crate) fn entry(&self) -> &Type {
        &self.0.entry
    }
}

impl FixedLengthList {
    /// The element type.
    pub fn element(&self) -> &Type {
        &self.0.element
    }
    /// The number of elements every value has.
    pub fn length(&self) -> u32 {
        self.0.length
    }
}

impl Record {
    /// The fields, in declaration order.
    pub fn fields(&self) -> &[Field] {
        &self.0.fields
    }
}

impl Tuple {
    /// The element types, in order.
    pub fn types(&self) -> &[Type] {
        &self.0.types
    }
}

impl Variant {
    /// The cases, in declaration order.
    pub fn cases(&self) -> &[Case] {
        &self.0.cases
    }
}

impl Enum {
    /// The case names, in declaration order.
    pub fn names(&self) -> &[String] {
        &self.0.names
    }
}

impl OptionType {
    /// The type inside `some`.
    pub fn some(&self) -> &Type {
        &self.0.some
    }
}

impl ResultType {
    /// The `ok` payload type, if any.
    pub fn ok(&self) -> Option<&Type> {
        self.0.ok.as_ref()
    }
    /// The `err` payload type, if any.
    pub fn err(&self) -> Option<&Type> {
        self.0.err.as_ref()
    }
}

impl Flags {
    /// The flag names, in declaration order (bit 0 first).
    pub fn names(&self) -> &[String] {
        &self.0.names
    }
}

impl ResourceRef {
    pub(crate) fn new(name: String, table: u32) -> ResourceRef {
        ResourceRef(Arc::new(shared::ResourceRef { name, table }))
    }
    /// The component's resource table type this handle type belongs to.
    pub(crate) fn table(&self) -> u32 {
        self.0.table
    }
    /// The resource's name as the component declares it.
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

/// The type of a component function: named parameters and results.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub(crate) params: Box<[(String, Type)]>,
    pub(crate) results: Box<[Type]>,
}

impl FuncType {
    /// Builds a function type.
    pub fn new(
        params: impl IntoIterator<Item = (String, Type)>,
        results: impl IntoIterator<Item = Type>,
    ) -> FuncType {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }
    /// Parameter names and types, in order.
    pub fn params(&self) -> &[(String, Type)] {
        &self.params
    }
    /// Result types (zero or one in the current component model).
    pub fn results(&self) -> &[Type] {
        &self.results
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T>(
            f: &mut fmt::Formatter<'_>,
            items: &[T],
            each: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
        ) -> fmt::Result {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                each(f, item)?;
            }
            Ok(())
        }
        match self {
            Type::List(l) => write!(f, "list<{}>", l.element()),
            Type::Map(m) => write!(f, "map<{}, {}>", m.key(), m.value()),
            Type::FixedLengthList(l) => write!(f, "list<{}, {}>", l.element(), l.length()),
            Type::Record(r) => {
                f.write_str("record { ")?;
                list(f, r.fields(), |f, fd| write!(f, "{}: {}", fd.name, fd.ty))?;
                f.write_str(" }")
            }
            Type::Tuple(t) => {
                f.write_str("tuple<")?;
                list(f, t.types(), |f, ty| write!(f, "{ty}"))?;
                f.write_str(">")
            }
            Type::Variant(v) => {
                f.write_str("variant { ")?;
                list(f, v.cases(), |f, c| match &c.ty {
                    Some(ty) => write!(f, "{}({ty})", c.name),
                    None => f.write_str(&c.name),
                })?;
                f.write_str(" }")
            }
            Type::Enum(e) => {
                f.write_str("enum { ")?;
                list(f, e.names(), |f, n| f.write_str(n))?;
                f.write_str(" }")
            }
            Type::Flags(e) => {
                f.write_str("flags { ")?;
                list(f, e.names(), |f, n| f.write_str(n))?;
                f.write_str(" }")
            }
            Type::Option(o) => write!(f, "option<{}>", o.some()),
            Type::Result(r) => match (r.ok(), r.err()) {
                (None, None) => f.write_str("result"),
                (Some(ok), None) => write!(f, "result<{ok}>"),
                (None, Some(err)) => write!(f, "result<_, {err}>"),
                (Some(ok), Some(err)) => write!(f, "result<{ok}, {err}>"),
            },
            Type::Own(r) => write!(f, "own<{}>", r.name()),
            Type::Borrow(r) => write!(f, "borrow<{}>", r.name()),
            other => f.write_str(other.desc()),
        }
    }
}

impl fmt::Debug for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("func(")?;
        for (i, (name, ty)) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {ty}")?;
        }
        f.write_str(")")?;
        if let Some(result) = self.results.first() {
            write!(f, " -> {result}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
