//! [`Codec`] for the interface and core types a plan carries. Compound
//! types are rebuilt through their constructors, so every layout is
//! computed again on load, never trusted from the bytes.

use super::codec::{Codec, Reader, Writer, codec_enum, codec_struct, codec_unit_enum};
use crate::Result;
use crate::component_type::ComponentItem;
use crate::module_type::{CoreItemType, CoreValType, ModuleType};
use crate::types::{Case, Field, FlatType, FuncType, ResourceRef, Type};

codec_unit_enum!(FlatType { I32, I64, F32, F64 });
codec_struct!(Field { name, ty });
codec_struct!(Case { name, ty });
codec_struct!(FuncType { params, results });
codec_struct!(ModuleType { imports, exports });

impl Codec for Type {
    fn encode(&self, w: &mut Writer) {
        match self {
            Type::Bool => w.u8(0),
            Type::S8 => w.u8(1),
            Type::U8 => w.u8(2),
            Type::S16 => w.u8(3),
            Type::U16 => w.u8(4),
            Type::S32 => w.u8(5),
            Type::U32 => w.u8(6),
            Type::S64 => w.u8(7),
            Type::U64 => w.u8(8),
            Type::Float32 => w.u8(9),
            Type::Float64 => w.u8(10),
            Type::Char => w.u8(11),
            Type::String => w.u8(12),
            Type::List(t) => {
                w.u8(13);
                t.element().encode(w);
            }
            Type::Record(t) => {
                w.u8(14);
                t.fields().to_vec().encode(w);
            }
            Type::Tuple(t) => {
                w.u8(15);
                t.types().to_vec().encode(w);
            }
            Type::Variant(t) => {
                w.u8(16);
                t.cases().to_vec().encode(w);
            }
            Type::Enum(t) => {
                w.u8(17);
                t.names().to_vec().encode(w);
            }
            Type::Option(t) => {
                w.u8(18);
                t.some().encode(w);
            }
            Type::Result(t) => {
                w.u8(19);
                t.ok().cloned().encode(w);
                t.err().cloned().encode(w);
            }
            Type::Flags(t) => {
                w.u8(20);
                t.names().to_vec().encode(w);
            }
            Type::Own(r) | Type::Borrow(r) => {
                w.u8(if matches!(self, Type::Own(_)) { 21 } else { 22 });
                r.name().to_owned().encode(w);
                r.table().encode(w);
            }
            Type::Map(t) => {
                w.u8(23);
                t.key().encode(w);
                t.value().encode(w);
            }
            Type::FixedLengthList(t) => {
                w.u8(24);
                t.element().encode(w);
                t.length().encode(w);
            }
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(match r.u8()? {
            0 => Type::Bool,
            1 => Type::S8,
            2 => Type::U8,
            3 => Type::S16,
            4 => Type::U16,
            5 => Type::S32,
            6 => Type::U32,
            7 => Type::S64,
            8 => Type::U64,
            9 => Type::Float32,
            10 => Type::Float64,
            11 => Type::Char,
            12 => Type::String,
            13 => Type::list(Type::decode(r)?),
            14 => Type::record(Vec::<Field>::decode(r)?),
            15 => Type::tuple(Vec::<Type>::decode(r)?),
            16 => Type::variant(Vec::<Case>::decode(r)?),
            17 => Type::enum_(Vec::<String>::decode(r)?),
            18 => Type::option(Type::decode(r)?),
            19 => Type::result(Option::decode(r)?, Option::decode(r)?),
            20 => Type::flags(Vec::<String>::decode(r)?),
            tag @ (21 | 22) => {
                let resource = ResourceRef::new(String::decode(r)?, u32::decode(r)?);
                if tag == 21 {
                    Type::Own(resource)
                } else {
                    Type::Borrow(resource)
                }
            }
            23 => Type::map(Type::decode(r)?, Type::decode(r)?),
            24 => Type::fixed_length_list(Type::decode(r)?, u32::decode(r)?),
            tag => return Reader::bad_tag("value type", tag),
        })
    }
}

codec_enum!(ComponentItem {
    0 => Func(ty),
    1 => Instance(items),
    2 => Module(ty),
    3 => Component,
    4 => Type(ty),
    5 => Resource(name),
});

codec_enum!(CoreValType {
    0 => I32,
    1 => I64,
    2 => F32,
    3 => F64,
    4 => V128,
    5 => FuncRef { nullable },
    6 => ExternRef { nullable },
    7 => OtherRef(text),
});

codec_enum!(CoreItemType {
    0 => Func { params, results },
    1 => Memory { minimum, maximum, shared, memory64 },
    2 => Table { element, minimum, maximum, table64 },
    3 => Global { ty, mutable },
    4 => Tag { params },
});
