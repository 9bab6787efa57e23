//! Two real guests composed into one component by `wasm-compose` (see
//! `tests/build.rs` and `tests/guests/compose/`): `consumer.c` (UTF-8
//! strings) imports `test:compose/text`, which `provider.c` (UTF-16 strings)
//! exports. In the composition the consumer's calls go through fused
//! adapters that transcode every string between UTF-8 and UTF-16 and copy
//! lists of strings between the two guests' memories.
//!
//! The provider and the consumer are also run alone (with the host standing
//! in for the other side), so a failure in the composition can be told
//! apart from one in either guest.

use std::sync::{Arc, Mutex};

use crate::guests_common::*;
use wit_host::{ComponentItem, Instance, Linker, Store, Val};

/// The interface the provider exports and the consumer imports.
const TEXT: &str = "test:compose/text";
/// The host interface the consumer imports.
const LOG: &str = "test:compose/log";
/// The interface the consumer exports.
const APP: &str = "test:compose/app";

/// What the host's `log` received, shared with the test.
type Logged = Arc<Mutex<Vec<String>>>;

/// Instantiates the component at `path` with the host's `log` recording
/// its messages; `with_host_text` also defines `text` on the host, in Rust
/// (for the consumer alone). Returns `None` when the guests were skipped.
fn instantiate(path: &str, with_host_text: bool) -> Option<(Store<()>, Instance, Logged)> {
    let (engine, component) = crate::guests_common::load(path)?;
    let logged = Logged::default();
    let mut linker = Linker::<()>::new(&engine);
    let sink = logged.clone();
    linker
        .instance(LOG)
        .expect("linker instance")
        .func_new("log", move |_store, _ty, params, _results| {
            match params {
                [Val::String(msg)] => sink.lock().unwrap().push(msg.clone()),
                other => panic!("log got {other:?}"),
            }
            Ok(())
        })
        .expect("define log");
    if with_host_text {
        define_host_text(&mut linker);
    }
    let mut store = Store::new(&engine, ());
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiating {path}: {e:#}"));
    Some((store, instance, logged))
}

/// The `text` interface implemented by the host, as the provider does it
/// but counting code units in UTF-8 (the host's own encoding).
fn define_host_text(linker: &mut Linker<()>) {
    let mut text = linker.instance(TEXT).expect("linker instance");
    let string = |v: &Val| match v {
        Val::String(s) => s.clone(),
        other => panic!("expected a string, got {other:?}"),
    };
    text.func_new("upper", move |_store, _ty, params, results| {
        results[0] = s(&string(&params[0]).to_ascii_uppercase());
        Ok(())
    })
    .expect("define upper");
    text.func_new("words", move |_store, _ty, params, results| {
        let words: Vec<String> = string(&params[0])
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        results[0] = Val::List(words.iter().map(|w| s(w)).collect());
        Ok(())
    })
    .expect("define words");
    text.func_new("join", move |_store, _ty, params, results| {
        let Val::List(parts) = &params[0] else {
            panic!("join got {params:?}");
        };
        let parts: Vec<String> = parts.iter().map(string).collect();
        results[0] = s(&parts.join(&string(&params[1])));
        Ok(())
    })
    .expect("define join");
    text.func_new("count", move |_store, _ty, params, results| {
        let text = string(&params[0]);
        results[0] = stats(
            text.len() as u32,
            text.split(' ').filter(|w| !w.is_empty()).count() as u32,
        );
        Ok(())
    })
    .expect("define count");
}

/// A `stats` record.
fn stats(code_units: u32, words: u32) -> Val {
    record(&[
        ("code-units", Val::U32(code_units)),
        ("words", Val::U32(words)),
    ])
}

/// The composed component imports only the host's `log`: `text` is
/// satisfied inside it by the provider.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_imports_only_log() {
    let Some((_engine, component)) = load(COMPOSED) else {
        return;
    };
    let ty = component.component_type();
    let imports: Vec<&str> = ty.imports().map(|(name, _)| name).collect();
    assert_eq!(imports, vec![LOG]);
    let exports: Vec<&str> = ty
        .exports()
        .filter(|(_, item)| matches!(item, ComponentItem::Instance(_)))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(exports, vec![APP]);
}

/// `shout` in the composition: the consumer's UTF-8 string is transcoded to
/// UTF-16 for the provider's `upper`, `words` returns a list of UTF-16
/// strings copied into the consumer's memory as UTF-8, `join` takes them
/// back; the result is logged to the host and returned.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_shout_goes_through_provider() {
    let Some((mut store, instance, logged)) = instantiate(COMPOSED, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{APP}#shout"),
        &[s("hello wörld  😀 ok")],
    );
    assert_eq!(result, s("HELLO · WöRLD · 😀 · OK"));
    assert_eq!(
        *logged.lock().unwrap(),
        vec!["HELLO · WöRLD · 😀 · OK".to_string()]
    );
}

