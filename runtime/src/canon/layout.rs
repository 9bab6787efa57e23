//! Memory layout and flattening of interface types.
//!
//! Mirrors the spec's `alignment`, `elem_size`, `discriminant_type`,
//! `max_case_alignment` and `flatten_type` (CanonicalABI.md, "Alignment",
//! "Element Size", "Flattening"). Results are computed once per compound type
//! when it is built and cached in the type (see [`crate::types`]).

use std::borrow::Cow;

use crate::canon::flat::MAX_FLAT_PARAMS;
use crate::types::{FlatType, Type};

/// Size, alignment and flattened core types of one interface type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Layout {
    /// `elem_size`: bytes the value takes in linear memory.
    pub size: u32,
    /// `alignment`: required alignment in linear memory.
    pub align: u32,
    /// `flatten_type`: the core values that carry the value on the stack.
    pub flat: Cow<'static, [FlatType]>,
    /// Whether values of the type can contain resource handles (which
    /// lifting must move out of the guest's table).
    pub handles: bool,
}

const fn scalar(size: u32, flat: &'static [FlatType]) -> Layout {
    Layout {
        size,
        align: size,
        flat: Cow::Borrowed(flat),
        handles: false,
    }
}

static BOOL_8: Layout = scalar(1, &[FlatType::I32]);
static I16: Layout = scalar(2, &[FlatType::I32]);
static I32: Layout = scalar(4, &[FlatType::I32]);
static I64: Layout = scalar(8, &[FlatType::I64]);
static F32: Layout = scalar(4, &[FlatType::F32]);
static F64: Layout = scalar(8, &[FlatType::F64]);
/// Strings and lists: a pointer and a length.
static PTR_LEN: Layout = Layout {
    size: 8,
    align: 4,
    flat: Cow::Borrowed(&[FlatType::I32, FlatType::I32]),
    handles: false,
};
/// Lists whose elements contain handles.
static PTR_LEN_HANDLES: Layout = Layout {
    size: 8,
    align: 4,
    flat: Cow::Borrowed(&[FlatType::I32, FlatType::I32]),
    handles: true,
};
/// `own` and `borrow` handles: an `i32` index into a handle table.
static HANDLE: Layout = Layout {
    size: 4,
    align: 4,
    flat: Cow::Borrowed(&[FlatType::I32]),
    handles: true,
};

/// The layout of any type; cached for compound types.
pub(crate) fn layout_of(ty: &Type) -> &Layout {
    match ty {
        Type::Bool | Type::S8 | Type::U8 => &BOOL_8,
        Type::S16 | Type::U16 => &I16,
        Type::S32 | Type::U32 | Type::Char => &I32,
        Type::Own(_) | Type::Borrow(_) => &HANDLE,
        Type::S64 | Type::U64 => &I64,
        Type::Float32 => &F32,
        Type::Float64 => &F64,
        Type::String => &PTR_LEN,
        Type::List(l) => {
            if l.element().layout().handles {
                &PTR_LEN_HANDLES
            } else {
                &PTR_LEN
            }
        }
        Type::Map(m) => {
            if m.entry().layout().handles {
                &PTR_LEN_HANDLES
            } else {
                &PTR_LEN
            }
        }
        Type::FixedLengthList(l) => &l.0.layout,
        Type::Record(r) => &r.0.layout,
        Type::Tuple(t) => &t.0.layout,
        Type::Variant(v) => &v.0.layout,
        Type::Enum(e) => &e.0.layout,
        Type::Option(o) => &o.0.layout,
        Type::Result(r) => &r.0.layout,
        Type::Flags(f) => &f.0.layout,
    }
}

/// `align_to(ptr, alignment)`.
pub(crate) fn align_to(ptr: u32, align: u32) -> u32 {
    ptr.div_ceil(align) * align
}

/// Layout of a record (or tuple) with the given field types.
pub(crate) fn record_layout<'a>(fields: impl Iterator<Item = &'a Type>) -> Layout {
    let mut size = 0u32;
    let mut align = 1u32;
    let mut flat = Vec::new();
    let mut handles = false;
    for field in fields {
        let l = field.layout();
        size = align_to(size, l.align) + l.size;
        align = align.max(l.align);
        flat.extend_from_slice(&l.flat);
        handles |= l.handles;
    }
    Layout {
        size: align_to(size, align),
        align,
        flat: Cow::Owned(flat),
        handles,
    }
}

/// Layout of `list<element, length>` (`alignment_list`, `elem_size_list`
/// and `flatten_list` with a length): the elements inline, one after the
/// other.
///
/// The size saturates at `u32::MAX` (such a value fits no 32-bit memory,
/// so every range check refuses it). The flat types are only ever used when
/// there are at most [`MAX_FLAT_PARAMS`] of them; past that, the list keeps
/// just one more than that, so that a huge `length` allocates nothing.
pub(crate) fn fixed_length_list_layout(element: &Type, length: u32) -> Layout {
    let l = element.layout();
    let want = (l.flat.len() as u64).saturating_mul(u64::from(length));
    let keep = want.min(MAX_FLAT_PARAMS as u64 + 1) as usize;
    let flat: Vec<FlatType> = l.flat.iter().copied().cycle().take(keep).collect();
    Layout {
        size: l.size.saturating_mul(length),
        align: l.align,
        flat: Cow::Owned(flat),
        handles: l.handles,
    }
}

