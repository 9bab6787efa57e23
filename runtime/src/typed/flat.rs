//! Flat core values for the typed path: a cursor that writes and one that
//! reads 64-bit patterns in a `ValRaw` buffer.
//!
//! wasmtime's `ValRaw` keeps its low 64 bits initialised, 32-bit values
//! zero-extended; writing every flat value as such a pattern means the
//! buffer can go to `Func::call_unchecked` as is.

use wasmtime::ValRaw;

use crate::Result;
use crate::canon::flat::flat_count;
use crate::canon::{MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::typed::ComponentList;
use crate::types::Type;

/// The core values a call with few of them passes through: enough for
/// most functions, and a quarter of the zeroing of the largest buffer.
pub(crate) const SMALL_BUFFER: usize = 4;

/// The core parameters of a function taking `P`: its flat values, or one
/// pointer past the canonical ABI's flat limit.
pub(crate) const fn core_param_count<P: ComponentList>() -> usize {
    if P::FLAT_COUNT > MAX_FLAT_PARAMS {
        1
    } else {
        P::FLAT_COUNT
    }
}

/// The core results of a lifted function returning `R`: its flat values,
/// or one pointer past the flat limit.
pub(crate) const fn core_result_count<R: ComponentList>() -> usize {
    if R::FLAT_COUNT > MAX_FLAT_RESULTS {
        1
    } else {
        R::FLAT_COUNT
    }
}

/// Whether the core values of a call of an export taking `P` and
/// returning `R` fit in [`SMALL_BUFFER`], by the Rust types' flat counts.
pub(crate) const fn export_fits_small<P: ComponentList, R: ComponentList>() -> bool {
    core_param_count::<P>() <= SMALL_BUFFER && core_result_count::<R>() <= SMALL_BUFFER
}

/// Whether the core parameters of a lowered import taking `P` and
/// returning `R` (its flat parameters or a pointer to them, and a return
/// pointer when the results do not fit flat) fit in [`SMALL_BUFFER`], by
/// the Rust types' flat counts.
pub(crate) const fn import_args_fit_small<P: ComponentList, R: ComponentList>() -> bool {
    let return_pointer = if R::FLAT_COUNT > MAX_FLAT_RESULTS {
        1
    } else {
        0
    };
    core_param_count::<P>() + return_pointer <= SMALL_BUFFER
}

/// Checks that the Rust types `P` and `R` flatten to as many core values
/// as the component's `params` and `results` (a typed call sizes its
/// buffers and cursors by the Rust types' counts; a hand-written
/// `ComponentType` whose `FLAT_COUNT` disagrees with the type it checks
/// against is refused here rather than misread at call time).
pub(crate) fn check_flat_counts<P: ComponentList, R: ComponentList>(
    params: &[Type],
    results: &[Type],
) -> Result<()> {
    // Past the flat limit only "more than the limit" matters (one pointer
    // instead), and the component's layouts stop counting there.
    let core = |count: usize, limit: usize| count.min(limit + 1);
    let (params, results) = (flat_count(params), flat_count(results));
    if core(P::FLAT_COUNT, MAX_FLAT_PARAMS) != core(params, MAX_FLAT_PARAMS)
        || core(R::FLAT_COUNT, MAX_FLAT_RESULTS) != core(results, MAX_FLAT_RESULTS)
    {
        crate::bail!(
            "the Rust types flatten to {} parameter and {} result core values where the \
             component's types flatten to {params} and {results} (a hand-written \
             `ComponentType` with a wrong `FLAT_COUNT`)",
            P::FLAT_COUNT,
            R::FLAT_COUNT
        );
    }
    Ok(())
}

/// Where lowering writes flat core values.
pub struct FlatWriter<'a> {
    buf: &'a mut [ValRaw],
    len: usize,
}

impl<'a> FlatWriter<'a> {
    pub(crate) fn new(buf: &'a mut [ValRaw]) -> Self {
        FlatWriter { buf, len: 0 }
    }

    /// A writer of exactly the first `count` values of `buf` (a constant
    /// where the values' Rust types are known: each push's check then
    /// folds away); an error if `buf` is shorter.
    #[inline]
    pub(crate) fn first(buf: &'a mut [ValRaw], count: usize) -> Result<Self> {
        match buf.get_mut(..count) {
            Some(buf) => Ok(FlatWriter::new(buf)),
            None => Err(too_many()),
        }
    }

