//! Random component value types, their canonical-ABI layout (size,
//! alignment, flattening, as `definitions.py` defines them) and their text
//! in a component's type section.

use std::fmt::Write;

use crate::rng::Rng;

/// A component value type. Names are implicit: record fields `f0, f1, …`,
/// variant cases `c0, …`, enum cases `e0, …`, flags `g0, …`.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    List(Box<Ty>),
    Record(Vec<Ty>),
    Tuple(Vec<Ty>),
    /// Cases, each with an optional payload.
    Variant(Vec<Option<Ty>>),
    /// The number of cases.
    Enum(u32),
    Option(Box<Ty>),
    Result(Option<Box<Ty>>, Option<Box<Ty>>),
    /// The number of flags (1..=32).
    Flags(u32),
    /// `map<K, V>` (a proposal: laid out as `list<tuple<K, V>>`).
    Map(Box<Ty>, Box<Ty>),
    /// `list<T, N>` (a proposal: `N` elements in place, like a tuple).
    FixedList(Box<Ty>, u32),
}

/// A core WebAssembly value type, as flattening produces them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreTy {
    I32,
    I64,
    F32,
    F64,
}

impl CoreTy {
    /// The type's name in the text format.
    pub fn wat(self) -> &'static str {
        match self {
            CoreTy::I32 => "i32",
            CoreTy::I64 => "i64",
            CoreTy::F32 => "f32",
            CoreTy::F64 => "f64",
        }
    }

    /// The spec's `join`: the type one flat slot has when two variant cases
    /// put an `a` and a `b` there.
    pub fn join(a: CoreTy, b: CoreTy) -> CoreTy {
        match (a, b) {
            _ if a == b => a,
            (CoreTy::I32, CoreTy::F32) | (CoreTy::F32, CoreTy::I32) => CoreTy::I32,
            _ => CoreTy::I64,
        }
    }
}

/// The most core parameters a function takes before its parameters are
/// passed in memory (`MAX_FLAT_PARAMS`).
pub const MAX_FLAT_PARAMS: usize = 16;

/// Rounds `n` up to a multiple of `align`.
pub fn align_to(n: u32, align: u32) -> u32 {
    n.div_ceil(align) * align
}

impl Ty {
    /// The cases of a variant-like type (`variant`, `enum`, `option`,
    /// `result`), each with its payload; `None` for other types.
    pub fn cases(&self) -> Option<Vec<Option<&Ty>>> {
        Some(match self {
            Ty::Variant(cases) => cases.iter().map(Option::as_ref).collect(),
            Ty::Enum(n) => vec![None; *n as usize],
            Ty::Option(t) => vec![None, Some(&**t)],
            Ty::Result(ok, err) => vec![ok.as_deref(), err.as_deref()],
            _ => return None,
        })
    }

    /// The byte size of a discriminant for `cases` cases.
    pub fn discriminant_size(cases: usize) -> u32 {
        match cases {
            0..=256 => 1,
            257..=65536 => 2,
            _ => 4,
        }
    }

    /// The alignment of the type in linear memory (`alignment`).
    pub fn align(&self) -> u32 {
        match self {
            Ty::Bool | Ty::S8 | Ty::U8 => 1,
            Ty::S16 | Ty::U16 => 2,
            Ty::S32 | Ty::U32 | Ty::F32 | Ty::Char | Ty::String | Ty::List(_) | Ty::Map(..) => 4,
            Ty::FixedList(t, _) => t.align(),
            Ty::S64 | Ty::U64 | Ty::F64 => 8,
            Ty::Record(fields) | Ty::Tuple(fields) => {
                fields.iter().map(Ty::align).max().unwrap_or(1)
            }
            Ty::Flags(n) => flags_size(*n).min(4),
            _ => {
                let cases = self.cases().unwrap();
                let disc = Ty::discriminant_size(cases.len());
                disc.max(max_case_align(&cases))
            }
        }
    }

    /// The byte size of the type in linear memory (`elem_size`).
    pub fn size(&self) -> u32 {
        match self {
            Ty::Bool | Ty::S8 | Ty::U8 => 1,
            Ty::S16 | Ty::U16 => 2,
            Ty::S32 | Ty::U32 | Ty::F32 | Ty::Char => 4,
            Ty::S64 | Ty::U64 | Ty::F64 | Ty::String | Ty::List(_) | Ty::Map(..) => 8,
            Ty::FixedList(t, n) => t.size() * n,
            Ty::Record(fields) | Ty::Tuple(fields) => {
                let end = field_offsets(fields)
                    .last()
                    .map_or(0, |o| o + fields.last().unwrap().size());
                align_to(end, self.align())
            }
            Ty::Flags(n) => flags_size(*n),
            _ => {
                let cases = self.cases().unwrap();
                let payload = self.payload_offset();
                let max = cases.iter().flatten().map(|t| t.size()).max().unwrap_or(0);
                align_to(payload + max, self.align())
            }
        }
    }

