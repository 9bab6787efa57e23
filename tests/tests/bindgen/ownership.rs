//! `ownership: Borrowing { duplicate_if_necessary }` with a real component
//! (in WAT): world `ownership` of `codegen/ownership.wit`, whose exports
//! take records, variants and lists that borrow all the way down.
//!
//! - `false`: types only passed to exports have one borrowing form
//!   (`Item<'a>`, `Shape<'a>`, `Names<'a>`); `both`, also returned and
//!   taken by an import, stays owned and is passed as `&Both`;
//! - `true`: `both` gets two forms, `BothParam<'a>` (passed) and
//!   `BothResult` (returned, and taken by the host's `log`).

use crate::common::{LIBC, OPTS, compile};
use wit_host::{Component, Engine, Linker, Store};

mod borrowing {
    wit_host::bindgen!({
        path: "codegen/ownership.wit",
        ownership: Borrowing { duplicate_if_necessary: false },
    });
}

mod duplicating {
    wit_host::bindgen!({
        path: "codegen/ownership.wit",
        ownership: Borrowing { duplicate_if_necessary: true },
    });
}

const ITEM: &str =
    r#"(record (field "name" string) (field "tags" (list string)) (field "weight" u32))"#;
const BOTH: &str = r#"(record (field "label" string) (field "points" (list $point)))"#;