/// `discriminant_type`: the byte width of a variant's case index.
pub const fn discriminant_size(cases: usize) -> u32 {
    match cases {
        0..=0x100 => 1,
        0x101..=0x1_0000 => 2,
        _ => 4,
    }
}

/// Layout of a variant (or enum, option, result) with the given payloads.
pub(crate) fn variant_layout<'a>(cases: impl IntoIterator<Item = Option<&'a Type>>) -> Layout {
    let mut count = 0usize;
    let mut case_align = 1u32;
    let mut case_size = 0u32;
    let mut payload: Vec<FlatType> = Vec::new();
    let mut handles = false;
    for ty in cases {
        count += 1;
        let Some(ty) = ty else { continue };
        let l = ty.layout();
        handles |= l.handles;
        case_align = case_align.max(l.align);
        case_size = case_size.max(l.size);
        for (i, ft) in l.flat.iter().enumerate() {
            match payload.get_mut(i) {
                Some(have) => *have = join(*have, *ft),
                None => payload.push(*ft),
            }
        }
    }
    let disc = discriminant_size(count);
    let align = disc.max(case_align);
    let size = align_to(align_to(disc, case_align) + case_size, align);
    let mut flat = Vec::with_capacity(payload.len() + 1);
    flat.push(FlatType::I32);
    flat.extend(payload);
    Layout {
        size,
        align,
        flat: Cow::Owned(flat),
        handles,
    }
}

/// `join`: the core type that can carry either of two case payloads.
fn join(a: FlatType, b: FlatType) -> FlatType {
    use FlatType::*;
    match (a, b) {
        _ if a == b => a,
        (I32, F32) | (F32, I32) => I32,
        _ => I64,
    }
}

/// Number of 32-bit words that hold `n` flags.
pub(crate) fn flags_words(n: usize) -> usize {
    n.div_ceil(32)
}

/// Layout of a flags type with `n` flags.
pub(crate) fn flags_layout(n: usize) -> Layout {
    let (size, align) = match n {
        0 => (0, 1),
        1..=8 => (1, 1),
        9..=16 => (2, 2),
        _ => (4 * flags_words(n) as u32, 4),
    };
    Layout {
        size,
        align,
        flat: Cow::Owned(vec![FlatType::I32; flags_words(n)]),
        handles: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Case, Field};

    fn field(name: &str, ty: Type) -> Field {
        Field {
            name: name.into(),
            ty,
        }
    }

    #[test]
    fn record_fields_are_aligned() {
        let t = Type::record([
            field("a", Type::U8),
            field("b", Type::U64),
            field("c", Type::U16),
        ]);
        let l = t.layout();
        assert_eq!((l.size, l.align), (24, 8));
        assert_eq!(&l.flat[..], &[FlatType::I32, FlatType::I64, FlatType::I32]);
    }

    #[test]
    fn variant_joins_payloads() {
        let t = Type::variant([
            Case {
                name: "a".into(),
                ty: Some(Type::Float32),
            },
            Case {
                name: "b".into(),
                ty: Some(Type::U32),
            },
            Case {
                name: "c".into(),
                ty: Some(Type::Float64),
            },
        ]);
        let l = t.layout();
        assert_eq!((l.size, l.align), (16, 8));
        assert_eq!(&l.flat[..], &[FlatType::I32, FlatType::I64]);
    }

    #[test]
    fn flags_sizes_follow_the_count() {
        assert_eq!(flags_layout(8).size, 1);
        assert_eq!(flags_layout(9).size, 2);
        assert_eq!(flags_layout(17).size, 4);
        assert_eq!(flags_layout(33).size, 8);
        assert_eq!(flags_layout(33).flat.len(), 2);
    }

    #[test]
    fn fixed_length_lists_are_inline_and_bounded() {
        let t = Type::fixed_length_list(Type::U16, 3);
        let l = t.layout();
        assert_eq!((l.size, l.align), (6, 2));
        assert_eq!(&l.flat[..], &[FlatType::I32; 3]);
        let pairs = Type::fixed_length_list(Type::tuple([Type::U8, Type::U64]), 2);
        assert_eq!(
            &pairs.layout().flat[..],
            &[FlatType::I32, FlatType::I64, FlatType::I32, FlatType::I64]
        );
        // A huge length neither overflows the size nor allocates its flat types.
        let huge = Type::fixed_length_list(Type::U64, u32::MAX);
        assert_eq!(huge.layout().size, u32::MAX);
        assert_eq!(huge.layout().flat.len(), MAX_FLAT_PARAMS + 1);
        let empty_elems = Type::fixed_length_list(Type::tuple([]), 1 << 30);
        assert_eq!(
            (empty_elems.layout().size, empty_elems.layout().flat.len()),
            (0, 0)
        );
    }

    #[test]
    fn maps_are_pointer_and_length() {
        let t = Type::map(Type::String, Type::U8);
        assert_eq!((t.layout().size, t.layout().align), (8, 4));
        assert_eq!(t.to_string(), "map<string, u8>");
    }

    #[test]
    fn discriminant_grows_with_cases() {
        assert_eq!(discriminant_size(2), 1);
        assert_eq!(discriminant_size(256), 1);
        assert_eq!(discriminant_size(257), 2);
        assert_eq!(discriminant_size(70000), 4);
    }
}
