//! Loading strings in the three string encodings.
//!
//! Mirrors CanonicalABI.md, "Loading": `load_string` and
//! `load_string_from_range`. Storing is in [`crate::canon::store_string`].

use std::borrow::Cow;

use wasmtime::{Result, bail, format_err};

use crate::canon::memory::{
    LoadCx, StringEncoding, check_align, check_range, offset, read_u32, slice,
};

/// `utf16_tag` for 32-bit memories: set in a `latin1+utf16` length when the
/// string is UTF-16.
pub(crate) const UTF16_TAG: u32 = 1 << 31;

/// `MAX_STRING_BYTE_LENGTH`: longer strings trap when lifted. (The spec
/// lowered this from `2^31 - 1` to `2^28 - 1` when it added memory64, so
/// that twice the limit still fits a 32-bit `realloc` size.)
pub(crate) const MAX_STRING_BYTE_LENGTH: u32 = (1 << 28) - 1;

/// `load_string`: the pointer and tagged length at `ptr`, then the string.
pub(crate) fn load_string(l: LoadCx, ptr: u32) -> Result<String> {
    let begin = read_u32(l.mem, ptr)?;
    let tagged_code_units = read_u32(l.mem, offset(ptr, 4)?)?;
    load_string_from_range(l, begin, tagged_code_units)
}

/// The encoding of one string in memory, once the `latin1+utf16` tag is
/// resolved (the spec's `src_simple_encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Simple {
    /// UTF-8 bytes.
    Utf8,
    /// Little-endian UTF-16 code units.
    Utf16,
    /// Latin-1 bytes.
    Latin1,
}

impl Simple {
    /// Resolves the tag of `tagged_code_units` under `encoding`: the simple
    /// encoding and the untagged number of code units.
    pub(crate) fn of(encoding: StringEncoding, tagged_code_units: u32) -> (Simple, u32) {
        match encoding {
            StringEncoding::Utf8 => (Simple::Utf8, tagged_code_units),
            StringEncoding::Utf16 => (Simple::Utf16, tagged_code_units),
            StringEncoding::Latin1Utf16 if tagged_code_units & UTF16_TAG != 0 => {
                (Simple::Utf16, tagged_code_units ^ UTF16_TAG)
            }
            StringEncoding::Latin1Utf16 => (Simple::Latin1, tagged_code_units),
        }
    }

    /// Bytes per code unit.
    pub(crate) fn unit_size(self) -> u32 {
        match self {
            Simple::Utf16 => 2,
            Simple::Utf8 | Simple::Latin1 => 1,
        }
    }
}

/// `load_string_from_range`: decodes `tagged_code_units` code units at
/// `ptr` in the options' encoding. Traps when the byte length exceeds
/// [`MAX_STRING_BYTE_LENGTH`], on a misaligned or out-of-bounds range, and
/// on invalid UTF-8 or UTF-16 (the spec's `decode` raising `UnicodeError`).
pub(crate) fn load_string_from_range(
    l: LoadCx,
    ptr: u32,
    tagged_code_units: u32,
) -> Result<String> {
    let (encoding, byte_length) =
        check_string_range(l.mem.len(), l.encoding, ptr, tagged_code_units)?;
    let bytes = slice(l.mem, ptr, byte_length.into())?;
    // The most UTF-8 the decoded string can take: a UTF-16 code unit
    // decodes to at most 3 bytes, a Latin-1 byte to at most 2.
    let decoded = match encoding {
        Simple::Utf8 => bytes.len(),
        Simple::Utf16 => bytes.len() / 2 * 3,
        Simple::Latin1 => bytes.len() * 2,
    };
    l.budget.charge(decoded)?;
    decode(bytes, encoding, ptr).map(Cow::into_owned)
}

/// The checks `load_string_from_range` makes before decoding: the byte
/// length at most [`MAX_STRING_BYTE_LENGTH`], `ptr` aligned for the
/// encoding, the bytes inside a memory of `mem_len` bytes. Returns the
/// string's simple encoding and its length in bytes.
pub(crate) fn check_string_range(
    mem_len: usize,
    encoding: StringEncoding,
    ptr: u32,
    tagged_code_units: u32,
) -> Result<(Simple, u32)> {
    let alignment = match encoding {
        StringEncoding::Utf8 => 1,
        StringEncoding::Utf16 | StringEncoding::Latin1Utf16 => 2,
    };
    let (simple, code_units) = Simple::of(encoding, tagged_code_units);
    let byte_length = u64::from(simple.unit_size()) * u64::from(code_units);
    if byte_length > u64::from(MAX_STRING_BYTE_LENGTH) {
        bail!(
            "string too long: {byte_length} bytes at {ptr:#x} exceed the maximum of \
             {MAX_STRING_BYTE_LENGTH} bytes"
        );
    }
    check_align(ptr, alignment, "string")?;
    // The spec's wording first, then where.
    check_range(mem_len, ptr, byte_length, "string")
        .map_err(|e| format_err!("string pointer/length out of bounds of memory: {e}"))?;
    // At most `MAX_STRING_BYTE_LENGTH`, so it fits.
    Ok((simple, byte_length as u32))
}

