//! The byte codec of the artifact's plan section: a [`Writer`], a
//! [`Reader`] that never reads past its input, and the [`Codec`] trait that
//! puts both directions of one type side by side.
//!
//! Integers are LEB128 (unsigned), strings and sequences are a length and
//! their items, enums are a one-byte tag and their fields. Maps are written
//! sorted by key, so the same component always gives the same bytes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use crate::{Result, bail};

/// Appends encoded values to a byte vector.
#[derive(Default)]
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u64(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.bytes.push(byte);
                return;
            }
            self.bytes.push(byte | 0x80);
        }
    }

    pub fn len(&mut self, len: usize) {
        self.u64(len as u64);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.bytes.extend_from_slice(bytes);
    }
}

/// Reads encoded values from a byte slice; running out of input or a value
/// out of range is an error naming what was being read.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn u8(&mut self) -> Result<u8> {
        let Some((&first, rest)) = self.bytes.split_first() else {
            bail!("the artifact ends too early");
        };
        self.bytes = rest;
        Ok(first)
    }

    pub fn u64(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        bail!("the artifact holds an integer that does not fit in 64 bits")
    }

    pub fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.u64()?).map_err(|_| {
            crate::format_err!("the artifact holds an index that does not fit in 32 bits")
        })
    }

    /// A length of items that each take at least one byte: never more than
    /// the bytes left, so a corrupt length cannot make a huge allocation.
    pub fn len(&mut self) -> Result<usize> {
        let len = self.u64()?;
        if len > self.bytes.len() as u64 {
            bail!("the artifact holds a length ({len}) beyond its end");
        }
        Ok(len as usize)
    }

    pub fn raw(&mut self) -> Result<&'a [u8]> {
        let len = self.len()?;
        let (bytes, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(bytes)
    }

    /// The bad-tag error for an enum `what`.
    pub fn bad_tag<T>(what: &str, tag: u8) -> Result<T> {
        bail!("the artifact holds an unknown {what} (tag {tag})")
    }
}

/// A type the artifact can hold: `decode` reads back what `encode` wrote.
pub(crate) trait Codec: Sized {
    fn encode(&self, w: &mut Writer);
    fn decode(r: &mut Reader<'_>) -> Result<Self>;
}

/// Implements [`Codec`] for a struct, field by field, in the order given.
macro_rules! codec_struct {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::component::artifact::codec::Codec for $ty {
            fn encode(&self, w: &mut $crate::component::artifact::codec::Writer) {
                $($crate::component::artifact::codec::Codec::encode(&self.$field, w);)*
            }
            fn decode(
                r: &mut $crate::component::artifact::codec::Reader<'_>,
            ) -> $crate::Result<Self> {
                Ok($ty { $($field: $crate::component::artifact::codec::Codec::decode(r)?),* })
            }
        }
    };
}
pub(crate) use codec_struct;

/// Implements [`Codec`] for a field-less enum, each variant written as its
/// position in the list.
macro_rules! codec_unit_enum {
    ($ty:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::component::artifact::codec::Codec for $ty {
            fn encode(&self, w: &mut $crate::component::artifact::codec::Writer) {
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let tag = ALL.iter().position(|v| v == self).unwrap_or(0);
                w.u8(tag as u8);
            }
            fn decode(
                r: &mut $crate::component::artifact::codec::Reader<'_>,
            ) -> $crate::Result<Self> {
                const ALL: &[$ty] = &[$($ty::$variant),*];
                let tag = r.u8()?;
                match ALL.get(usize::from(tag)) {
                    Some(v) => Ok(*v),
                    None => $crate::component::artifact::codec::Reader::bad_tag(stringify!($ty), tag),
                }
            }
        }
    };
}
pub(crate) use codec_unit_enum;

