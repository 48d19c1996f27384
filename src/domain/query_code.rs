//! The applicant's query code: 8 characters from an alphabet without
//! look-alikes, shown once, stored only as a keyed hash, compared in
//! constant time.

use hmac::{Hmac, Mac};
use rand::Rng;
use rand::rngs::OsRng;
use sha2::Sha256;

use super::applicant::hex;

/// No 0/O, 1/I/L: codes are read out over the phone and copied by hand.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const LENGTH: usize = 8;

pub fn generate() -> String {
    let mut rng = OsRng;
    (0..LENGTH)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// What an applicant typed, as the code was issued: upper case, without
/// spaces or dashes.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect::<String>()
        .to_uppercase()
}

fn mac(key: &[u8], code: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(normalize(code).as_bytes());
    mac
}

pub fn hash(key: &[u8], code: &str) -> String {
    hex(&mac(key, code).finalize().into_bytes())
}

/// True when `input` is the code behind `stored_hash` (constant time).
pub fn matches(key: &[u8], input: &str, stored_hash: &str) -> bool {
    let stored: Option<Vec<u8>> = (0..stored_hash.len())
        .step_by(2)
        .map(|i| {
            stored_hash
                .get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect();
    stored.is_some_and(|bytes| mac(key, input).verify_slice(&bytes).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet() {
        for _ in 0..100 {
            let code = generate();
            assert_eq!(code.len(), LENGTH);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        }
        assert!(!ALPHABET.iter().any(|b| b"01OIL".contains(b)));
        assert_ne!(generate(), generate());
    }

    #[test]
    fn matching() {
        let key = b"server key";
        let stored = hash(key, "ABCD2345");
        assert!(!stored.contains("ABCD"));
        let cases = [
            ("ABCD2345", true),
            ("abcd-2345", true),
            (" ABCD 2345 ", true),
            ("ABCD2346", false),
            ("", false),
        ];
        for (input, expected) in cases {
            assert_eq!(matches(key, input, &stored), expected, "{input}");
        }
        assert!(!matches(b"another key", "ABCD2345", &stored));
        assert!(!matches(key, "ABCD2345", "not hex"));
    }
}