/// The spec's `decode`: the string in `bytes` (found at `ptr`, for
/// messages), borrowed when it is UTF-8 already. Traps on invalid UTF-8
/// or UTF-16.
pub(crate) fn decode(bytes: &[u8], encoding: Simple, ptr: u32) -> Result<Cow<'_, str>> {
    match encoding {
        Simple::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(e) => bail!("invalid utf-8 in string at {ptr:#x}: {e}"),
        },
        Simple::Utf16 => {
            let (units, _) = bytes.as_chunks::<2>();
            let mut s = String::with_capacity(units.len());
            for c in char::decode_utf16(units.iter().map(|u| u16::from_le_bytes(*u))) {
                let c = c.map_err(|e| {
                    format_err!(
                        "invalid utf-16 in string at {ptr:#x} (unpaired surrogate {:#x})",
                        e.unpaired_surrogate()
                    )
                })?;
                s.push(c);
            }
            Ok(Cow::Owned(s))
        }
        Simple::Latin1 => Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::*;
    use crate::canon::test_memory::TestMemory;

    fn lift(mem: &TestMemory, enc: StringEncoding, ptr: u32, units: u32) -> Result<String> {
        let budget = crate::canon::Budget::default();
        let l = LoadCx {
            mem: &mem.bytes,
            encoding: enc,
            budget: &budget,
        };
        load_string_from_range(l, ptr, units)
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf8_string_loads() {
        let mut mem = TestMemory::new(64);
        mem.put(3, "héllo".as_bytes());
        assert_eq!(lift(&mem, Utf8, 3, 6).unwrap(), "héllo");
    }

    #[test]
    fn invalid_utf8_traps() {
        let mut mem = TestMemory::new(0x200);
        mem.put(0x100, &[b'a', 0xc3, b'(']);
        let err = lift(&mem, Utf8, 0x100, 3).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid utf-8 in string at 0x100: invalid utf-8 sequence of 1 bytes from index 1"
        );
    }

    #[test]
    fn utf16_length_counts_code_units() {
        let mut mem = TestMemory::new(64);
        mem.put(4, &utf16le("a😀"));
        assert_eq!(lift(&mem, Utf16, 4, 3).unwrap(), "a😀");
    }

    #[test]
    fn unpaired_surrogate_in_utf16_traps() {
        let mut mem = TestMemory::new(64);
        mem.put(4, &[0x00, 0xd8, b'a', 0]);
        let err = lift(&mem, Utf16, 4, 2).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid utf-16 in string at 0x4 (unpaired surrogate 0xd800)"
        );
    }

    #[test]
    fn misaligned_utf16_string_traps() {
        let mem = TestMemory::new(64);
        let err = lift(&mem, Utf16, 3, 1).unwrap_err().to_string();
        assert_eq!(err, "unaligned pointer 0x3 for string (alignment 2)");
    }

    #[test]
    fn compact_utf16_without_tag_is_latin1() {
        let mut mem = TestMemory::new(64);
        mem.put(2, &[b'a', 0xe9, 0xff]);
        assert_eq!(lift(&mem, Latin1Utf16, 2, 3).unwrap(), "aéÿ");
    }

    #[test]
    fn compact_utf16_with_tag_is_utf16() {
        let mut mem = TestMemory::new(64);
        mem.put(2, &utf16le("Ωx"));
        assert_eq!(lift(&mem, Latin1Utf16, 2, 2 | UTF16_TAG).unwrap(), "Ωx");
    }

    #[test]
    fn compact_utf16_latin1_must_still_be_aligned() {
        let mem = TestMemory::new(64);
        let err = lift(&mem, Latin1Utf16, 1, 0).unwrap_err().to_string();
        assert_eq!(err, "unaligned pointer 0x1 for string (alignment 2)");
    }

    #[test]
    fn string_past_the_end_of_memory_traps() {
        let mem = TestMemory::new(65536);
        let err = lift(&mem, Utf8, 0x10000, 12).unwrap_err().to_string();
        assert_eq!(
            err,
            "string pointer/length out of bounds of memory: pointer out of bounds: string at 0x10000 of 12 bytes exceeds memory of 65536 bytes"
        );
    }

    #[test]
    fn string_longer_than_the_maximum_traps_before_bounds() {
        let mem = TestMemory::new(64);
        let err = lift(&mem, Utf8, 0, MAX_STRING_BYTE_LENGTH + 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "string too long: 268435456 bytes at 0x0 exceed the maximum of 268435455 bytes"
        );
        let err = lift(&mem, Utf16, 0, u32::MAX).unwrap_err().to_string();
        assert!(
            err.starts_with("string too long: 8589934590 bytes"),
            "{err}"
        );
    }

    #[test]
    fn utf16_string_at_exactly_the_maximum_is_only_bounds_checked() {
        let mem = TestMemory::new(64);
        let err = lift(&mem, Utf16, 0, MAX_STRING_BYTE_LENGTH / 2)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("string pointer/length out of bounds of memory: pointer out of bounds: string at 0x0"),
            "{err}"
        );
    }

    #[test]
    fn empty_string_may_point_at_the_end_of_memory() {
        let mem = TestMemory::new(64);
        assert_eq!(lift(&mem, Utf8, 64, 0).unwrap(), "");
    }
}
