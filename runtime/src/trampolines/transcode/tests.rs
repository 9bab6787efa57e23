//! Unit tests of the transcoders: every operation, the adapter's resume
//! protocols, and every fault.

use super::TranscodeOp::*;
use super::*;

/// Size of every test memory.
const MEM: usize = 256;

/// A zeroed test memory.
fn memory() -> Vec<u8> {
    vec![0; MEM]
}

/// Little-endian UTF-16 bytes of `s`.
fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Little-endian bytes of raw code units (to build invalid UTF-16).
fn raw16(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

/// Latin-1 bytes of `s`, which must only use chars up to U+00FF.
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(c).unwrap()).collect()
}

/// A memory holding `bytes` at `at`.
fn memory_with(at: usize, bytes: &[u8]) -> Vec<u8> {
    let mut mem = memory();
    mem[at..at + bytes.len()].copy_from_slice(bytes);
    mem
}

/// Code-unit count of `s` in UTF-16.
fn units16(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// Byte count as a core argument.
fn n(bytes: &[u8]) -> u64 {
    bytes.len() as u64
}

/// Runs `op` between two memories and expects success.
fn ok(op: TranscodeOp, args: &[u64], from: &[u8], to: &mut [u8]) -> Vec<u64> {
    transcode(op, args, from, to).unwrap()
}

/// Runs `op` between two memories and returns the error text.
fn fails(op: TranscodeOp, args: &[u64], from: &[u8], to: &mut [u8]) -> String {
    transcode(op, args, from, to).unwrap_err().to_string()
}

/// Sample with ASCII, non-ASCII Latin-1, BMP and astral chars.
const MIXED: &str = "aé中😀z";

#[test]
fn arity_matches_fact_signatures() {
    let expected = [
        (CopyUtf8, (3, 0)),
        (CopyUtf16, (3, 0)),
        (CopyLatin1, (3, 0)),
        (Latin1ToUtf16, (3, 0)),
        (Latin1ToUtf8, (5, 2)),
        (Utf16ToCompactProbablyUtf16, (3, 1)),
        (Utf16ToCompactUtf16, (5, 1)),
        (Utf16ToLatin1, (3, 2)),
        (Utf16ToUtf8, (5, 2)),
        (Utf8ToCompactUtf16, (5, 1)),
        (Utf8ToLatin1, (3, 2)),
        (Utf8ToUtf16, (3, 1)),
    ];
    for (op, arity) in expected {
        assert_eq!(op.arity(), arity, "{op:?}");
    }
}

#[test]
fn desc_uses_wasmtime_names() {
    assert_eq!(CopyUtf8.desc(), "utf8-to-utf8");
    assert_eq!(CopyLatin1.desc(), "latin1-to-latin1");
    assert_eq!(
        Utf16ToCompactProbablyUtf16.desc(),
        "utf16-to-compact-probably-utf16"
    );
    assert_eq!(Utf8ToUtf16.desc(), "utf8-to-utf16");
}

#[test]
fn wrong_argument_count_is_an_error() {
    let err = fails(Utf8ToUtf16, &[0, 0], &memory(), &mut memory());
    assert!(err.contains("utf8-to-utf16"), "{err}");
    assert!(err.contains("expected 3 core arguments, got 2"), "{err}");
}

#[test]
fn results_have_the_declared_count() {
    let from = memory();
    let cases: [(TranscodeOp, &[u64]); 12] = [
        (CopyUtf8, &[0, 0, 0]),
        (CopyUtf16, &[0, 0, 0]),
        (CopyLatin1, &[0, 0, 0]),
        (Latin1ToUtf16, &[0, 0, 0]),
        (Latin1ToUtf8, &[0, 0, 0, 0, 1]),
        (Utf16ToCompactProbablyUtf16, &[0, 0, 0]),
        (Utf16ToCompactUtf16, &[0, 0, 0, 0, 0]),
        (Utf16ToLatin1, &[0, 0, 0]),
        (Utf16ToUtf8, &[0, 0, 0, 0, 1]),
        (Utf8ToCompactUtf16, &[0, 0, 0, 0, 0]),
        (Utf8ToLatin1, &[0, 0, 0]),
        (Utf8ToUtf16, &[0, 0, 0]),
    ];
    for (op, args) in cases {
        let results = ok(op, args, &from, &mut memory());
        assert_eq!(results.len(), op.arity().1, "{op:?}");
    }
}

#[test]
fn copy_utf8_copies_ascii_latin1_bmp_and_astral() {
    let s = MIXED.as_bytes();
    let from = memory_with(10, s);
    let mut to = memory();
    assert!(ok(CopyUtf8, &[10, n(s), 40], &from, &mut to).is_empty());
    assert_eq!(&to[40..40 + s.len()], s);
    assert_eq!(to[40 + s.len()], 0);
}

#[test]
fn copy_utf8_rejects_invalid_byte() {
    let from = memory_with(0, b"ab\xffc");
    let err = fails(CopyUtf8, &[0, 4, 0], &from, &mut memory());
    assert!(
        err.contains("invalid UTF-8 in source at byte offset 2"),
        "{err}"
    );
}

#[test]
fn copy_utf8_rejects_encoded_surrogate() {
    let from = memory_with(0, b"\xed\xa0\x80");
    let err = fails(CopyUtf8, &[0, 3, 0], &from, &mut memory());
    assert!(err.contains("invalid UTF-8"), "{err}");
}

#[test]
fn copy_utf8_rejects_sequence_cut_by_length() {
    let s = "é".as_bytes();
    let from = memory_with(0, s);
    let err = fails(CopyUtf8, &[0, 1, 0], &from, &mut memory());
    assert!(
        err.contains("invalid UTF-8 in source at byte offset 0"),
        "{err}"
    );
}

#[test]
fn copy_utf16_copies_bmp_and_astral() {
    let s = utf16(MIXED);
    let from = memory_with(8, &s);
    let mut to = memory();
    ok(CopyUtf16, &[8, units16(MIXED), 100], &from, &mut to);
    assert_eq!(&to[100..100 + s.len()], &s[..]);
}

#[test]
fn copy_utf16_rejects_lone_high_surrogate() {
    let from = memory_with(0, &raw16(&[0x61, 0xd83d, 0x62]));
    let err = fails(CopyUtf16, &[0, 3, 0], &from, &mut memory());
    assert!(
        err.contains("unpaired surrogate 0xd83d at code unit 1"),
        "{err}"
    );
}

#[test]
fn copy_utf16_rejects_lone_low_surrogate() {
    let from = memory_with(0, &raw16(&[0xde00]));
    let err = fails(CopyUtf16, &[0, 1, 0], &from, &mut memory());
    assert!(
        err.contains("unpaired surrogate 0xde00 at code unit 0"),
        "{err}"
    );
}

#[test]
fn copy_utf16_rejects_high_surrogate_at_end() {
    let from = memory_with(0, &raw16(&[0x61, 0x62, 0xd800]));
    let err = fails(CopyUtf16, &[0, 3, 0], &from, &mut memory());
    assert!(err.contains("at code unit 2"), "{err}");
}

#[test]
fn copy_latin1_copies_every_byte_value() {
    let all: Vec<u8> = (0..=255).collect();
    let mut to = memory();
    ok(CopyLatin1, &[0, 256, 0], &all, &mut to);
    assert_eq!(to, all);
}

#[test]
fn latin1_to_utf16_widens_each_byte() {
    let s = latin1("Aé\u{ff}");
    let from = memory_with(3, &s);
    let mut to = memory();
    ok(Latin1ToUtf16, &[3, 3, 20], &from, &mut to);
    assert_eq!(&to[20..26], &utf16("Aé\u{ff}")[..]);
}

#[test]
fn latin1_to_utf8_first_pass_converts_all_ascii() {
    let from = memory_with(0, b"hello");
    let mut to = memory();
    assert_eq!(ok(Latin1ToUtf8, &[0, 5, 50, 5, 1], &from, &mut to), [5, 5]);
    assert_eq!(&to[50..55], b"hello");
}

#[test]
fn latin1_to_utf8_first_pass_stops_before_non_ascii() {
    let from = memory_with(0, &latin1("abéc"));
    let mut to = memory();
    assert_eq!(ok(Latin1ToUtf8, &[0, 4, 50, 4, 1], &from, &mut to), [2, 2]);
    assert_eq!(&to[50..53], b"ab\0");
}

#[test]
fn latin1_to_utf8_second_pass_encodes_two_byte_chars() {
    let s = "é\u{ff}x\u{80}";
    let from = memory_with(0, &latin1(s));
    let mut to = memory();
    assert_eq!(ok(Latin1ToUtf8, &[0, 4, 50, 8, 0], &from, &mut to), [4, 7]);
    assert_eq!(&to[50..57], s.as_bytes());
}

#[test]
fn latin1_to_utf8_stops_when_next_char_does_not_fit() {
    let from = memory_with(0, &latin1("aéb"));
    let mut to = memory();
    assert_eq!(ok(Latin1ToUtf8, &[0, 3, 50, 2, 0], &from, &mut to), [1, 1]);
    assert_eq!(&to[50..52], b"a\0");
}

#[test]
fn latin1_to_utf8_resumes_after_adapter_grows_buffer() {
    let s = "xé\u{ff}y";
    let from = memory_with(0, &latin1(s));
    let mut to = memory();
    let len = 4;
    let first = ok(Latin1ToUtf8, &[0, len, 64, len, 1], &from, &mut to);
    let (read, written) = (first[0], first[1]);
    let second = ok(
        Latin1ToUtf8,
        &[read, len - read, 64 + written, 2 * len - written, 0],
        &from,
        &mut to,
    );
    assert_eq!(second[0], len - read);
    let total = (written + second[1]) as usize;
    assert_eq!(&to[64..64 + total], s.as_bytes());
}

#[test]
fn utf8_to_utf16_returns_code_units_written() {
    let s = MIXED.as_bytes();
    let from = memory_with(1, s);
    let mut to = memory();
    let out = ok(Utf8ToUtf16, &[1, n(s), 64], &from, &mut to);
    assert_eq!(out, [units16(MIXED)]);
    let bytes = utf16(MIXED);
    assert_eq!(&to[64..64 + bytes.len()], &bytes[..]);
}

#[test]
fn utf8_to_utf16_rejects_invalid_utf8() {
    let from = memory_with(0, b"ok\xc3(");
    let err = fails(Utf8ToUtf16, &[0, 4, 0], &from, &mut memory());
    assert!(
        err.contains("utf8-to-utf16 transcoder: invalid UTF-8"),
        "{err}"
    );
}

#[test]
fn utf16_to_utf8_first_pass_converts_all_ascii() {
    let from = memory_with(0, &utf16("plain"));
    let mut to = memory();
    assert_eq!(ok(Utf16ToUtf8, &[0, 5, 100, 5, 1], &from, &mut to), [5, 5]);
    assert_eq!(&to[100..105], b"plain");
}

#[test]
fn utf16_to_utf8_first_pass_stops_at_first_non_ascii() {
    let from = memory_with(0, &utf16("abé中"));
    let mut to = memory();
    assert_eq!(ok(Utf16ToUtf8, &[0, 4, 100, 4, 1], &from, &mut to), [2, 2]);
    assert_eq!(&to[100..103], b"ab\0");
}

#[test]
fn utf16_to_utf8_second_pass_encodes_bmp_and_astral() {
    let from = memory_with(0, &utf16(MIXED));
    let mut to = memory();
    let units = units16(MIXED);
    let out = ok(Utf16ToUtf8, &[0, units, 100, 3 * units, 0], &from, &mut to);
    assert_eq!(out, [units, n(MIXED.as_bytes())]);
    assert_eq!(&to[100..100 + MIXED.len()], MIXED.as_bytes());
}

#[test]
fn utf16_to_utf8_stops_when_next_char_does_not_fit() {
    let from = memory_with(0, &utf16("a😀b"));
    let mut to = memory();
    // Three bytes left after "a" cannot hold the four-byte astral char.
    assert_eq!(ok(Utf16ToUtf8, &[0, 4, 100, 4, 0], &from, &mut to), [1, 1]);
    assert_eq!(&to[100..102], b"a\0");
}

#[test]
fn utf16_to_utf8_resumes_after_adapter_grows_buffer() {
    let s = "hi é 中 😀!";
    let from = memory_with(0, &utf16(s));
    let mut to = memory();
    let len = units16(s);
    let first = ok(Utf16ToUtf8, &[0, len, 40, len, 1], &from, &mut to);
    let (read, written) = (first[0], first[1]);
    assert_eq!((read, written), (3, 3));
    let second = ok(
        Utf16ToUtf8,
        &[2 * read, len - read, 40 + written, 3 * len - written, 0],
        &from,
        &mut to,
    );
    assert_eq!(second[0], len - read);
    let total = (written + second[1]) as usize;
    assert_eq!(&to[40..40 + total], s.as_bytes());
}

#[test]
fn utf16_to_utf8_rejects_lone_surrogate() {
    let from = memory_with(0, &raw16(&[0x41, 0xdc00]));
    let err = fails(Utf16ToUtf8, &[0, 2, 100, 6, 0], &from, &mut memory());
    assert!(err.contains("utf16-to-utf8 transcoder"), "{err}");
    assert!(
        err.contains("unpaired surrogate 0xdc00 at code unit 1"),
        "{err}"
    );
}

#[test]
fn utf16_to_compact_probably_utf16_deflates_latin1_string() {
    let s = "Aé\u{ff}";
    let from = memory_with(0, &utf16(s));
    let mut to = memory();
    let out = ok(Utf16ToCompactProbablyUtf16, &[0, 3, 100], &from, &mut to);
    assert_eq!(out, [3]);
    assert_eq!(&to[100..103], &latin1(s)[..]);
}

#[test]
fn utf16_to_compact_probably_utf16_keeps_utf16_and_tags_length() {
    let s = "aé中😀";
    let from = memory_with(0, &utf16(s));
    let mut to = memory();
    let units = units16(s);
    let out = ok(
        Utf16ToCompactProbablyUtf16,
        &[0, units, 100],
        &from,
        &mut to,
    );
    assert_eq!(out, [units | UTF16_TAG]);
    let bytes = utf16(s);
    assert_eq!(&to[100..100 + bytes.len()], &bytes[..]);
}

#[test]
fn utf16_to_compact_probably_utf16_rejects_lone_surrogate() {
    let from = memory_with(0, &raw16(&[0x41, 0xd800, 0x42]));
    let err = fails(
        Utf16ToCompactProbablyUtf16,
        &[0, 3, 100],
        &from,
        &mut memory(),
    );
    assert!(
        err.contains("unpaired surrogate 0xd800 at code unit 1"),
        "{err}"
    );
}

#[test]
fn utf8_to_latin1_converts_whole_latin1_string() {
    let s = "café\u{ff}";
    let from = memory_with(0, s.as_bytes());
    let mut to = memory();
    let out = ok(Utf8ToLatin1, &[0, n(s.as_bytes()), 100], &from, &mut to);
    assert_eq!(out, [n(s.as_bytes()), 5]);
    assert_eq!(&to[100..105], &latin1(s)[..]);
}

#[test]
fn utf8_to_latin1_stops_at_first_non_latin1_char() {
    let s = "aé中b";
    let from = memory_with(0, s.as_bytes());
    let mut to = memory();
    let out = ok(Utf8ToLatin1, &[0, n(s.as_bytes()), 100], &from, &mut to);
    assert_eq!(out, [3, 2]);
    assert_eq!(&to[100..103], &[b'a', 0xe9, 0]);
}

#[test]
fn utf8_to_latin1_stops_at_invalid_utf8_without_error() {
    let from = memory_with(0, b"ab\xffcd");
    let mut to = memory();
    assert_eq!(ok(Utf8ToLatin1, &[0, 5, 100], &from, &mut to), [2, 2]);
}

#[test]
fn utf16_to_latin1_converts_whole_latin1_string() {
    let s = "Zé\u{ff}";
    let from = memory_with(0, &utf16(s));
    let mut to = memory();
    assert_eq!(ok(Utf16ToLatin1, &[0, 3, 100], &from, &mut to), [3, 3]);
    assert_eq!(&to[100..103], &latin1(s)[..]);
}

#[test]
fn utf16_to_latin1_stops_at_first_unit_above_ff() {
    let from = memory_with(0, &utf16("aé😀b"));
    let mut to = memory();
    assert_eq!(ok(Utf16ToLatin1, &[0, 5, 100], &from, &mut to), [2, 2]);
    assert_eq!(&to[100..103], &[b'a', 0xe9, 0]);
}

#[test]
fn utf8_to_compact_utf16_widens_latin1_prefix_and_appends_rest() {
    let s = "aé中😀b";
    let bytes = s.as_bytes();
    let len = n(bytes);
    let from = memory_with(0, bytes);
    let mut to = memory();
    let dst = 64;
    let first = ok(Utf8ToLatin1, &[0, len, dst], &from, &mut to);
    let (read, written) = (first[0], first[1]);
    assert_eq!((read, written), (3, 2));
    let out = ok(
        Utf8ToCompactUtf16,
        &[read, len - read, dst, len, written],
        &from,
        &mut to,
    );
    assert_eq!(out, [units16(s)]);
    let expected = utf16(s);
    assert_eq!(&to[64..64 + expected.len()], &expected[..]);
}

#[test]
fn utf16_to_compact_utf16_widens_latin1_prefix_and_appends_rest() {
    let s = "\u{ff}é中😀z";
    let from = memory_with(0, &utf16(s));
    let mut to = memory();
    let len = units16(s);
    let dst = 32;
    let first = ok(Utf16ToLatin1, &[0, len, dst], &from, &mut to);
    let (read, written) = (first[0], first[1]);
    assert_eq!((read, written), (2, 2));
    let out = ok(
        Utf16ToCompactUtf16,
        &[2 * read, len - read, dst, len, written],
        &from,
        &mut to,
    );
    assert_eq!(out, [len]);
    let expected = utf16(s);
    assert_eq!(&to[32..32 + expected.len()], &expected[..]);
}

#[test]
fn utf8_to_compact_utf16_with_empty_prefix_encodes_everything() {
    let s = "中x";
    let from = memory_with(0, s.as_bytes());
    let mut to = memory();
    let len = n(s.as_bytes());
    let out = ok(Utf8ToCompactUtf16, &[0, len, 10, len, 0], &from, &mut to);
    assert_eq!(out, [2]);
    assert_eq!(&to[10..14], &utf16(s)[..]);
}

#[test]
fn utf8_to_compact_utf16_rejects_invalid_remainder() {
    let from = memory_with(0, b"a\xffb");
    let mut to = memory();
    let first = ok(Utf8ToLatin1, &[0, 3, 64], &from, &mut to);
    assert_eq!(first, [1, 1]);
    let err = fails(Utf8ToCompactUtf16, &[1, 2, 64, 3, 1], &from, &mut to);
    assert!(
        err.contains("invalid UTF-8 in source at byte offset 0"),
        "{err}"
    );
}

#[test]
fn utf16_to_compact_utf16_rejects_lone_surrogate() {
    let from = memory_with(0, &raw16(&[0x100, 0xdfff]));
    let err = fails(Utf16ToCompactUtf16, &[0, 2, 64, 2, 0], &from, &mut memory());
    assert!(
        err.contains("unpaired surrogate 0xdfff at code unit 1"),
        "{err}"
    );
}

#[test]
fn compact_utf16_rejects_prefix_longer_than_destination() {
    let from = memory_with(0, b"x");
    let err = fails(Utf8ToCompactUtf16, &[0, 1, 64, 2, 3], &from, &mut memory());
    assert!(err.contains("latin1 prefix of 3 bytes"), "{err}");
}

#[test]
fn compact_utf16_rejects_remainder_that_does_not_fit() {
    let from = memory_with(0, &utf16("abc"));
    let err = fails(Utf16ToCompactUtf16, &[0, 3, 64, 3, 1], &from, &mut memory());
    assert!(err.contains("destination too small"), "{err}");
}

#[test]
fn source_out_of_bounds_reports_pointer_length_and_size() {
    let err = fails(CopyUtf16, &[250, 4, 0], &memory(), &mut memory());
    assert!(
        err.contains("utf16-to-utf16 transcoder: source range out of bounds"),
        "{err}"
    );
    assert!(err.contains("pointer 0xfa with length 8 bytes"), "{err}");
    assert!(err.contains("memory of 256 bytes"), "{err}");
}

#[test]
fn destination_out_of_bounds_reports_pointer_length_and_size() {
    // utf8-to-utf16 needs twice the source length in the destination.
    let err = fails(Utf8ToUtf16, &[0, 100, 100], &memory(), &mut memory());
    assert!(err.contains("destination range out of bounds"), "{err}");
    assert!(err.contains("pointer 0x64 with length 200 bytes"), "{err}");
}

#[test]
fn destination_length_argument_is_bounds_checked() {
    let err = fails(Utf16ToUtf8, &[0, 1, 200, 57, 0], &memory(), &mut memory());
    assert!(err.contains("destination range out of bounds"), "{err}");
}

#[test]
fn pointer_plus_length_overflow_is_out_of_bounds() {
    let err = fails(CopyUtf8, &[u64::MAX, 2, 0], &memory(), &mut memory());
    assert!(err.contains("source range out of bounds"), "{err}");
    let err = fails(CopyUtf16, &[0, u64::MAX, 0], &memory(), &mut memory());
    assert!(err.contains("overflows"), "{err}");
}

#[test]
fn empty_string_at_end_of_memory_is_in_bounds() {
    let out = ok(Utf8ToUtf16, &[256, 0, 256], &memory(), &mut memory());
    assert_eq!(out, [0]);
}

#[test]
fn empty_string_past_end_of_memory_is_out_of_bounds() {
    let err = fails(CopyLatin1, &[257, 0, 0], &memory(), &mut memory());
    assert!(err.contains("source range out of bounds"), "{err}");
}

#[test]
fn unaligned_utf16_pointer_is_rejected() {
    let err = fails(CopyUtf16, &[1, 1, 0], &memory(), &mut memory());
    assert!(
        err.contains("source pointer 0x1 is not 2-byte aligned"),
        "{err}"
    );
    let err = fails(Latin1ToUtf16, &[0, 1, 3], &memory(), &mut memory());
    assert!(
        err.contains("destination pointer 0x3 is not 2-byte aligned"),
        "{err}"
    );
}

#[test]
fn in_place_converts_into_later_range() {
    let mut mem = memory_with(0, MIXED.as_bytes());
    let len = n(MIXED.as_bytes());
    let out = transcode_in_place(Utf8ToUtf16, &[0, len, 64], &mut mem).unwrap();
    assert_eq!(out, [units16(MIXED)]);
    let expected = utf16(MIXED);
    assert_eq!(&mem[64..64 + expected.len()], &expected[..]);
}

#[test]
fn in_place_converts_into_earlier_range() {
    let mut mem = memory_with(128, &utf16(MIXED));
    let units = units16(MIXED);
    let out = transcode_in_place(Utf16ToUtf8, &[128, units, 0, 3 * units, 0], &mut mem);
    assert_eq!(out.unwrap(), [units, n(MIXED.as_bytes())]);
    assert_eq!(&mem[..MIXED.len()], MIXED.as_bytes());
}

#[test]
fn in_place_runs_compact_continuation() {
    let s = "é中";
    let mut mem = memory_with(100, s.as_bytes());
    let len = n(s.as_bytes());
    let first = transcode_in_place(Utf8ToLatin1, &[100, len, 0], &mut mem).unwrap();
    assert_eq!(first, [2, 1]);
    let args = [102, len - 2, 0, len, 1];
    let out = transcode_in_place(Utf8ToCompactUtf16, &args, &mut mem).unwrap();
    assert_eq!(out, [2]);
    assert_eq!(&mem[..4], &utf16(s)[..]);
}

#[test]
fn in_place_rejects_overlapping_ranges() {
    let mut mem = memory_with(0, b"abcdef");
    let err = transcode_in_place(CopyUtf8, &[0, 6, 4], &mut mem).unwrap_err();
    let err = err.to_string();
    assert!(err.contains("utf8-to-utf8 transcoder"), "{err}");
    assert!(err.contains("overlap"), "{err}");
}

#[test]
fn in_place_allows_adjacent_ranges() {
    let mut mem = memory_with(0, b"abc");
    transcode_in_place(CopyLatin1, &[0, 3, 3], &mut mem).unwrap();
    assert_eq!(&mem[..6], b"abcabc");
}

#[test]
fn in_place_allows_empty_source_inside_destination() {
    let mut mem = memory();
    let out = transcode_in_place(Utf8ToCompactUtf16, &[4, 0, 0, 8, 0], &mut mem).unwrap();
    assert_eq!(out, [0]);
}

#[test]
fn in_place_reports_out_of_bounds_before_overlap() {
    let mut mem = memory();
    let err = transcode_in_place(CopyUtf8, &[250, 10, 252], &mut mem).unwrap_err();
    assert!(
        err.to_string().contains("source range out of bounds"),
        "{err}"
    );
}

#[test]
fn in_place_validates_source_before_writing() {
    let mut mem = memory_with(0, b"a\xffb");
    let err = transcode_in_place(CopyUtf8, &[0, 3, 16], &mut mem).unwrap_err();
    assert!(err.to_string().contains("invalid UTF-8"), "{err}");
    assert_eq!(&mem[16..19], &[0, 0, 0]);
}
