//! The core modules inside a component binary, for the core floors of
//! `calls.rs` and `async_calls.rs`.

/// The core modules of a component binary, in order: the contents of its
/// top-level core module sections (id 1).
pub fn core_modules(component: &[u8]) -> Vec<&[u8]> {
    assert_eq!(&component[..4], b"\0asm", "a component binary");
    let mut rest = &component[8..];
    let mut modules = Vec::new();
    while let Some((&id, tail)) = rest.split_first() {
        let (size, tail) = leb_u32(tail);
        let (body, tail) = tail.split_at(size as usize);
        if id == 1 {
            modules.push(body);
        }
        rest = tail;
    }
    modules
}

/// An unsigned LEB128 `u32`, and what follows it.
fn leb_u32(bytes: &[u8]) -> (u32, &[u8]) {
    let mut value = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return (value, &bytes[i + 1..]);
        }
    }
    panic!("bad LEB128 in the component binary")
}

/// The two core modules of a floor's component text, "libc" then "main",
/// compiled with `engine` (the floors of `calls.wat` and
/// `instantiate.wat`).
pub fn libc_and_main(engine: &wasmtime::Engine, wat: &str) -> (wasmtime::Module, wasmtime::Module) {
    let binary = wat::parse_str(wat).expect("the component text parses");
    let modules = core_modules(&binary);
    assert_eq!(modules.len(), 2, "the component has two core modules");
    let libc = wasmtime::Module::new(engine, modules[0]).expect("libc compiles");
    let main = wasmtime::Module::new(engine, modules[1]).expect("main compiles");
    (libc, main)
}