fn guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    ;; total(ptr, n): per item (20 bytes) weight + name length + tag count
    (func (export "total") (param $p i32) (param $n i32) (result i32)
      (local $sum i32)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $sum (i32.add (local.get $sum)
            (i32.add (i32.load offset=16 (local.get $p))
              (i32.add (i32.load offset=4 (local.get $p)) (i32.load offset=12 (local.get $p))))))
          (local.set $p (i32.add (local.get $p) (i32.const 20)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $sum))
    ;; describe(case, a, b): 1000 * case + (a for `circle`, else b)
    (func (export "describe") (param $case i32) (param $a i32) (param $b i32) (result i32)
      (i32.add (i32.mul (local.get $case) (i32.const 1000))
        (select (local.get $a) (local.get $b) (i32.eqz (local.get $case)))))
    ;; echo(label, points): the same four words back
    (func (export "echo") (param i32 i32 i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.store (i32.const 72) (local.get 2))
      (i32.store (i32.const 76) (local.get 3))
      (i32.const 64))
    ;; count(ptr, n): the string lengths summed
    (func (export "count") (param $p i32) (param $n i32) (result i32)
      (local $sum i32)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $sum (i32.add (local.get $sum) (i32.load offset=4 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $sum))
    ;; some-label(is, ptr, len, lp, ln): 100 * is + len + 10 * somes
    (func (export "some-label") (param $is i32) (param i32) (param $len i32)
        (param $p i32) (param $n i32) (result i32)
      (local $sum i32)
      (local.set $sum (i32.add (i32.mul (local.get $is) (i32.const 100)) (local.get $len)))
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $sum (i32.add (local.get $sum)
            (i32.mul (i32.load8_u (local.get $p)) (i32.const 10))))
          (local.set $p (i32.add (local.get $p) (i32.const 12)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $sum)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (type $item' {ITEM})
  (export $item "item" (type $item'))
  (type $shape' (variant (case "circle" u32) (case "named" string)
    (case "many" (list $item)) (case "nothing")))
  (export $shape "shape" (type $shape'))
  (type $point' (record (field "x" s32) (field "y" s32)))
  (export $point "point" (type $point'))
  (type $both' {BOTH})
  (export $both "both" (type $both'))
  (func $total (param "items" (list $item)) (result u32)
    (canon lift (core func $m "total") {OPTS}))
  (func $describe (param "s" $shape) (result u32)
    (canon lift (core func $m "describe") {OPTS}))
  (func $echo (param "b" $both) (result $both)
    (canon lift (core func $m "echo") {OPTS}))
  (func $count (param "n" (list string)) (result u32)
    (canon lift (core func $m "count") {OPTS}))
  (func $some-label (param "label" (option string)) (param "labels" (list (option string)))
    (result u32)
    (canon lift (core func $m "some-label") {OPTS}))
  (instance $api
    (export "total" (func $total))
    (export "describe" (func $describe))
    (export "echo" (func $echo))
    (export "count" (func $count))
    (export "some-label" (func $some-label)))
  (export "test:ownership/api" (instance $api)))"#
    )
}

fn setup() -> (Engine, Component, Store<()>) {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let store = Store::new(&engine, ());
    (engine, component, store)
}

/// The host's side of the import: the record arrives owned (the impls
/// check the trait's signature; nothing calls them).
#[allow(dead_code)]
struct Host;

impl borrowing::test::ownership::host::Host for Host {
    fn log(&mut self, b: borrowing::test::ownership::types::Both) {
        let _ = b.label;
    }
}

impl duplicating::test::ownership::host::Host for Host {
    fn log(&mut self, b: duplicating::test::ownership::types::BothResult) {
        let _ = b.label;
    }
}

#[test]
fn borrowing_without_duplicates() {
    use borrowing::exports::test::ownership::api;
    use borrowing::test::ownership::types::{Both, Item, Point, Shape};

    let (engine, component, mut store) = setup();
    let linker = Linker::new(&engine);
    let world = borrowing::Ownership::instantiate(&mut store, &component, &linker).unwrap();
    let api = world.test_ownership_api();

    // Records and variants of borrowed strings and lists, of the caller's
    // lifetimes.
    let owned = String::from("xyz");
    let tags = ["a", "bc"];
    let items = [
        Item {
            name: &owned,
            tags: &tags,
            weight: 10,
        },
        Item {
            name: "",
            tags: &[],
            weight: 1,
        },
    ];
    assert_eq!(api.call_total(&mut store, &items).unwrap(), 16);
    assert_eq!(api.call_describe(&mut store, Shape::Circle(7)).unwrap(), 7);
    assert_eq!(
        api.call_describe(&mut store, Shape::Named("four")).unwrap(),
        1004
    );
    assert_eq!(
        api.call_describe(&mut store, Shape::Many(&items)).unwrap(),
        2002
    );
    assert_eq!(api.call_describe(&mut store, Shape::Nothing).unwrap(), 3000);
    // Borrowing forms are `Copy`; the alias of a list borrows its strings.
    let shape: Shape<'_> = Shape::Many(&items[..1]);
    let again = shape;
    assert_eq!(api.call_describe(&mut store, again).unwrap(), 2001);
    let names: api::Names<'_> = &["ab", "c"];
    assert_eq!(api.call_count(&mut store, names).unwrap(), 3);
    assert_eq!(
        api.call_some_label(&mut store, Some("hey"), &[Some("x"), None, Some("")])
            .unwrap(),
        123
    );
    assert_eq!(api.call_some_label(&mut store, None, &[]).unwrap(), 0);

    // `both` is returned too: one owned form, passed by reference.
    let both = Both {
        label: "points".into(),
        points: vec![Point { x: 1, y: -2 }, Point { x: 3, y: 4 }],
    };
    let back: Both = api.call_echo(&mut store, &both).unwrap();
    assert_eq!(back, both);
}

#[test]
fn borrowing_with_duplicates() {
    use duplicating::exports::test::ownership::api;
    use duplicating::test::ownership::types::{BothParam, BothResult, Item, Point, Shape};

    let (engine, component, mut store) = setup();
    let linker = Linker::new(&engine);
    let world = duplicating::Ownership::instantiate(&mut store, &component, &linker).unwrap();
    let api = world.test_ownership_api();

    let items = [Item {
        name: "ab",
        tags: &["t"],
        weight: 5,
    }];
    assert_eq!(api.call_total(&mut store, &items).unwrap(), 8);
    assert_eq!(
        api.call_describe(&mut store, Shape::Many(&items)).unwrap(),
        2001
    );

    // Two forms of `both`: the borrowing one passed, the owned one
    // returned (the interface's `use` has both names too).
    let label = String::from("pts");
    let points = [Point { x: 7, y: 8 }];
    let param = BothParam {
        label: &label,
        points: &points,
    };
    let back: api::BothResult = api.call_echo(&mut store, param).unwrap();
    assert_eq!(
        back,
        BothResult {
            label: "pts".into(),
            points: vec![Point { x: 7, y: 8 }],
        }
    );
    let param: api::BothParam<'_> = param;
    assert_eq!(api.call_echo(&mut store, param).unwrap().points.len(), 1);
}
