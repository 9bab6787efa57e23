//! [`Component::resources_required`]: what one instance of a component
//! takes from wasmtime's instance allocator, for sizing a pool.

use super::Component;
use crate::plan::Step;

/// What one instance of a component needs from wasmtime's instance
/// allocator: a component instance is several core instances, each with
/// its own memories and tables.
///
/// With [`InstanceAllocationStrategy::Pooling`](crate::InstanceAllocationStrategy),
/// every core instance takes one slot of the pool's `total_core_instances`,
/// every memory one of `total_memories` (and must fit `max_memory_size`),
/// every table one of `total_tables`; each core module may define at most
/// `max_memories_per_module` memories and `max_tables_per_module` tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ResourcesRequired {
    /// The core instances one component instance creates.
    pub num_core_instances: u32,
    /// The memories those core instances define (imported ones are not
    /// counted again).
    pub num_memories: u32,
    /// The largest initial size of any of those memories, in WebAssembly
    /// pages; `None` when there is no memory.
    pub max_initial_memory_size: Option<u64>,
    /// The tables those core instances define.
    pub num_tables: u32,
    /// The largest initial size of any of those tables, in elements.
    pub max_initial_table_size: Option<u64>,
    /// The most memories any one of the core modules defines.
    pub max_memories_per_module: u32,
    /// The most tables any one of the core modules defines.
    pub max_tables_per_module: u32,
}

impl Component {
    /// What one instance of this component needs from the instance
    /// allocator, to size a pooling allocator; `None` when the component
    /// imports a core module, whose needs are only known at link time.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// let engine = wit_host::Engine::default();
    /// let component = wit_host::Component::new(&engine, r#"
    ///     (component
    ///         (core module $m (memory 1) (table 2 funcref))
    ///         (core instance (instantiate $m))
    ///         (core instance (instantiate $m)))
    /// "#)?;
    /// let needs = component.resources_required().unwrap();
    /// assert_eq!(needs.num_core_instances, 2);
    /// assert_eq!(needs.num_memories, 2);
    /// assert_eq!(needs.max_initial_memory_size, Some(1));
    /// assert_eq!(needs.num_tables, 2);
    /// # Ok(()) }
    /// ```
    pub fn resources_required(&self) -> Option<ResourcesRequired> {
        let mut total = ResourcesRequired::default();
        for step in &self.inner.plan.steps {
            let module = match step {
                Step::InstantiateStatic { module, .. } => {
                    self.inner.modules.get(*module as usize)?
                }
                Step::InstantiateImported { .. } => return None,
                _ => continue,
            };
            let needs = module.resources_required();
            total.num_core_instances += 1;
            total.num_memories += needs.num_memories;
            total.num_tables += needs.num_tables;
            total.max_initial_memory_size = total
                .max_initial_memory_size
                .max(needs.max_initial_memory_size);
            total.max_initial_table_size = total
                .max_initial_table_size
                .max(needs.max_initial_table_size);
            total.max_memories_per_module = total.max_memories_per_module.max(needs.num_memories);
            total.max_tables_per_module = total.max_tables_per_module.max(needs.num_tables);
        }
        Some(total)
    }
}
