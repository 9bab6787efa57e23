//! String transcoders for fused adapters.
//!
//! When two components exchange a string, the adapter module that the
//! component translator generates (FACT) does the allocation and the control
//! flow itself but imports one host function per encoding pair to move the
//! characters between the two linear memories. This file is that host side:
//! [`transcode`] (two memories) and [`transcode_in_place`] (one memory) take
//! the adapter's core arguments, turn every pointer/length pair into a byte
//! range checked against its memory, and then run a small, slice-based
//! converter for the requested [`TranscodeOp`]. The converters follow the
//! contract of the adapter code and of wasmtime's own libcalls: the "first
//! pass" operations may stop early and report how far they got so the adapter
//! can grow its buffer and call again, the compact-UTF-16 continuations widen
//! the Latin-1 prefix written by the first pass before appending, and invalid
//! UTF-8, unpaired surrogates, out-of-bounds or overlapping ranges become
//! errors (traps) that say what was wrong rather than panics.

use std::fmt;
use std::ops::Range;

/// Bit that marks a compact (`latin1+utf16`) length as UTF-16 rather than Latin-1.
const UTF16_TAG: u64 = 1 << 31;

/// The twelve transcoding operations, mirroring `wasmtime_environ::component::Transcode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum TranscodeOp {
    /// UTF-8 to UTF-8 copy, validating the source.
    CopyUtf8,
    /// UTF-16 to UTF-16 copy, validating the source.
    CopyUtf16,
    /// Latin-1 to Latin-1 copy (every byte is valid).
    CopyLatin1,
    /// Latin-1 widened to UTF-16, one code unit per byte.
    Latin1ToUtf16,
    /// Latin-1 to UTF-8, possibly partial (first pass or full destination).
    Latin1ToUtf8,
    /// UTF-16 into a compact string, Latin-1 when every char fits, else tagged UTF-16.
    Utf16ToCompactProbablyUtf16,
    /// Second step of UTF-16 to compact: widen the Latin-1 prefix, append the rest as UTF-16.
    Utf16ToCompactUtf16,
    /// First step of UTF-16 to compact: Latin-1 until the first unit above 0xff.
    Utf16ToLatin1,
    /// UTF-16 to UTF-8, possibly partial (first pass or full destination).
    Utf16ToUtf8,
    /// Second step of UTF-8 to compact: widen the Latin-1 prefix, append the rest as UTF-16.
    Utf8ToCompactUtf16,
    /// First step of UTF-8 to compact: Latin-1 until the first char above U+00FF.
    Utf8ToLatin1,
    /// UTF-8 to UTF-16 into a destination of twice the source length in bytes.
    Utf8ToUtf16,
}

impl TranscodeOp {
    /// Core parameter count and result count of the imported function (all pointers/lengths i32 for 32-bit memories).
    pub(crate) fn arity(self) -> (usize, usize) {
        use TranscodeOp::*;
        match self {
            CopyUtf8 | CopyUtf16 | CopyLatin1 | Latin1ToUtf16 => (3, 0),
            Utf8ToUtf16 | Utf16ToCompactProbablyUtf16 => (3, 1),
            Utf8ToLatin1 | Utf16ToLatin1 => (3, 2),
            Latin1ToUtf8 | Utf16ToUtf8 => (5, 2),
            Utf8ToCompactUtf16 | Utf16ToCompactUtf16 => (5, 1),
        }
    }

