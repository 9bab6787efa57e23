//! `bad-guests`: a guest whose results are whatever bytes the fuzzer says,
//! or whose `realloc` returns whatever pointers the fuzzer says.
//!
//! Half the batches are *bad results*:
//! A batch generates a result type `R` and a string encoding and builds a
//! component with two exports: `set: func(bytes: list<u8>)` copies the
//! bytes to the start of the guest's memory, and `get: func() -> R`
//! returns them as `R`: for a type with one flat core value, the value
//! loaded from address 0; otherwise the pointer stored at address 0, which
//! normally points at offset 8, where `R`'s memory form follows.
//!
//! Each case writes a random valid value of `R` in the canonical ABI's
//! memory layout ([`write`]: strings in the encoding, lists and strings in
//! the region after it), then often corrupts it: random bytes, words set
//! to edge values (huge lengths, out-of-bounds or misaligned pointers,
//! invalid code points and discriminants, flags' unused bits, lone
//! surrogates), or a bad result pointer. Then both runtimes call `set` and
//! `get`: both must return equal values or both must fail.
//!
//! The other half are *bad reallocs* ([`run_bad_realloc`]): an echo
//! component ([`crate::echo`], guest or host echo) whose `realloc` follows
//! a script of pointers: mostly good ones, sometimes misaligned, across
//! or past the end of memory, or huge (never overlapping: see
//! `script`). Each case sets a script and
//! echoes random arguments; both runtimes must return equal values or
//! both fail.

use std::fmt::Write as _;

use wasmtime::component as wc;
use wit_host::Val;

use crate::echo::{
    Encoding, SCRIPT_AT_END, SCRIPT_GOOD, SCRIPT_PLUS_ONE, SCRIPT_STRADDLE_END, Via, bump_realloc,
    echo_wat,
};
use crate::rng::Rng;
use crate::types::{Ty, TypeDefs, align_to, field_offsets};
use crate::values::{canonicalize_nans, generate, same_as_oracle, show, to_oracle};
use crate::{Batch, Outcome, engine, save_artifact};

/// Calls per compiled component.
pub const CALLS_PER_TYPE: u64 = 200;

/// The bytes `set` copies to address 0.
const REGION: usize = 4096;

/// Where the result's memory form starts (the pointer at 0 normally says
/// so).
const RESULT_AT: usize = 8;

/// The component's text for result type `ty`.
pub fn component_wat(ty: &Ty, encoding: Encoding) -> String {
    let flat = ty.flat();
    let (core_result, body) = if flat.len() == 1 {
        let t = flat[0].wat();
        (t, format!("({t}.load (i32.const 0))"))
    } else {
        ("i32", "(i32.load (i32.const 0))".to_string())
    };
    let mut types = TypeDefs::default();
    let name = types.name(ty);
    let heap = REGION * 2;
    format!(
        r#"(component
  (core module $m
    (memory (export "memory") 1)
{realloc}    (func (export "set") (param $p i32) (param $n i32)
      (memory.copy (i32.const 0) (local.get $p)
        (select (local.get $n) (i32.const {REGION}) (i32.lt_u (local.get $n) (i32.const {REGION}))))
      (global.set $bump (i32.const {heap})))
    (func (export "get") (result {core_result}) {body}))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
{types}  (func (export "set") (param "bytes" (list u8))
    (canon lift (core func $i "set") (memory $mem) (realloc $realloc)))
  (func (export "get") (result {name})
    (canon lift (core func $i "get") (memory $mem) (realloc $realloc) {enc})))
"#,
        realloc = bump_realloc(heap as u32),
        types = types.text,
        enc = encoding.wat(),
    )
}

/// Writes values in their memory form into a byte region, allocating
/// strings and lists after what is already used. Writes past the region
/// are dropped (the value is then simply garbage, which is fine here).
pub struct Writer {
    /// The region.
    pub buf: Vec<u8>,
    /// The next free byte.
    pub heap: usize,
    /// The strings' encoding.
    pub encoding: Encoding,
}

impl Writer {
    /// Writes `b` at `at`, dropping what falls outside the region.
    fn bytes(&mut self, at: usize, b: &[u8]) {
        for (i, byte) in b.iter().enumerate() {
            if let Some(slot) = self.buf.get_mut(at + i) {
                *slot = *byte;
            }
        }
    }

    /// Allocates `size` bytes aligned to `align` after what is used.
    fn alloc(&mut self, size: usize, align: usize) -> usize {
        let at = self.heap.div_ceil(align) * align;
        self.heap = at + size;
        at
    }

