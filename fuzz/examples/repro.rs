//! Runs a sequence of calls on a component in both runtimes and prints
//! each outcome side by side: the tool for minimising a mismatch.
//!
//! `cargo run -p wit-host-fuzz --example repro -- FILE.wat 'f 1 2' 'g' …`
//! calls export `f(1, 2)`, then `g()`, in one instance per runtime.
//! Arguments are `u32`s, `"text"` strings, or `$k`: the `k`th resource
//! handle an earlier call returned (counted across all calls). A name
//! `inst#f` calls function `f` of exported instance `inst`; the call
//! `drop $k` drops handle `k` from the host.

use wasmtime::component as wc;
use wit_host::Val;
use wit_host_fuzz::{Outcome, engine};

/// Compiles the component, then runs each call in both runtimes.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(&args[0]).expect("read the component");
    let ours = Outcome::catch(|| wit_host::Component::new(engine(), &text));
    let oracle = Outcome::catch(|| wc::Component::new(engine(), &text));
    println!(
        "compile: wit-host {} / wasmtime {}",
        ours.kind(),
        oracle.kind()
    );
    // A side that did not compile (or instantiate) is skipped; the other
    // still runs the calls.
    let mut ours = match ours {
        Outcome::Ok(c) => {
            let mut store = wit_host::Store::new(engine(), ());
            match wit_host::Linker::new(engine()).instantiate(&mut store, &c) {
                Ok(i) => Some((c, store, i)),
                Err(e) => {
                    println!("instantiate: wit-host Err({e:#})");
                    None
                }
            }
        }
        _ => None,
    };
    let mut oracle = match oracle {
        Outcome::Ok(c) => {
            let mut store = wasmtime::Store::new(engine(), ());
            match wc::Linker::new(engine()).instantiate(&mut store, &c) {
                Ok(i) => Some((c, store, i)),
                Err(e) => {
                    println!("instantiate: wasmtime Err({e:#})");
                    None
                }
            }
        }
        _ => None,
    };
    fn skipped<T>() -> Outcome<T> {
        Outcome::Err("(not instantiated)".to_string())
    }
    let mut handles: Vec<wit_host::ResourceAny> = Vec::new();
    let mut ohandles: Vec<wc::ResourceAny> = Vec::new();
    for call in &args[1..] {
        let mut words = call.split_whitespace();
        let name = words.next().unwrap();
        let params: Vec<&str> = words.collect();
        let handle = |p: &str| p.strip_prefix('$').map(|k| k.parse::<usize>().unwrap());
        if name == "drop" {
            let k = handle(params[0]).unwrap();
            let a = match &mut ours {
                Some((_, store, _)) => Outcome::catch(|| handles[k].clone().resource_drop(store)),
                None => skipped(),
            };
            let b = match &mut oracle {
                Some((_, store, _)) => Outcome::catch(|| ohandles[k].resource_drop(store)),
                None => skipped(),
            };
            println!("{call}\n  wit-host: {a:?}\n  wasmtime: {b:?}");
            continue;
        }
        let (inst, func) = match name.split_once('#') {
            Some((i, f)) => (Some(i), f),
            None => (None, name),
        };
        let a = match &mut ours {
            None => skipped(),
            Some((ours, store, instance)) => Outcome::catch(|| {
                let i = inst.map(|i| ours.get_export_index(None, i).unwrap());
                let f = ours.get_export_index(i.as_ref(), func).unwrap();
                let f = instance.get_func(&mut *store, &f).unwrap();
                let ps: Vec<Val> = params
                    .iter()
                    .map(|p| match (p.strip_prefix('"'), handle(p)) {
                        (Some(s), _) => Val::String(s.trim_end_matches('"').to_string()),
                        (_, Some(k)) => Val::Resource(handles[k].clone()),
                        _ => Val::U32(p.parse().unwrap()),
                    })
                    .collect();
                let mut rs = vec![Val::Bool(false); f.results().len()];
                f.call(&mut *store, &ps, &mut rs)?;
                Ok(rs)
            }),
        };
        let b = match &mut oracle {
            None => skipped(),
            Some((oracle, ostore, oinstance)) => Outcome::catch(|| {
                let i = inst.map(|i| oracle.get_export_index(None, i).unwrap());
                let f = oracle.get_export_index(i.as_ref(), func).unwrap();
                let f = oinstance.get_func(&mut *ostore, f).unwrap();
                let ps: Vec<wc::Val> = params
                    .iter()
                    .map(|p| match (p.strip_prefix('"'), handle(p)) {
                        (Some(s), _) => wc::Val::String(s.trim_end_matches('"').to_string()),
                        (_, Some(k)) => wc::Val::Resource(ohandles[k]),
                        _ => wc::Val::U32(p.parse().unwrap()),
                    })
                    .collect();
                let mut rs = vec![wc::Val::Bool(false); f.ty(&*ostore).results().len()];
                f.call(&mut *ostore, &ps, &mut rs)?;
                Ok(rs)
            }),
        };
        if let Outcome::Ok(rs) = &a {
            handles.extend(rs.iter().filter_map(|v| match v {
                Val::Resource(r) => Some(r.clone()),
                _ => None,
            }));
        }
        if let Outcome::Ok(rs) = &b {
            ohandles.extend(rs.iter().filter_map(|v| match v {
                wc::Val::Resource(r) => Some(*r),
                _ => None,
            }));
        }
        println!("{call}\n  wit-host: {a:?}\n  wasmtime: {b:?}");
    }
}