    /// Where a variant-like type's payload starts, after the discriminant.
    pub fn payload_offset(&self) -> u32 {
        let cases = self.cases().unwrap();
        align_to(Ty::discriminant_size(cases.len()), max_case_align(&cases))
    }

    /// The core types the type flattens to (`flatten_type`).
    pub fn flat(&self) -> Vec<CoreTy> {
        match self {
            Ty::Bool
            | Ty::S8
            | Ty::U8
            | Ty::S16
            | Ty::U16
            | Ty::S32
            | Ty::U32
            | Ty::Char
            | Ty::Enum(_) => vec![CoreTy::I32],
            Ty::S64 | Ty::U64 => vec![CoreTy::I64],
            Ty::F32 => vec![CoreTy::F32],
            Ty::F64 => vec![CoreTy::F64],
            Ty::String | Ty::List(_) | Ty::Map(..) => vec![CoreTy::I32, CoreTy::I32],
            Ty::FixedList(t, n) => t.flat().repeat(*n as usize),
            Ty::Record(fields) | Ty::Tuple(fields) => fields.iter().flat_map(Ty::flat).collect(),
            Ty::Flags(n) => vec![CoreTy::I32; n.div_ceil(32) as usize],
            _ => {
                let mut joined: Vec<CoreTy> = Vec::new();
                for payload in self.cases().unwrap().into_iter().flatten() {
                    for (i, t) in payload.flat().into_iter().enumerate() {
                        match joined.get_mut(i) {
                            Some(slot) => *slot = CoreTy::join(*slot, t),
                            None => joined.push(t),
                        }
                    }
                }
                let mut flat = vec![CoreTy::I32];
                flat.extend(joined);
                flat
            }
        }
    }

    /// Whether the type is a scalar (a number, `bool` or `char`).
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Ty::Bool
                | Ty::S8
                | Ty::U8
                | Ty::S16
                | Ty::U16
                | Ty::S32
                | Ty::U32
                | Ty::S64
                | Ty::U64
                | Ty::F32
                | Ty::F64
                | Ty::Char
        )
    }

    /// Whether a value of the type needs linear memory (a string or list
    /// somewhere inside).
    pub fn needs_memory(&self) -> bool {
        match self {
            Ty::String | Ty::List(_) | Ty::Map(..) => true,
            Ty::Record(f) | Ty::Tuple(f) => f.iter().any(Ty::needs_memory),
            Ty::FixedList(t, _) => t.needs_memory(),
            _ => self
                .cases()
                .is_some_and(|c| c.into_iter().flatten().any(Ty::needs_memory)),
        }
    }

    /// A random type nested at most `depth` levels deep.
    pub fn generate(rng: &mut Rng, depth: u32) -> Ty {
        const LEAVES: [Ty; 13] = [
            Ty::Bool,
            Ty::S8,
            Ty::U8,
            Ty::S16,
            Ty::U16,
            Ty::S32,
            Ty::U32,
            Ty::S64,
            Ty::U64,
            Ty::F32,
            Ty::F64,
            Ty::Char,
            Ty::String,
        ];
        if depth == 0 || rng.below(5) < 2 {
            return match rng.below(16) {
                0 => Ty::Enum(enum_cases(rng)),
                1 => Ty::Flags(rng.range(1, 32) as u32),
                _ => rng.pick(&LEAVES).clone(),
            };
        }
        let d = depth - 1;
        let some = |rng: &mut Rng| Box::new(Ty::generate(rng, d));
        match rng.below(11) {
            0 => Ty::List(some(rng)),
            1 => Ty::Record((0..rng.range(1, 5)).map(|_| Ty::generate(rng, d)).collect()),
            2 => Ty::Tuple((0..rng.range(1, 4)).map(|_| Ty::generate(rng, d)).collect()),
            3 | 4 => Ty::Variant(
                (0..rng.range(1, 5))
                    .map(|_| (!rng.one_in(3)).then(|| Ty::generate(rng, d)))
                    .collect(),
            ),
            5 => Ty::Enum(enum_cases(rng)),
            6 => Ty::Option(some(rng)),
            7 => Ty::Result(
                (!rng.one_in(4)).then(|| some(rng)),
                (!rng.one_in(4)).then(|| some(rng)),
            ),
            8 => Ty::Flags(rng.range(1, 32) as u32),
            9 => Ty::Map(some(rng), some(rng)),
            _ => Ty::FixedList(some(rng), rng.range(1, 6) as u32),
        }
    }
}

/// Mostly a few cases, now and then more than 256 (two-byte
/// discriminants).
fn enum_cases(rng: &mut Rng) -> u32 {
    if rng.one_in(20) {
        rng.range(250, 300) as u32
    } else {
        rng.range(1, 6) as u32
    }
}

