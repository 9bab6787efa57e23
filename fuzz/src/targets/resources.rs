//! `resources`: random sequences of resource operations across two
//! component instances and the host.
//!
//! The component ([`component_wat`]) holds two inner instances: `def`
//! defines resource `r` (its destructor logs each representation in a
//! memory log readable through `dropped`/`dropped-at`) and exports
//! constructors and functions taking `own`/`borrow` handles and lists of
//! them; `keep` imports `def` and keeps handles in its own table, so every
//! handle it takes or gives crosses an adapter between the two instances.
//! A third, `hold`, imports the host's resource `hr` (constructor and
//! method are host functions; its destructor logs in the store's data)
//! and keeps `hr` handles in its table. All three instances are exported
//! whole.
//!
//! A batch instantiates the component in both runtimes and runs up to
//! [`OPS_PER_BATCH`] random operations (the cases): calls of either
//! instance's functions with host-held handles (live, already given away,
//! or dropped: then both must fail) or random handle indices of `keep`'s
//! table, and host drops of `ResourceAny`s. After each operation the
//! outcomes (`Ok` with equal values, or both `Err`) and the destructor
//! counts must agree; after a failure both must agree whether the
//! instance can still be entered. After a failed host operation (a drop
//! of a stale handle) the sequence goes on; after a failed call both
//! start afresh (it may have been a trap, after which the spec defines
//! nothing). At the end the
//! whole destructor log must agree.

use std::sync::OnceLock;

use wasmtime::component as wc;
use wit_host::Val;

use crate::echo::bump_realloc;
use crate::rng::Rng;
use crate::values::show;
use crate::{Batch, Outcome, engine};

/// Operations per batch (each a case).
pub const OPS_PER_BATCH: u64 = 60;

