//! `values`: random function types, random arguments, echoed back.
//!
//! A batch generates up to 20 parameter types (nesting depth ≤ 4), a
//! string encoding and a result shape, builds the echo component
//! ([`crate::echo`]), compiles it in both runtimes (which must both accept
//! it) and then calls `echo` once per case with fresh random arguments.
//! Each case passes when both calls succeed, wit-host's result equals the
//! arguments, and the oracle's result equals wit-host's (floats compared as
//! [`crate::values::same`] says). A few types also go through
//! `TypedFunc` with fixed Rust types (`typed_cases`).

use wasmtime::component as wc;
use wit_host::Val;

use crate::echo::{Encoding, Via, echo_wat};
use crate::rng::Rng;
use crate::types::{Ty, flatten_all};
use crate::values::{generate, mistype, same, same_as_oracle, show, to_oracle};
use crate::{Batch, Outcome, engine, save_artifact};

/// Calls per compiled component.
pub const VALUES_PER_TYPE: u64 = 200;

/// The two instances of one component, one per runtime, with their
/// `echo` and (for scripted components) `script` exports.
pub(crate) struct Pair {
    pub ours: (wit_host::Store<()>, wit_host::Func),
    pub oracle: (wasmtime::Store<()>, wc::Func),
    pub script: Option<(wit_host::Func, wc::Func)>,
}

/// Instantiates both; with `host`, defines the `host-echo` import that
/// returns its arguments (`single`: the first one alone).
pub(crate) fn instantiate(
    ours: &wit_host::Component,
    oracle: &wc::Component,
    host: bool,
    single: bool,
) -> wasmtime::Result<Pair> {
    let mut store = wit_host::Store::new(engine(), ());
    let mut linker = wit_host::Linker::new(engine());
    let mut olinker = wc::Linker::new(engine());
    if host {
        linker
            .root()
            .func_new("host-echo", move |_, _ty, params, results| {
                results[0] = if single {
                    params[0].clone()
                } else {
                    Val::Tuple(params.to_vec())
                };
                Ok(())
            })?;
        olinker
            .root()
            .func_new("host-echo", move |_, _, params, results| {
                results[0] = if single {
                    params[0].clone()
                } else {
                    wc::Val::Tuple(params.to_vec())
                };
                Ok(())
            })?;
    }
    let instance = linker.instantiate(&mut store, ours)?;
    let func = instance
        .get_func(&mut store, "echo")
        .ok_or_else(|| wasmtime::format_err!("wit-host: no `echo`"))?;
    let mut ostore = wasmtime::Store::new(engine(), ());
    let oinstance = olinker.instantiate(&mut ostore, oracle)?;
    let ofunc = oinstance
        .get_func(&mut ostore, "echo")
        .ok_or_else(|| wasmtime::format_err!("oracle: no `echo`"))?;
    let script = instance
        .get_func(&mut store, "script")
        .zip(oinstance.get_func(&mut ostore, "script"));
    Ok(Pair {
        ours: (store, func),
        oracle: (ostore, ofunc),
        script,
    })
}

/// The parameter types of a batch: usually a few, sometimes up to 20 (and
/// then often past the 16 flat parameters that spill to memory).
pub fn param_types(rng: &mut Rng) -> Vec<Ty> {
    let n = if rng.coin() {
        rng.range(1, 3)
    } else {
        rng.range(1, 20)
    };
    let depth = rng.range(1, 4) as u32;
    (0..n).map(|_| Ty::generate(rng, depth)).collect()
}

