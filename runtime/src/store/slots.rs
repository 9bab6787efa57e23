//! [`Slots`]: a fixed-length slice whose one item, when it has only one,
//! lives inline.
//!
//! An instance state has a handful of small tables (memories, `realloc`s,
//! `post-return`s, may-leave flags, handle tables), one entry each in most
//! components. Boxed, each was an allocation of its own (a 32–48 byte
//! malloc chunk for 16 bytes of data); inline, the state is a few bytes
//! larger and every instance a few allocations smaller.

use std::ops::{Deref, DerefMut, Index, IndexMut};

/// A fixed-length slice of `T`, inline when it has at most one item.
/// Reads and writes as a `[T]`.
#[derive(Debug, Default)]
pub(crate) enum Slots<T> {
    /// No items.
    #[default]
    Empty,
    /// Exactly one item, inline.
    One(T),
    /// Two or more items.
    Many(Box<[T]>),
}

impl<T> Slots<T> {
    /// `len` items made by `item`.
    pub(crate) fn from_fn(len: usize, mut item: impl FnMut() -> T) -> Slots<T> {
        match len {
            0 => Slots::Empty,
            1 => Slots::One(item()),
            _ => Slots::Many((0..len).map(|_| item()).collect()),
        }
    }

    /// Item `index`, if there is one: as `[T]::get`, without making the
    /// slice first (one test of the representation on the call path).
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        match self {
            Slots::One(item) if index == 0 => Some(item),
            Slots::Many(items) => items.get(index),
            _ => None,
        }
    }
}

impl<T> Index<usize> for Slots<T> {
    type Output = T;

    /// As indexing a slice (a panic past the end), without making the
    /// slice first.
    #[inline]
    fn index(&self, index: usize) -> &T {
        match self {
            Slots::One(item) if index == 0 => item,
            Slots::Many(items) => &items[index],
            _ => out_of_range(index, self.len()),
        }
    }
}

impl<T> IndexMut<usize> for Slots<T> {
    #[inline]
    fn index_mut(&mut self, index: usize) -> &mut T {
        let len = self.len();
        match self {
            Slots::One(item) if index == 0 => item,
            Slots::Many(items) => &mut items[index],
            _ => out_of_range(index, len),
        }
    }
}

/// The panic of an index past the end, as a slice's.
#[cold]
#[inline(never)]
fn out_of_range(index: usize, len: usize) -> ! {
    panic!("index out of bounds: the len is {len} but the index is {index}")
}

impl<T> Deref for Slots<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Slots::Empty => &[],
            Slots::One(item) => std::slice::from_ref(item),
            Slots::Many(items) => items,
        }
    }
}

impl<T> DerefMut for Slots<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Slots::Empty => &mut [],
            Slots::One(item) => std::slice::from_mut(item),
            Slots::Many(items) => items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Slots;

    #[test]
    fn slots_read_and_write_as_slices_of_their_length() {
        for len in 0..4 {
            let mut next = 0;
            let mut slots = Slots::from_fn(len, || {
                next += 1;
                next
            });
            assert_eq!(&*slots, &(1..=len).collect::<Vec<_>>()[..]);
            if let Some(last) = slots.last_mut() {
                *last = 10;
            }
            assert_eq!(slots.len(), len);
            assert_eq!(slots.get(len), None);
            assert_eq!(slots.last().copied(), (len > 0).then_some(10));
        }
        // One item needs no allocation of its own.
        assert!(matches!(Slots::from_fn(1, || 7u8), Slots::One(7)));
    }
}