/// The component's text.
pub fn component_wat() -> String {
    format!(
        r#"(component
  (import "host" (instance $host
    (export "hr" (type $HR (sub resource)))
    (export "[constructor]hr" (func (param "v" u32) (result (own $HR))))
    (export "[method]hr.get" (func (param "self" (borrow $HR)) (result u32)))))

  (component $Def
    (core module $Log
      (memory (export "mem") 1)
      (func (export "dtor") (param $rep i32)
        (i32.store
          (i32.add (i32.const 4)
            (i32.shl (i32.and (i32.load (i32.const 0)) (i32.const 1023)) (i32.const 2)))
          (local.get $rep))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
      (func (export "dropped") (result i32) (i32.load (i32.const 0)))
      (func (export "dropped-at") (param $i i32) (result i32)
        (i32.load (i32.add (i32.const 4)
          (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))))))
    (core instance $log (instantiate $Log))
    (type $R' (resource (rep i32) (dtor (core func $log "dtor"))))
    (core func $new (canon resource.new $R'))
    (core func $rep (canon resource.rep $R'))
    (core func $drop (canon resource.drop $R'))
    (core module $M
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      (import "r" "drop" (func $drop (param i32)))
      (memory (export "mem") 1)
{realloc}      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      ;; a borrow of our own type arrives as its representation
      (func (export "rep-of") (param $rep i32) (result i32) (local.get $rep))
      (func (export "consume") (param $h i32) (result i32)
        (local $rep i32)
        (local.set $rep (call $rep (local.get $h)))
        (call $drop (local.get $h))
        (local.get $rep))
      (func (export "merge") (param $into i32) (param $from i32) (result i32)
        (local $rep i32)
        (local.set $rep (call $rep (local.get $from)))
        (call $drop (local.get $from))
        (i32.add (local.get $into) (local.get $rep)))
      (func (export "make-many") (param $base i32) (param $n i32) (result i32)
        (local $ret i32) (local $arr i32) (local $i i32)
        (local.set $n (i32.and (local.get $n) (i32.const 7)))
        (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
        (local.set $arr (call $realloc (i32.const 0) (i32.const 0) (i32.const 4)
          (i32.shl (local.get $n) (i32.const 2))))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (i32.store (i32.add (local.get $arr) (i32.shl (local.get $i) (i32.const 2)))
              (call $new (i32.add (local.get $base) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        (i32.store (local.get $ret) (local.get $arr))
        (i32.store offset=4 (local.get $ret) (local.get $n))
        (local.get $ret))
      (func (export "sum") (param $p i32) (param $n i32) (result i32)
        (local $s i32) (local $i i32)
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $s (i32.add (local.get $s)
              (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        (local.get $s))
      (func (export "post") (param i32) (global.set $bump (i32.const 1024))))
    (core instance $m (instantiate $M
      (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep))
        (export "drop" (func $drop))))))
    (alias core export $m "mem" (core memory $mem))
    (alias core export $m "realloc" (core func $realloc))
    (alias core export $m "post" (core func $post))
    (export $R "r" (type $R'))
    (func (export "[constructor]r") (param "rep" u32) (result (own $R))
      (canon lift (core func $m "make")))
    (func (export "[method]r.rep-of") (param "self" (borrow $R)) (result u32)
      (canon lift (core func $m "rep-of")))
    (func (export "[static]r.consume") (param "r" (own $R)) (result u32)
      (canon lift (core func $m "consume")))
    (func (export "[method]r.merge") (param "self" (borrow $R)) (param "from" (own $R)) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "[static]r.make-many") (param "base" u32) (param "n" u32) (result (list (own $R)))
      (canon lift (core func $m "make-many") (memory $mem) (realloc $realloc)
        (post-return $post)))
    (func (export "[static]r.sum") (param "rs" (list (borrow $R))) (result u32)
      (canon lift (core func $m "sum") (memory $mem) (realloc $realloc) (post-return $post)))
    (func (export "dropped") (result u32) (canon lift (core func $log "dropped")))
    (func (export "dropped-at") (param "i" u32) (result u32)
      (canon lift (core func $log "dropped-at"))))

  (component $Keep
    (import "def" (instance $def
      (export "r" (type $R (sub resource)))
      (export "[constructor]r" (func (param "rep" u32) (result (own $R))))
      (export "[method]r.rep-of" (func (param "self" (borrow $R)) (result u32)))
      (export "[static]r.consume" (func (param "r" (own $R)) (result u32)))
      (export "[method]r.merge"
        (func (param "self" (borrow $R)) (param "from" (own $R)) (result u32)))))
    (alias export $def "r" (type $R))
    (core func $make (canon lower (func $def "[constructor]r")))
    (core func $rep-of (canon lower (func $def "[method]r.rep-of")))
    (core func $consume (canon lower (func $def "[static]r.consume")))
    (core func $merge (canon lower (func $def "[method]r.merge")))
    (core func $drop (canon resource.drop $R))
    (core module $M
      (import "" "make" (func $make (param i32) (result i32)))
      (import "" "rep-of" (func $rep-of (param i32) (result i32)))
      (import "" "consume" (func $consume (param i32) (result i32)))
      (import "" "merge" (func $merge (param i32 i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "take") (param i32) (result i32) (local.get 0))
      (func (export "give") (param i32) (result i32) (local.get 0))
      ;; a borrow of another's type arrives as a handle we must drop
      (func (export "peek") (param $h i32) (result i32)
        (local $r i32)
        (local.set $r (call $rep-of (local.get $h)))
        (call $drop (local.get $h))
        (local.get $r))
      (func (export "leak") (param i32))
      (func (export "rep") (param i32) (result i32) (call $rep-of (local.get 0)))
      (func (export "make") (param i32) (result i32) (call $make (local.get 0)))
      (func (export "consume") (param i32) (result i32) (call $consume (local.get 0)))
      (func (export "merge") (param i32 i32) (result i32)
        (call $merge (local.get 0) (local.get 1)))
      (func (export "drop") (param i32) (call $drop (local.get 0))))
    (core instance $m (instantiate $M (with "" (instance
      (export "make" (func $make))
      (export "rep-of" (func $rep-of))
      (export "consume" (func $consume))
      (export "merge" (func $merge))
      (export "drop" (func $drop))))))
    (func (export "take") (param "r" (own $R)) (result u32) (canon lift (core func $m "take")))
    (func (export "give") (param "h" u32) (result (own $R)) (canon lift (core func $m "give")))
    (func (export "peek") (param "r" (borrow $R)) (result u32) (canon lift (core func $m "peek")))
    (func (export "leak") (param "r" (borrow $R)) (canon lift (core func $m "leak")))
    (func (export "rep") (param "h" u32) (result u32) (canon lift (core func $m "rep")))
    (func (export "make") (param "rep" u32) (result u32) (canon lift (core func $m "make")))
    (func (export "consume") (param "h" u32) (result u32) (canon lift (core func $m "consume")))
    (func (export "merge") (param "into" u32) (param "from" u32) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop"))))

  (component $Hold
    (import "host" (instance $host
      (export "hr" (type $HR (sub resource)))
      (export "[constructor]hr" (func (param "v" u32) (result (own $HR))))
      (export "[method]hr.get" (func (param "self" (borrow $HR)) (result u32)))))
    (alias export $host "hr" (type $HR))
    (core func $new (canon lower (func $host "[constructor]hr")))
    (core func $get (canon lower (func $host "[method]hr.get")))
    (core func $drop (canon resource.drop $HR))
    (core module $M
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "get" (func $get (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      (func (export "get") (param i32) (result i32) (call $get (local.get 0)))
      (func (export "drop") (param i32) (call $drop (local.get 0)))
      (func (export "id") (param i32) (result i32) (local.get 0))
      (func (export "peek") (param $h i32) (result i32)
        (local $r i32)
        (local.set $r (call $get (local.get $h)))
        (call $drop (local.get $h))
        (local.get $r))
      ;; make, read and drop one (the host's destructor runs)
      (func (export "churn") (param $v i32) (result i32)
        (local $h i32) (local $r i32)
        (local.set $h (call $new (local.get $v)))
        (local.set $r (call $get (local.get $h)))
        (call $drop (local.get $h))
        (local.get $r)))
    (core instance $m (instantiate $M (with "" (instance
      (export "new" (func $new))
      (export "get" (func $get))
      (export "drop" (func $drop))))))
    (func (export "make") (param "v" u32) (result u32) (canon lift (core func $m "make")))
    (func (export "get") (param "h" u32) (result u32) (canon lift (core func $m "get")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
    (func (export "take") (param "r" (own $HR)) (result u32) (canon lift (core func $m "id")))
    (func (export "give") (param "h" u32) (result (own $HR)) (canon lift (core func $m "id")))
    (func (export "peek") (param "r" (borrow $HR)) (result u32)
      (canon lift (core func $m "peek")))
    (func (export "churn") (param "v" u32) (result u32) (canon lift (core func $m "churn")))
    (func (export "fresh") (param "v" u32) (result (own $HR)) (canon lift (core func $m "make"))))

  (instance $def (instantiate $Def))
  (instance $keep (instantiate $Keep (with "def" (instance $def))))
  (instance $hold (instantiate $Hold (with "host" (instance $host))))
  (export "def" (instance $def))
  (export "keep" (instance $keep))
  (export "hold" (instance $hold)))
"#,
        realloc = bump_realloc(1024)
    )
}

/// The component, compiled once per process by both runtimes.
fn components() -> &'static (wit_host::Component, wc::Component) {
    static C: OnceLock<(wit_host::Component, wc::Component)> = OnceLock::new();
    C.get_or_init(|| {
        let bytes = wat::parse_str(component_wat()).expect("resources component text");
        let ours = wit_host::Component::new(engine(), &bytes).expect("wit-host compiles it");
        let oracle = wc::Component::new(engine(), &bytes).expect("wasmtime compiles it");
        (ours, oracle)
    })
}

/// The host resource `hr`'s Rust type (its state is the representation).
struct HostR;

/// One argument of an operation.
#[derive(Clone, Debug)]
enum Arg {
    U32(u32),
    /// The host's `n`th handle.
    Handle(usize),
    /// A list of the host's handles.
    Handles(Vec<usize>),
}

/// Both runtimes' live state: store, instance, the handles the host holds
/// (parallel vectors).
struct State {
    /// wit-host's store; its data is the host destructor's log of reps.
    store: wit_host::Store<Vec<u32>>,
    /// wit-host's instance of the component.
    instance: wit_host::Instance,
    /// The handles the host holds in wit-host, in the order received.
    handles: Vec<wit_host::ResourceAny>,
    /// The oracle's store (data as in `store`).
    ostore: wasmtime::Store<Vec<u32>>,
    /// The oracle's instance.
    oinstance: wc::Instance,
    /// The same handles in the oracle, index for index.
    ohandles: Vec<wc::ResourceAny>,
}

impl State {
    /// Instantiates the component in both runtimes, with the host's
    /// `hr` (constructor, method, destructor) defined in both linkers.
    fn new() -> wasmtime::Result<State> {
        let (ours, oracle) = components();
        let mut store = wit_host::Store::new(engine(), Vec::new());
        let mut linker = wit_host::Linker::<Vec<u32>>::new(engine());
        let mut host = linker.instance("host")?;
        host.resource(
            "hr",
            wit_host::ResourceType::host::<HostR>(),
            |mut s, rep| {
                s.data_mut().push(rep);
                Ok(())
            },
        )?;
        host.func_new("[constructor]hr", |mut s, _ty, params, results| {
            let Val::U32(v) = params[0] else {
                wasmtime::bail!("bad argument")
            };
            let r = wit_host::Resource::<HostR>::new_own(v).try_into_resource_any(&mut s)?;
            results[0] = Val::Resource(r);
            Ok(())
        })?;
        host.func_new("[method]hr.get", |mut s, _ty, params, results| {
            let Val::Resource(r) = &params[0] else {
                wasmtime::bail!("bad argument")
            };
            let r = wit_host::Resource::<HostR>::try_from_resource_any(r.clone(), &mut s)?;
            results[0] = Val::U32(r.rep());
            Ok(())
        })?;
        let instance = linker.instantiate(&mut store, ours)?;
        let mut ostore = wasmtime::Store::new(engine(), Vec::new());
        let mut olinker = wc::Linker::<Vec<u32>>::new(engine());
        let mut ohost = olinker.instance("host")?;
        ohost.resource("hr", wc::ResourceType::host::<HostR>(), |mut s, rep| {
            s.data_mut().push(rep);
            Ok(())
        })?;
        ohost.func_new("[constructor]hr", |mut s, _, params, results| {
            let wc::Val::U32(v) = params[0] else {
                wasmtime::bail!("bad argument")
            };
            let r = wc::Resource::<HostR>::new_own(v).try_into_resource_any(&mut s)?;
            results[0] = wc::Val::Resource(r);
            Ok(())
        })?;
        ohost.func_new("[method]hr.get", |mut s, _, params, results| {
            let wc::Val::Resource(r) = params[0] else {
                wasmtime::bail!("bad argument")
            };
            let r = wc::Resource::<HostR>::try_from_resource_any(r, &mut s)?;
            results[0] = wc::Val::U32(r.rep());
            Ok(())
        })?;
        let oinstance = olinker.instantiate(&mut ostore, oracle)?;
        Ok(State {
            store,
            instance,
            handles: Vec::new(),
            ostore,
            oinstance,
            ohandles: Vec::new(),
        })
    }

    /// Calls `instance#func` in both runtimes.
    fn call(
        &mut self,
        instance: &str,
        func: &str,
        args: &[Arg],
    ) -> (Outcome<Vec<Val>>, Outcome<Vec<wc::Val>>) {
        let (ours, oracle) = components();
        let ours = Outcome::catch(|| {
            let i = ours.get_export_index(None, instance).unwrap();
            let f = ours.get_export_index(Some(&i), func).unwrap();
            let f = self.instance.get_func(&mut self.store, &f).unwrap();
            let params: Vec<Val> = args
                .iter()
                .map(|a| match a {
                    Arg::U32(x) => Val::U32(*x),
                    Arg::Handle(h) => Val::Resource(self.handles[*h].clone()),
                    Arg::Handles(hs) => Val::List(
                        hs.iter()
                            .map(|h| Val::Resource(self.handles[*h].clone()))
                            .collect(),
                    ),
                })
                .collect();
            let mut results = vec![Val::Bool(false); f.results().len()];
            f.call(&mut self.store, &params, &mut results)?;
            Ok(results)
        });
        let oracle = Outcome::catch(|| {
            let i = oracle.get_export_index(None, instance).unwrap();
            let f = oracle.get_export_index(Some(&i), func).unwrap();
            let f = self.oinstance.get_func(&mut self.ostore, f).unwrap();
            let params: Vec<wc::Val> = args
                .iter()
                .map(|a| match a {
                    Arg::U32(x) => wc::Val::U32(*x),
                    Arg::Handle(h) => wc::Val::Resource(self.ohandles[*h]),
                    Arg::Handles(hs) => wc::Val::List(
                        hs.iter()
                            .map(|h| wc::Val::Resource(self.ohandles[*h]))
                            .collect(),
                    ),
                })
                .collect();
            let n = f.ty(&self.ostore).results().len();
            let mut results = vec![wc::Val::Bool(false); n];
            f.call(&mut self.ostore, &params, &mut results)?;
            Ok(results)
        });
        (ours, oracle)
    }

    /// Makes an own `hr` in the host of both runtimes (no guest involved).
    fn host_new(&mut self, v: u32) -> (Outcome<Vec<Val>>, Outcome<Vec<wc::Val>>) {
        let ours = Outcome::catch(|| {
            let r =
                wit_host::Resource::<HostR>::new_own(v).try_into_resource_any(&mut self.store)?;
            Ok(vec![Val::Resource(r)])
        });
        let oracle = Outcome::catch(|| {
            let r = wc::Resource::<HostR>::new_own(v).try_into_resource_any(&mut self.ostore)?;
            Ok(vec![wc::Val::Resource(r)])
        });
        (ours, oracle)
    }

    /// Drops host handle `h` in both runtimes.
    fn host_drop(&mut self, h: usize) -> (Outcome<Vec<Val>>, Outcome<Vec<wc::Val>>) {
        let any = self.handles[h].clone();
        let ours = Outcome::catch(|| any.resource_drop(&mut self.store).map(|()| Vec::new()));
        let oany = self.ohandles[h];
        let oracle = Outcome::catch(|| oany.resource_drop(&mut self.ostore).map(|()| Vec::new()));
        (ours, oracle)
    }
}

/// A value with its resources replaced by `R`, for comparing shapes; the
/// resources are pushed to `out`.
fn shape_ours(v: &Val, out: &mut Vec<wit_host::ResourceAny>) -> String {
    match v {
        Val::Resource(r) => {
            out.push(r.clone());
            format!("R(own={})", r.owned())
        }
        Val::List(items) => {
            let items: Vec<_> = items.iter().map(|v| shape_ours(v, out)).collect();
            format!("[{}]", items.join(", "))
        }
        Val::U32(x) => format!("{x}"),
        other => format!("{other:?}"),
    }
}

/// [`shape_ours`] for the oracle's values.
fn shape_oracle(v: &wc::Val, out: &mut Vec<wc::ResourceAny>) -> String {
    match v {
        wc::Val::Resource(r) => {
            out.push(*r);
            format!("R(own={})", r.owned())
        }
        wc::Val::List(items) => {
            let items: Vec<_> = items.iter().map(|v| shape_oracle(v, out)).collect();
            format!("[{}]", items.join(", "))
        }
        wc::Val::U32(x) => format!("{x}"),
        other => format!("{other:?}"),
    }
}

/// A random operation: `(instance, function, arguments)`, or a host drop
/// (`("host", "drop", [handle])`).
fn random_op(rng: &mut Rng, handles: usize) -> (&'static str, &'static str, Vec<Arg>) {
    let h = |rng: &mut Rng| Arg::Handle(rng.below(handles));
    // Table indices: mostly the first few (tables start at 1), now and
    // then 0 or past what is there.
    let small = |rng: &mut Rng| {
        Arg::U32(if rng.below(5) != 0 {
            rng.range(1, 3) as u32
        } else {
            rng.below(9) as u32
        })
    };
    let rep = |rng: &mut Rng| Arg::U32(rng.below(1000) as u32);
    if handles == 0 {
        return match rng.below(3) {
            0 => ("def", "[constructor]r", vec![rep(rng)]),
            1 => ("def", "[static]r.make-many", vec![rep(rng), small(rng)]),
            _ => ("keep", "make", vec![rep(rng)]),
        };
    }
    match rng.below(29) {
        26 => ("hold", "churn", vec![rep(rng)]),
        27 => ("hold", "fresh", vec![rep(rng)]),
        19 => ("hold", "make", vec![rep(rng)]),
        20 => ("hold", "get", vec![small(rng)]),
        21 => ("hold", "drop", vec![small(rng)]),
        22 => ("hold", "take", vec![h(rng)]),
        23 => ("hold", "give", vec![small(rng)]),
        24 => ("hold", "peek", vec![h(rng)]),
        25 => ("host", "new-hr", vec![rep(rng)]),
        0 | 1 => ("def", "[constructor]r", vec![rep(rng)]),
        2 => ("def", "[method]r.rep-of", vec![h(rng)]),
        3 => ("def", "[static]r.consume", vec![h(rng)]),
        4 => ("def", "[method]r.merge", vec![h(rng), h(rng)]),
        5 => ("def", "[static]r.make-many", vec![rep(rng), small(rng)]),
        6 => {
            let n = rng.range(0, 4);
            (
                "def",
                "[static]r.sum",
                vec![Arg::Handles((0..n).map(|_| rng.below(handles)).collect())],
            )
        }
        7 => ("keep", "take", vec![h(rng)]),
        8 => ("keep", "give", vec![small(rng)]),
        9 => ("keep", "peek", vec![h(rng)]),
        10 => ("keep", "leak", vec![h(rng)]),
        11 => ("keep", "rep", vec![small(rng)]),
        12 => ("keep", "make", vec![rep(rng)]),
        13 => ("keep", "consume", vec![small(rng)]),
        14 => ("keep", "merge", vec![small(rng), small(rng)]),
        15 => ("keep", "drop", vec![small(rng)]),
        _ => ("host", "drop", vec![h(rng)]),
    }
}

/// Runs one batch: one pair of instances, up to [`OPS_PER_BATCH`] ops.
pub fn run(seed: u64, max_cases: u64, batch: &mut Batch) {
    let mut rng = Rng::new(seed);
    let mut state = match State::new() {
        Ok(s) => s,
        Err(e) => return batch.mismatch(0, format!("instantiate: {e:#}")),
    };
    let mut log: Vec<String> = Vec::new();
    // Host destructor runs counted so far (in this `state`'s log).
    let mut host_dtors = 0;
    for case in 0..OPS_PER_BATCH.min(max_cases) {
        host_dtors = host_dtors.min(state.store.data().len());
        batch.cases += 1;
        let (inst, func, args) = random_op(&mut rng, state.handles.len());
        log.push(format!("{inst}#{func}{args:?}"));
        let (ours, oracle) = if (inst, func) == ("host", "new-hr") {
            let Arg::U32(v) = args[0] else { unreachable!() };
            state.host_new(v)
        } else if inst == "host" {
            let Arg::Handle(h) = args[0] else {
                unreachable!()
            };
            state.host_drop(h)
        } else {
            state.call(inst, func, &args)
        };
        let problem = match (&ours, &oracle) {
            (Outcome::Ok(a), Outcome::Ok(b)) => {
                let mut new = Vec::new();
                let mut onew = Vec::new();
                let sa: Vec<_> = a.iter().map(|v| shape_ours(v, &mut new)).collect();
                let sb: Vec<_> = b.iter().map(|v| shape_oracle(v, &mut onew)).collect();
                state.handles.extend(new);
                state.ohandles.extend(onew);
                batch.count("both-ok");
                (sa != sb).then(|| format!("results differ: wit-host {sa:?} / wasmtime {sb:?}"))
            }
            (Outcome::Err(_), Outcome::Err(_)) => {
                batch.count("both-err");
                None
            }
            _ => Some(format!(
                "outcomes differ: wit-host {} / wasmtime {}",
                show(&ours, 400),
                show(&oracle, 400)
            )),
        };
        // Whether the instances can go on: not after either refused entry.
        let mut fresh = false;
        let problem = problem.or_else(|| {
            // The destructor count, and after a failure whether the
            // instance may still be entered.
            for _ in host_dtors..state.store.data().len() {
                batch.count("host-dtor-runs");
            }
            host_dtors = state.store.data().len();
            if state.store.data() != state.ostore.data() {
                return Some(format!(
                    "host destructor logs differ: wit-host {:?} / wasmtime {:?}",
                    state.store.data(),
                    state.ostore.data()
                ));
            }
            let (a, b) = state.call("def", "dropped", &[]);
            match (&a, &b) {
                (Outcome::Ok(a), Outcome::Ok(b)) if format!("{a:?}") == format!("{b:?}") => None,
                (Outcome::Err(_), Outcome::Err(_)) if ours.failed() => {
                    fresh = true;
                    None
                }
                (Outcome::Err(e), Outcome::Ok(_)) if ours.failed() && crate::locked_down(e) => {
                    batch.known(crate::KNOWN_STRICTER_LOCKDOWN);
                    fresh = true;
                    None
                }
                (Outcome::Ok(_), Outcome::Err(e))
                    if host_mistake(&ours) && e.contains("cannot enter component instance") =>
                {
                    batch.known(crate::KNOWN_HOST_MISTAKE);
                    fresh = true;
                    None
                }
                _ => Some(format!(
                    "`def#dropped` after the op differs: wit-host {} / wasmtime {}",
                    show(&a, 400),
                    show(&b, 400)
                )),
            }
        });
        if let Some(problem) = problem {
            return batch.mismatch(
                case,
                format!("{problem}\n  ops so far:\n    {}", log.join("\n    ")),
            );
        }
        if fresh {
            state = match State::new() {
                Ok(s) => s,
                Err(e) => return batch.mismatch(case, format!("instantiate: {e:#}")),
            };
            log.push("-- instance refused entry: fresh instances --".to_string());
        } else if ours.failed() && inst == "host" {
            batch.count("went-on-after-host-err");
        } else if ours.failed() {
            // A failed call may have been a trap, after which the spec
            // defines nothing (wasmtime does not refuse entry after every
            // kind: a callee that leaks a borrow fails the call but leaves
            // the host's handle lent); only failed host operations go on.
            state = match State::new() {
                Ok(s) => s,
                Err(e) => return batch.mismatch(case, format!("instantiate: {e:#}")),
            };
            log.push("-- call failed: fresh instances --".to_string());
        }
    }
    // The whole destructor log.
    let (a, b) = state.call("def", "dropped", &[]);
    if let (Outcome::Ok(a), Outcome::Ok(_)) = (&a, &b) {
        let Some(Val::U32(n)) = a.first() else { return };
        for i in 0..(*n).min(64) {
            let (x, y) = state.call("def", "dropped-at", &[Arg::U32(i)]);
            let (x, y) = (show(&x, 100), show(&y, 100));
            if x != y {
                let ops = log.join("\n    ");
                let what = format!(
                    "destructor log entry {i}: wit-host {x} / wasmtime {y}\n  ops:\n    {ops}"
                );
                return batch.mismatch(OPS_PER_BATCH, what);
            }
        }
    }
}

/// Whether `ours` failed for a mistake of the host's own arguments that
/// wit-host finds before anything in the guest changed — a stale, moved or
/// lent handle, or one of the wrong type — after which it leaves the
/// instance usable (wasmtime locks the instance down: it clears its entry
/// flag before lowering the arguments).
fn host_mistake<T>(ours: &Outcome<T>) -> bool {
    let Outcome::Err(e) = ours else {
        return false;
    };
    [
        "already dropped or moved",
        "while it is borrowed",
        "resource type mismatch",
        "cannot be passed where `own",
    ]
    .iter()
    .any(|m| e.contains(m))
}
