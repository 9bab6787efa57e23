//! Strings: `String` and `str` as `string`, in any of the three string
//! encodings, through the same transcoding code as the dynamic path
//! (CanonicalABI.md: `store_string`, `load_string`).

use crate::Result;
use crate::canon::StringEncoding;
use crate::canon::memory::LoadCx;
use crate::canon::store_string::{SrcString, store_string_into_range};
use crate::canon::string::{MAX_STRING_BYTE_LENGTH, load_string_from_range};
use crate::typed::internal::{mismatch, ptr_len_from};
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;

macro_rules! string_type {
    ($($t:ty),*) => {$(
        impl ComponentType for $t {
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

        impl Lower for $t {
            #[inline]
            fn lower_flat<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                _ty: &Type,
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                dst.push_ptr_len(store_str(cx, self)?)
            }

            fn store<T: 'static>(&self, cx: &mut LowerCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<()> {
                let pair = store_str(cx, self)?;
                cx.write_ptr_len(ptr, pair)
            }
        }
    )*};
}

string_type!(str, String);

/// `store_string_into_range` of a host string: returns the guest pointer
/// and the (tagged) length in code units.
#[inline]
fn store_str<T: 'static>(cx: &mut LowerCx<'_, '_, T>, s: &str) -> Result<(u32, u32)> {
    // UTF-8 into UTF-8 is the spec's `store_string_copy`: one `realloc` of
    // the byte length, aligned to 1, then the bytes. Done here without the
    // general transcoder's dispatch; anything else (and a string too long,
    // for its error) goes the general way.
    if cx.encoding == StringEncoding::Utf8 && s.len() <= MAX_STRING_BYTE_LENGTH as usize {
        let len = s.len() as u32;
        let (ptr, dst) = cx.allocate_bytes(1, len)?;
        dst.copy_from_slice(s.as_bytes());
        return Ok((ptr, len));
    }
    store_string_into_range(&mut cx.canon(), &SrcString::host(s)?)
}

/// `load_string_from_range`.
#[inline]
fn load_str<T: 'static>(cx: &LiftCx<'_, '_, T>, ptr: u32, len: u32) -> Result<String> {
    // The common case, UTF-8 that is in bounds and valid, in one pass;
    // anything else goes the spec's way below, which re-checks and says
    // what is wrong (the same traps, in the same order).
    if cx.encoding() == StringEncoding::Utf8
        && len <= MAX_STRING_BYTE_LENGTH
        && let Ok(bytes) = cx.bytes(ptr, len)
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        cx.budget.charge(s.len())?;
        return Ok(s.to_owned());
    }
    let l = LoadCx {
        mem: cx.memory()?,
        encoding: cx.encoding(),
        budget: &cx.budget,
    };
    load_string_from_range(l, ptr, len)
}

impl Lift for String {
    #[inline]
    fn lift_flat<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        src: &mut FlatReader<'_>,
    ) -> Result<Self> {
        let (ptr, len) = src.next_ptr_len()?;
        load_str(cx, ptr, len)
    }

    fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, _ty: &Type, ptr: u32) -> Result<Self> {
        let (data, len) = cx.read_ptr_len(ptr)?;
        load_str(cx, data, len)
    }

    #[inline]
    fn load_from<T: 'static>(
        cx: &mut LiftCx<'_, '_, T>,
        _ty: &Type,
        ptr: u32,
        bytes: &[u8],
    ) -> Result<Self> {
        let (data, len) = ptr_len_from(bytes, ptr)?;
        load_str(cx, data, len)
    }
}
