//! A host resource with `bindgen!`: the host implements `bucket` (world
//! `example:kv/app`, `examples/wit/kv.wit`) by implementing the generated
//! `HostBucket` trait, keeping every bucket in a `ResourceTable`. A
//! component creates buckets, calls their methods, drops them, gives them
//! to the host, and reads from buckets the host lends it.
//!
//! Run it with `cargo run -p wit-host-examples --bin bindgen_host_resource`.

use std::collections::BTreeMap;

use wit_host::{Component, Engine, HasSelf, Linker, Resource, ResourceTable, Result, Store};

wit_host::bindgen!({
    path: "wit/kv.wit",
    // The resource's Rust type is the host's own state type, so its
    // handles are `Resource<BucketData>`: what `ResourceTable::push` returns.
    with: { "example:kv/buckets/bucket": crate::BucketData },
    // Every host method returns `wit_host::Result`, so that a table lookup
    // that fails traps the guest instead of panicking the host.
    imports: { default: trappable },
});

use example::kv::buckets::HostBucket;

/// The state behind one `bucket`.
pub struct BucketData {
    name: String,
    entries: BTreeMap<String, String>,
}

/// The store's data: the live buckets, and the ones the host keeps.
#[derive(Default)]
struct Host {
    table: ResourceTable,
    open: u32,
    archive: Vec<BucketData>,
}

impl HostBucket for Host {
    // `constructor(name: string)`: a new table entry; its handle becomes
    // the guest's `own<bucket>`.
    fn new(&mut self, name: String) -> Result<Resource<BucketData>> {
        println!("  [host] new bucket `{name}`");
        let bucket = self.table.push(BucketData {
            name,
            entries: BTreeMap::new(),
        })?;
        self.open += 1;
        Ok(bucket)
    }

    // Methods get `self` as a borrowed handle.
    fn set(&mut self, self_: Resource<BucketData>, key: String, value: String) -> Result<()> {
        let bucket = self.table.get_mut(&self_)?;
        println!("  [{}] {key} = {value}", bucket.name);
        bucket.entries.insert(key, value);
        Ok(())
    }

    fn get(&mut self, self_: Resource<BucketData>, key: String) -> Result<Option<String>> {
        let bucket = self.table.get(&self_)?;
        Ok(bucket.entries.get(&key).cloned())
    }

    fn len(&mut self, self_: Resource<BucketData>) -> Result<u32> {
        let bucket = self.table.get(&self_)?;
        Ok(bucket.entries.len() as u32)
    }

    // A static function: no handle.
    fn open(&mut self) -> Result<u32> {
        Ok(self.open)
    }

    // The destructor: a guest dropped its last handle. It always returns
    // `wit_host::Result`; an `Err` traps the guest.
    fn drop(&mut self, rep: Resource<BucketData>) -> Result<()> {
        let bucket = self.table.delete(rep)?;
        self.open -= 1;
        println!(
            "  [host] bucket `{}` dropped with {} key(s)",
            bucket.name,
            bucket.entries.len()
        );
        Ok(())
    }
}

// The interface's freestanding functions.
impl example::kv::buckets::Host for Host {
    // `b: bucket` is `own<bucket>`: the guest gave the bucket away, and no
    // destructor runs; the host decides what happens to it.
    fn archive(&mut self, b: Resource<BucketData>) -> Result<u32> {
        let bucket = self.table.delete(b)?;
        println!("  [host] archived bucket `{}`", bucket.name);
        self.open -= 1;
        self.archive.push(bucket);
        Ok(self.archive.len() as u32)
    }
}

fn main() -> Result<()> {
    let engine = Engine::default();
    let component = Component::new(&engine, include_str!("../../components/kv.wat"))?;
    let mut linker = Linker::<Host>::new(&engine);
    App::add_to_linker::<Host, HasSelf<Host>>(&mut linker, |host| host)?;
    let mut store = Store::new(&engine, Host::default());
    let app = App::instantiate(&mut store, &component, &linker)?;

    // 1. The guest makes a bucket, uses it and drops it.
    println!("run(\"settings\"):");
    let len = app.call_run(&mut store, "settings")?;
    println!("  -> the bucket had {len} key(s)");

    // 2. The guest gives the host a bucket: an owned `Resource<BucketData>`,
    //    whose state is in the host's table.
    println!("make(\"made\"):");
    let made = app.call_make(&mut store, "made")?;
    let bucket = store.data().table.get(&made)?;
    println!(
        "  -> owned: {}, bucket `{}` with {:?}",
        made.owned(),
        bucket.name,
        bucket.entries
    );

    // 3. The host lends it back for one call at a time: a borrowed handle
    //    to the same representation.
    for key in ["made-by", "missing"] {
        let value = app.call_lookup(&mut store, Resource::new_borrow(made.rep()), key)?;
        println!("lookup(made, {key:?}) -> {value:?}");
    }

    // 4. The host owns the bucket: deleting it from the table is all it
    //    takes (no guest holds a handle).
    let bucket = store.data_mut().table.delete(made)?;
    store.data_mut().open -= 1;
    println!("the host deleted bucket `{}`", bucket.name);

    // 5. The guest moves a bucket to the host through an import.
    println!("keep(\"kept\"):");
    let kept = app.call_keep(&mut store, "kept")?;
    println!("  -> the host keeps {kept} bucket(s)");

    println!(
        "open buckets: {}, table empty: {}",
        app.call_open_buckets(&mut store)?,
        store.data().table.is_empty()
    );
    Ok(())
}
