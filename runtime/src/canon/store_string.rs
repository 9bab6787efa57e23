//! Storing strings: transcoding into the guest's encoding via `realloc`.
//!
//! Mirrors CanonicalABI.md, "Storing": `store_string`,
//! `store_string_into_range` and the transcoding functions it dispatches
//! to, with the same `realloc` calls (sizes, alignments, order) as the
//! spec, including the final shrinking `realloc` when the worst-case guess
//! was too big. A host string is always UTF-8; the other source encodings
//! are kept so each spec function exists and is tested.

use wasmtime::{Result, bail, format_err};

use crate::canon::memory::{Cx, StringEncoding, slice_mut};
use crate::canon::string::{MAX_STRING_BYTE_LENGTH, Simple, UTF16_TAG};

/// A string to lower: the spec's `String` triple of text, the encoding it
/// came from and its tagged length in that encoding's code units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SrcString<'a> {
    text: &'a str,
    encoding: StringEncoding,
    tagged_code_units: u32,
}

impl<'a> SrcString<'a> {
    /// A host string: UTF-8, its length in bytes.
    pub(crate) fn host(text: &'a str) -> Result<SrcString<'a>> {
        match u32::try_from(text.len()) {
            Ok(len) => SrcString::new(text, StringEncoding::Utf8, len),
            Err(_) => bail!(
                "string too long: {} bytes exceed the maximum of {MAX_STRING_BYTE_LENGTH} bytes",
                text.len()
            ),
        }
    }

    /// A string that was in `encoding` with `tagged_code_units`; checks that
    /// the length matches the text and is at most `MAX_STRING_BYTE_LENGTH`
    /// bytes (so every worst-case size below fits a 32-bit `realloc`).
    pub(crate) fn new(
        text: &'a str,
        encoding: StringEncoding,
        tagged_code_units: u32,
    ) -> Result<SrcString<'a>> {
        let (simple, units) = Simple::of(encoding, tagged_code_units);
        let byte_length = u64::from(simple.unit_size()) * u64::from(units);
        if byte_length > u64::from(MAX_STRING_BYTE_LENGTH) {
            bail!(
                "string too long: {byte_length} bytes exceed the maximum of \
                 {MAX_STRING_BYTE_LENGTH} bytes"
            );
        }
        let actual = match simple {
            Simple::Utf8 => text.len(),
            Simple::Utf16 => text.encode_utf16().count(),
            Simple::Latin1 if text.chars().all(|c| u32::from(c) < 0x100) => text.chars().count(),
            Simple::Latin1 => bail!("internal error: {text:?} is not latin-1"),
        };
        if actual != units as usize {
            bail!("internal error: {text:?} has {actual} code units, not {units}");
        }
        Ok(SrcString {
            text,
            encoding,
            tagged_code_units,
        })
    }
}

/// `store_string`: stores the string's bytes, then its pointer and tagged
/// length at `ptr`.
pub(crate) fn store_string(cx: &mut Cx, text: &str, ptr: u32) -> Result<()> {
    let (begin, tagged_code_units) = store_string_into_range(cx, &SrcString::host(text)?)?;
    let mut pair = [0u8; 8];
    pair[..4].copy_from_slice(&begin.to_le_bytes());
    pair[4..].copy_from_slice(&tagged_code_units.to_le_bytes());
    cx.write(ptr, &pair)
}

/// `store_string_into_range`: allocates and fills the string in the
/// options' encoding; returns the pointer and tagged length.
pub(crate) fn store_string_into_range(cx: &mut Cx, src: &SrcString) -> Result<(u32, u32)> {
    let (simple, units) = Simple::of(src.encoding, src.tagged_code_units);
    let text = src.text;
    match (cx.encoding, simple) {
        (StringEncoding::Utf8, Simple::Utf8) => {
            store_string_copy(cx, text, units, 1, 1, Simple::Utf8)
        }
        (StringEncoding::Utf8, Simple::Utf16) => store_utf16_to_utf8(cx, text, units),
        (StringEncoding::Utf8, Simple::Latin1) => store_latin1_to_utf8(cx, text, units),
        (StringEncoding::Utf16, Simple::Utf8) => store_utf8_to_utf16(cx, text, units),
        (StringEncoding::Utf16, Simple::Utf16 | Simple::Latin1) => {
            store_string_copy(cx, text, units, 2, 2, Simple::Utf16)
        }
        // The spec dispatches on the *source* encoding here: only a
        // `latin1+utf16` source is known to be Latin-1 or probably UTF-16.
        (StringEncoding::Latin1Utf16, _) => match (src.encoding, simple) {
            (StringEncoding::Latin1Utf16, Simple::Latin1) => {
                store_string_copy(cx, text, units, 1, 2, Simple::Latin1)
            }
            (StringEncoding::Latin1Utf16, _) => {
                store_probably_utf16_to_latin1_or_utf16(cx, text, units)
            }
            _ => store_string_to_latin1_or_utf16(cx, text, units),
        },
    }
}

