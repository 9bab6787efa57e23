//! The core floor of every call case: the core calls and memory accesses a
//! component call needs, made directly through wasmtime's core API, on the
//! very core modules of `components/calls.wat`.
//!
//! The component's two core modules ("libc": the memory, `realloc` and
//! `reset`; "main": the exports) are taken out of the component's binary
//! and instantiated as plain core instances, "main" importing "libc" and
//! two core host functions. Each floor then does what the component call
//! does, and nothing else:
//!
//! - arguments that live in memory: `realloc(0, 0, align, size)`, the
//!   pointer checked, the bytes written with `Memory::data_mut`;
//! - the core export through a `wasmtime::TypedFunc`;
//! - results that live in memory: the return area checked and read with
//!   `Memory::data` (UTF-8 checked and copied out for a string, `char`
//!   and discriminant checked for the record and the variant);
//! - `post-return`, where the component has one (`echo`);
//! - imports: a `Func::wrap` host function that reads its string out of
//!   memory (checked, UTF-8 checked, copied into a `String`) and counts.
//!
//! The checks are the ones the canonical ABI makes (bounds, alignment,
//! UTF-8, `char`, discriminant): what is left out is only what the
//! component model adds on top (entry guards, flags, type-directed
//! lifting).

use wasmtime::{Caller, Engine, Func, Instance, Memory, Store, TypedFunc};

use crate::Counter;
use crate::core_modules::libc_and_main;

/// What the floor's store holds: the counters the imports bump, and the
/// memory they read (set once "libc" is instantiated).
#[derive(Default)]
pub struct Data {
    pub counter: Counter,
    memory: Option<Memory>,
}

/// The core instances of `calls.wat` and their exports, typed.
pub struct Floor {
    pub store: Store<Data>,
    pub memory: Memory,
    pub realloc: TypedFunc<(i32, i32, i32, i32), i32>,
    pub nothing: TypedFunc<(), ()>,
    pub add: TypedFunc<(i32, i32), i32>,
    pub echo: TypedFunc<(i32, i32), i32>,
    pub echo_post: TypedFunc<i32, ()>,
    pub list_len: TypedFunc<(i32, i32), i32>,
    #[allow(clippy::type_complexity)]
    pub record_echo: TypedFunc<(i32, i32, i32, i64, i32, i64, f32, f64, i32, i32), i32>,
    pub variant_echo: TypedFunc<(i32, i64), i32>,
    pub call_nothing: TypedFunc<(), ()>,
    pub call_string: TypedFunc<(), ()>,
}

/// `len` bytes at `ptr` in `mem`, or an error: the canonical ABI's bounds
/// check.
#[inline]
fn range(mem: &[u8], ptr: u32, len: u32) -> wasmtime::Result<std::ops::Range<usize>> {
    let end = u64::from(ptr) + u64::from(len);
    if end > mem.len() as u64 {
        wasmtime::bail!("out of bounds");
    }
    Ok(ptr as usize..end as usize)
}

/// The little-endian `u32` at `at` (in bounds: checked by the caller).
#[inline]
fn u32_at(mem: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(mem[at..at + 4].try_into().unwrap())
}

/// The little-endian `u64` at `at` (in bounds: checked by the caller).
#[inline]
fn u64_at(mem: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(mem[at..at + 8].try_into().unwrap())
}

