//! The applicant's query code: 8 characters from an alphabet without
//! look-alikes, stored only as a keyed hash, compared in constant time.
//!
//! The first code of an application is *derived* (a keyed HMAC of the
//! tracking number and the client's request id), so that a retried
//! submission whose first answer was lost can be answered with the same
//! code without keeping the code anywhere in clear. A reissued code is
//! random: once it replaces the first, the derived code no longer matches
//! the stored hash and a replay answers without a code.

use chrono::{DateTime, TimeDelta, Utc};
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

/// The first code of the application `tracking_no` submitted under
/// `client_request_id`; `key` is a key of its own (not the hashing key).
pub fn derive(key: &[u8], tracking_no: &str, client_request_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    // Length-prefixed, so that no two (number, id) pairs feed the same bytes.
    for part in [tracking_no, client_request_id] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    let bytes = mac.finalize().into_bytes();
    // 31^8 is about 2^39.6, far below 2^64: the modulo bias is below 1e-7.
    let mut n = u64::from_be_bytes(bytes[..8].try_into().expect("32 bytes"));
    (0..LENGTH)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
            n /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// How long a retried submission is still answered with its code.
pub const REPLAY_WINDOW: TimeDelta = TimeDelta::hours(24);

/// The code a retried submission is answered with: the derived first code,
/// while the replay comes within `REPLAY_WINDOW` of the submission and the
/// code has not been reissued (the stored hash is still the derived
/// code's); otherwise None.
pub struct Replay<'a> {
    pub derivation_key: &'a [u8],
    pub hash_key: &'a [u8],
    pub tracking_no: &'a str,
    pub client_request_id: &'a str,
    pub stored_hash: &'a str,
    pub submitted_at: DateTime<Utc>,
}

impl Replay<'_> {
    pub fn code(&self, now: DateTime<Utc>) -> Option<String> {
        if now - self.submitted_at >= REPLAY_WINDOW {
            return None;
        }
        let code = derive(
            self.derivation_key,
            self.tracking_no,
            self.client_request_id,
        );
        matches(self.hash_key, &code, self.stored_hash).then_some(code)
    }
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
    fn derived_codes() {
        let key = b"derivation key";
        let code = derive(key, "PYNC-2026-00001", "web-1");
        assert_eq!(code.len(), LENGTH);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        // Same inputs, same code; any input changed, another code.
        let cases = [
            (&key[..], "PYNC-2026-00001", "web-1", true),
            (&key[..], "PYNC-2026-00002", "web-1", false),
            (&key[..], "PYNC-2026-00001", "web-2", false),
            (&key[..], "PYNC-2026-00001w", "eb-1", false),
            (&b"another key"[..], "PYNC-2026-00001", "web-1", false),
        ];
        for (k, number, request, same) in cases {
            assert_eq!(
                derive(k, number, request) == code,
                same,
                "{number} {request}"
            );
        }
    }

    #[test]
    fn a_replay_gets_the_first_code_for_a_day_unless_reissued() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let first = derive(b"d", "PYNC-2026-00001", "web-1");
        let derived = hash(b"h", &first);
        let reissued = hash(b"h", "ABCD2345");
        let submitted = "2026-12-01T08:00:00Z";
        let cases = [
            (&derived, "2026-12-01T08:00:00Z", true),
            (&derived, "2026-12-02T07:59:59Z", true),
            (&derived, "2026-12-02T08:00:00Z", false),
            (&derived, "2026-12-05T08:00:00Z", false),
            (&reissued, "2026-12-01T09:00:00Z", false),
        ];
        for (stored_hash, now, answered) in cases {
            let replay = Replay {
                derivation_key: b"d",
                hash_key: b"h",
                tracking_no: "PYNC-2026-00001",
                client_request_id: "web-1",
                stored_hash,
                submitted_at: at(submitted),
            };
            let expected = answered.then(|| first.clone());
            assert_eq!(replay.code(at(now)), expected, "{now}");
        }
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