    /// Human-readable name like "utf8-to-utf16" for messages.
    pub(crate) fn desc(self) -> &'static str {
        use TranscodeOp::*;
        match self {
            CopyUtf8 => "utf8-to-utf8",
            CopyUtf16 => "utf16-to-utf16",
            CopyLatin1 => "latin1-to-latin1",
            Latin1ToUtf16 => "latin1-to-utf16",
            Latin1ToUtf8 => "latin1-to-utf8",
            Utf16ToCompactProbablyUtf16 => "utf16-to-compact-probably-utf16",
            Utf16ToCompactUtf16 => "utf16-to-compact-utf16",
            Utf16ToLatin1 => "utf16-to-latin1",
            Utf16ToUtf8 => "utf16-to-utf8",
            Utf8ToCompactUtf16 => "utf8-to-compact-utf16",
            Utf8ToLatin1 => "utf8-to-latin1",
            Utf8ToUtf16 => "utf8-to-utf16",
        }
    }

    /// Code unit widths of both sides and which argument holds the destination length.
    fn shape(self) -> Shape {
        use TranscodeOp::*;
        use Width::{Narrow, Wide};
        let (src, dst, dst_len_arg) = match self {
            CopyUtf8 | CopyLatin1 | Utf8ToLatin1 => (Narrow, Narrow, 1),
            CopyUtf16 | Utf16ToCompactProbablyUtf16 => (Wide, Wide, 1),
            Latin1ToUtf16 | Utf8ToUtf16 => (Narrow, Wide, 1),
            Utf16ToLatin1 => (Wide, Narrow, 1),
            Latin1ToUtf8 => (Narrow, Narrow, 3),
            Utf16ToUtf8 => (Wide, Narrow, 3),
            Utf8ToCompactUtf16 => (Narrow, Wide, 3),
            Utf16ToCompactUtf16 => (Wide, Wide, 3),
        };
        Shape {
            src,
            dst,
            dst_len_arg,
        }
    }
}

/// Size of one code unit in a string region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// One byte per unit (UTF-8, Latin-1); any alignment.
    Narrow,
    /// Two little-endian bytes per unit (UTF-16); pointer must be 2-aligned.
    Wide,
}

impl Width {
    /// Bytes per code unit.
    fn bytes(self) -> u64 {
        match self {
            Width::Narrow => 1,
            Width::Wide => 2,
        }
    }
}

/// How an operation's arguments describe its two memory regions.
struct Shape {
    /// Unit width of the source region (its length is always argument 1).
    src: Width,
    /// Unit width of the destination region.
    dst: Width,
    /// Index of the argument giving the destination length in destination units.
    dst_len_arg: usize,
}

/// Which of the two regions a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// The string being read.
    Source,
    /// The buffer being written.
    Destination,
}

impl fmt::Display for Side {
    /// Lower-case name of the side.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Source => "source",
            Side::Destination => "destination",
        })
    }
}

/// A byte region named by a guest pointer and a byte length, not yet checked against memory.
#[derive(Clone, Copy, Debug)]
struct Region {
    /// Guest pointer as passed by the adapter.
    ptr: u64,
    /// Length in bytes (code units times unit width).
    len: u64,
}

impl Region {
    /// The host index range of this region if it lies within `size` bytes of memory.
    fn within(self, size: usize) -> Option<Range<usize>> {
        let start = usize::try_from(self.ptr).ok()?;
        let end = start.checked_add(usize::try_from(self.len).ok()?)?;
        (end <= size).then_some(start..end)
    }
}

/// Everything that can make a transcoder call trap.
#[derive(Debug)]
enum Fault {
    /// The adapter passed the wrong number of core arguments.
    Arity { expected: usize, got: usize },
    /// A code-unit length is too large to express as a byte length.
    LengthOverflow { side: Side, units: u64 },
    /// A region does not fit inside its linear memory.
    OutOfBounds {
        side: Side,
        region: Region,
        size: usize,
    },
    /// A UTF-16 region starts at an odd address.
    Unaligned { side: Side, ptr: u64 },
    /// Source and destination share bytes of the same memory.
    Overlap { src: Region, dst: Region },
    /// The source is not well-formed UTF-8.
    InvalidUtf8 { offset: usize },
    /// The source holds a surrogate without its partner.
    UnpairedSurrogate { index: usize, unit: u16 },
    /// A compact continuation claims more Latin-1 bytes than its destination holds units.
    PrefixTooLong { prefix: u64, units: u64 },
    /// The destination (after any widened prefix) cannot hold the converted string.
    NoRoom { available: usize },
    /// A compact length would collide with the UTF-16 tag bit.
    TooLongForTag { units: usize },
}

