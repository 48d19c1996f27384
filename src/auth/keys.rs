//! Keys for the keyed hashes of personal data and query codes, derived from
//! the server's signing secret with distinct labels (so one secret to keep,
//! and no key serves two purposes).

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub struct DataKeys {
    /// Keyed hash of applicants' document numbers.
    pub applicant: Vec<u8>,
    /// Keyed hash of query codes.
    pub query_code: Vec<u8>,
    /// Derives an application's first query code (`query_code::derive`).
    pub query_code_derivation: Vec<u8>,
    /// Keyed hash of the client address of a public upload (its quota).
    pub uploader: Vec<u8>,
    /// Signs the applicant's short-lived download links.
    pub file_link: Vec<u8>,
}

fn derive(secret: &[u8], label: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

impl DataKeys {
    pub fn derive(secret: &[u8]) -> Self {
        Self {
            applicant: derive(secret, "gongkai applicant key v1"),
            query_code: derive(secret, "gongkai query code v1"),
            query_code_derivation: derive(secret, "gongkai query code derivation v1"),
            uploader: derive(secret, "gongkai uploader key v1"),
            file_link: derive(secret, "gongkai file link v1"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_purpose_and_secret() {
        let keys = DataKeys::derive(b"secret one");
        assert_ne!(keys.applicant, keys.query_code);
        assert_ne!(keys.query_code, keys.query_code_derivation);
        assert_ne!(keys.applicant, DataKeys::derive(b"secret two").applicant);
        assert_eq!(keys.applicant, DataKeys::derive(b"secret one").applicant);
    }
}
