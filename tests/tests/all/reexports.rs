//! A component that lifts a lowered import straight back out (`canon
//! lift` of `canon lower`): its export calls the host function, through a
//! trampoline the instance keeps after instantiating.

use crate::common::*;
use wit_host::StoreContextMut;

const REEXPORT: &str = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $lowered (canon lower (func $f)))
  (func (export "g") (param "x" u32) (result u32) (canon lift (core func $lowered))))"#;

#[test]
fn a_lifted_import_calls_the_host_function() {
    let (engine, mut store, mut linker) = setup(0u32);
    linker
        .root()
        .func_wrap("f", |mut store: StoreContextMut<'_, u32>, (x,): (u32,)| {
            *store.data_mut() += 1;
            Ok((x * 2,))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, REEXPORT);
    let g = instance
        .get_typed_func::<(u32,), (u32,)>(&mut store, "g")
        .unwrap();
    assert_eq!(g.call(&mut store, (21,)).unwrap(), (42,));
    assert_eq!(*store.data(), 1);
    // Also found through an export index made from the component.
    let index = instance.get_export_index(&mut store, None, "g").unwrap();
    let g = instance.get_func(&mut store, &index).unwrap();
    let mut out = [wit_host::Val::U32(0)];
    g.call(&mut store, &[wit_host::Val::U32(5)], &mut out)
        .unwrap();
    assert_eq!(out[0], wit_host::Val::U32(10));
}