/// `measure` in the composition: the provider counts UTF-16 code units, so
/// "héllo 😀" is 8 units (the emoji is a surrogate pair) although it is 11
/// UTF-8 bytes: the string really was transcoded on the way.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_measure_counts_utf16_code_units() {
    let Some((mut store, instance, _)) = instantiate(COMPOSED, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{APP}#measure"),
        &[s("héllo 😀")],
    );
    assert_eq!(result, stats(8, 2));
}

/// `byte-length` in the composition: the consumer's own view of the same
/// string, 11 UTF-8 bytes.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_byte_length_counts_utf8_bytes() {
    let Some((mut store, instance, _)) = instantiate(COMPOSED, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{APP}#byte-length"),
        &[s("héllo 😀")],
    );
    assert_eq!(result, Val::U32(11));
}

/// `shout("")` in the composition: empty strings and an empty list cross
/// the adapters.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_shout_of_empty_string_is_empty() {
    let Some((mut store, instance, logged)) = instantiate(COMPOSED, false) else {
        return;
    };
    let result = call1(&mut store, &instance, &format!("{APP}#shout"), &[s("")]);
    assert_eq!(result, s(""));
    assert_eq!(*logged.lock().unwrap(), vec![String::new()]);
}

/// `shout` of 2,000 words in the composition: large strings and lists
/// through the adapters, both guests' allocators growing memory.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_shout_of_long_text() {
    let Some((mut store, instance, _)) = instantiate(COMPOSED, false) else {
        return;
    };
    let input = vec!["ünï"; 2_000].join(" ");
    let expected = vec!["üNï"; 2_000].join(" · ");
    let result = call1(&mut store, &instance, &format!("{APP}#shout"), &[s(&input)]);
    assert_eq!(result, s(&expected));
}

/// Many calls in one composed instance keep working: both guests free what
/// they allocate.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_repeated_calls_stay_correct() {
    let Some((mut store, instance, logged)) = instantiate(COMPOSED, false) else {
        return;
    };
    for i in 0..200 {
        let result = call1(
            &mut store,
            &instance,
            &format!("{APP}#shout"),
            &[s("a b c")],
        );
        assert_eq!(result, s("A · B · C"), "call {i}");
    }
    assert_eq!(logged.lock().unwrap().len(), 200);
}

/// The provider alone: the host's UTF-8 string reaches the UTF-16 guest
/// and the guest's UTF-16 result comes back as UTF-8.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn provider_upper_from_host() {
    let Some((mut store, instance, _)) = instantiate(TEXT_PROVIDER, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{TEXT}#upper"),
        &[s("grüße, 🦀!")],
    );
    assert_eq!(result, s("GRüßE, 🦀!"));
}

/// The provider alone: a list of UTF-16 strings lifted by the host.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn provider_words_from_host() {
    let Some((mut store, instance, _)) = instantiate(TEXT_PROVIDER, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{TEXT}#words"),
        &[s(" un  deux trøis ")],
    );
    assert_eq!(result, strings(&["un", "deux", "trøis"]));
}

/// The provider alone: a list of strings lowered into the UTF-16 guest.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn provider_join_from_host() {
    let Some((mut store, instance, _)) = instantiate(TEXT_PROVIDER, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{TEXT}#join"),
        &[strings(&["α", "", "😀"]), s("→")],
    );
    assert_eq!(result, s("α→→😀"));
}

/// The provider alone counts UTF-16 code units of what the host sent.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn provider_count_from_host() {
    let Some((mut store, instance, _)) = instantiate(TEXT_PROVIDER, false) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{TEXT}#count"),
        &[s("😀😀 x")],
    );
    assert_eq!(result, stats(6, 2));
}

/// The consumer alone, with `text` implemented by the host: the same
/// `shout` result as in the composition.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn consumer_shout_with_host_text() {
    let Some((mut store, instance, logged)) = instantiate(TEXT_CONSUMER, true) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{APP}#shout"),
        &[s("hello wörld  😀 ok")],
    );
    assert_eq!(result, s("HELLO · WöRLD · 😀 · OK"));
    assert_eq!(
        *logged.lock().unwrap(),
        vec!["HELLO · WöRLD · 😀 · OK".to_string()]
    );
}

/// The consumer alone, with the host's `count` (UTF-8 bytes): `measure`
/// passes the host's record through.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn consumer_measure_with_host_text() {
    let Some((mut store, instance, _)) = instantiate(TEXT_CONSUMER, true) else {
        return;
    };
    let result = call1(
        &mut store,
        &instance,
        &format!("{APP}#measure"),
        &[s("héllo 😀")],
    );
    assert_eq!(result, stats(11, 2));
}
