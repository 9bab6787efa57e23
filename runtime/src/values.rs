//! [`Val`]: a dynamically typed component-model value.

use crate::resources::ResourceAny;
use crate::types::Type;

/// A component-model value, for hosts and tools that work without static
/// types (the dynamic API: [`crate::LinkerInstance::func_new`] and
/// [`crate::Func::call`]).
///
/// Names (record fields, cases, flags) are the kebab-case names from WIT.
///
/// ```
/// use wit_host::Val;
/// let point = Val::Record(vec![("x".into(), Val::S32(1)), ("y".into(), Val::S32(2))]);
/// let maybe = Val::Option(Some(Box::new(Val::String("hi".into()))));
/// # let _ = (point, maybe);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Bool(bool),
    S8(i8),
    U8(u8),
    S16(i16),
    U16(u16),
    S32(i32),
    U32(u32),
    S64(i64),
    U64(u64),
    Float32(f32),
    Float64(f64),
    Char(char),
    String(String),
    List(Vec<Val>),
    /// Fields in the record type's order.
    Record(Vec<(String, Val)>),
    Tuple(Vec<Val>),
    /// Case name and payload.
    Variant(String, Option<Box<Val>>),
    /// Case name.
    Enum(String),
    Option(Option<Box<Val>>),
    Result(Result<Option<Box<Val>>, Option<Box<Val>>>),
    /// The names of the flags that are set.
    Flags(Vec<String>),
    /// An `own` or `borrow` handle to a resource.
    Resource(ResourceAny),
    /// A `map<K, V>` as its entries in order. Entries are passed as they
    /// are, duplicate keys included (a map type in Rust keeps the last).
    Map(Vec<(Val, Val)>),
    /// A `list<T, N>`: exactly `N` elements.
    FixedLengthList(Vec<Val>),
}

impl Val {
    /// A short description of the kind of value, for error messages.
    pub fn desc(&self) -> &'static str {
        match self {
            Val::Bool(_) => "bool",
            Val::S8(_) => "s8",
            Val::U8(_) => "u8",
            Val::S16(_) => "s16",
            Val::U16(_) => "u16",
            Val::S32(_) => "s32",
            Val::U32(_) => "u32",
            Val::S64(_) => "s64",
            Val::U64(_) => "u64",
            Val::Float32(_) => "f32",
            Val::Float64(_) => "f64",
            Val::Char(_) => "char",
            Val::String(_) => "string",
            Val::List(_) => "list",
            Val::Record(_) => "record",
            Val::Tuple(_) => "tuple",
            Val::Variant(..) => "variant",
            Val::Enum(_) => "enum",
            Val::Option(_) => "option",
            Val::Result(_) => "result",
            Val::Flags(_) => "flags",
            Val::Resource(_) => "resource",
            Val::Map(_) => "map",
            Val::FixedLengthList(_) => "fixed-length list",
        }
    }

    /// A placeholder value of the given type's kind: what result slots hold
    /// before a call fills them.
    pub fn default_for(ty: &Type) -> Val {
        match ty {
            Type::Bool => Val::Bool(false),
            Type::S8 => Val::S8(0),
            Type::U8 => Val::U8(0),
            Type::S16 => Val::S16(0),
            Type::U16 => Val::U16(0),
            Type::S32 => Val::S32(0),
            Type::U32 => Val::U32(0),
            Type::S64 => Val::S64(0),
            Type::U64 => Val::U64(0),
            Type::Float32 => Val::Float32(0.0),
            Type::Float64 => Val::Float64(0.0),
            Type::Char => Val::Char('\0'),
            Type::String => Val::String(String::new()),
            Type::List(_) => Val::List(Vec::new()),
            Type::Record(r) => Val::Record(
                r.fields()
                    .iter()
                    .map(|f| (f.name.clone(), Val::default_for(&f.ty)))
                    .collect(),
            ),
            Type::Tuple(t) => Val::Tuple(t.types().iter().map(Val::default_for).collect()),
            Type::Variant(v) => Val::Variant(
                v.cases()[0].name.clone(),
                v.cases()[0]
                    .ty
                    .as_ref()
                    .map(|t| Box::new(Val::default_for(t))),
            ),
            Type::Enum(e) => Val::Enum(e.names()[0].clone()),
            Type::Option(_) => Val::Option(None),
            Type::Result(r) => Val::Result(Ok(r.ok().map(|t| Box::new(Val::default_for(t))))),
            Type::Flags(_) => Val::Flags(Vec::new()),
            Type::Own(_) | Type::Borrow(_) => Val::U32(0),
            Type::Map(_) => Val::Map(Vec::new()),
            // Not `length` placeholders: a type may declare a billion.
            Type::FixedLengthList(_) => Val::FixedLengthList(Vec::new()),
        }
    }
}
