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
pub mod exports;
pub mod files;
pub mod imports;
pub mod legal_challenges;
pub mod live;
pub mod notices;
pub mod organizations;
pub mod progress;
pub mod reminders;
pub mod statistics;
pub mod webhooks;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::keys::DataKeys;
use crate::auth::password::PasswordHasher;
use crate::auth::token::TokenKeys;
use crate::clock::Clock;
use crate::domain::policy::Caller;
use crate::store::blobs::BlobStore;
use crate::store::replicas::{ReadReplicas, Reader};

/// Shared by every request; holds no request state.
#[derive(Clone)]
pub struct Services {
    /// The primary: every write, and the reads that must see them.
    pub db: DatabaseConnection,
    /// Streaming replicas for the reads that may lag (`reads`); often none.
    pub replicas: ReadReplicas,
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

/// What a read is of, which decides whether a replica may answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// The catalogue (listings, items, categories, organisations) and the
    /// published annual reports: what the public reads.
    Catalogue,
    /// Completion statistics: aggregates over many applications, which a
    /// replay delay (normally well under a second) does not change in meaning.
    Statistics,
}

impl Services {
    /// The connection `caller`'s reads of `reading` take. The public's
    /// catalogue reads and everybody's statistics go to a replica when one
    /// is configured and up; a signed-in user (or the command line) reads
    /// the catalogue on the primary, so that what they have just written
    /// is there at once (read-your-writes).
    pub fn reads(&self, caller: &Caller, reading: Reading) -> Reader<'_> {
        let may_lag = match reading {
            Reading::Catalogue => matches!(caller, Caller::Anonymous),
            Reading::Statistics => true,
        };
        if may_lag {
            self.replicas.reader(&self.db)
        } else {
            Reader::primary(&self.db)
        }
    }
}
