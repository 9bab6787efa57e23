//! Components on wasmtime's pooling instance allocator: every core instance
//! of a component instance takes a slot of the pool, sized with
//! `Component::resources_required`; a full pool is an error, and slots
//! come back when the store is dropped.

use crate::common::{LIBC, OPTS, call1, s};
use wit_host::{
    Component, Config, Engine, InstanceAllocationStrategy, Linker, PoolingAllocationConfig, Store,
};

/// A string echo over three core instances: `libc` and `scratch` define a
/// memory each, the one that copies imports libc's.
fn component_wat() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $copy
    (import "libc" "mem" (memory 1))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0)))
  (core module $scratch (memory (export "scratch") 1))
  (core instance $m (instantiate $copy (with "libc" (instance $libc))))
  (core instance (instantiate $scratch))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") {OPTS})))"#
    )
}

fn pooled_engine(instances: u32) -> Engine {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(instances)
        .total_memories(instances)
        .total_tables(instances)
        .max_memory_size(1 << 20);
    let mut config = Config::new();
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Engine::new(&config).unwrap()
}

#[test]
fn resources_required_counts_every_core_instance_memory_and_table() {
    let engine = Engine::default();
    let component = Component::new(&engine, component_wat()).unwrap();
    let needs = component.resources_required().unwrap();
    assert_eq!(needs.num_core_instances, 3);
    assert_eq!(needs.num_memories, 2);
    assert_eq!(needs.max_initial_memory_size, Some(1));
    assert_eq!(needs.num_tables, 0);
    assert_eq!(needs.max_memories_per_module, 1);

    let imports_a_module = Component::new(
        &engine,
        r#"(component
            (import "m" (core module $m))
            (core instance (instantiate $m)))"#,
    )
    .unwrap();
    assert_eq!(imports_a_module.resources_required(), None);
}

#[test]
fn instances_run_from_the_pool_until_it_is_full_and_slots_come_back() {
    // Room for exactly two instances of the component.
    let engine = pooled_engine(6);
    let component = Component::new(&engine, component_wat()).unwrap();
    let pre = Linker::<()>::new(&engine)
        .instantiate_pre(&component)
        .unwrap();
    let mut stores = Vec::new();
    for _ in 0..2 {
        let mut store = Store::new(&engine, ());
        let instance = pre.instantiate(&mut store).unwrap();
        assert_eq!(
            call1(&mut store, &instance, "echo", &[s("pooled")]),
            s("pooled")
        );
        stores.push(store);
    }
    let mut third = Store::new(&engine, ());
    let err = format!("{:#}", pre.instantiate(&mut third).unwrap_err());
    assert!(err.contains("maximum concurrent"), "{err}");

    // Dropping a store gives its core instances back to the pool.
    stores.pop();
    for _ in 0..5 {
        let mut store = Store::new(&engine, ());
        let instance = pre.instantiate(&mut store).unwrap();
        assert_eq!(
            call1(&mut store, &instance, "echo", &[s("again")]),
            s("again")
        );
    }
}
