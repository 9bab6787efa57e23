//! Random values of a [`Ty`], the conversion between `wit_host::Val` and
//! the oracle's `wasmtime::component::Val`, and their comparison.
//!
//! Floats compare by bits, except that any NaN equals any other NaN: the
//! canonical ABI lets a runtime replace a NaN by another NaN (canonical or
//! not) on every lift and lower, so NaN payloads are not compared.

use wasmtime::component::Val as Oracle;
use wit_host::Val;

use crate::rng::Rng;
use crate::types::Ty;

/// A random value of `ty`. `budget` bounds the number of list elements
/// made in all, so deep nests of lists stay small.
pub fn generate(rng: &mut Rng, ty: &Ty, budget: &mut u32) -> Val {
    match ty {
        Ty::Bool => Val::Bool(rng.coin()),
        Ty::S8 => Val::S8(int(rng) as i8),
        Ty::U8 => Val::U8(int(rng) as u8),
        Ty::S16 => Val::S16(int(rng) as i16),
        Ty::U16 => Val::U16(int(rng) as u16),
        Ty::S32 => Val::S32(int(rng) as i32),
        Ty::U32 => Val::U32(int(rng) as u32),
        Ty::S64 => Val::S64(int(rng) as i64),
        Ty::U64 => Val::U64(int(rng)),
        Ty::F32 => Val::Float32(f32::from_bits(float_bits(rng, 32) as u32)),
        Ty::F64 => Val::Float64(f64::from_bits(float_bits(rng, 64))),
        Ty::Char => Val::Char(char(rng)),
        Ty::String => Val::String(string(rng)),
        Ty::List(elem) => {
            let max = if *budget == 0 { 0 } else { 6.min(*budget) };
            let mut n = rng.range(0, max as usize);
            if *budget >= 64 && rng.one_in(16) {
                n = rng.range(7, 64);
            }
            // Now and then a long list of scalars (bulk copies).
            if elem.is_scalar() && rng.one_in(40) {
                n = rng.range(100, 3000);
                *budget = budget.saturating_add(n as u32);
            }
            *budget = budget.saturating_sub(n as u32);
            Val::List((0..n).map(|_| generate(rng, elem, budget)).collect())
        }
        Ty::Map(key, value) => {
            let max = if *budget == 0 { 0 } else { 6.min(*budget) };
            let n = rng.range(0, max as usize);
            *budget = budget.saturating_sub(n as u32);
            Val::Map(
                (0..n)
                    .map(|_| (generate(rng, key, budget), generate(rng, value, budget)))
                    .collect(),
            )
        }
        Ty::FixedList(elem, n) => {
            *budget = budget.saturating_sub(*n);
            Val::FixedLengthList((0..*n).map(|_| generate(rng, elem, budget)).collect())
        }
        Ty::Record(fields) => Val::Record(
            fields
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("f{i}"), generate(rng, f, budget)))
                .collect(),
        ),
        Ty::Tuple(fields) => Val::Tuple(fields.iter().map(|f| generate(rng, f, budget)).collect()),
        Ty::Variant(cases) => {
            let i = rng.below(cases.len());
            let payload = cases[i]
                .as_ref()
                .map(|t| Box::new(generate(rng, t, budget)));
            Val::Variant(format!("c{i}"), payload)
        }
        Ty::Enum(n) => Val::Enum(format!("e{}", rng.below(*n as usize))),
        Ty::Option(t) => Val::Option(rng.coin().then(|| Box::new(generate(rng, t, budget)))),
        Ty::Result(ok, err) => {
            let is_ok = rng.coin();
            let side = if is_ok { ok } else { err };
            let payload = side.as_ref().map(|t| Box::new(generate(rng, t, budget)));
            Val::Result(if is_ok { Ok(payload) } else { Err(payload) })
        }
        Ty::Flags(n) => Val::Flags(
            (0..*n)
                .filter(|_| rng.coin())
                .map(|i| format!("g{i}"))
                .collect(),
        ),
    }
}

/// Random integer bits, biased to the edges (0, ±1, extremes).
fn int(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => 0,
        1 => u64::MAX,
        2 => rng.below(4) as u64,
        3 => 1u64 << rng.below(64),
        4 => (1u64 << rng.below(64)).wrapping_sub(1),
        _ => rng.next_u64(),
    }
}

/// Random float bits (`width` 32 or 64): special values (zeros, infinities,
/// NaNs with payloads, subnormals) and random bit patterns.
fn float_bits(rng: &mut Rng, width: u32) -> u64 {
    let (sign, exp_all, mant_bits) = if width == 32 {
        (1u64 << 31, 0xffu64 << 23, 23)
    } else {
        (1u64 << 63, 0x7ffu64 << 52, 52)
    };
    let mant = rng.next_u64() & ((1u64 << mant_bits) - 1);
    let s = if rng.coin() { sign } else { 0 };
    match rng.below(8) {
        0 => s,
        1 => s | exp_all,
        2 => s | exp_all | mant.max(1),
        3 => s | mant,
        _ => rng.next_u64() & (sign | (sign - 1)),
    }
}

