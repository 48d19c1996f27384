//! Credentials: argon2 password hashes and signed access tokens.

pub mod password;
pub mod token;
