//! Use cases: each public function checks the caller against the role
//! policy (through `access`), validates with the domain and calls the
//! store. The GraphQL resolvers and the command line both call these, on
//! behalf of a `Caller`.

pub mod access;
pub mod accounts;
pub mod annual_reports;
pub mod applications;
pub mod calendar;
pub mod cursor;
pub mod disclosures;
pub mod files;
pub mod imports;
pub mod legal_challenges;
pub mod live;
pub mod notices;
pub mod organizations;
pub mod reminders;
pub mod statistics;
pub mod webhooks;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::keys::DataKeys;
use crate::auth::password::PasswordHasher;
use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::store::blobs::BlobStore;

/// Shared by every request; holds no request state.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub tokens: Arc<TokenKeys>,
    pub passwords: PasswordHasher,
    pub keys: Arc<DataKeys>,
    /// The one source of "now" (tests run the server at an instant they choose).
    pub clock: Arc<dyn Clock>,
    /// Where the files' bytes are kept.
    pub blobs: BlobStore,
    /// The largest upload accepted, in bytes.
    pub max_file_bytes: u64,
    /// This instance's live notifications (the subscription).
    pub live: live::LiveHub,
    /// Webhooks may point at loopback and private addresses (tests, intranets).
    pub allow_private_webhooks: bool,
}
