//! Round trips through the whole ABI: lower then lift, store then load,
//! for every kind of type and every string encoding, and through the
//! flat-limit spill of `lower_flat_values` / `lift_flat_values`.

use crate::canon::memory::StringEncoding::{self, Latin1Utf16, Utf8, Utf16};
use crate::canon::test_memory::TestMemory;
use crate::canon::{
    FlatIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, lift_flat, lift_flat_values, load, lower_flat,
    lower_flat_values, store,
};
use crate::types::{Case, Field, Type};
use crate::values::Val;

/// Every string encoding.
const ENCODINGS: [StringEncoding; 3] = [Utf8, Utf16, Latin1Utf16];

/// A string value.
fn s(x: &str) -> Val {
    Val::String(x.into())
}

/// A boxed payload.
fn some(v: Val) -> Option<Box<Val>> {
    Some(Box::new(v))
}

/// A record field.
fn field(name: &str, ty: Type) -> Field {
    Field {
        name: name.into(),
        ty,
    }
}

/// A variant case.
fn case(name: &str, ty: Option<Type>) -> Case {
    Case {
        name: name.into(),
        ty,
    }
}

/// `n` flag or case names `f0`, `f1`, ...
fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("f{i}")).collect()
}

/// One value of every kind of type, with its type.
fn samples() -> Vec<(Type, Val)> {
    let var = Type::variant([
        case("a", Some(Type::Float32)),
        case("b", Some(Type::U64)),
        case("c", None),
        case("d", Some(Type::String)),
    ]);
    let rec = Type::record([
        field("a", Type::U8),
        field("b", Type::String),
        field("c", Type::Float64),
    ]);
    let big = Type::variant([case(
        "x",
        Some(Type::tuple(
            vec![Type::U32; 16].into_iter().chain([Type::String]),
        )),
    )]);
    let big_val = Val::Tuple((1..=16).map(Val::U32).chain([s("wat")]).collect());
    vec![
        (Type::Bool, Val::Bool(true)),
        (Type::S8, Val::S8(i8::MIN)),
        (Type::U8, Val::U8(u8::MAX)),
        (Type::S16, Val::S16(-300)),
        (Type::U16, Val::U16(60000)),
        (Type::S32, Val::S32(i32::MIN)),
        (Type::U32, Val::U32(u32::MAX)),
        (Type::S64, Val::S64(i64::MIN)),
        (Type::U64, Val::U64(u64::MAX)),
        (Type::Float32, Val::Float32(-0.0)),
        (Type::Float32, Val::Float32(f32::INFINITY)),
        (Type::Float64, Val::Float64(2.75)),
        (Type::Char, Val::Char('😀')),
        (Type::String, s("")),
        (Type::String, s("héllo wörld")),
        (Type::String, s("Ω and 😀")),
        (
            Type::list(Type::U8),
            Val::List(vec![Val::U8(1), Val::U8(2), Val::U8(3)]),
        ),
        (
            Type::list(Type::U64),
            Val::List(vec![Val::U64(1), Val::U64(u64::MAX)]),
        ),
        (
            Type::list(Type::Float32),
            Val::List(vec![Val::Float32(1.5)]),
        ),
        (
            Type::list(Type::Char),
            Val::List(vec![Val::Char('a'), Val::Char('Ω')]),
        ),
        (
            Type::list(Type::String),
            Val::List(vec![s("one"), s("twö"), s("θ")]),
        ),
        (
            Type::list(Type::list(Type::U16)),
            Val::List(vec![
                Val::List(vec![Val::U16(5), Val::U16(6)]),
                Val::List(vec![]),
            ]),
        ),
        (
            rec,
            Val::Record(vec![
                ("a".into(), Val::U8(1)),
                ("b".into(), s("bé")),
                ("c".into(), Val::Float64(-1.0)),
            ]),
        ),
        (
            Type::tuple([Type::U16, Type::list(Type::U8), Type::Char]),
            Val::Tuple(vec![
                Val::U16(9),
                Val::List(vec![Val::U8(7)]),
                Val::Char('z'),
            ]),
        ),
        (
            var.clone(),
            Val::Variant("a".into(), some(Val::Float32(2.5))),
        ),
        (
            var.clone(),
            Val::Variant("b".into(), some(Val::U64(1 << 40))),
        ),
        (var.clone(), Val::Variant("c".into(), None)),
        (var, Val::Variant("d".into(), some(s("Ωmega")))),
        (Type::enum_(names(3)), Val::Enum("f2".into())),
        (Type::option(Type::String), Val::Option(some(s("x")))),
        (Type::option(Type::String), Val::Option(None)),
        (
            Type::option(Type::option(Type::U8)),
            Val::Option(some(Val::Option(None))),
        ),
        (
            Type::result(Some(Type::String), Some(Type::U32)),
            Val::Result(Ok(some(s("ok")))),
        ),
        (
            Type::result(Some(Type::String), Some(Type::U32)),
            Val::Result(Err(some(Val::U32(4)))),
        ),
        (Type::result(None, None), Val::Result(Err(None))),
        (
            Type::result(None, Some(Type::Float64)),
            Val::Result(Err(some(Val::Float64(0.25)))),
        ),
        (
            Type::flags(names(3)),
            Val::Flags(vec!["f0".into(), "f2".into()]),
        ),
        (
            Type::flags(names(40)),
            Val::Flags(vec!["f1".into(), "f31".into(), "f32".into(), "f39".into()]),
        ),
        (Type::flags(names(40)), Val::Flags(vec![])),
        (
            Type::list(Type::option(Type::tuple([Type::String, Type::U16]))),
            Val::List(vec![
                Val::Option(some(Val::Tuple(vec![s("answer"), Val::U16(42)]))),
                Val::Option(None),
            ]),
        ),
        (big, Val::Variant("x".into(), some(big_val))),
    ]
}

