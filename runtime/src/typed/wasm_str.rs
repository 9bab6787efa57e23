//! [`WasmStr`]: a string result left in guest memory, decoded on demand.

use std::borrow::Cow;

use crate::Result;
use crate::canon::string::{Simple, check_string_range, decode};
use crate::store::AsContext;
use crate::typed::internal::mismatch;
use crate::typed::view::Origin;
use crate::typed::{ComponentType, FlatReader, Lift, LiftCx};
use crate::types::Type;

/// What error messages call a string view.
const WHAT: &str = "a `WasmStr`";

/// A `string` that stays in the guest's linear memory until asked for:
/// lifting it checks the range (bounds, alignment, length limit) and
/// copies nothing; [`WasmStr::to_str`] validates and decodes it, borrowing
/// the guest's bytes when they are UTF-8.
///
/// Use it as a result type of a [`crate::TypedFunc`] (or a parameter of a
/// typed host function) in place of `String`. It only lifts: give strings
/// to a guest as `&str` or `String`.
///
/// The view reads the memory as it is *when read*: a call's `post-return`
/// (which runs before [`crate::TypedFunc::call`] returns) or a later call
/// into the instance may have freed or rewritten the bytes, as with
/// wasmtime's `WasmStr`. Read it before calling the instance again. Using
/// it with another store, or after its instance trapped (and was locked
/// down), is an error.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Component, Engine, Linker, Store, WasmStr};
/// let engine = Engine::default();
/// let component = Component::new(&engine, r#"
///     (component
///         (core module $m
///             (memory (export "mem") 1)
///             (data (i32.const 16) "hello")
///             (data (i32.const 8) "\10\00\00\00\05\00\00\00")
///             (func (export "greet") (result i32) i32.const 8))
///         (core instance $i (instantiate $m))
///         (func (export "greet") (result string)
///             (canon lift (core func $i "greet") (memory (core memory $i "mem")))))
/// "#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
/// let greet = instance.get_typed_func::<(), (WasmStr,)>(&mut store, "greet")?;
/// let (s,) = greet.call(&mut store, ())?;
/// assert_eq!(s.to_str(&store)?, "hello");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct WasmStr {
    origin: Origin,
    ptr: u32,
    /// Bytes in memory.
    byte_len: u32,
    /// The encoding of these bytes (the `latin1+utf16` tag resolved).
    encoding: Simple,
}

impl WasmStr {
    /// Checks the range a guest gave and makes the view.
    fn new<T: 'static>(cx: &LiftCx<'_, '_, T>, ptr: u32, tagged_code_units: u32) -> Result<Self> {
        let origin = Origin::of(cx, "`WasmStr`")?;
        let mem_len = cx.memory()?.len();
        let (encoding, byte_len) =
            check_string_range(mem_len, cx.encoding(), ptr, tagged_code_units)?;
        Ok(WasmStr {
            origin,
            ptr,
            byte_len,
            encoding,
        })
    }

    /// The string's size in guest memory, in bytes (its length in UTF-8
    /// only when the guest's encoding is UTF-8).
    pub fn byte_len(&self) -> usize {
        self.byte_len as usize
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.byte_len == 0
    }

    /// The string's bytes as they are in guest memory now, in the guest's
    /// encoding (UTF-8 for most guests), not validated.
    ///
    /// Errors if `store` is not the view's store or its instance was
    /// locked down.
    pub fn as_bytes<'a, S: AsContext>(&self, store: &'a S) -> Result<&'a [u8]> {
        self.origin
            .bytes(store.as_context().0, self.ptr, self.byte_len, WHAT)
    }

    /// The string: borrowed from guest memory when the guest's encoding is
    /// UTF-8, decoded into a new `String` otherwise.
    ///
    /// Errors, like lifting a `String` would, if the bytes are not valid
    /// UTF-8 (or UTF-16); and if `store` is not the view's store or its
    /// instance was locked down.
    pub fn to_str<'a, S: AsContext>(&self, store: &'a S) -> Result<Cow<'a, str>> {
        decode(self.as_bytes(store)?, self.encoding, self.ptr)
    }
}

impl ComponentType for WasmStr {
    const SIZE32: u32 = 8;
    const ALIGN32: u32 = 4;
    const FLAT_COUNT: usize = 2;

    fn typecheck(ty: &Type) -> Result<()> {
        match ty {
            Type::String => Ok(()),
            _ => Err(mismatch::<Self>(ty)),
        }
    }
}

impl Lift for WasmStr {
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let (ptr, len) = src.next_ptr_len()?;
        WasmStr::new(cx, ptr, len)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<Self> {
        let (data, len) = cx.read_ptr_len(ptr)?;
        WasmStr::new(cx, data, len)
    }
}
