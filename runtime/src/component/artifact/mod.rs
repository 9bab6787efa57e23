//! The precompiled-component artifact: what [`crate::Component::serialize`]
//! writes and [`crate::Component::deserialize`] reads.
//!
//! ```text
//! magic            16 bytes  "\0wit-host-cwasm\0"
//! format version   u32 LE    FORMAT_VERSION
//! wit-host version u8 length + bytes
//! wasmtime version u8 length + bytes
//! engine hash      u64 LE    of Engine::precompile_compatibility_hash()
//! payload length   u64 LE
//! payload crc32    u32 LE
//! payload:         plan section (length + bytes, see `plan.rs`),
//!                  core module count, then each core module's
//!                  `wasmtime::Module::serialize` image (length + bytes)
//! ```
//!
//! Every field is checked on load, in that order, so a file of another
//! kind, another version, another engine configuration, a truncated file
//! or a flipped bit is an error that says which, before any code is loaded.

mod codec;
mod plan;
mod types;

use std::hash::{Hash, Hasher};

use codec::{Codec, Reader, Writer};

use crate::plan::Plan;
use crate::{Engine, Result, bail};

const MAGIC: &[u8; 16] = b"\0wit-host-cwasm\0";

/// Bumped whenever the layout of the artifact or of the plan changes.
const FORMAT_VERSION: u32 = 3;

/// The wit-host version that wrote an artifact; only the same version reads it.
const WIT_HOST_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The wasmtime the workspace pins (`=48.0.8` in the root `Cargo.toml`).
const WASMTIME_VERSION: &str = "48.0.8";

/// The bytes of a precompiled component: the header, the plan, and the core
/// modules' images.
pub(crate) fn write(engine: &Engine, plan: &Plan, images: &[Vec<u8>]) -> Vec<u8> {
    let mut payload = Writer::default();
    let mut section = Writer::default();
    plan.encode(&mut section);
    payload.raw(&section.bytes);
    payload.len(images.len());
    for image in images {
        payload.raw(image);
    }
    let payload = payload.bytes;

    let mut out = Vec::with_capacity(payload.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    for version in [WIT_HOST_VERSION, WASMTIME_VERSION] {
        out.push(version.len() as u8);
        out.extend_from_slice(version.as_bytes());
    }
    out.extend_from_slice(&engine_hash(engine).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// An artifact whose header checked out: the plan, decoded, and the core
/// modules' images, still to be loaded.
pub(crate) struct Parsed<'a> {
    pub plan: Plan,
    pub images: Vec<&'a [u8]>,
}

/// Checks the header and checksum of `bytes` and decodes the plan.
pub(crate) fn read<'a>(engine: &Engine, bytes: &'a [u8]) -> Result<Parsed<'a>> {
    if bytes.starts_with(b"\0asm") {
        bail!(
            "this is a WebAssembly binary, not a precompiled component: \
             compile it with `Component::new`"
        );
    }
    if bytes.starts_with(b"\x7fELF") {
        bail!(
            "this is not a wit-host precompiled component (it looks like one of \
             wasmtime's own artifacts, which wit-host cannot load)"
        );
    }
    let mut header = Header { bytes };
    if header.take(MAGIC.len())? != MAGIC {
        bail!("this is not a wit-host precompiled component (its first bytes are wrong)");
    }
    let format = u32::from_le_bytes(header.array()?);
    if format != FORMAT_VERSION {
        bail!(
            "the precompiled component uses artifact format {format}, this wit-host reads \
             format {FORMAT_VERSION}: precompile it again"
        );
    }
    for (what, expected) in [
        ("wit-host", WIT_HOST_VERSION),
        ("wasmtime", WASMTIME_VERSION),
    ] {
        let len = header.take(1)?[0];
        let found = header.take(usize::from(len))?;
        if found != expected.as_bytes() {
            bail!(
                "the component was precompiled with {what} {}, this is {what} {expected}: \
                 precompile it again",
                String::from_utf8_lossy(found)
            );
        }
    }
    if u64::from_le_bytes(header.array()?) != engine_hash(engine) {
        bail!(
            "the component was precompiled for an engine with other compilation settings \
             (target, Cranelift flags, tunables or enabled WebAssembly features differ from \
             this engine's): precompile it with an engine configured like this one"
        );
    }
    let len = u64::from_le_bytes(header.array()?);
    let crc = u32::from_le_bytes(header.array()?);
    let payload = header.bytes;
    if payload.len() as u64 != len {
        bail!(
            "the precompiled component is {} bytes long, its header says {len}: the file is \
             truncated or has bytes appended",
            payload.len()
        );
    }
    if crc32fast::hash(payload) != crc {
        bail!("the precompiled component is corrupt (its checksum does not match)");
    }

    let mut r = Reader::new(payload);
    let plan = Plan::decode(&mut Reader::new(r.raw()?))?;
    let count = r.len()?;
    let images = (0..count).map(|_| r.raw()).collect::<Result<Vec<_>>>()?;
    if !r.is_empty() {
        bail!("the precompiled component has bytes after its last core module");
    }
    Ok(Parsed { plan, images })
}

/// The fixed-size fields before the payload.
struct Header<'a> {
    bytes: &'a [u8],
}

impl<'a> Header<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            bail!("this is not a wit-host precompiled component (it is too short)");
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

/// A hash of everything in the engine's configuration that the compiled
/// code depends on, stable across processes (FNV-1a over what wasmtime's
/// `precompile_compatibility_hash` feeds it).
fn engine_hash(engine: &Engine) -> u64 {
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pinned_wasmtime_is_the_one_the_header_names() {
        let manifest = include_str!("../../../../Cargo.toml");
        let pin = format!("wasmtime = {{ version = \"={}\"", super::WASMTIME_VERSION);
        assert!(
            manifest.contains(&pin),
            "update WASMTIME_VERSION to the pinned wasmtime"
        );
    }
}
