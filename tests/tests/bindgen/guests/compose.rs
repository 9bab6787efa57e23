//! The `compose` guests (`tests/guests/compose/`) through generated
//! bindings: `composed.wasm` (the UTF-8 consumer with its `text` import
//! satisfied inside by the UTF-16 provider, every string transcoded by
//! fused adapters) instantiated via the generated `Consumer` world struct;
//! the consumer alone, with the generated `text` host trait standing in for
//! the provider; and the provider alone via the generated `Provider`.

use crate::guests_common::{COMPOSED, TEXT_CONSUMER, TEXT_PROVIDER, load};
use wit_host::{HasSelf, Linker, Store};

/// The consumer's world: imports `text` and `log`, exports `app`.
mod consumer {
    wit_host::bindgen!({ path: "guests/compose/world.wit", world: "consumer" });
}

/// The provider's world: exports `text`.
mod provider {
    wit_host::bindgen!({ path: "guests/compose/world.wit", world: "provider" });
}

use consumer::test::compose::text::Stats;

/// The host: `log` records messages; `text` is implemented as the provider
/// does it but counting UTF-8 bytes, and records which functions ran.
#[derive(Default)]
struct Host {
    logged: Vec<String>,
    /// The names of the host's `text` functions called, in order.
    text_calls: Vec<&'static str>,
}

impl consumer::test::compose::log::Host for Host {
    fn log(&mut self, msg: String) {
        self.logged.push(msg);
    }
}

impl consumer::test::compose::text::Host for Host {
    fn upper(&mut self, s: String) -> String {
        self.text_calls.push("upper");
        s.to_ascii_uppercase()
    }
    fn words(&mut self, s: String) -> Vec<String> {
        self.text_calls.push("words");
        s.split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    }
    fn join(&mut self, parts: Vec<String>, sep: String) -> String {
        self.text_calls.push("join");
        parts.join(&sep)
    }
    fn count(&mut self, s: String) -> Stats {
        self.text_calls.push("count");
        Stats {
            code_units: s.len() as u32,
            words: s.split(' ').filter(|w| !w.is_empty()).count() as u32,
        }
    }
}

/// The component at `path` (the composition or the consumer alone)
/// instantiated via the generated `Consumer`, with every import of the
/// consumer's world defined by the generated `add_to_linker`.
fn instantiate(path: &str) -> Option<(Store<Host>, consumer::Consumer)> {
    let (engine, component) = load(path)?;
    let mut linker = Linker::new(&engine);
    consumer::Consumer::add_to_linker::<_, HasSelf<Host>>(&mut linker, |h| h)
        .expect("add the generated imports");
    let mut store = Store::new(&engine, Host::default());
    let c = consumer::Consumer::instantiate(&mut store, &component, &linker)
        .unwrap_or_else(|e| panic!("instantiating {path}: {e:#}"));
    Some((store, c))
}

/// `shout` in the composition goes through the provider (the host's
/// `text` is never called), transcoding strings and lists of strings both
/// ways; the result is logged through the generated `log` import.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_shout_goes_through_provider() {
    let Some((mut store, c)) = instantiate(COMPOSED) else {
        return;
    };
    let app = c.test_compose_app();
    let shouted = app.call_shout(&mut store, "hello wörld  😀 ok").unwrap();
    assert_eq!(shouted, "HELLO · WöRLD · 😀 · OK");
    assert_eq!(store.data().logged, [shouted]);
    assert!(
        store.data().text_calls.is_empty(),
        "the composition called the host's text: {:?}",
        store.data().text_calls
    );
}

/// `measure` and `byte-length` in the composition: the provider counts
/// UTF-16 code units (8 for "héllo 😀"), the consumer UTF-8 bytes (11), and
/// the generated `Stats` record comes back through the consumer.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_measure_and_byte_length() {
    let Some((mut store, c)) = instantiate(COMPOSED) else {
        return;
    };
    let app = c.test_compose_app();
    assert_eq!(
        app.call_measure(&mut store, "héllo 😀").unwrap(),
        Stats {
            code_units: 8,
            words: 2
        }
    );
    assert_eq!(app.call_byte_length(&mut store, "héllo 😀").unwrap(), 11);
    assert_eq!(app.call_byte_length(&mut store, "").unwrap(), 0);
}

/// Empty and long text through the composition, many times in one
/// instance: both guests free what they allocate.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn composed_empty_long_and_repeated() {
    let Some((mut store, c)) = instantiate(COMPOSED) else {
        return;
    };
    let app = c.test_compose_app();
    assert_eq!(app.call_shout(&mut store, "").unwrap(), "");
    let input = vec!["ünï"; 2_000].join(" ");
    let expected = vec!["üNï"; 2_000].join(" · ");
    assert_eq!(app.call_shout(&mut store, &input).unwrap(), expected);
    for i in 0..200 {
        assert_eq!(
            app.call_shout(&mut store, "a b c").unwrap(),
            "A · B · C",
            "call {i}"
        );
    }
    assert_eq!(store.data().logged.len(), 202);
}

/// The consumer alone, with the generated `text` host trait in place of
/// the provider: the same `shout`, and `measure` passes the host's
/// `Stats` (UTF-8 bytes) through.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn consumer_with_host_text() {
    let Some((mut store, c)) = instantiate(TEXT_CONSUMER) else {
        return;
    };
    let app = c.test_compose_app();
    let shouted = app.call_shout(&mut store, "hello wörld  😀 ok").unwrap();
    assert_eq!(shouted, "HELLO · WöRLD · 😀 · OK");
    assert_eq!(store.data().text_calls, ["upper", "words", "join"]);
    assert_eq!(
        app.call_measure(&mut store, "héllo 😀").unwrap(),
        Stats {
            code_units: 11,
            words: 2
        }
    );
    assert_eq!(store.data().logged, [shouted]);
}

/// The provider alone, via the generated `Provider` (it imports nothing):
/// UTF-8 strings and lists of strings into and out of a UTF-16 guest.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn provider_alone() {
    let Some((engine, component)) = load(TEXT_PROVIDER) else {
        return;
    };
    let linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let p = provider::Provider::instantiate(&mut store, &component, &linker)
        .unwrap_or_else(|e| panic!("instantiating {TEXT_PROVIDER}: {e:#}"));
    let text = p.test_compose_text();
    assert_eq!(
        text.call_upper(&mut store, "grüße, 🦀!").unwrap(),
        "GRüßE, 🦀!"
    );
    assert_eq!(
        text.call_words(&mut store, " un  deux trøis ").unwrap(),
        ["un", "deux", "trøis"]
    );
    assert!(text.call_words(&mut store, "   ").unwrap().is_empty());
    let parts = ["α", "", "😀"].map(String::from);
    assert_eq!(text.call_join(&mut store, &parts, "→").unwrap(), "α→→😀");
    assert_eq!(text.call_join(&mut store, &[], "→").unwrap(), "");
    let stats = text.call_count(&mut store, "😀😀 x").unwrap();
    assert_eq!((stats.code_units, stats.words), (6, 2));
}
