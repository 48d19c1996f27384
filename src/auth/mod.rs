//! Credentials: argon2 password hashes and signed access tokens.

pub mod keys;
pub mod password;
pub mod token;