/// A random Unicode scalar value from every range that encodes
/// differently: ASCII, Latin-1, the rest of the BMP, astral planes.
fn char(rng: &mut Rng) -> char {
    let code = match rng.below(6) {
        0 | 1 => rng.range(0x20, 0x7e) as u32,
        2 => rng.range(0, 0xff) as u32,
        3 => rng.range(0x100, 0xd7ff) as u32,
        4 => rng.range(0xe000, 0xffff) as u32,
        _ => rng.range(0x10000, 0x10ffff) as u32,
    };
    char::from_u32(code).unwrap_or('?')
}

/// A random string: empty, ASCII only, Latin-1 only, or mixed with BMP and
/// astral characters (which change the `latin1+utf16` encoding's choice).
fn string(rng: &mut Rng) -> String {
    let len = if rng.one_in(100) {
        rng.range(1000, 5000)
    } else if rng.one_in(10) {
        rng.range(20, 200)
    } else {
        rng.range(0, 12)
    };
    let kind = rng.below(4);
    (0..len)
        .map(|_| match kind {
            0 => rng.range(0x20, 0x7e) as u8 as char,
            1 => char::from_u32(rng.range(0, 0xff) as u32).unwrap(),
            _ => char(rng),
        })
        .collect()
}

/// Replaces every NaN in `v` by the canonical NaN. Where a guest can see
/// the bits of a lowered float (its memory aliased by a bad `realloc`),
/// NaN payloads would differ legitimately: wit-host lowers canonical
/// NaNs, wasmtime passes the payload through; both are allowed.
pub fn canonicalize_nans(v: &mut Val) {
    match v {
        Val::Float32(x) if x.is_nan() => *x = f32::from_bits(0x7fc0_0000),
        Val::Float64(x) if x.is_nan() => *x = f64::from_bits(0x7ff8_0000_0000_0000),
        Val::List(xs) | Val::Tuple(xs) | Val::FixedLengthList(xs) => {
            xs.iter_mut().for_each(canonicalize_nans)
        }
        Val::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            canonicalize_nans(k);
            canonicalize_nans(v);
        }),
        Val::Record(fs) => fs.iter_mut().for_each(|(_, x)| canonicalize_nans(x)),
        Val::Variant(_, Some(x)) | Val::Option(Some(x)) => canonicalize_nans(x),
        Val::Result(Ok(Some(x)) | Err(Some(x))) => canonicalize_nans(x),
        _ => {}
    }
}

/// The oracle's value for one of ours (resources excepted: those are
/// mapped by the resources target itself).
pub fn to_oracle(v: &Val) -> Oracle {
    match v {
        Val::Bool(x) => Oracle::Bool(*x),
        Val::S8(x) => Oracle::S8(*x),
        Val::U8(x) => Oracle::U8(*x),
        Val::S16(x) => Oracle::S16(*x),
        Val::U16(x) => Oracle::U16(*x),
        Val::S32(x) => Oracle::S32(*x),
        Val::U32(x) => Oracle::U32(*x),
        Val::S64(x) => Oracle::S64(*x),
        Val::U64(x) => Oracle::U64(*x),
        Val::Float32(x) => Oracle::Float32(*x),
        Val::Float64(x) => Oracle::Float64(*x),
        Val::Char(x) => Oracle::Char(*x),
        Val::String(x) => Oracle::String(x.clone()),
        Val::List(x) => Oracle::List(x.iter().map(to_oracle).collect()),
        Val::Record(x) => {
            Oracle::Record(x.iter().map(|(n, v)| (n.clone(), to_oracle(v))).collect())
        }
        Val::Tuple(x) => Oracle::Tuple(x.iter().map(to_oracle).collect()),
        Val::Variant(n, p) => {
            Oracle::Variant(n.clone(), p.as_ref().map(|p| Box::new(to_oracle(p))))
        }
        Val::Enum(n) => Oracle::Enum(n.clone()),
        Val::Option(p) => Oracle::Option(p.as_ref().map(|p| Box::new(to_oracle(p)))),
        Val::Result(r) => Oracle::Result(match r {
            Ok(p) => Ok(p.as_ref().map(|p| Box::new(to_oracle(p)))),
            Err(p) => Err(p.as_ref().map(|p| Box::new(to_oracle(p)))),
        }),
        Val::Flags(x) => Oracle::Flags(x.clone()),
        Val::Map(x) => Oracle::Map(
            x.iter()
                .map(|(k, v)| (to_oracle(k), to_oracle(v)))
                .collect(),
        ),
        Val::FixedLengthList(x) => Oracle::FixedLengthList(x.iter().map(to_oracle).collect()),
        Val::Resource(_) => panic!("to_oracle: resources are mapped by their target"),
    }
}

