//! Use cases: each public function checks the caller against the role
//! policy, validates with the domain and calls the store. The GraphQL
//! resolvers and the command line both call these.

pub mod accounts;
pub mod applications;
pub mod calendar;
pub mod disclosures;
pub mod organizations;
pub mod statistics;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::keys::DataKeys;
use crate::auth::password::PasswordHasher;
use crate::auth::token::TokenKeys;
use crate::clock::Clock;

/// Shared by every request; holds no request state.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub tokens: Arc<TokenKeys>,
    pub passwords: PasswordHasher,
    pub keys: Arc<DataKeys>,
    /// The one source of "now" (tests run the server at an instant they choose).
    pub clock: Arc<dyn Clock>,
}

use crate::domain::organization::OrgPlace;
use crate::domain::policy::{Access, Actor, Operation, authorize};
use crate::error::AppResult;

/// On whose authority a use case runs.
#[derive(Clone, Copy, Debug)]
pub enum Authority<'a> {
    /// The command line, run by whoever administers the database.
    Operator,
    /// A GraphQL caller, anonymous (`None`) or signed in.
    Caller(Option<&'a Actor>),
}

impl Authority<'_> {
    pub fn check(self, operation: Operation, target: Option<&OrgPlace>) -> AppResult<Access> {
        match self {
            Authority::Operator => Ok(Access::Full),
            Authority::Caller(actor) => Ok(authorize(actor, operation, target)?),
        }
    }
}