#[test]
fn every_type_round_trips_through_lower_flat_and_lift_flat() {
    for enc in ENCODINGS {
        for (ty, val) in samples() {
            let mut mem = TestMemory::new(1 << 16);
            let mut flat = Vec::new();
            lower_flat(&mut mem.cx(enc), &val, &ty, &mut flat).unwrap();
            assert_eq!(flat.len(), ty.layout().flat.len(), "{ty}");
            let cx = mem.cx(enc);
            let mut it = FlatIter::new(&flat);
            let got = lift_flat(&cx, &mut it, &ty).unwrap();
            assert!(it.done(), "{ty}");
            assert_eq!(got, val, "{ty} in {enc:?}");
        }
    }
}

#[test]
fn every_type_round_trips_through_store_and_load() {
    for enc in ENCODINGS {
        for (ty, val) in samples() {
            let mut mem = TestMemory::new(1 << 16);
            store(&mut mem.cx(enc), &val, &ty, 64).unwrap();
            let got = load(&mem.cx(enc), 64, &ty).unwrap();
            assert_eq!(got, val, "{ty} in {enc:?}");
        }
    }
}

#[test]
fn compact_utf16_picks_latin1_when_every_char_fits() {
    let mut mem = TestMemory::new(1 << 16);
    let mut flat = Vec::new();
    lower_flat(
        &mut mem.cx(Latin1Utf16),
        &s("héllo"),
        &Type::String,
        &mut flat,
    )
    .unwrap();
    assert_eq!(flat[1], crate::canon::Flat::I32(5), "untagged: latin-1");
    flat.clear();
    lower_flat(&mut mem.cx(Latin1Utf16), &s("hΩ"), &Type::String, &mut flat).unwrap();
    assert_eq!(
        flat[1],
        crate::canon::Flat::I32(2 | 1 << 31),
        "tagged: utf-16"
    );
}

#[test]
fn nan_round_trips_as_the_canonical_nan() {
    let mut mem = TestMemory::new(1 << 16);
    let odd = Val::Float64(f64::from_bits(0xfff0_0000_dead_beef));
    store(&mut mem.cx(Utf8), &odd, &Type::Float64, 0).unwrap();
    let Val::Float64(f) = load(&mem.cx(Utf8), 0, &Type::Float64).unwrap() else {
        panic!()
    };
    assert_eq!(f.to_bits(), 0x7ff8_0000_0000_0000);
}

#[test]
fn seventeen_params_round_trip_through_spilled_memory() {
    let tys: Vec<Type> = (0..17)
        .map(|i| if i % 2 == 0 { Type::U8 } else { Type::String })
        .collect();
    let vals: Vec<Val> = (0..17u8)
        .map(|i| {
            if i % 2 == 0 {
                Val::U8(i)
            } else {
                s(&format!("p{i}"))
            }
        })
        .collect();
    for enc in ENCODINGS {
        let mut mem = TestMemory::new(1 << 16);
        let flat = lower_flat_values(&mut mem.cx(enc), MAX_FLAT_PARAMS, &vals, &tys, None).unwrap();
        assert_eq!(flat.len(), 1, "one pointer");
        let got = lift_flat_values(
            &mut mem.cx(enc),
            MAX_FLAT_PARAMS,
            &mut FlatIter::new(&flat),
            &tys,
        );
        assert_eq!(got.unwrap(), vals, "{enc:?}");
    }
}

#[test]
fn two_flat_results_round_trip_through_a_return_pointer() {
    let tys = [Type::tuple([Type::String, Type::U64])];
    let vals = [Val::Tuple(vec![s("res"), Val::U64(5)])];
    let mut mem = TestMemory::new(1 << 16);
    // `canon lift`: the callee's results are stored at a fresh allocation
    // and the pointer is the one flat result.
    let flat = lower_flat_values(&mut mem.cx(Utf8), MAX_FLAT_RESULTS, &vals, &tys, None).unwrap();
    let got = lift_flat_values(
        &mut mem.cx(Utf8),
        MAX_FLAT_RESULTS,
        &mut FlatIter::new(&flat),
        &tys,
    );
    assert_eq!(got.unwrap(), vals);
}

#[test]
fn results_lowered_into_an_out_param_lift_back() {
    let tys = [Type::String];
    let vals = [s("out")];
    let mut mem = TestMemory::new(1 << 16);
    let args = [crate::canon::Flat::I32(8)];
    let mut out = FlatIter::new(&args);
    let flat = lower_flat_values(
        &mut mem.cx(Utf16),
        MAX_FLAT_RESULTS,
        &vals,
        &tys,
        Some(&mut out),
    );
    assert!(flat.unwrap().is_empty());
    let got = lift_flat_values(
        &mut mem.cx(Utf16),
        MAX_FLAT_RESULTS,
        &mut FlatIter::new(&args),
        &tys,
    );
    assert_eq!(got.unwrap(), vals);
}

#[test]
fn sixteen_flat_params_stay_flat_without_memory() {
    let tys = vec![Type::U32; 16];
    let vals: Vec<Val> = (0..16).map(Val::U32).collect();
    let mut none = crate::canon::test_memory::NoMemory;
    let mut cx = crate::canon::Cx::new(&mut none, Utf8);
    let flat = lower_flat_values(&mut cx, MAX_FLAT_PARAMS, &vals, &tys, None).unwrap();
    assert_eq!(flat.len(), 16);
    let got = lift_flat_values(&mut cx, MAX_FLAT_PARAMS, &mut FlatIter::new(&flat), &tys).unwrap();
    assert_eq!(got, vals);
}
