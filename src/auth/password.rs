//! Password hashing with argon2 on blocking threads. At most two hashes run at
//! once (each takes ~19 MiB and tens of milliseconds), so a burst of logins
//! queues instead of exhausting memory or starving the async workers.

use std::sync::{Arc, LazyLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

const CONCURRENT_HASHES: usize = 2;

/// Verified against when the username is unknown, so that the answer takes
/// as long as for a known user and does not reveal which names exist.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("decoy password that never matches").expect("argon2 hashes"));

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self {
            permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)),
        }
    }
}

impl PasswordHasher {
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move || hash_now(&password)).await?
    }

    /// True when `password` matches `stored`; with no stored hash (unknown
    /// user) a decoy is checked and the answer is false.
    pub async fn verify(&self, password: String, stored: Option<String>) -> AppResult<bool> {
        self.run(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| DECOY_HASH.clone());
            let matches = PasswordHash::new(&stored)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            known && matches
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(AppError::internal)
    }
}

fn hash_now(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let hasher = PasswordHasher::default();
        let first = hasher.hash("correct horse".into()).await.unwrap();
        let second = hasher.hash("correct horse".into()).await.unwrap();
        assert_ne!(first, second, "salted");
        assert!(first.starts_with("$argon2id$"));
        let cases = [
            ("correct horse", Some(first.clone()), true),
            ("wrong horse", Some(first.clone()), false),
            ("correct horse", None, false),
            ("correct horse", Some("not a hash".into()), false),
        ];
        for (password, stored, expected) in cases {
            assert_eq!(
                hasher.verify(password.into(), stored).await.unwrap(),
                expected
            );
        }
    }
}