/// Runs one batch: one echo component, up to [`VALUES_PER_TYPE`] calls.
pub fn run(seed: u64, max_cases: u64, batch: &mut Batch) {
    let mut rng = Rng::new(seed);
    // One batch in eight echoes one of the types `typed_cases` knows.
    let typed = rng.one_in(8);
    let params = if typed {
        let u16_opt = Ty::Option(Box::new(Ty::U16));
        let fixed = [
            Ty::U32,
            Ty::S64,
            Ty::Char,
            Ty::String,
            Ty::List(Box::new(Ty::U8)),
            Ty::List(Box::new(Ty::String)),
            u16_opt,
        ];
        vec![rng.pick(&fixed).clone()]
    } else {
        param_types(&mut rng)
    };
    let encoding = *rng.pick(&Encoding::ALL);
    let single = params.len() == 1 && (typed || rng.coin());
    let via = if rng.coin() { Via::Guest } else { Via::Host };
    let wat = echo_wat(&params, encoding, single, via, false);
    let bytes = match wat::parse_str(&wat) {
        Ok(b) => b,
        Err(e) => {
            let path = save_artifact(&format!("values-{seed:016x}.wat"), wat.as_bytes());
            batch.mismatch(0, format!("generator bug: invalid text {path}: {e}"));
            return;
        }
    };
    let ours = Outcome::catch(|| wit_host::Component::new(engine(), &bytes));
    let oracle = Outcome::catch(|| wc::Component::new(engine(), &bytes));
    let (Outcome::Ok(ours), Outcome::Ok(oracle)) = (&ours, &oracle) else {
        let path = save_artifact(&format!("values-{seed:016x}.wat"), wat.as_bytes());
        batch.mismatch(
            0,
            format!(
                "compile: wit-host {} / wasmtime {} ({path})",
                ours.kind(),
                oracle.kind()
            ),
        );
        return;
    };
    let mut pair = None;
    let flat = flatten_all(&params).len();
    let cases = VALUES_PER_TYPE.min(max_cases);
    for case in 0..cases {
        batch.cases += 1;
        batch.count(match via {
            Via::Guest => "guest-echo",
            Via::Host => "host-echo",
        });
        let p = match pair.take() {
            Some(p) => p,
            None => match instantiate(ours, oracle, via == Via::Host, single) {
                Ok(p) => p,
                Err(e) => {
                    batch.mismatch(case, format!("instantiate: {e:#}"));
                    return;
                }
            },
        };
        let mut budget = 200;
        let args: Vec<Val> = params
            .iter()
            .map(|t| generate(&mut rng, t, &mut budget))
            .collect();
        // One case in twenty passes a value of the wrong type: both must
        // refuse it (or both take it alike).
        if rng.one_in(20) {
            let i = rng.below(args.len());
            let mut bad = args.clone();
            bad[i] = mistype(&mut rng, &params[i], &args[i]);
            match call_mistyped(p, &bad, batch) {
                (_, Some(problem)) => {
                    let what = format!("{problem}\n  args: {}", show(&bad, 2000));
                    return batch.mismatch(case, what);
                }
                (p, None) => pair = p,
            }
            continue;
        }
        let expected = if single {
            args[0].clone()
        } else {
            Val::Tuple(args.clone())
        };
        let (p, problem) = call(p, &args, &expected);
        if let Some(problem) = problem {
            let path = save_artifact(&format!("values-{seed:016x}.wat"), wat.as_bytes());
            batch.mismatch(
                case,
                format!(
                    "{problem}\n  {flat} flat params, {encoding:?}, via {via:?}, component {path}\n  args: {}",
                    show(&args, 2000)
                ),
            );
            return;
        }
        pair = p;
    }
    if params.len() == 1 && single && via == Via::Guest {
        for _ in 0..if typed { 20 } else { 1 } {
            typed_cases(&mut rng, ours, &params[0], batch);
        }
    }
}

/// Calls `echo` in both runtimes; returns the pair for the next case
/// (`None` when a call failed, so the next case instantiates afresh) and
/// what went wrong, if anything.
fn call(mut p: Pair, args: &[Val], expected: &Val) -> (Option<Pair>, Option<String>) {
    let (store, func) = &mut p.ours;
    let ours = Outcome::catch(|| {
        let mut results = [Val::Bool(false)];
        func.call(&mut *store, args, &mut results)?;
        Ok(results)
    });
    let oargs: Vec<_> = args.iter().map(to_oracle).collect();
    let (ostore, ofunc) = &mut p.oracle;
    let oracle = Outcome::catch(|| {
        let mut results = [wc::Val::Bool(false)];
        ofunc.call(&mut *ostore, &oargs, &mut results)?;
        Ok(results)
    });
    match (&ours, &oracle) {
        (Outcome::Ok(r), Outcome::Ok(o)) => {
            if !same(&r[0], expected) {
                return (
                    None,
                    Some(format!(
                        "wit-host returned another value\n  got: {}\n  want: {}",
                        show(&r[0], 2000),
                        show(expected, 2000)
                    )),
                );
            }
            if !same_as_oracle(r, o) {
                return (
                    None,
                    Some(format!(
                        "results differ\n  wit-host: {}\n  wasmtime: {}",
                        show(&r[0], 2000),
                        show(&o[0], 2000)
                    )),
                );
            }
            (Some(p), None)
        }
        _ => (
            None,
            Some(format!(
                "outcomes differ (an echo must succeed): wit-host {} / wasmtime {}",
                ours.kind(),
                oracle.kind()
            )),
        ),
    }
}

