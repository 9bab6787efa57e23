//! `bindgen!` bindings of the component-model proposals (`map<K, V>` as
//! `HashMap<K, V>`, `list<T, N>` as `[T; N]`) with a real component: the
//! guest relays each export call to a host import, so every value crosses
//! the boundary four times (host to guest, guest to host and back).

use std::collections::HashMap;

use crate::common::{LIBC, OPTS, compile, proposals_engine};
use wit_host::{HasSelf, Linker, Store};

mod relay {
    wit_host::bindgen!({
        inline: r#"
            package e2e:proposals;

            interface host {
                /// Adds one to every count.
                bump: func(counts: map<string, u32>) -> map<string, u32>;
                /// Rotates left by one.
                rotate: func(v: list<s32, 3>) -> list<s32, 3>;
            }

            interface api {
                relay-map: func(counts: map<string, u32>) -> map<string, u32>;
                relay-fixed: func(v: list<s32, 3>) -> list<s32, 3>;
            }

            world relay {
                import host;
                export api;
            }
        "#,
    });
}

fn relay_guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (import "e2e:proposals/host" (instance $host
    (export "bump" (func (param "counts" (map string u32)) (result (map string u32))))
    (export "rotate" (func (param "v" (list s32 3)) (result (list s32 3))))))
  (core func $bump (canon lower (func $host "bump") {OPTS}))
  (core func $rotate (canon lower (func $host "rotate") {OPTS}))
  (core module $M
    (import "host" "bump" (func $bump (param i32 i32 i32)))
    (import "host" "rotate" (func $rotate (param i32 i32 i32 i32)))
    (func (export "relay-map") (param i32 i32) (result i32)
      (call $bump (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64))
    (func (export "relay-fixed") (param i32 i32 i32) (result i32)
      (call $rotate (local.get 0) (local.get 1) (local.get 2) (i32.const 64))
      (i32.const 64)))
  (core instance $m (instantiate $M
    (with "host" (instance (export "bump" (func $bump)) (export "rotate" (func $rotate))))))
  (func $relay-map (param "counts" (map string u32)) (result (map string u32))
    (canon lift (core func $m "relay-map") {OPTS}))
  (func $relay-fixed (param "v" (list s32 3)) (result (list s32 3))
    (canon lift (core func $m "relay-fixed") {OPTS}))
  (instance $api
    (export "relay-map" (func $relay-map))
    (export "relay-fixed" (func $relay-fixed)))
  (export "e2e:proposals/api" (instance $api)))"#
    )
}

#[derive(Default)]
struct RelayHost {
    seen: Vec<HashMap<String, u32>>,
}

impl relay::e2e::proposals::host::Host for RelayHost {
    fn bump(&mut self, counts: HashMap<String, u32>) -> HashMap<String, u32> {
        self.seen.push(counts.clone());
        counts.into_iter().map(|(k, v)| (k, v + 1)).collect()
    }
    fn rotate(&mut self, v: [i32; 3]) -> [i32; 3] {
        [v[1], v[2], v[0]]
    }
}

#[test]
fn maps_and_fixed_lists_cross_both_ways() {
    let engine = proposals_engine();
    let component = compile(&engine, &relay_guest());
    let mut linker = Linker::new(&engine);
    relay::Relay::add_to_linker::<_, HasSelf<RelayHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, RelayHost::default());
    let r = relay::Relay::instantiate(&mut store, &component, &linker).unwrap();
    let api = r.e2e_proposals_api();

    let counts: HashMap<String, u32> = [("apples", 3), ("pears", 0), ("", 41)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let bumped = api.call_relay_map(&mut store, &counts).unwrap();
    let expected: HashMap<String, u32> = counts.iter().map(|(k, v)| (k.clone(), v + 1)).collect();
    assert_eq!(bumped, expected);
    assert_eq!(store.data().seen, [counts]);
    assert!(
        api.call_relay_map(&mut store, &HashMap::new())
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        api.call_relay_fixed(&mut store, [1, -2, 3]).unwrap(),
        [-2, 3, 1]
    );
}

#[test]
fn the_default_engine_refuses_the_proposals() {
    let engine = wit_host::Engine::default();
    let err = wit_host::Component::new(&engine, relay_guest())
        .map(|_| ())
        .expect_err("maps need the proposal switched on");
    let text = format!("{err:#}");
    assert!(text.contains("map"), "{text}");
}