/// Our value for one of the oracle's; `None` for kinds we have no
/// counterpart for (resources, futures, streams, …).
pub fn from_oracle(v: &Oracle) -> Option<Val> {
    let boxed = |p: &Option<Box<Oracle>>| -> Option<Option<Box<Val>>> {
        match p {
            Some(p) => Some(Some(Box::new(from_oracle(p)?))),
            None => Some(None),
        }
    };
    Some(match v {
        Oracle::Bool(x) => Val::Bool(*x),
        Oracle::S8(x) => Val::S8(*x),
        Oracle::U8(x) => Val::U8(*x),
        Oracle::S16(x) => Val::S16(*x),
        Oracle::U16(x) => Val::U16(*x),
        Oracle::S32(x) => Val::S32(*x),
        Oracle::U32(x) => Val::U32(*x),
        Oracle::S64(x) => Val::S64(*x),
        Oracle::U64(x) => Val::U64(*x),
        Oracle::Float32(x) => Val::Float32(*x),
        Oracle::Float64(x) => Val::Float64(*x),
        Oracle::Char(x) => Val::Char(*x),
        Oracle::String(x) => Val::String(x.clone()),
        Oracle::List(x) => Val::List(x.iter().map(from_oracle).collect::<Option<_>>()?),
        Oracle::FixedLengthList(x) => {
            Val::FixedLengthList(x.iter().map(from_oracle).collect::<Option<_>>()?)
        }
        Oracle::Map(x) => Val::Map(
            x.iter()
                .map(|(k, v)| Some((from_oracle(k)?, from_oracle(v)?)))
                .collect::<Option<_>>()?,
        ),
        Oracle::Record(x) => Val::Record(
            x.iter()
                .map(|(n, v)| Some((n.clone(), from_oracle(v)?)))
                .collect::<Option<_>>()?,
        ),
        Oracle::Tuple(x) => Val::Tuple(x.iter().map(from_oracle).collect::<Option<_>>()?),
        Oracle::Variant(n, p) => Val::Variant(n.clone(), boxed(p)?),
        Oracle::Enum(n) => Val::Enum(n.clone()),
        Oracle::Option(p) => Val::Option(boxed(p)?),
        Oracle::Result(r) => Val::Result(match r {
            Ok(p) => Ok(boxed(p)?),
            Err(p) => Err(boxed(p)?),
        }),
        Oracle::Flags(x) => Val::Flags(x.clone()),
        _ => return None,
    })
}

