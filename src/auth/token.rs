//! Access tokens: HS256 JWTs, 12 hours, bound to issuer, audience and the
//! user's token version. Verification pins the algorithm; the caller then
//! checks the user is still active with the same version.

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::user::Role;
use crate::error::{AppError, AppResult};

pub const ISSUER: &str = "gongkai";
pub const AUDIENCE: &str = "gongkai-api";
pub const LIFETIME: TimeDelta = TimeDelta::hours(12);
/// HS256 keys shorter than the hash are weak; refuse them.
pub const MIN_SECRET_BYTES: usize = 32;
/// Clock skew tolerated between the instances that issue and verify.
const LEEWAY_SECONDS: i64 = 30;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    /// The user's organisation when the token was issued (informational; the
    /// database decides on each request).
    pub org: String,
    /// Token version: raised on password change and deactivation.
    pub ver: i32,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// What a valid token says about its bearer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bearer {
    pub user_id: i64,
    pub token_version: i32,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    /// The signing key's, then the previous one's during a rotation.
    decoding: Vec<DecodingKey>,
    validation: Validation,
}

fn check_length(secret: &[u8]) -> AppResult<()> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(AppError::internal(format!(
            "the token signing key must have at least {MIN_SECRET_BYTES} bytes"
        )));
    }
    Ok(())
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> AppResult<Self> {
        check_length(secret)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECONDS as u64;
        // Expiry is checked against the server's clock in `verify`, not
        // against the operating system's (tests run the server at an instant).
        validation.validate_exp = false;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: vec![DecodingKey::from_secret(secret)],
            validation,
        })
    }

    /// Also accepts tokens signed with `previous` (a rotation: tokens issued
    /// before it stay valid until they expire); new ones are never signed with it.
    pub fn also_verifying(mut self, previous: &[u8]) -> AppResult<Self> {
        check_length(previous)?;
        self.decoding.push(DecodingKey::from_secret(previous));
        Ok(self)
    }

    pub fn issue(
        &self,
        user_id: i64,
        role: Role,
        organization_id: i64,
        token_version: i32,
        now: DateTime<Utc>,
    ) -> AppResult<(String, DateTime<Utc>)> {
        let now = now.with_nanosecond(0).unwrap_or(now);
        let expires_at = now + LIFETIME;
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.as_str().to_owned(),
            org: organization_id.to_string(),
            ver: token_version,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)?;
        Ok((token, expires_at))
    }

    /// The bearer of a token whose signature, algorithm, issuer and audience
    /// check out and which has not expired at `now`; UNAUTHENTICATED otherwise.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> AppResult<Bearer> {
        let data = self
            .decoding
            .iter()
            .find_map(|key| jsonwebtoken::decode::<Claims>(token, key, &self.validation).ok())
            .ok_or(AppError::InvalidToken)?;
        if data.claims.exp + LEEWAY_SECONDS < now.timestamp() {
            return Err(AppError::InvalidToken);
        }
        let user_id = data
            .claims
            .sub
            .parse()
            .map_err(|_| AppError::InvalidToken)?;
        Ok(Bearer {
            user_id,
            token_version: data.claims.ver,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn sign(claims: &Claims, secret: &[u8]) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(secret),
        )
        .unwrap()
    }

    fn claims(now: DateTime<Utc>) -> Claims {
        Claims {
            sub: "7".into(),
            role: "CLERK".into(),
            org: "5".into(),
            ver: 3,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now.timestamp(),
            exp: (now + LIFETIME).timestamp(),
        }
    }

    #[test]
    fn issued_tokens_verify() {
        let keys = TokenKeys::new(SECRET).unwrap();
        let now = DateTime::UNIX_EPOCH + TimeDelta::days(20_000);
        let (token, expires) = keys.issue(7, Role::Clerk, 5, 3, now).unwrap();
        assert_eq!(expires, now + LIFETIME);
        let bearer = keys.verify(&token, now).unwrap();
        assert_eq!(
            bearer,
            Bearer {
                user_id: 7,
                token_version: 3
            }
        );
    }

    #[test]
    fn bad_tokens_are_refused() {
        let keys = TokenKeys::new(SECRET).unwrap();
        let now = DateTime::UNIX_EPOCH + TimeDelta::days(20_000);
        let good = sign(&claims(now), SECRET);
        let expired = Claims {
            exp: (now - TimeDelta::hours(1)).timestamp(),
            ..claims(now)
        };
        let wrong_audience = Claims {
            aud: "other".into(),
            ..claims(now)
        };
        let wrong_issuer = Claims {
            iss: "other".into(),
            ..claims(now)
        };
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(now)).unwrap())
        );
        let mut tampered = good.clone();
        tampered.insert(good.find('.').unwrap() + 5, 'x');
        let cases = [
            ("expired", sign(&expired, SECRET)),
            ("wrong audience", sign(&wrong_audience, SECRET)),
            ("wrong issuer", sign(&wrong_issuer, SECRET)),
            (
                "other key",
                sign(&claims(now), b"another key of at least 32 bytes!!"),
            ),
            ("alg none", unsigned),
            ("tampered", tampered),
            ("garbage", "not a token".into()),
        ];
        assert!(keys.verify(&good, now).is_ok());
        assert!(
            matches!(
                keys.verify(&good, now + LIFETIME + TimeDelta::minutes(1)),
                Err(AppError::InvalidToken)
            ),
            "expired by the clock"
        );
        for (what, token) in cases {
            assert!(
                matches!(keys.verify(&token, now), Err(AppError::InvalidToken)),
                "{what}"
            );
        }
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(TokenKeys::new(b"short").is_err());
        let keys = TokenKeys::new(SECRET).unwrap();
        assert!(keys.also_verifying(b"short").is_err());
    }

    #[test]
    fn during_a_rotation_the_previous_key_still_verifies() {
        const PREVIOUS: &[u8] = b"the previous key, 32 bytes or more";
        let now = DateTime::UNIX_EPOCH + TimeDelta::days(20_000);
        let rotated = TokenKeys::new(SECRET)
            .unwrap()
            .also_verifying(PREVIOUS)
            .unwrap();
        let cases = [
            (
                "signed with the current key",
                sign(&claims(now), SECRET),
                true,
            ),
            (
                "signed with the previous key",
                sign(&claims(now), PREVIOUS),
                true,
            ),
            (
                "signed with neither",
                sign(&claims(now), b"another key of at least 32 bytes!!"),
                false,
            ),
        ];
        for (what, token, valid) in cases {
            assert_eq!(rotated.verify(&token, now).is_ok(), valid, "{what}");
        }
        let (issued, _) = rotated.issue(7, Role::Clerk, 5, 3, now).unwrap();
        assert!(
            TokenKeys::new(SECRET).unwrap().verify(&issued, now).is_ok(),
            "new tokens are signed with the current key"
        );
    }
}