/// Implements [`Codec`] for an enum: each variant written as its explicit
/// tag, then its fields in order. Variants are unit, tuple
/// (`V(a, b)`, names only bind the fields) or struct-like (`V { a, b }`).
macro_rules! codec_enum {
    ($ty:ident {
        $($tag:literal => $variant:ident
            $(( $($t:ident),* ))?
            $({ $($f:ident),* })?
        ),* $(,)?
    }) => {
        impl $crate::component::artifact::codec::Codec for $ty {
            fn encode(&self, w: &mut $crate::component::artifact::codec::Writer) {
                match self {
                    $($ty::$variant $(( $($t),* ))? $({ $($f),* })? => {
                        w.u8($tag);
                        $($($crate::component::artifact::codec::Codec::encode($t, w);)*)?
                        $($($crate::component::artifact::codec::Codec::encode($f, w);)*)?
                    })*
                }
            }
            fn decode(
                r: &mut $crate::component::artifact::codec::Reader<'_>,
            ) -> $crate::Result<Self> {
                use $crate::component::artifact::codec::Codec;
                Ok(match r.u8()? {
                    $($tag => $ty::$variant
                        $(( $({
                            let $t = Codec::decode(r)?;
                            $t
                        }),* ))?
                        $({ $($f: Codec::decode(r)?),* })?,)*
                    tag => {
                        return $crate::component::artifact::codec::Reader::bad_tag(
                            stringify!($ty),
                            tag,
                        )
                    }
                })
            }
        }
    };
}
pub(crate) use codec_enum;

impl Codec for u32 {
    fn encode(&self, w: &mut Writer) {
        w.u64(u64::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.u32()
    }
}

impl Codec for u64 {
    fn encode(&self, w: &mut Writer) {
        w.u64(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.u64()
    }
}

impl Codec for bool {
    fn encode(&self, w: &mut Writer) {
        w.u8(u8::from(*self));
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            tag => Reader::bad_tag("bool", tag),
        }
    }
}

impl Codec for String {
    fn encode(&self, w: &mut Writer) {
        w.raw(self.as_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        match std::str::from_utf8(r.raw()?) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => bail!("the artifact holds a name that is not UTF-8"),
        }
    }
}

impl Codec for Arc<str> {
    fn encode(&self, w: &mut Writer) {
        w.raw(self.as_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(String::decode(r)?.into())
    }
}

impl<T: Codec> Codec for Arc<T> {
    fn encode(&self, w: &mut Writer) {
        T::encode(self, w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Arc::new(T::decode(r)?))
    }
}

impl<T: Codec> Codec for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                v.encode(w);
            }
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::decode(r)?)),
            tag => Reader::bad_tag("option", tag),
        }
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        for item in self {
            item.encode(w);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let len = r.len()?;
        (0..len).map(|_| T::decode(r)).collect()
    }
}

impl<T: Codec> Codec for Box<[T]> {
    fn encode(&self, w: &mut Writer) {
        w.len(self.len());
        for item in self.iter() {
            item.encode(w);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Vec::decode(r)?.into_boxed_slice())
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn encode(&self, w: &mut Writer) {
        self.0.encode(w);
        self.1.encode(w);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok((A::decode(r)?, B::decode(r)?))
    }
}

impl<K: Codec + Ord + Hash + Eq, V: Codec> Codec for HashMap<K, V> {
    fn encode(&self, w: &mut Writer) {
        let mut entries: Vec<_> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        w.len(entries.len());
        for (k, v) in entries {
            k.encode(w);
            v.encode(w);
        }
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let len = r.len()?;
        let mut map = HashMap::with_capacity(len);
        for _ in 0..len {
            let k = K::decode(r)?;
            if map.insert(k, V::decode(r)?).is_some() {
                bail!("the artifact holds a map with a key twice");
            }
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Codec + PartialEq + std::fmt::Debug>(v: T) {
        let mut w = Writer::default();
        v.encode(&mut w);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(T::decode(&mut r).unwrap(), v);
        assert!(r.is_empty());
    }

    #[test]
    fn values_round_trip() {
        for n in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            round_trip(n);
        }
        round_trip(String::from("héllo"));
        round_trip(vec![Some(1u32), None, Some(u32::MAX)]);
        round_trip(HashMap::from([
            (String::from("a"), 1u32),
            (String::from("b"), 2),
        ]));
    }

    #[test]
    fn truncated_and_corrupt_input_is_an_error() {
        let mut w = Writer::default();
        vec![String::from("abc"); 3].encode(&mut w);
        for cut in 0..w.bytes.len() {
            assert!(Vec::<String>::decode(&mut Reader::new(&w.bytes[..cut])).is_err());
        }
        // A length far beyond the input allocates nothing.
        let mut w = Writer::default();
        w.u64(u64::MAX);
        let err = Vec::<u32>::decode(&mut Reader::new(&w.bytes)).unwrap_err();
        assert!(err.to_string().contains("beyond its end"), "{err}");
        // Eleven continuation bytes do not fit in 64 bits.
        assert!(u64::decode(&mut Reader::new(&[0xff; 11])).is_err());
        assert!(bool::decode(&mut Reader::new(&[2])).is_err());
    }
}
