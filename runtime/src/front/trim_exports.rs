//! Drops the exports of a component's core modules that nothing in the
//! component uses, before they are compiled.
//!
//! wasmtime compiles an entry trampoline for every exported core function,
//! since the host could call any of them; inside a component only the
//! exports the component names (as `canon lift` targets, `realloc`,
//! `post-return`, destructors, memories, or another core instance's
//! imports) can ever be reached. A language runtime exporting thousands of
//! symbols for dynamic linking would otherwise pay code size, compile time
//! and instantiation time for all of them. Modules the component exports
//! as modules are kept whole.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use wasmtime_environ::StaticModuleIndex;
use wasmtime_environ::wasmparser::{Parser, Payload};

use super::InstanceSource;
use crate::plan::{CoreDef, ExportDef, Plan, Step};
use crate::{Context, Result};

/// The export names each static module must keep, from every core export
/// the plan refers to.
pub(super) fn used_exports(
    plan: &Plan,
    instance_modules: &[InstanceSource],
) -> HashMap<StaticModuleIndex, HashSet<String>> {
    let mut used: HashMap<StaticModuleIndex, HashSet<String>> = HashMap::new();
    let mut note = |def: &CoreDef| {
        if let CoreDef::Export(e) = def
            && let Some(InstanceSource::Static(module)) = instance_modules.get(e.instance as usize)
        {
            used.entry(*module).or_default().insert(e.name.clone());
        }
    };
    for step in &plan.steps {
        match step {
            Step::InstantiateStatic { args, .. } => args.iter().for_each(&mut note),
            Step::InstantiateImported { args, .. } => args.values().for_each(&mut note),
            Step::ExtractMemory { export, .. } => note(&CoreDef::Export(export.clone())),
            Step::ExtractRealloc { def, .. } | Step::ExtractPostReturn { def, .. } => note(def),
            Step::Resource { dtor, .. } => dtor.iter().for_each(&mut note),
        }
    }
    let mut pending: Vec<&ExportDef> = plan.exports.values().collect();
    while let Some(def) = pending.pop() {
        match def {
            ExportDef::Func(lifted) => note(&lifted.core),
            ExportDef::Instance(items) => pending.extend(items.values()),
            ExportDef::Module(_) | ExportDef::Resource(_) | ExportDef::Other => {}
        }
    }
    used
}

/// `wasm` with only the exports named in `keep`; every other section is
/// copied byte for byte.
pub(super) fn keep_exports<'a>(wasm: &'a [u8], keep: &HashSet<String>) -> Result<Cow<'a, [u8]>> {
    const EXPORT_SECTION: u8 = 7;
    let mut out = Vec::with_capacity(wasm.len());
    let mut trimmed = false;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.context("internal: re-reading a validated core module")?;
        match &payload {
            Payload::Version { range, .. } => out.extend_from_slice(&wasm[range.clone()]),
            Payload::ExportSection(reader) => {
                let mut items = Vec::new();
                let mut count = 0u32;
                let section_end = reader.range().end;
                let mut entries = reader.clone().into_iter_with_offsets().peekable();
                while let Some(entry) = entries.next() {
                    let (start, export) = entry.context("internal: re-reading exports")?;
                    let end = match entries.peek() {
                        Some(Ok((next, _))) => *next,
                        _ => section_end,
                    };
                    if keep.contains(export.name) {
                        items.extend_from_slice(&wasm[start..end]);
                        count += 1;
                    } else {
                        trimmed = true;
                    }
                }
                let mut body = Vec::with_capacity(items.len() + 5);
                leb128(&mut body, count as u64);
                body.extend_from_slice(&items);
                out.push(EXPORT_SECTION);
                leb128(&mut out, body.len() as u64);
                out.extend_from_slice(&body);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    out.push(id);
                    leb128(&mut out, range.len() as u64);
                    out.extend_from_slice(&wasm[range]);
                }
            }
        }
    }
    Ok(if trimmed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(wasm)
    })
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use super::*;
    use wasmtime_environ::wasmparser::Validator;

    fn export_names(wasm: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ExportSection(reader) = payload.unwrap() {
                for export in reader {
                    names.push(export.unwrap().name.to_string());
                }
            }
        }
        names
    }

    #[test]
    fn only_the_kept_exports_remain_and_the_module_stays_valid() {
        let wasm = wat::parse_str(
            r#"(module
                (memory (export "mem") 1)
                (func $a (export "a") (result i32) i32.const 1)
                (func (export "b") (result i32) call $a)
                (func (export "c"))
                (data (i32.const 0) "hi"))"#,
        )
        .unwrap();
        let keep: HashSet<String> = ["mem", "b"].map(String::from).into();
        let trimmed = keep_exports(&wasm, &keep).unwrap();
        assert_eq!(export_names(&trimmed), ["mem", "b"]);
        Validator::new().validate_all(&trimmed).unwrap();
        assert!(trimmed.len() < wasm.len());

        let all: HashSet<String> = ["mem", "a", "b", "c"].map(String::from).into();
        assert!(matches!(
            keep_exports(&wasm, &all).unwrap(),
            Cow::Borrowed(_)
        ));
        let none = keep_exports(&wasm, &HashSet::new()).unwrap();
        assert!(export_names(&none).is_empty());
        Validator::new().validate_all(&none).unwrap();
    }
}
