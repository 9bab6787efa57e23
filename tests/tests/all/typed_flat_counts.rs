//! A hand-written `ComponentType` whose `FLAT_COUNT` disagrees with the
//! interface type it accepts is refused when the typed function is made
//! (`get_typed_func`) or the host function is linked (`func_wrap`, at
//! instantiation): typed calls size their core-value buffers and cursors
//! by the Rust types' counts, so a wrong count must never reach a call.

use crate::common::*;
use wit_host::typed::{FlatReader, FlatWriter, LiftCx, LowerCx};
use wit_host::types::Type;
use wit_host::{ComponentType, Lift, Lower, Result};

/// Accepts `u32` but claims two flat values (a `u32` has one).
struct TwoFlat(u32);

impl ComponentType for TwoFlat {
    const SIZE32: u32 = 4;
    const ALIGN32: u32 = 4;
    const FLAT_COUNT: usize = 2;

    fn typecheck(ty: &Type) -> Result<()> {
        <u32 as ComponentType>::typecheck(ty)
    }
}

impl Lower for TwoFlat {
    fn lower_flat<T: 'static>(
        &self,
        _cx: &mut LowerCx<'_, '_, T>,
        _ty: &Type,
        dst: &mut FlatWriter<'_>,
    ) -> Result<()> {
        dst.push_i32(self.0 as i32)
    }

    fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<()> {
        self.0.store(cx, ty, ptr)
    }
}

impl Lift for TwoFlat {
    fn lift_flat<T: 'static>(
        _cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        Ok(TwoFlat(src.next_i32()? as u32))
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
        u32::load(cx, ty, ptr).map(TwoFlat)
    }
}

const EXPORTS: &str = r#"(component
  (core module $m (func (export "id") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func (export "id") (param "x" u32) (result u32) (canon lift (core func $i "id"))))"#;

#[test]
fn an_export_typed_with_a_wrong_flat_count_is_refused() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, EXPORTS);
    // The honest type works.
    let id = instance
        .get_typed_func::<(u32,), (u32,)>(&mut store, "id")
        .unwrap();
    assert_eq!(id.call(&mut store, (7,)).unwrap(), (7,));
    for err in [
        instance
            .get_typed_func::<(TwoFlat,), (u32,)>(&mut store, "id")
            .err(),
        instance
            .get_typed_func::<(u32,), (TwoFlat,)>(&mut store, "id")
            .err(),
    ] {
        let err = message(&err.expect("a wrong flat count must be refused"));
        assert_contains_all(&err, &["does not match", "FLAT_COUNT", "flatten to"]);
    }
}

#[test]
fn a_host_function_typed_with_a_wrong_flat_count_is_refused() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_wrap("f", |_store, (x,): (TwoFlat,)| Ok((x.0,)))
        .unwrap();
    let component = compile(
        &engine,
        r#"(component (import "f" (func (param "x" u32) (result u32))))"#,
    );
    let err = match linker.instantiate(&mut store, &component) {
        Ok(_) => panic!("a wrong flat count must be refused"),
        Err(e) => message(&e),
    };
    assert_contains_all(&err, &["import `f` has the wrong type", "FLAT_COUNT"]);
}