impl fmt::Display for Fault {
    /// A one-line explanation of the fault, with the numbers involved.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Arity { expected, got } => {
                write!(f, "expected {expected} core arguments, got {got}")
            }
            Fault::LengthOverflow { side, units } => {
                write!(f, "{side} length of {units} code units overflows")
            }
            Fault::OutOfBounds { side, region, size } => write!(
                f,
                "{side} range out of bounds: pointer {:#x} with length {} bytes \
                 exceeds linear memory of {size} bytes",
                region.ptr, region.len
            ),
            Fault::Unaligned { side, ptr } => {
                write!(
                    f,
                    "{side} pointer {ptr:#x} is not 2-byte aligned for UTF-16"
                )
            }
            Fault::Overlap { src, dst } => write!(
                f,
                "source range {:#x}+{} and destination range {:#x}+{} overlap in the same memory",
                src.ptr, src.len, dst.ptr, dst.len
            ),
            Fault::InvalidUtf8 { offset } => {
                write!(f, "invalid UTF-8 in source at byte offset {offset}")
            }
            Fault::UnpairedSurrogate { index, unit } => write!(
                f,
                "invalid UTF-16 in source: unpaired surrogate {unit:#06x} at code unit {index}"
            ),
            Fault::PrefixTooLong { prefix, units } => write!(
                f,
                "latin1 prefix of {prefix} bytes does not fit a destination of {units} code units"
            ),
            Fault::NoRoom { available } => write!(
                f,
                "destination too small: {available} bytes cannot hold the converted string"
            ),
            Fault::TooLongForTag { units } => {
                write!(
                    f,
                    "string of {units} code units is too long for a tagged length"
                )
            }
        }
    }
}

/// A decoded call: the two regions plus the operation's extra scalar argument.
struct Call {
    /// Operation to run.
    op: TranscodeOp,
    /// Bytes read from the source memory.
    src: Region,
    /// Bytes that may be written in the destination memory.
    dst: Region,
    /// Argument 4 when present: `first_pass` flag or Latin-1 bytes already written.
    extra: u64,
}

/// Runs one transcoder call between two distinct linear memories.
///
/// `args` are the core arguments zero-extended to u64, `from` is the whole
/// source memory and `to` the whole destination memory; returns the core
/// results as u64.
pub(crate) fn transcode(
    op: TranscodeOp,
    args: &[u64],
    from: &[u8],
    to: &mut [u8],
) -> wasmtime::Result<Vec<u64>> {
    two_memories(op, args, from, to).map_err(|fault| trap(op, fault))
}

/// Body of [`transcode`], before the fault becomes an error.
fn two_memories(
    op: TranscodeOp,
    args: &[u64],
    from: &[u8],
    to: &mut [u8],
) -> Result<Vec<u64>, Fault> {
    let call = decode(op, args)?;
    let src = bytes(from, call.src, Side::Source)?;
    let dst = bytes_mut(to, call.dst, Side::Destination)?;
    execute(&call, src, dst)
}

/// Same as [`transcode`] when source and destination are the same linear memory.
///
/// The two ranges must not share any byte; empty ranges never overlap.
pub(crate) fn transcode_in_place(
    op: TranscodeOp,
    args: &[u64],
    mem: &mut [u8],
) -> wasmtime::Result<Vec<u64>> {
    shared_memory(op, args, mem).map_err(|fault| trap(op, fault))
}

/// Body of [`transcode_in_place`], before the fault becomes an error.
fn shared_memory(op: TranscodeOp, args: &[u64], mem: &mut [u8]) -> Result<Vec<u64>, Fault> {
    let call = decode(op, args)?;
    let src = locate(call.src, mem.len(), Side::Source)?;
    let dst = locate(call.dst, mem.len(), Side::Destination)?;
    let overlap = Fault::Overlap {
        src: call.src,
        dst: call.dst,
    };
    let (src, dst) = split_disjoint(mem, src, dst).ok_or(overlap)?;
    execute(&call, src, dst)
}

