//! The asynchronous core floor of each async case: the core calls an
//! asynchronous component call makes, each a wasmtime core
//! `TypedFunc::call_async` (one fiber each, as wit-host makes them), on the
//! very core modules of `components/calls.wat`, with the memory accesses
//! and checks of the synchronous floor (`calls/floor.rs`). The imports are
//! `Func::wrap_async` host functions.
//!
//! This is what wit-host's design costs at least on wasmtime's public
//! API: one `call_async` per guest entry.

use wasmtime::{Caller, Engine, Func, Instance, Memory, Store, TypedFunc};

use crate::Counter;
use crate::block_on;
use crate::core_modules::libc_and_main;

/// The core instances of `calls.wat` and the exports the async cases use.
pub struct AsyncFloor {
    pub store: Store<Counter>,
    memory: Memory,
    realloc: TypedFunc<(i32, i32, i32, i32), i32>,
    pub nothing: TypedFunc<(), ()>,
    pub add: TypedFunc<(i32, i32), i32>,
    echo: TypedFunc<(i32, i32), i32>,
    echo_post: TypedFunc<i32, ()>,
    pub call_nothing: TypedFunc<(), ()>,
}

/// `len` bytes at `ptr` in `mem`, or an error (the canonical ABI's check).
fn range(mem: &[u8], ptr: u32, len: u32) -> wasmtime::Result<std::ops::Range<usize>> {
    let end = u64::from(ptr) + u64::from(len);
    if end > mem.len() as u64 {
        wasmtime::bail!("out of bounds");
    }
    Ok(ptr as usize..end as usize)
}

impl AsyncFloor {
    /// Instantiates the core modules of `calls_wat` asynchronously in a
    /// fresh store of `Engine::default()`.
    pub fn new(calls_wat: &str) -> AsyncFloor {
        let engine = Engine::default();
        let (libc, main) = libc_and_main(&engine, calls_wat);
        let mut store = Store::new(&engine, Counter::default());
        let libc = block_on(Instance::new_async(&mut store, &libc, &[])).expect("libc");
        let memory = libc.get_memory(&mut store, "memory").unwrap();
        let reset = libc.get_func(&mut store, "reset").unwrap();
        let host_nothing = Func::wrap_async(&mut store, |mut caller: Caller<'_, Counter>, ()| {
            Box::new(async move {
                caller.data_mut().calls += 1;
            })
        });
        let host_string = Func::wrap_async(
            &mut store,
            move |mut caller: Caller<'_, Counter>, (ptr, len): (i32, i32)| {
                Box::new(async move {
                    let (mem, data) = memory.data_and_store_mut(&mut caller);
                    let bytes = &mem[range(mem, ptr as u32, len as u32)?];
                    let s = std::str::from_utf8(bytes)?.to_owned();
                    data.calls += 1;
                    data.bytes += s.len() as u64;
                    wasmtime::Result::<()>::Ok(())
                })
            },
        );
        let imports = [
            memory.into(),
            reset.into(),
            host_nothing.into(),
            host_string.into(),
        ];
        let main = block_on(Instance::new_async(&mut store, &main, &imports)).expect("main");
        let realloc = libc.get_typed_func(&mut store, "realloc").unwrap();
        macro_rules! export {
            ($name:literal) => {
                main.get_typed_func(&mut store, $name).unwrap()
            };
        }
        AsyncFloor {
            memory,
            realloc,
            nothing: export!("nothing"),
            add: export!("add"),
            echo: export!("echo"),
            echo_post: export!("echo-post"),
            call_nothing: export!("call-nothing"),
            store,
        }
    }

    /// The string echo: `realloc`, the bytes written, `echo`, the result
    /// read out (checked, copied), `echo-post`: three `call_async`s.
    pub async fn string_echo(&mut self, s: &str) -> wasmtime::Result<String> {
        let len = s.len() as u32;
        let ptr = self
            .realloc
            .call_async(&mut self.store, (0, 0, 1, len as i32))
            .await? as u32;
        let mem = self.memory.data_mut(&mut self.store);
        let at = range(mem, ptr, len)?;
        mem[at].copy_from_slice(s.as_bytes());
        let ret = self
            .echo
            .call_async(&mut self.store, (ptr as i32, len as i32))
            .await? as u32;
        let mem = self.memory.data(&self.store);
        if !ret.is_multiple_of(4) {
            wasmtime::bail!("misaligned");
        }
        let area = range(mem, ret, 8)?;
        let word = |at: usize| u32::from_le_bytes(mem[at..at + 4].try_into().unwrap());
        let (data, len) = (word(area.start), word(area.start + 4));
        let out = std::str::from_utf8(&mem[range(mem, data, len)?])?.to_owned();
        self.echo_post
            .call_async(&mut self.store, ret as i32)
            .await?;
        Ok(out)
    }
}