/// `store_string_copy`: same code units on both sides, one allocation.
fn store_string_copy(
    cx: &mut Cx,
    text: &str,
    src_code_units: u32,
    dst_code_unit_size: u32,
    dst_alignment: u32,
    dst_encoding: Simple,
) -> Result<(u32, u32)> {
    let dst_byte_length = mul(dst_code_unit_size, src_code_units)?;
    let ptr = cx.allocate(dst_alignment, dst_byte_length)?;
    let dst = slice_mut(cx.mem.memory_mut()?, ptr, dst_byte_length.into())?;
    let written = match dst_encoding {
        Simple::Utf8 => put_utf8(dst, text)?,
        Simple::Utf16 => put_utf16(dst, text)?,
        Simple::Latin1 => put_latin1(dst, text)?,
    };
    if written != dst.len() {
        bail!(
            "internal error: string copy wrote {written} of {} bytes",
            dst.len()
        );
    }
    Ok((ptr, src_code_units))
}

/// `store_utf16_to_utf8`: at most 3 UTF-8 bytes per UTF-16 code unit.
fn store_utf16_to_utf8(cx: &mut Cx, text: &str, src_code_units: u32) -> Result<(u32, u32)> {
    let worst_case_size = mul(src_code_units, 3)?;
    store_string_to_utf8(cx, text, src_code_units, worst_case_size)
}

/// `store_latin1_to_utf8`: at most 2 UTF-8 bytes per Latin-1 byte.
fn store_latin1_to_utf8(cx: &mut Cx, text: &str, src_code_units: u32) -> Result<(u32, u32)> {
    let worst_case_size = mul(src_code_units, 2)?;
    store_string_to_utf8(cx, text, src_code_units, worst_case_size)
}

/// `store_string_to_utf8`: optimistically one byte per code unit; at the
/// first non-ASCII code point, grow to the worst case, finish, then shrink.
fn store_string_to_utf8(
    cx: &mut Cx,
    text: &str,
    src_code_units: u32,
    worst_case_size: u32,
) -> Result<(u32, u32)> {
    let ptr = cx.allocate(1, src_code_units)?;
    // Code points before the first non-ASCII one are one byte each, so the
    // text's own UTF-8 bytes up to there are what the spec's loop writes.
    let ascii = text
        .bytes()
        .position(|b| !b.is_ascii())
        .unwrap_or(text.len());
    let region = slice_mut(cx.mem.memory_mut()?, ptr, src_code_units.into())?;
    put_utf8(prefix(region, ascii)?, &text[..ascii])?;
    if ascii == text.len() {
        return Ok((ptr, src_code_units));
    }
    let ptr = cx.reallocate(ptr, src_code_units, 1, worst_case_size)?;
    let encoded_len = len32(text.len())?;
    let region = slice_mut(cx.mem.memory_mut()?, ptr, worst_case_size.into())?;
    let rest = region.get_mut(ascii..).unwrap_or_default();
    put_utf8(prefix(rest, text.len() - ascii)?, &text[ascii..])?;
    let ptr = if worst_case_size > encoded_len {
        cx.reallocate(ptr, worst_case_size, 1, encoded_len)?
    } else {
        ptr
    };
    Ok((ptr, encoded_len))
}

/// `store_utf8_to_utf16`: allocate 2 bytes per UTF-8 byte, encode, shrink.
fn store_utf8_to_utf16(cx: &mut Cx, text: &str, src_code_units: u32) -> Result<(u32, u32)> {
    let worst_case_size = mul(2, src_code_units)?;
    let ptr = cx.allocate(2, worst_case_size)?;
    let region = slice_mut(cx.mem.memory_mut()?, ptr, worst_case_size.into())?;
    let encoded_len = len32(put_utf16(region, text)?)?;
    let ptr = if encoded_len < worst_case_size {
        cx.reallocate(ptr, worst_case_size, 2, encoded_len)?
    } else {
        ptr
    };
    Ok((ptr, encoded_len / 2))
}