/// Turns a fault into the error (trap) reported to the caller, naming the operation.
fn trap(op: TranscodeOp, fault: Fault) -> wasmtime::Error {
    wasmtime::format_err!("{} transcoder: {fault}", op.desc())
}

/// Checks the argument count and turns the arguments into byte regions, checking alignment.
fn decode(op: TranscodeOp, args: &[u64]) -> Result<Call, Fault> {
    let (expected, _) = op.arity();
    if args.len() != expected {
        return Err(Fault::Arity {
            expected,
            got: args.len(),
        });
    }
    let arg = |i: usize| args.get(i).copied().unwrap_or(0);
    let shape = op.shape();
    let src = region(arg(0), arg(1), shape.src, Side::Source)?;
    let dst = region(arg(2), arg(shape.dst_len_arg), shape.dst, Side::Destination)?;
    Ok(Call {
        op,
        src,
        dst,
        extra: arg(4),
    })
}

/// Builds one region from a pointer and a length in code units of `width`.
fn region(ptr: u64, units: u64, width: Width, side: Side) -> Result<Region, Fault> {
    if width == Width::Wide && !ptr.is_multiple_of(2) {
        return Err(Fault::Unaligned { side, ptr });
    }
    let len = units
        .checked_mul(width.bytes())
        .ok_or(Fault::LengthOverflow { side, units })?;
    Ok(Region { ptr, len })
}

/// The host range of `region` in a memory of `size` bytes, or an out-of-bounds fault.
fn locate(region: Region, size: usize, side: Side) -> Result<Range<usize>, Fault> {
    region
        .within(size)
        .ok_or(Fault::OutOfBounds { side, region, size })
}

/// The bytes of `region` in `mem`, or an out-of-bounds fault.
fn bytes(mem: &[u8], region: Region, side: Side) -> Result<&[u8], Fault> {
    let size = mem.len();
    region
        .within(size)
        .and_then(|range| mem.get(range))
        .ok_or(Fault::OutOfBounds { side, region, size })
}

/// The bytes of `region` in `mem` for writing, or an out-of-bounds fault.
fn bytes_mut(mem: &mut [u8], region: Region, side: Side) -> Result<&mut [u8], Fault> {
    let size = mem.len();
    region
        .within(size)
        .and_then(|range| mem.get_mut(range))
        .ok_or(Fault::OutOfBounds { side, region, size })
}

/// Borrows two in-bounds ranges of one memory, one shared and one mutable, if they are disjoint.
fn split_disjoint(
    mem: &mut [u8],
    src: Range<usize>,
    dst: Range<usize>,
) -> Option<(&[u8], &mut [u8])> {
    if src.is_empty() {
        return Some((&[], mem.get_mut(dst)?));
    }
    if dst.is_empty() {
        return Some((mem.get(src)?, &mut []));
    }
    if src.end <= dst.start {
        let (low, high) = mem.split_at_mut_checked(dst.start)?;
        let low: &[u8] = low;
        Some((low.get(src)?, high.get_mut(..dst.len())?))
    } else if dst.end <= src.start {
        let (low, high) = mem.split_at_mut_checked(src.start)?;
        let high: &[u8] = high;
        Some((high.get(..src.len())?, low.get_mut(dst)?))
    } else {
        None
    }
}