/// The largest alignment of the cases' payloads (1 with none).
fn max_case_align(cases: &[Option<&Ty>]) -> u32 {
    cases.iter().flatten().map(|t| t.align()).max().unwrap_or(1)
}

/// The byte size of a `flags` with `n` flags.
fn flags_size(n: u32) -> u32 {
    match n {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4 * n.div_ceil(32),
    }
}

/// The offset of each field of a record or tuple.
pub fn field_offsets(fields: &[Ty]) -> Vec<u32> {
    let mut offset = 0;
    fields
        .iter()
        .map(|f| {
            offset = align_to(offset, f.align());
            let at = offset;
            offset += f.size();
            at
        })
        .collect()
}

/// The flat core types of a parameter list, joined end to end.
pub fn flatten_all(tys: &[Ty]) -> Vec<CoreTy> {
    tys.iter().flat_map(Ty::flat).collect()
}

/// Writes component type definitions and hands out the text that names
/// each type: primitives by keyword, compound types through a `(type …)`
/// definition, nominal ones (record, variant, enum, flags) also exported
/// under a name (`t0`, `t1`, …), as exported functions require. With
/// `import`, nominal types are imported instead (`(import "tN" (type (eq
/// …)))`), which both imported and exported functions may use.
#[derive(Default)]
pub struct TypeDefs {
    /// The definitions, in order.
    pub text: String,
    /// Whether nominal types are imported too.
    pub import: bool,
    next: u32,
}

impl TypeDefs {
    /// The text that refers to `ty`, defining what it needs first.
    pub fn name(&mut self, ty: &Ty) -> String {
        let prim = match ty {
            Ty::Bool => "bool",
            Ty::S8 => "s8",
            Ty::U8 => "u8",
            Ty::S16 => "s16",
            Ty::U16 => "u16",
            Ty::S32 => "s32",
            Ty::U32 => "u32",
            Ty::S64 => "s64",
            Ty::U64 => "u64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
            Ty::Char => "char",
            Ty::String => "string",
            _ => "",
        };
        if !prim.is_empty() {
            return prim.to_string();
        }
        let mut def = String::new();
        let nominal = match ty {
            Ty::List(t) => {
                let t = self.name(t);
                write!(def, "(list {t})").unwrap();
                false
            }
            Ty::Record(fields) => {
                def.push_str("(record");
                for (i, f) in fields.iter().enumerate() {
                    let f = self.name(f);
                    write!(def, " (field \"f{i}\" {f})").unwrap();
                }
                def.push(')');
                true
            }
            Ty::Tuple(fields) => {
                def.push_str("(tuple");
                for f in fields {
                    let f = self.name(f);
                    write!(def, " {f}").unwrap();
                }
                def.push(')');
                false
            }
            Ty::Variant(cases) => {
                def.push_str("(variant");
                for (i, c) in cases.iter().enumerate() {
                    match c {
                        Some(t) => {
                            let t = self.name(t);
                            write!(def, " (case \"c{i}\" {t})").unwrap();
                        }
                        None => write!(def, " (case \"c{i}\")").unwrap(),
                    }
                }
                def.push(')');
                true
            }
            Ty::Enum(n) => {
                def.push_str("(enum");
                for i in 0..*n {
                    write!(def, " \"e{i}\"").unwrap();
                }
                def.push(')');
                true
            }
            Ty::Option(t) => {
                let t = self.name(t);
                write!(def, "(option {t})").unwrap();
                false
            }
            Ty::Map(k, v) => {
                let (k, v) = (self.name(k), self.name(v));
                write!(def, "(map {k} {v})").unwrap();
                false
            }
            Ty::FixedList(t, n) => {
                let t = self.name(t);
                write!(def, "(list {t} {n})").unwrap();
                false
            }
            Ty::Result(ok, err) => {
                def.push_str("(result");
                if let Some(ok) = ok {
                    let ok = self.name(ok);
                    write!(def, " {ok}").unwrap();
                }
                if let Some(err) = err {
                    let err = self.name(err);
                    write!(def, " (error {err})").unwrap();
                }
                def.push(')');
                false
            }
            Ty::Flags(n) => {
                def.push_str("(flags");
                for i in 0..*n {
                    write!(def, " \"g{i}\"").unwrap();
                }
                def.push(')');
                true
            }
            _ => unreachable!(),
        };
        let n = self.next;
        self.next += 1;
        writeln!(self.text, "  (type $t{n} {def})").unwrap();
        if nominal && self.import {
            writeln!(self.text, "  (import \"t{n}\" (type $t{n}i (eq $t{n})))").unwrap();
            format!("$t{n}i")
        } else if nominal {
            writeln!(self.text, "  (export $t{n}e \"t{n}\" (type $t{n}))").unwrap();
            format!("$t{n}e")
        } else {
            format!("$t{n}")
        }
    }
}