/// `store_string_to_latin1_or_utf16`: optimistically Latin-1 (one byte per
/// source code unit); at the first code point past U+00FF, grow to two
/// bytes per source code unit, inflate what was written to UTF-16 in place,
/// finish in UTF-16 and shrink. An all-Latin-1 result is shrunk too.
fn store_string_to_latin1_or_utf16(
    cx: &mut Cx,
    text: &str,
    src_code_units: u32,
) -> Result<(u32, u32)> {
    let ptr = cx.allocate(2, src_code_units)?;
    let region = slice_mut(cx.mem.memory_mut()?, ptr, src_code_units.into())?;
    let mut dst_byte_length = 0usize;
    let mut wide_at = None;
    for (at, c) in text.char_indices() {
        match u8::try_from(u32::from(c)) {
            Ok(byte) => {
                *region.get_mut(dst_byte_length).ok_or_else(overrun)? = byte;
                dst_byte_length += 1;
            }
            Err(_) => {
                wide_at = Some(at);
                break;
            }
        }
    }
    let Some(at) = wide_at else {
        let dst_byte_length = len32(dst_byte_length)?;
        let ptr = if dst_byte_length < src_code_units {
            cx.reallocate(ptr, src_code_units, 2, dst_byte_length)?
        } else {
            ptr
        };
        return Ok((ptr, dst_byte_length));
    };
    let worst_case_size = mul(2, src_code_units)?;
    let ptr = cx.reallocate(ptr, src_code_units, 2, worst_case_size)?;
    let region = slice_mut(cx.mem.memory_mut()?, ptr, worst_case_size.into())?;
    if 2 * dst_byte_length > region.len() {
        return Err(overrun());
    }
    // Back to front, so no byte is overwritten before it is moved.
    for j in (0..dst_byte_length).rev() {
        region[2 * j] = region[j];
        region[2 * j + 1] = 0;
    }
    let rest = put_utf16(&mut region[2 * dst_byte_length..], &text[at..])?;
    let encoded_len = len32(2 * dst_byte_length + rest)?;
    let ptr = if worst_case_size > encoded_len {
        cx.reallocate(ptr, worst_case_size, 2, encoded_len)?
    } else {
        ptr
    };
    Ok((ptr, (encoded_len / 2) | UTF16_TAG))
}

/// `store_probably_utf16_to_latin1_or_utf16`: copy as UTF-16; if every code
/// point turns out to fit Latin-1, compact in place and shrink.
fn store_probably_utf16_to_latin1_or_utf16(
    cx: &mut Cx,
    text: &str,
    src_code_units: u32,
) -> Result<(u32, u32)> {
    let src_byte_length = mul(2, src_code_units)?;
    let ptr = cx.allocate(2, src_byte_length)?;
    let region = slice_mut(cx.mem.memory_mut()?, ptr, src_byte_length.into())?;
    let encoded_len = put_utf16(region, text)?;
    if text.chars().any(|c| u32::from(c) >= 0x100) {
        return Ok((ptr, len32(encoded_len / 2)? | UTF16_TAG));
    }
    let latin1_size = encoded_len / 2;
    for i in 0..latin1_size {
        region[i] = region[2 * i];
    }
    let latin1_size = len32(latin1_size)?;
    let ptr = cx.reallocate(ptr, src_byte_length, 1, latin1_size)?;
    Ok((ptr, latin1_size))
}

/// Writes `text` as UTF-8 at the start of `dst`; returns the bytes written.
fn put_utf8(dst: &mut [u8], text: &str) -> Result<usize> {
    prefix(dst, text.len())?.copy_from_slice(text.as_bytes());
    Ok(text.len())
}

/// Writes `text` as little-endian UTF-16 at the start of `dst`; returns the
/// bytes written.
fn put_utf16(dst: &mut [u8], text: &str) -> Result<usize> {
    let (slots, _) = dst.as_chunks_mut::<2>();
    let mut slots = slots.iter_mut();
    let mut written = 0;
    for unit in text.encode_utf16() {
        *slots.next().ok_or_else(overrun)? = unit.to_le_bytes();
        written += 2;
    }
    Ok(written)
}

/// Writes `text` (all below U+0100) as Latin-1 at the start of `dst`.
fn put_latin1(dst: &mut [u8], text: &str) -> Result<usize> {
    let mut slots = dst.iter_mut();
    let mut written = 0;
    for c in text.chars() {
        let byte = u8::try_from(u32::from(c))
            .map_err(|_| format_err!("internal error: {c:?} is not latin-1"))?;
        *slots.next().ok_or_else(overrun)? = byte;
        written += 1;
    }
    Ok(written)
}

/// The first `len` bytes of `dst`.
fn prefix(dst: &mut [u8], len: usize) -> Result<&mut [u8]> {
    dst.get_mut(..len).ok_or_else(overrun)
}