    /// Appends a value as its 64-bit pattern.
    #[inline]
    pub fn push_bits(&mut self, bits: u64) -> Result<()> {
        let Some(slot) = self.buf.get_mut(self.len) else {
            return Err(too_many());
        };
        *slot = ValRaw::u64(bits);
        self.len += 1;
        Ok(())
    }

    /// Appends an `i32`.
    #[inline]
    pub fn push_i32(&mut self, v: i32) -> Result<()> {
        self.push_bits(u64::from(v as u32))
    }

    /// Appends the pointer and length of a string, list or map.
    #[inline]
    pub(crate) fn push_ptr_len(&mut self, (ptr, len): (u32, u32)) -> Result<()> {
        self.push_i32(ptr as i32)?;
        self.push_i32(len as i32)
    }

    /// Appends an `i64`.
    #[inline]
    pub fn push_i64(&mut self, v: i64) -> Result<()> {
        self.push_bits(v as u64)
    }

    /// Appends an `f32`.
    #[inline]
    pub fn push_f32(&mut self, v: f32) -> Result<()> {
        self.push_bits(u64::from(v.to_bits()))
    }

    /// Appends an `f64`.
    #[inline]
    pub fn push_f64(&mut self, v: f64) -> Result<()> {
        self.push_bits(v.to_bits())
    }

    /// Appends `n` zeros (the unused joined slots of a variant).
    #[inline]
    pub fn pad(&mut self, n: usize) -> Result<()> {
        for _ in 0..n {
            self.push_bits(0)?;
        }
        Ok(())
    }
}

/// Where lifting reads flat core values.
pub struct FlatReader<'a> {
    buf: &'a [ValRaw],
    pos: usize,
}

impl<'a> FlatReader<'a> {
    pub(crate) fn new(buf: &'a [ValRaw]) -> Self {
        FlatReader { buf, pos: 0 }
    }

    /// A reader of exactly the first `count` values of `buf` (see
    /// [`FlatWriter::first`]); an error if `buf` is shorter.
    #[inline]
    pub(crate) fn first(buf: &'a [ValRaw], count: usize) -> Result<Self> {
        match buf.get(..count) {
            Some(buf) => Ok(FlatReader::new(buf)),
            None => Err(too_few()),
        }
    }

    /// The next value's 64-bit pattern.
    #[inline]
    pub fn next_bits(&mut self) -> Result<u64> {
        let Some(v) = self.buf.get(self.pos) else {
            return Err(too_few());
        };
        self.pos += 1;
        Ok(v.get_u64())
    }

    /// The next value as an `i32` (the spec's wrap of a joined `i64`).
    #[inline]
    pub fn next_i32(&mut self) -> Result<i32> {
        Ok(self.next_bits()? as u32 as i32)
    }

    /// The next two values as the pointer and length of a string, list or
    /// map.
    #[inline]
    pub(crate) fn next_ptr_len(&mut self) -> Result<(u32, u32)> {
        Ok((self.next_i32()? as u32, self.next_i32()? as u32))
    }

    /// The next value as an `i64`.
    #[inline]
    pub fn next_i64(&mut self) -> Result<i64> {
        Ok(self.next_bits()? as i64)
    }

    /// The next value as an `f32`.
    #[inline]
    pub fn next_f32(&mut self) -> Result<f32> {
        Ok(f32::from_bits(self.next_bits()? as u32))
    }

    /// The next value as an `f64`.
    #[inline]
    pub fn next_f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.next_bits()?))
    }

    /// Skips `n` values (the unused joined slots of a variant).
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<()> {
        if self.pos + n > self.buf.len() {
            return Err(too_few());
        }
        self.pos += n;
        Ok(())
    }
}

/// The error of a writer asked for more values than its buffer holds
/// (out of the hot path).
#[cold]
#[inline(never)]
fn too_many() -> crate::Error {
    crate::format_err!("internal: more flat values than the signature has")
}

/// The error of a reader asked for more values than it has (out of the
/// hot path).
#[cold]
#[inline(never)]
fn too_few() -> crate::Error {
    crate::format_err!("internal: fewer flat values than the type needs")
}