/// Dispatches a located call to its converter and packs the results.
fn execute(call: &Call, src: &[u8], dst: &mut [u8]) -> Result<Vec<u64>, Fault> {
    use TranscodeOp::*;
    let first_pass = call.extra != 0;
    let pair = |(read, written): (usize, usize)| vec![word(read), word(written)];
    Ok(match call.op {
        CopyUtf8 => {
            check_utf8(src)?;
            copy(src, dst)?;
            vec![]
        }
        CopyUtf16 => {
            check_utf16(src)?;
            copy(src, dst)?;
            vec![]
        }
        CopyLatin1 => {
            copy(src, dst)?;
            vec![]
        }
        Latin1ToUtf16 => {
            put_units(wide(dst), src.iter().map(|&b| u16::from(b)))?;
            vec![]
        }
        Latin1ToUtf8 => pair(latin1_to_utf8(src, dst, first_pass)),
        Utf16ToUtf8 => pair(utf16_to_utf8(src, dst, first_pass)?),
        Utf8ToUtf16 => vec![word(put_units(wide(dst), check_utf8(src)?.encode_utf16())?)],
        Utf16ToCompactProbablyUtf16 => vec![utf16_to_compact_probably_utf16(src, dst)?],
        Utf8ToLatin1 => pair(utf8_to_latin1(src, dst)),
        Utf16ToLatin1 => pair(utf16_to_latin1(src, dst)),
        Utf8ToCompactUtf16 => {
            let text = check_utf8(src)?;
            let prefix = widen_latin1_prefix(dst, call.extra)?;
            let rest = dst.get_mut(prefix * 2..).unwrap_or_default();
            let appended = put_units(wide(rest), text.encode_utf16())?;
            vec![word(prefix + appended)]
        }
        Utf16ToCompactUtf16 => {
            check_utf16(src)?;
            let prefix = widen_latin1_prefix(dst, call.extra)?;
            let rest = dst.get_mut(prefix * 2..).unwrap_or_default();
            copy(src, rest)?;
            vec![word(prefix + src.len() / 2)]
        }
    })
}

/// Widens a host count to a core result.
fn word(n: usize) -> u64 {
    n as u64
}

/// Views a byte slice as little-endian UTF-16 code unit slots (an odd last byte is ignored).
fn wide(bytes: &mut [u8]) -> &mut [[u8; 2]] {
    bytes.as_chunks_mut::<2>().0
}

/// Iterates the little-endian UTF-16 code units stored in `bytes`.
fn units(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .as_chunks::<2>()
        .0
        .iter()
        .map(|&pair| u16::from_le_bytes(pair))
}

/// Copies `src` to the start of `dst`, which must be at least as long.
fn copy(src: &[u8], dst: &mut [u8]) -> Result<(), Fault> {
    let available = dst.len();
    let slot = dst
        .get_mut(..src.len())
        .ok_or(Fault::NoRoom { available })?;
    slot.copy_from_slice(src);
    Ok(())
}

/// Writes code units into `slots` in order; returns how many were written.
fn put_units(slots: &mut [[u8; 2]], from: impl IntoIterator<Item = u16>) -> Result<usize, Fault> {
    let mut written = 0;
    let available = slots.len() * 2;
    for unit in from {
        let slot = slots.get_mut(written).ok_or(Fault::NoRoom { available })?;
        *slot = unit.to_le_bytes();
        written += 1;
    }
    Ok(written)
}

/// Validates UTF-8, returning it as a `str`.
fn check_utf8(src: &[u8]) -> Result<&str, Fault> {
    std::str::from_utf8(src).map_err(|e| Fault::InvalidUtf8 {
        offset: e.valid_up_to(),
    })
}

/// Validates little-endian UTF-16; returns whether every char is at most U+00FF.
fn check_utf16(src: &[u8]) -> Result<bool, Fault> {
    let mut index = 0;
    let mut latin1 = true;
    for decoded in char::decode_utf16(units(src)) {
        let ch = decoded.map_err(|e| Fault::UnpairedSurrogate {
            index,
            unit: e.unpaired_surrogate(),
        })?;
        latin1 &= u32::from(ch) <= 0xff;
        index += ch.len_utf16();
    }
    Ok(latin1)
}

/// Latin-1 to UTF-8 until the source ends, the destination cannot take the next
/// char, or (on the first pass) the next byte needs two UTF-8 bytes; returns (read, written).
fn latin1_to_utf8(src: &[u8], dst: &mut [u8], first_pass: bool) -> (usize, usize) {
    let mut written = 0;
    for (read, &byte) in src.iter().enumerate() {
        let encoded: &[u8] = if byte < 0x80 {
            &[byte]
        } else if first_pass {
            return (read, written);
        } else {
            &[0xc0 | (byte >> 6), 0x80 | (byte & 0x3f)]
        };
        let Some(slot) = dst.get_mut(written..written + encoded.len()) else {
            return (read, written);
        };
        slot.copy_from_slice(encoded);
        written += encoded.len();
    }
    (src.len(), written)
}

