//! An owned handle to a guest resource is `#[must_use]`: dropping it on
//! the floor instead of `resource_drop` is a warning (an error here).

#![deny(unused_must_use)]

wit_host::bindgen!({
    inline: "
        package example:counters;

        interface api {
            resource counter {
                constructor(start: u32);
            }
        }

        world counters {
            export api;
        }
    ",
});

fn forget(store: &mut wit_host::Store<()>, counters: &Counters) -> wit_host::Result<()> {
    counters
        .example_counters_api()
        .counter()
        .call_constructor(&mut *store, 1)?;
    Ok(())
}

fn main() {
    let _ = forget;
}
