//! Every option mistake is reported in one compile, each at the option or
//! value at fault.

wit_host::bindgen!({
    path: 7,
    wrold: "w",
    tracing: true,
    with: { "a:b/c": 1 },
    world: "a",
    world: "b",
    inline
});

wit_host::bindgen!("w" on "wit");

fn main() {}