/// Whether two values are the same, floats compared by bits except that
/// all NaNs are equal. Resources compare with `==` (the caller maps them).
pub fn same(a: &Val, b: &Val) -> bool {
    let opt = |a: &Option<Box<Val>>, b: &Option<Box<Val>>| match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    };
    let all = |a: &[Val], b: &[Val]| a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b));
    match (a, b) {
        (Val::Float32(a), Val::Float32(b)) => {
            (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
        }
        (Val::Float64(a), Val::Float64(b)) => {
            (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
        }
        (Val::List(a), Val::List(b))
        | (Val::Tuple(a), Val::Tuple(b))
        | (Val::FixedLengthList(a), Val::FixedLengthList(b)) => all(a, b),
        (Val::Map(a), Val::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        (Val::Record(a), Val::Record(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((na, a), (nb, b))| na == nb && same(a, b))
        }
        (Val::Variant(na, a), Val::Variant(nb, b)) => na == nb && opt(a, b),
        (Val::Option(a), Val::Option(b)) => opt(a, b),
        (Val::Result(Ok(a)), Val::Result(Ok(b))) | (Val::Result(Err(a)), Val::Result(Err(b))) => {
            opt(a, b)
        }
        _ => a == b,
    }
}

/// Whether our values equal the oracle's (see [`same`]).
pub fn same_as_oracle(ours: &[Val], oracle: &[Oracle]) -> bool {
    ours.len() == oracle.len()
        && ours
            .iter()
            .zip(oracle)
            .all(|(a, b)| from_oracle(b).is_some_and(|b| same(a, &b)))
}

/// A short rendering of values for reports, cut at `max` characters.
pub fn show<T: std::fmt::Debug>(v: &T, max: usize) -> String {
    let mut s = format!("{v:?}");
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

/// A copy of `v` (of type `ty`) with one place made wrong for the type:
/// another type's value, an unknown or missing record field, case, enum
/// name or flag, a duplicated or reordered flag, a payload where none is
/// declared (or none where one is), a tuple of another length. Calls
/// with it must fail in both runtimes, or succeed in both alike.
pub fn mistype(rng: &mut Rng, ty: &Ty, v: &Val) -> Val {
    let mut v = v.clone();
    break_one(rng, ty, &mut v);
    v
}

/// Breaks one place of `v` (see [`mistype`]), in a random child or here.
fn break_one(rng: &mut Rng, ty: &Ty, v: &mut Val) {
    // Descend into a child half the time, when there is one.
    if rng.coin() {
        match (ty, &mut *v) {
            (Ty::List(t), Val::List(xs)) | (Ty::FixedList(t, _), Val::FixedLengthList(xs))
                if !xs.is_empty() =>
            {
                let i = rng.below(xs.len());
                return break_one(rng, t, &mut xs[i]);
            }
            (Ty::Map(k, v), Val::Map(entries)) if !entries.is_empty() => {
                let i = rng.below(entries.len());
                let (key, value) = &mut entries[i];
                return if rng.coin() {
                    break_one(rng, k, key)
                } else {
                    break_one(rng, v, value)
                };
            }
            (Ty::Record(ts), Val::Record(fs)) => {
                let i = rng.below(fs.len());
                return break_one(rng, &ts[i], &mut fs[i].1);
            }
            (Ty::Tuple(ts), Val::Tuple(xs)) => {
                let i = rng.below(xs.len());
                return break_one(rng, &ts[i], &mut xs[i]);
            }
            (Ty::Variant(cs), Val::Variant(n, Some(p))) => {
                let i: usize = n[1..].parse().unwrap();
                if let Some(t) = &cs[i] {
                    return break_one(rng, t, p);
                }
            }
            (Ty::Option(t), Val::Option(Some(p))) => return break_one(rng, t, p),
            (Ty::Result(Some(t), _), Val::Result(Ok(Some(p))))
            | (Ty::Result(_, Some(t)), Val::Result(Err(Some(p)))) => {
                return break_one(rng, t, p);
            }
            _ => {}
        }
    }
    let mut budget = 8;
    let other = |rng: &mut Rng| {
        let t = Ty::generate(rng, 1);
        let mut b = 8;
        generate(rng, &t, &mut b)
    };
    *v = match (ty, std::mem::replace(v, Val::Bool(false))) {
        (Ty::Record(_), Val::Record(mut fs)) => {
            match rng.below(4) {
                0 => fs[0].0 = "nope".to_string(),
                1 => {
                    fs.pop();
                }
                2 => fs.push(("extra".to_string(), Val::U8(1))),
                _ if fs.len() > 1 => fs.swap(0, 1),
                _ => fs[0].0 = "f99".to_string(),
            }
            Val::Record(fs)
        }
        (Ty::FixedList(..), Val::FixedLengthList(mut xs)) => {
            if rng.coin() {
                xs.pop();
            } else {
                xs.push(xs[0].clone());
            }
            Val::FixedLengthList(xs)
        }
        (Ty::Tuple(_), Val::Tuple(mut xs)) => {
            if rng.coin() {
                xs.pop();
            } else {
                xs.push(Val::U8(1));
            }
            Val::Tuple(xs)
        }
        (Ty::Variant(cs), Val::Variant(n, p)) => match rng.below(3) {
            0 => Val::Variant(format!("c{}", cs.len()), p),
            1 => Val::Variant("nope".to_string(), p),
            _ => Val::Variant(
                n,
                if p.is_some() {
                    None
                } else {
                    Some(Box::new(Val::U8(1)))
                },
            ),
        },
        (Ty::Enum(n), _) => Val::Enum(if rng.coin() {
            format!("e{n}")
        } else {
            "E0".to_string()
        }),
        (Ty::Flags(n), Val::Flags(mut names)) => {
            match rng.below(3) {
                0 => names.push(format!("g{n}")),
                1 => {
                    let g = format!("g{}", rng.below(*n as usize));
                    names.push(g.clone());
                    names.push(g);
                }
                _ => names.reverse(),
            }
            Val::Flags(names)
        }
        (Ty::Option(_), Val::Option(None)) => Val::Option(Some(Box::new(other(rng)))),
        (Ty::Result(None, _), Val::Result(Ok(None))) => Val::Result(Ok(Some(Box::new(Val::U8(1))))),
        (Ty::Result(_, None), Val::Result(Err(None))) => {
            Val::Result(Err(Some(Box::new(Val::U8(1)))))
        }
        (Ty::Result(Some(_), _), Val::Result(Ok(Some(_)))) => Val::Result(Ok(None)),
        (_, old) => {
            let new = other(rng);
            if new.desc() == old.desc() {
                generate(rng, &Ty::Char, &mut budget)
            } else {
                new
            }
        }
    };
}