/// Calls `echo` with ill-typed arguments in both runtimes: both must fail
/// (or both succeed with equal results).
fn call_mistyped(mut p: Pair, args: &[Val], batch: &mut Batch) -> (Option<Pair>, Option<String>) {
    let (store, func) = &mut p.ours;
    let ours = Outcome::catch(|| {
        let mut results = [Val::Bool(false)];
        func.call(&mut *store, args, &mut results)?;
        Ok(results)
    });
    let oargs: Vec<_> = args.iter().map(to_oracle).collect();
    let (ostore, ofunc) = &mut p.oracle;
    let oracle = Outcome::catch(|| {
        let mut results = [wc::Val::Bool(false)];
        ofunc.call(&mut *ostore, &oargs, &mut results)?;
        Ok(results)
    });
    match (&ours, &oracle) {
        (Outcome::Err(_), Outcome::Err(_)) => {
            batch.count("mistyped-both-err");
            (None, None)
        }
        (Outcome::Ok(a), Outcome::Ok(b)) if same_as_oracle(a, b) => {
            batch.count("mistyped-both-ok");
            (Some(p), None)
        }
        _ => (
            None,
            Some(format!(
                "ill-typed arguments: wit-host {} / wasmtime {}",
                show(&ours, 600),
                show(&oracle, 600)
            )),
        ),
    }
}

/// For single-parameter echoes of a few types with a fixed Rust
/// counterpart, also calls through `TypedFunc` and checks the result.
fn typed_cases(rng: &mut Rng, component: &wit_host::Component, ty: &Ty, batch: &mut Batch) {
    fn check<T>(component: &wit_host::Component, arg: T, batch: &mut Batch)
    where
        T: wit_host::Lower
            + wit_host::Lift
            + wit_host::ComponentType
            + PartialEq
            + std::fmt::Debug
            + Clone
            + 'static,
        (T,): wit_host::typed::LowerList,
        (T,): wit_host::typed::LiftList,
    {
        let out = Outcome::catch(|| {
            let mut store = wit_host::Store::new(engine(), ());
            let instance = wit_host::Linker::new(engine()).instantiate(&mut store, component)?;
            let f = instance.get_typed_func::<(T,), (T,)>(&mut store, "echo")?;
            Ok(f.call(&mut store, (arg.clone(),))?.0)
        });
        batch.cases += 1;
        batch.count("typed");
        match out {
            Outcome::Ok(v) if v == arg => {}
            other => batch.mismatch(
                batch.cases,
                format!("typed echo of {arg:?}: {}", show(&other, 500)),
            ),
        }
    }
    let mut budget = 50;
    let v = generate(rng, ty, &mut budget);
    match (ty, v) {
        (Ty::U32, Val::U32(x)) => check(component, x, batch),
        (Ty::S64, Val::S64(x)) => check(component, x, batch),
        (Ty::Char, Val::Char(x)) => check(component, x, batch),
        (Ty::String, Val::String(x)) => check(component, x, batch),
        (Ty::List(e), Val::List(xs)) if **e == Ty::U8 => {
            let xs: Vec<u8> = xs
                .into_iter()
                .map(|x| if let Val::U8(x) = x { x } else { 0 })
                .collect();
            check(component, xs, batch)
        }
        (Ty::List(e), Val::List(xs)) if **e == Ty::String => {
            let xs: Vec<String> = xs
                .into_iter()
                .map(|x| {
                    if let Val::String(x) = x {
                        x
                    } else {
                        String::new()
                    }
                })
                .collect();
            check(component, xs, batch)
        }
        (Ty::Option(e), Val::Option(x)) if **e == Ty::U16 => {
            let x = x.map(|x| if let Val::U16(x) = *x { x } else { 0 });
            check(component, x, batch)
        }
        _ => {}
    }
}
