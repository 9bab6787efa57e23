//! Host names for `ip-name-lookup`: the ASCII form of a Unicode name
//! (IDNA's ToASCII, simplified) and the syntax check of the result.
//!
//! A label with non-ASCII characters is lowercased and encoded with
//! Punycode (RFC 3492) behind the `xn--` prefix; the ideographic full
//! stops separate labels as `.` does. The full UTS #46 mapping and
//! normalisation are not applied: a name not already in normal form may
//! then resolve to nothing (`name-unresolvable`) rather than its intended
//! host. The ASCII result must be a host name: labels of 1 to 63 letters,
//! digits, `-` or `_`, at most 253 bytes in all (a final `.` allowed).

/// The longest host name, without its final `.`.
const MAX_NAME: usize = 253;

/// The longest label.
const MAX_LABEL: usize = 63;

/// The ASCII host name of `name`, or `None` if it is not a valid one.
pub(crate) fn to_ascii(name: &str) -> Option<String> {
    let name = name.replace(['\u{3002}', '\u{ff0e}', '\u{ff61}'], ".");
    let trimmed = name.strip_suffix('.').unwrap_or(&name);
    let mut labels = Vec::new();
    for label in trimmed.split('.') {
        let label = label.to_lowercase();
        if label.is_ascii() {
            labels.push(label);
        } else {
            labels.push(format!("xn--{}", punycode(&label)?));
        }
    }
    let ascii = labels.join(".");
    let valid = ascii.len() <= MAX_NAME
        && labels.iter().all(|label| {
            (1..=MAX_LABEL).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then_some(ascii)
}

/// RFC 3492's parameters.
const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The bias after a code point is encoded (RFC 3492, 6.1).
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

/// The character of a Punycode digit (0 to 35).
fn digit(d: u32) -> char {
    let byte = if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d - 26) as u8
    };
    char::from(byte)
}

/// The Punycode encoding of `input` (RFC 3492, 6.3); `None` on overflow.
fn punycode(input: &str) -> Option<String> {
    let points: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    let total = u32::try_from(points.len()).ok()?;
    while handled < total {
        let m = points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n += 1;
    }
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_vectors() {
        assert_eq!(punycode("münchen").unwrap(), "mnchen-3ya");
        assert_eq!(punycode("bücher").unwrap(), "bcher-kva");
        // RFC 3492, 7.1 (B).
        assert_eq!(
            punycode("他们为什么不说中文").unwrap(),
            "ihqwcrb4cv8a8dqg056pqjye"
        );
    }

    #[test]
    fn names() {
        assert_eq!(to_ascii("localhost").unwrap(), "localhost");
        assert_eq!(to_ascii("Example.COM.").unwrap(), "example.com");
        assert_eq!(to_ascii("München.de").unwrap(), "xn--mnchen-3ya.de");
        assert_eq!(to_ascii("例え。テスト").unwrap(), "xn--r8jz45g.xn--zckzah");
        assert_eq!(
            to_ascii("_srv.host-1.example").unwrap(),
            "_srv.host-1.example"
        );
        let too_long = format!("{}a", "a.".repeat(127));
        for bad in [
            "",
            ".",
            "a..b",
            "a.b<&>",
            "white space",
            "a/b",
            "x:80",
            &"a".repeat(64),
            &too_long,
        ] {
            assert_eq!(to_ascii(bad), None, "{bad:?}");
        }
        assert!(to_ascii(&"a".repeat(63)).is_some());
    }
}