/// An encoding step would write past its allocation: the source string's
/// length did not describe its text (checked by [`SrcString::new`]).
fn overrun() -> wasmtime::Error {
    format_err!("internal error: string encoding overran its allocation")
}

/// `a * b` as a 32-bit size.
fn mul(a: u32, b: u32) -> Result<u32> {
    a.checked_mul(b)
        .ok_or_else(|| format_err!("string too long: {a} * {b} bytes overflow 32 bits"))
}

/// A byte count as a 32-bit size.
fn len32(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| format_err!("string too long: {n} bytes overflow 32 bits"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::{Latin1Utf16, Utf8, Utf16};
    use crate::canon::test_memory::{NoMemory, TestMemory};

    const H: u32 = crate::canon::test_memory::HEAP_START;

    /// Lowers `src` into a fresh memory with `dst` encoding; returns the
    /// memory (with its realloc log) and the pointer and tagged length.
    fn lower(dst: StringEncoding, src: SrcString) -> (TestMemory, (u32, u32)) {
        let mut mem = TestMemory::new(4096);
        let got = store_string_into_range(&mut mem.cx(dst), &src).unwrap();
        (mem, got)
    }

    fn host(s: &str) -> SrcString<'_> {
        SrcString::host(s).unwrap()
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf8_to_utf8_is_one_copy() {
        let (mem, got) = lower(Utf8, host("héllo"));
        assert_eq!(got, (H, 6));
        assert_eq!(mem.calls, [(0, 0, 1, 6)]);
        assert_eq!(mem.get(H, 6), "héllo".as_bytes());
    }

    #[test]
    fn utf8_to_utf16_shrinks_to_the_encoded_size() {
        let (mem, got) = lower(Utf16, host("héllo"));
        assert_eq!(got, (H, 5));
        assert_eq!(mem.calls, [(0, 0, 2, 12), (H, 12, 2, 10)]);
        assert_eq!(mem.get(H, 10), utf16le("héllo"));
    }

    #[test]
    fn utf8_to_utf16_without_slack_does_not_shrink() {
        let (mem, got) = lower(Utf16, host("abc"));
        assert_eq!(got, (H, 3));
        assert_eq!(mem.calls, [(0, 0, 2, 6)]);
    }

    #[test]
    fn utf8_to_compact_utf16_stays_latin1_and_shrinks() {
        let (mem, got) = lower(Latin1Utf16, host("héllo"));
        assert_eq!(got, (H, 5));
        assert_eq!(mem.calls, [(0, 0, 2, 6), (H, 6, 2, 5)]);
        assert_eq!(mem.get(H, 5), [b'h', 0xe9, b'l', b'l', b'o']);
    }

    #[test]
    fn utf8_ascii_to_compact_utf16_needs_no_shrink() {
        let (mem, got) = lower(Latin1Utf16, host("abc"));
        assert_eq!(got, (H, 3));
        assert_eq!(mem.calls, [(0, 0, 2, 3)]);
    }

    #[test]
    fn utf8_to_compact_utf16_inflates_at_the_first_wide_char() {
        // 5 UTF-8 bytes: allocate 5, grow to 10 at 'Ω', shrink to 6.
        let (mem, got) = lower(Latin1Utf16, host("éaΩ"));
        let p = H + 6; // the grown block, bumped past the first (aligned)
        assert_eq!(got, (p, 3 | UTF16_TAG));
        assert_eq!(mem.calls, [(0, 0, 2, 5), (H, 5, 2, 10), (p, 10, 2, 6)]);
        assert_eq!(mem.get(p, 6), utf16le("éaΩ"));
    }

    #[test]
    fn latin1_source_to_utf8_grows_then_shrinks() {
        let src = SrcString::new("aé", Latin1Utf16, 2).unwrap();
        let (mem, got) = lower(Utf8, src);
        let p = H + 2;
        assert_eq!(got, (p, 3));
        assert_eq!(mem.calls, [(0, 0, 1, 2), (H, 2, 1, 4), (p, 4, 1, 3)]);
        assert_eq!(mem.get(p, 3), "aé".as_bytes());
    }

    #[test]
    fn utf16_source_to_utf8_grows_to_three_bytes_per_unit() {
        let src = SrcString::new("aΩ", Utf16, 2).unwrap();
        let (mem, got) = lower(Utf8, src);
        let p = H + 2;
        assert_eq!(got, (p, 3));
        assert_eq!(mem.calls, [(0, 0, 1, 2), (H, 2, 1, 6), (p, 6, 1, 3)]);
        assert_eq!(mem.get(p, 3), "aΩ".as_bytes());
    }

    #[test]
    fn ascii_utf16_source_to_utf8_is_one_allocation() {
        let (mem, got) = lower(Utf8, SrcString::new("ab", Utf16, 2).unwrap());
        assert_eq!(got, (H, 2));
        assert_eq!(mem.calls, [(0, 0, 1, 2)]);
        assert_eq!(mem.get(H, 2), b"ab");
    }

    #[test]
    fn latin1_source_to_compact_utf16_is_copied() {
        let (mem, got) = lower(Latin1Utf16, SrcString::new("é", Latin1Utf16, 1).unwrap());
        assert_eq!(got, (H, 1));
        assert_eq!(mem.calls, [(0, 0, 2, 1)]);
        assert_eq!(mem.get(H, 1), [0xe9]);
    }

    #[test]
    fn latin1_source_to_utf16_is_widened_in_one_copy() {
        let (mem, got) = lower(Utf16, SrcString::new("é", Latin1Utf16, 1).unwrap());
        assert_eq!(got, (H, 1));
        assert_eq!(mem.calls, [(0, 0, 2, 2)]);
        assert_eq!(mem.get(H, 2), [0xe9, 0]);
    }

    #[test]
    fn compact_utf16_source_of_latin1_chars_is_compacted_and_shrunk() {
        let src = SrcString::new("éa", Latin1Utf16, 2 | UTF16_TAG).unwrap();
        let (mem, got) = lower(Latin1Utf16, src);
        assert_eq!(got, (H, 2));
        assert_eq!(mem.calls, [(0, 0, 2, 4), (H, 4, 1, 2)]);
        assert_eq!(mem.get(H, 2), [0xe9, b'a']);
    }

    #[test]
    fn compact_utf16_source_with_a_wide_char_stays_utf16() {
        let src = SrcString::new("Ωa", Latin1Utf16, 2 | UTF16_TAG).unwrap();
        let (mem, got) = lower(Latin1Utf16, src);
        assert_eq!(got, (H, 2 | UTF16_TAG));
        assert_eq!(mem.calls, [(0, 0, 2, 4)]);
        assert_eq!(mem.get(H, 4), utf16le("Ωa"));
    }

    #[test]
    fn utf16_source_to_utf16_is_one_copy() {
        let (mem, got) = lower(Utf16, SrcString::new("Ω😀", Utf16, 3).unwrap());
        assert_eq!(got, (H, 3));
        assert_eq!(mem.calls, [(0, 0, 2, 6)]);
        assert_eq!(mem.get(H, 6), utf16le("Ω😀"));
    }

    #[test]
    fn utf16_source_to_compact_utf16_counts_in_utf16_units() {
        let (mem, got) = lower(Latin1Utf16, SrcString::new("aé", Utf16, 2).unwrap());
        assert_eq!(got, (H, 2));
        assert_eq!(mem.calls, [(0, 0, 2, 2)]);
    }

    #[test]
    fn empty_string_still_calls_realloc() {
        let (mem, got) = lower(Utf8, host(""));
        assert_eq!(got, (H, 0));
        assert_eq!(mem.calls, [(0, 0, 1, 0)]);
    }

    #[test]
    fn string_over_the_maximum_length_is_refused() {
        let err = SrcString::new("", Utf8, MAX_STRING_BYTE_LENGTH + 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "string too long: 268435456 bytes exceed the maximum of 268435455 bytes"
        );
    }

    #[test]
    fn src_string_whose_length_does_not_match_is_rejected() {
        assert!(SrcString::new("ab", Utf8, 3).is_err());
        assert!(SrcString::new("Ω", Latin1Utf16, 1).is_err());
    }

    #[test]
    fn store_string_writes_pointer_and_length() {
        let mut mem = TestMemory::new(4096);
        store_string(&mut mem.cx(Utf8), "hi", 8).unwrap();
        assert_eq!(mem.get(8, 8), [0, 4, 0, 0, 2, 0, 0, 0]);
        assert_eq!(mem.get(H, 2), b"hi");
    }

    #[test]
    fn misaligned_realloc_result_for_utf16_traps() {
        let mut mem = TestMemory::new(64);
        mem.force_realloc_result = Some(3);
        let err = store_string_into_range(&mut mem.cx(Utf16), &host("a")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "realloc return: result not aligned: realloc returned pointer 0x3, which is not a multiple of the alignment 2"
        );
    }

    #[test]
    fn lowering_a_string_without_realloc_fails() {
        let mut mem = NoMemory;
        let err = store_string_into_range(&mut Cx::new(&mut mem, Utf8), &host("a")).unwrap_err();
        assert_eq!(err.to_string(), "canonical options have no realloc");
    }
}