impl Floor {
    /// Instantiates the core modules of `calls_wat` in a fresh store of
    /// `Engine::default()` (the engine wit-host's cases run on).
    pub fn new(calls_wat: &str) -> Floor {
        let engine = Engine::default();
        let (libc, main) = libc_and_main(&engine, calls_wat);
        let mut store = Store::new(&engine, Data::default());
        let libc = Instance::new(&mut store, &libc, &[]).expect("libc instantiates");
        let memory = libc.get_memory(&mut store, "memory").unwrap();
        store.data_mut().memory = Some(memory);
        let reset = libc.get_func(&mut store, "reset").unwrap();
        let host_nothing = Func::wrap(&mut store, |mut caller: Caller<'_, Data>| {
            caller.data_mut().counter.calls += 1;
        });
        let host_string = Func::wrap(
            &mut store,
            |mut caller: Caller<'_, Data>, ptr: i32, len: i32| -> wasmtime::Result<()> {
                let memory = caller.data().memory.unwrap();
                let (mem, data) = memory.data_and_store_mut(&mut caller);
                let bytes = &mem[range(mem, ptr as u32, len as u32)?];
                // `black_box`: the host function owns its `String` as
                // wit-host's does; without it the compiler sees the copy
                // unused and drops the allocation, so the floor measured
                // less than it says (found with instruction counts: no
                // `malloc` on this path).
                let s = std::hint::black_box(std::str::from_utf8(bytes)?.to_owned());
                data.counter.calls += 1;
                data.counter.bytes += s.len() as u64;
                Ok(())
            },
        );
        let imports = [
            memory.into(),
            reset.into(),
            host_nothing.into(),
            host_string.into(),
        ];
        let main = Instance::new(&mut store, &main, &imports).expect("main instantiates");
        let realloc = libc.get_typed_func(&mut store, "realloc").unwrap();
        macro_rules! export {
            ($name:literal) => {
                main.get_typed_func(&mut store, $name).unwrap()
            };
        }
        Floor {
            memory,
            realloc,
            nothing: export!("nothing"),
            add: export!("add"),
            echo: export!("echo"),
            echo_post: export!("echo-post"),
            list_len: export!("list-len"),
            record_echo: export!("record-echo"),
            variant_echo: export!("variant-echo"),
            call_nothing: export!("call-nothing"),
            call_string: export!("call-string"),
            store,
        }
    }

    /// `realloc(0, 0, align, bytes.len())`, checked, then `bytes` written
    /// there: how an argument that lives in memory is passed.
    #[inline]
    fn pass(&mut self, align: u32, bytes: &[u8]) -> wasmtime::Result<u32> {
        let len = bytes.len() as u32;
        let ptr = self
            .realloc
            .call(&mut self.store, (0, 0, align as i32, len as i32))? as u32;
        if !ptr.is_multiple_of(align) {
            wasmtime::bail!("misaligned");
        }
        let mem = self.memory.data_mut(&mut self.store);
        let at = range(mem, ptr, len)?;
        mem[at].copy_from_slice(bytes);
        Ok(ptr)
    }

    /// The string echo: the string passed, `echo`, the result read out
    /// (pointer and length from the return area, UTF-8 checked, copied),
    /// `echo-post`.
    #[inline]
    pub fn string_echo(&mut self, s: &str) -> wasmtime::Result<String> {
        let ptr = self.pass(1, s.as_bytes())?;
        let ret = self
            .echo
            .call(&mut self.store, (ptr as i32, s.len() as i32))? as u32;
        let mem = self.memory.data(&self.store);
        if !ret.is_multiple_of(4) {
            wasmtime::bail!("misaligned");
        }
        let area = range(mem, ret, 8)?;
        let (data, len) = (u32_at(mem, area.start), u32_at(mem, area.start + 4));
        let out = std::str::from_utf8(&mem[range(mem, data, len)?])?.to_owned();
        self.echo_post.call(&mut self.store, ret as i32)?;
        Ok(out)
    }

    /// The list's length: the list passed, `list-len`.
    #[inline]
    pub fn list_len(&mut self, list: &[u8]) -> wasmtime::Result<u32> {
        let ptr = self.pass(1, list)?;
        let n = self
            .list_len
            .call(&mut self.store, (ptr as i32, list.len() as i32))?;
        Ok(n as u32)
    }

    /// The record echo: ten flat arguments, then the ten fields read from
    /// the return area (the `bool` and the `char` converted).
    #[inline]
    pub fn record_echo(&mut self, r: &crate::wh::Big) -> wasmtime::Result<crate::wh::Big> {
        let args = (
            i32::from(r.a),
            i32::from(r.b),
            r.c as i32,
            r.d as i64,
            r.e,
            r.f,
            r.g,
            r.h,
            i32::from(r.i),
            u32::from(r.j) as i32,
        );
        let ret = self.record_echo.call(&mut self.store, args)? as u32;
        let mem = self.memory.data(&self.store);
        if !ret.is_multiple_of(8) {
            wasmtime::bail!("misaligned");
        }
        let at = range(mem, ret, 56)?.start;
        Ok(crate::wh::Big {
            a: mem[at],
            b: u16::from_le_bytes([mem[at + 2], mem[at + 3]]),
            c: u32_at(mem, at + 4),
            d: u64_at(mem, at + 8),
            e: u32_at(mem, at + 16) as i32,
            f: u64_at(mem, at + 24) as i64,
            g: f32::from_bits(u32_at(mem, at + 32)),
            h: f64::from_bits(u64_at(mem, at + 40)),
            i: mem[at + 48] != 0,
            j: char::from_u32(u32_at(mem, at + 52))
                .ok_or_else(|| wasmtime::format_err!("invalid char"))?,
        })
    }

    /// The variant echo: discriminant and joined payload, then both read
    /// from the return area, the discriminant checked.
    #[inline]
    pub fn variant_echo(&mut self, v: &crate::wh::Shape) -> wasmtime::Result<crate::wh::Shape> {
        use crate::wh::Shape;
        let args = match *v {
            Shape::None => (0, 0),
            Shape::Int(x) => (1, i64::from(x)),
            Shape::Long(x) => (2, x as i64),
            Shape::Real(x) => (3, x.to_bits() as i64),
        };
        let ret = self.variant_echo.call(&mut self.store, args)? as u32;
        let mem = self.memory.data(&self.store);
        if !ret.is_multiple_of(8) {
            wasmtime::bail!("misaligned");
        }
        let at = range(mem, ret, 16)?.start;
        Ok(match mem[at] {
            0 => Shape::None,
            1 => Shape::Int(u32_at(mem, at + 8)),
            2 => Shape::Long(u64_at(mem, at + 8)),
            3 => Shape::Real(f64::from_bits(u64_at(mem, at + 8))),
            _ => wasmtime::bail!("invalid discriminant"),
        })
    }
}