/// UTF-16 to UTF-8 until the source ends, the destination cannot take the next
/// char, or (on the first pass) a non-ASCII char comes; returns (units read, bytes written).
///
/// Unpaired surrogates are an error when reached, i.e. before the point where it stops.
fn utf16_to_utf8(src: &[u8], dst: &mut [u8], first_pass: bool) -> Result<(usize, usize), Fault> {
    let mut read = 0;
    let mut written = 0;
    for decoded in char::decode_utf16(units(src)) {
        let ch = decoded.map_err(|e| Fault::UnpairedSurrogate {
            index: read,
            unit: e.unpaired_surrogate(),
        })?;
        if first_pass && !ch.is_ascii() {
            break;
        }
        let Some(slot) = dst.get_mut(written..written + ch.len_utf8()) else {
            break;
        };
        ch.encode_utf8(slot);
        written += ch.len_utf8();
        read += ch.len_utf16();
    }
    Ok((read, written))
}

/// Writes the source as Latin-1 when every char fits (returning the plain length),
/// otherwise copies it as UTF-16 (returning the length with the UTF-16 tag).
fn utf16_to_compact_probably_utf16(src: &[u8], dst: &mut [u8]) -> Result<u64, Fault> {
    let len = src.len() / 2;
    if word(len) >= UTF16_TAG {
        return Err(Fault::TooLongForTag { units: len });
    }
    if check_utf16(src)? {
        for (slot, unit) in dst.iter_mut().zip(units(src)) {
            let [low, _] = unit.to_le_bytes();
            *slot = low;
        }
        Ok(word(len))
    } else {
        copy(src, dst)?;
        Ok(word(len) | UTF16_TAG)
    }
}

/// UTF-8 to Latin-1 up to the first char above U+00FF or the first invalid
/// sequence (left to the continuation to report); returns (bytes read, bytes written).
fn utf8_to_latin1(src: &[u8], dst: &mut [u8]) -> (usize, usize) {
    let valid = src.utf8_chunks().next().map_or("", |chunk| chunk.valid());
    let mut written = 0;
    for (offset, ch) in valid.char_indices() {
        let (Ok(byte), Some(slot)) = (u8::try_from(ch), dst.get_mut(written)) else {
            return (offset, written);
        };
        *slot = byte;
        written += 1;
    }
    (valid.len(), written)
}

/// UTF-16 to Latin-1 up to the first code unit above 0xff; returns (units read, bytes written).
fn utf16_to_latin1(src: &[u8], dst: &mut [u8]) -> (usize, usize) {
    let mut count = 0;
    for (unit, slot) in units(src).zip(dst.iter_mut()) {
        let Ok(byte) = u8::try_from(unit) else { break };
        *slot = byte;
        count += 1;
    }
    (count, count)
}

/// Widens, in place, the first `prefix` Latin-1 bytes of `dst` into as many UTF-16
/// code units; returns the prefix length in units.
fn widen_latin1_prefix(dst: &mut [u8], prefix: u64) -> Result<usize, Fault> {
    let units_available = dst.len() / 2;
    let too_long = Fault::PrefixTooLong {
        prefix,
        units: word(units_available),
    };
    let prefix = match usize::try_from(prefix) {
        Ok(n) if n <= units_available => n,
        _ => return Err(too_long),
    };
    // Walk backwards so each byte is read before its position is overwritten:
    // byte `i` moves to bytes `2i` and `2i + 1`, both at or after `i`.
    for i in (0..prefix).rev() {
        let byte = dst.get(i).copied().unwrap_or(0);
        if let Some(slot) = wide(dst).get_mut(i) {
            *slot = [byte, 0];
        }
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests;