    /// Stores `v` (of type `ty`) at `at`.
    pub fn write(&mut self, ty: &Ty, v: &Val, at: usize) {
        match (ty, v) {
            (_, Val::Bool(x)) => self.bytes(at, &[*x as u8]),
            (_, Val::S8(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::U8(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::S16(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::U16(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::S32(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::U32(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::S64(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::U64(x)) => self.bytes(at, &x.to_le_bytes()),
            (_, Val::Float32(x)) => self.bytes(at, &x.to_bits().to_le_bytes()),
            (_, Val::Float64(x)) => self.bytes(at, &x.to_bits().to_le_bytes()),
            (_, Val::Char(x)) => self.bytes(at, &(*x as u32).to_le_bytes()),
            (_, Val::String(s)) => {
                let (data, len, align) = encode(s, self.encoding);
                let ptr = self.alloc(data.len(), align);
                self.bytes(ptr, &data);
                self.bytes(at, &(ptr as u32).to_le_bytes());
                self.bytes(at + 4, &len.to_le_bytes());
            }
            (Ty::List(elem), Val::List(items)) => {
                let size = elem.size() as usize;
                let ptr = self.alloc(size * items.len(), elem.align() as usize);
                for (i, item) in items.iter().enumerate() {
                    self.write(elem, item, ptr + i * size);
                }
                self.bytes(at, &(ptr as u32).to_le_bytes());
                self.bytes(at + 4, &(items.len() as u32).to_le_bytes());
            }
            (Ty::Map(k, v), Val::Map(entries)) => {
                let entry = Ty::Tuple(vec![(**k).clone(), (**v).clone()]);
                let size = entry.size() as usize;
                let ptr = self.alloc(size * entries.len(), entry.align() as usize);
                for (i, (key, value)) in entries.iter().enumerate() {
                    let tuple = Val::Tuple(vec![key.clone(), value.clone()]);
                    self.write(&entry, &tuple, ptr + i * size);
                }
                self.bytes(at, &(ptr as u32).to_le_bytes());
                self.bytes(at + 4, &(entries.len() as u32).to_le_bytes());
            }
            (Ty::FixedList(elem, _), Val::FixedLengthList(items)) => {
                let size = elem.size() as usize;
                for (i, item) in items.iter().enumerate() {
                    self.write(elem, item, at + i * size);
                }
            }
            (Ty::Record(fields), Val::Record(vals)) => {
                for ((f, off), (_, v)) in fields.iter().zip(field_offsets(fields)).zip(vals) {
                    self.write(f, v, at + off as usize);
                }
            }
            (Ty::Tuple(fields), Val::Tuple(vals)) => {
                for ((f, off), v) in fields.iter().zip(field_offsets(fields)).zip(vals) {
                    self.write(f, v, at + off as usize);
                }
            }
            (Ty::Flags(n), Val::Flags(names)) => {
                let bits = names.iter().fold(0u32, |b, n| b | 1 << index(n));
                let size = Ty::Flags(*n).size() as usize;
                self.bytes(at, &bits.to_le_bytes()[..size]);
            }
            _ => {
                let (case, payload) = match v {
                    Val::Variant(n, p) => (index(n), p.as_deref()),
                    Val::Enum(n) => (index(n), None),
                    Val::Option(p) => (p.is_some() as usize, p.as_deref()),
                    Val::Result(Ok(p)) => (0, p.as_deref()),
                    Val::Result(Err(p)) => (1, p.as_deref()),
                    _ => unreachable!("{v:?} is not a {ty:?}"),
                };
                let cases = ty.cases().unwrap();
                let size = Ty::discriminant_size(cases.len()) as usize;
                self.bytes(at, &(case as u32).to_le_bytes()[..size]);
                if let (Some(t), Some(p)) = (cases[case], payload) {
                    self.write(t, p, at + ty.payload_offset() as usize);
                }
            }
        }
    }
}

/// The number in a generated name (`c3`, `e12`, `g0`).
fn index(name: &str) -> usize {
    name[1..].parse().unwrap()
}

/// A string's bytes, length field and alignment in `encoding`.
fn encode(s: &str, encoding: Encoding) -> (Vec<u8>, u32, usize) {
    let utf16 = |s: &str| -> (Vec<u8>, u32) {
        let units: Vec<u16> = s.encode_utf16().collect();
        let bytes = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        (bytes, units.len() as u32)
    };
    match encoding {
        Encoding::Utf8 => (s.as_bytes().to_vec(), s.len() as u32, 1),
        Encoding::Utf16 => {
            let (b, n) = utf16(s);
            (b, n, 2)
        }
        Encoding::Latin1Utf16 => {
            if s.chars().all(|c| (c as u32) < 0x100) {
                let b: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
                let n = b.len() as u32;
                (b, n, 2)
            } else {
                let (b, n) = utf16(s);
                (b, n | 1 << 31, 2)
            }
        }
    }
}

/// A 32-bit edge value: what breaks pointers, lengths, code points,
/// discriminants and flags.
fn edge_u32(rng: &mut Rng) -> u32 {
    let random = rng.next_u32();
    *rng.pick(&[
        0,
        1,
        2,
        3,
        0xff,
        0x100,
        0xffff,
        0x1_0000,
        0xd800,
        0xdfff,
        0x10_ffff,
        0x11_0000,
        REGION as u32 - 1,
        REGION as u32,
        0x7fff_ffff,
        0x8000_0000,
        0x8000_0003,
        0xffff_fff0,
        u32::MAX,
        random,
    ])
}

/// The bytes of one case: a valid value, then perhaps corruptions.
fn case_bytes(rng: &mut Rng, ty: &Ty, encoding: Encoding) -> (Vec<u8>, Val) {
    let mut budget = 40;
    let value = generate(rng, ty, &mut budget);
    let flat = ty.flat().len() == 1;
    let at = if flat { 0 } else { RESULT_AT };
    let mut w = Writer {
        buf: vec![0; REGION],
        heap: align_to((at as u32) + ty.size(), 8) as usize,
        encoding,
    };
    if !flat {
        w.bytes(0, &(RESULT_AT as u32).to_le_bytes());
    }
    w.write(ty, &value, at);
    let used = w.heap.clamp(8, REGION);
    let mut buf = w.buf;
    if rng.one_in(3) {
        return (buf, value);
    }
    for _ in 0..rng.range(1, 3) {
        match rng.below(6) {
            0 | 1 => {
                let i = rng.below(used);
                buf[i] = if rng.coin() {
                    rng.next_u32() as u8
                } else {
                    *rng.pick(&[0, 1, 2, 0x7f, 0x80, 0xc0, 0xdf, 0xed, 0xf4, 0xff])
                };
            }
            2 | 3 => {
                let i = rng.below(used.div_ceil(4)) * 4;
                let word = edge_u32(rng).to_le_bytes();
                for (k, b) in word.iter().enumerate() {
                    if let Some(slot) = buf.get_mut(i + k) {
                        *slot = *b;
                    }
                }
            }
            4 => {
                let n = rng.range(1, 16);
                let i = rng.below(used);
                for byte in &mut buf[i..(i + n).min(REGION)] {
                    *byte = rng.next_u32() as u8;
                }
            }
            _ => {
                let ptr = if flat {
                    rng.next_u32()
                } else {
                    *rng.pick(&[RESULT_AT as u32 + 1, 0xfffc, 0x1_0000, u32::MAX - 3, 4])
                };
                buf[..4].copy_from_slice(&ptr.to_le_bytes());
            }
        }
    }
    (buf, value)
}

/// Both instances of one component.
struct Pair {
    ours: (wit_host::Store<()>, wit_host::Func, wit_host::Func),
    oracle: (wasmtime::Store<()>, wc::Func, wc::Func),
}

/// Instantiates the bad-results component in both runtimes.
fn instantiate(ours: &wit_host::Component, oracle: &wc::Component) -> wasmtime::Result<Pair> {
    let mut store = wit_host::Store::new(engine(), ());
    let i = wit_host::Linker::new(engine()).instantiate(&mut store, ours)?;
    let set = i.get_func(&mut store, "set").unwrap();
    let get = i.get_func(&mut store, "get").unwrap();
    let mut ostore = wasmtime::Store::new(engine(), ());
    let oi = wc::Linker::new(engine()).instantiate(&mut ostore, oracle)?;
    let oset = oi.get_func(&mut ostore, "set").unwrap();
    let oget = oi.get_func(&mut ostore, "get").unwrap();
    Ok(Pair {
        ours: (store, set, get),
        oracle: (ostore, oset, oget),
    })
}

/// After both runtimes failed: may the instance still be entered? Both
/// must say the same (a `set` of no bytes is the probe).
fn probe_after_failure(p: &mut Pair, batch: &mut Batch) -> Option<String> {
    let (store, set, _) = &mut p.ours;
    let ours = Outcome::catch(|| set.call(&mut *store, &[Val::List(Vec::new())], &mut []));
    let (ostore, oset, _) = &mut p.oracle;
    let oracle = Outcome::catch(|| oset.call(&mut *ostore, &[wc::Val::List(Vec::new())], &mut []));
    match (&ours, &oracle) {
        (Outcome::Ok(()), Outcome::Ok(())) | (Outcome::Err(_), Outcome::Err(_)) => None,
        (Outcome::Err(e), Outcome::Ok(())) if crate::locked_down(e) => {
            batch.known(crate::KNOWN_STRICTER_LOCKDOWN);
            None
        }
        _ => Some(format!(
            "entering after the failure: wit-host {} / wasmtime {}",
            ours.kind(),
            oracle.kind()
        )),
    }
}

/// Runs one batch: bad results or bad reallocs.
pub fn run(seed: u64, max_cases: u64, batch: &mut Batch) {
    let mut rng = Rng::new(seed);
    if rng.coin() {
        run_bad_results(rng, seed, max_cases, batch)
    } else {
        run_bad_realloc(rng, seed, max_cases, batch)
    }
}

/// A random realloc script: one entry per call. No entry makes two
/// allocations overlap: with overlapping memory the result would depend
/// on the order of stores, which both runtimes take from the spec but
/// which this target does not try to judge; so bad pointers are
/// misaligned, straddle or lie past the end of memory, or are huge.
fn script(rng: &mut Rng) -> Vec<i32> {
    (0..64)
        .map(|_| {
            if rng.below(4) != 0 {
                return SCRIPT_GOOD;
            }
            let huge = (rng.next_u32() | 0x1000_0000) as i32;
            *rng.pick(&[
                SCRIPT_PLUS_ONE,
                SCRIPT_STRADDLE_END,
                SCRIPT_AT_END,
                0x7fff_fff0,
                -16,
                0xffff_0000_u32 as i32,
                huge,
            ])
        })
        .collect()
}

/// Runs a bad-realloc batch: one echo component with a scripted
/// `realloc`, up to [`CALLS_PER_TYPE`] calls.
pub fn run_bad_realloc(mut rng: Rng, seed: u64, max_cases: u64, batch: &mut Batch) {
    let params = super::values::param_types(&mut rng);
    let encoding = *rng.pick(&Encoding::ALL);
    let single = params.len() == 1 && rng.coin();
    let via = if rng.coin() { Via::Guest } else { Via::Host };
    let wat = echo_wat(&params, encoding, single, via, true);
    let bytes = wat::parse_str(&wat).expect("scripted echo text");
    let ours = Outcome::catch(|| wit_host::Component::new(engine(), &bytes));
    let oracle = Outcome::catch(|| wc::Component::new(engine(), &bytes));
    let (Outcome::Ok(ours), Outcome::Ok(oracle)) = (&ours, &oracle) else {
        let path = save_artifact(&format!("bad-realloc-{seed:016x}.wat"), wat.as_bytes());
        let what = format!(
            "compile: wit-host {} / wasmtime {} ({path})",
            ours.kind(),
            oracle.kind()
        );
        return batch.mismatch(0, what);
    };
    let mut pair = None;
    for case in 0..CALLS_PER_TYPE.min(max_cases) {
        batch.cases += 1;
        let mut p = match pair.take() {
            Some(p) => p,
            None => match super::values::instantiate(ours, oracle, via == Via::Host, single) {
                Ok(p) => p,
                Err(e) => return batch.mismatch(case, format!("instantiate: {e:#}")),
            },
        };
        let script = script(&mut rng);
        let mut budget = 100;
        let mut args: Vec<Val> = params
            .iter()
            .map(|t| generate(&mut rng, t, &mut budget))
            .collect();
        args.iter_mut().for_each(canonicalize_nans);
        let oargs: Vec<wc::Val> = args.iter().map(to_oracle).collect();
        let (set, oset) = p.script.clone().expect("scripted echo exports `script`");
        let list = Val::List(script.iter().map(|x| Val::S32(*x)).collect());
        let olist = wc::Val::List(script.iter().map(|x| wc::Val::S32(*x)).collect());
        let (store, echo) = &mut p.ours;
        let r = Outcome::catch(|| {
            set.call(&mut *store, std::slice::from_ref(&list), &mut [])?;
            let mut out = [Val::Bool(false)];
            echo.call(&mut *store, &args, &mut out)?;
            Ok(out)
        });
        let (ostore, oecho) = &mut p.oracle;
        let o = Outcome::catch(|| {
            oset.call(&mut *ostore, std::slice::from_ref(&olist), &mut [])?;
            let mut out = [wc::Val::Bool(false)];
            oecho.call(&mut *ostore, &oargs, &mut out)?;
            Ok(out)
        });
        let problem = match (&r, &o) {
            (Outcome::Ok(a), Outcome::Ok(b)) if same_as_oracle(a, b) => {
                batch.count("realloc-both-ok");
                None
            }
            (Outcome::Err(_), Outcome::Err(_)) => {
                batch.count("realloc-both-err");
                None
            }
            _ => Some(format!(
                "outcomes differ: wit-host {} / wasmtime {}",
                show(&r, 1500),
                show(&o, 1500)
            )),
        };
        if let Some(problem) = problem {
            let path = save_artifact(&format!("bad-realloc-{seed:016x}.wat"), wat.as_bytes());
            let what = format!(
                "{problem}\n  {encoding:?}, via {via:?}, component {path}\n  script: {script:?}\n  args: {}",
                show(&args, 1500)
            );
            return batch.mismatch(case, what);
        }
        if !r.failed() && !o.failed() {
            pair = Some(p);
        }
    }
}

/// Runs a bad-results batch: one result type, up to [`CALLS_PER_TYPE`]
/// calls.
pub fn run_bad_results(mut rng: Rng, seed: u64, max_cases: u64, batch: &mut Batch) {
    let depth = rng.range(0, 3) as u32;
    let ty = Ty::generate(&mut rng, depth);
    let encoding = *rng.pick(&Encoding::ALL);
    let wat = component_wat(&ty, encoding);
    let bytes = wat::parse_str(&wat).expect("bad-guests component text");
    let ours = Outcome::catch(|| wit_host::Component::new(engine(), &bytes));
    let oracle = Outcome::catch(|| wc::Component::new(engine(), &bytes));
    let (Outcome::Ok(ours), Outcome::Ok(oracle)) = (&ours, &oracle) else {
        let path = save_artifact(&format!("bad-guests-{seed:016x}.wat"), wat.as_bytes());
        let what = format!(
            "compile: wit-host {} / wasmtime {} ({path})",
            ours.kind(),
            oracle.kind()
        );
        batch.mismatch(0, what);
        return;
    };
    let mut pair = None;
    for case in 0..CALLS_PER_TYPE.min(max_cases) {
        batch.cases += 1;
        let mut p = match pair.take() {
            Some(p) => p,
            None => match instantiate(ours, oracle) {
                Ok(p) => p,
                Err(e) => return batch.mismatch(case, format!("instantiate: {e:#}")),
            },
        };
        let (region, _) = case_bytes(&mut rng, &ty, encoding);
        let list = Val::List(region.iter().map(|b| Val::U8(*b)).collect());
        let olist = wc::Val::List(region.iter().map(|b| wc::Val::U8(*b)).collect());
        let (store, set, get) = &mut p.ours;
        let r = Outcome::catch(|| {
            set.call(&mut *store, std::slice::from_ref(&list), &mut [])?;
            let mut out = [Val::Bool(false)];
            get.call(&mut *store, &[], &mut out)?;
            Ok(out)
        });
        let (ostore, oset, oget) = &mut p.oracle;
        let o = Outcome::catch(|| {
            oset.call(&mut *ostore, std::slice::from_ref(&olist), &mut [])?;
            let mut out = [wc::Val::Bool(false)];
            oget.call(&mut *ostore, &[], &mut out)?;
            Ok(out)
        });
        let problem = match (&r, &o) {
            (Outcome::Ok(a), Outcome::Ok(b)) if same_as_oracle(a, b) => {
                batch.count("both-ok");
                None
            }
            (Outcome::Ok(a), Outcome::Ok(b)) => Some(format!(
                "values differ\n  wit-host: {}\n  wasmtime: {}",
                show(&a[0], 1500),
                show(&b[0], 1500)
            )),
            (Outcome::Err(_), Outcome::Err(_)) => {
                batch.count("both-err");
                probe_after_failure(&mut p, batch)
            }
            _ => Some(format!(
                "outcomes differ: wit-host {} / wasmtime {}",
                show(&r, 1500),
                show(&o, 1500)
            )),
        };
        if let Some(problem) = problem {
            let path = save_artifact(&format!("bad-guests-{seed:016x}.wat"), wat.as_bytes());
            let mut what = format!(
                "{problem}\n  type {ty:?}, {encoding:?}, component {path}\n  region (first 128 bytes):"
            );
            for b in &region[..128] {
                write!(what, " {b:02x}").unwrap();
            }
            batch.mismatch(case, what);
            return;
        }
        if !r.failed() && !o.failed() {
            pair = Some(p);
        }
    }
}
