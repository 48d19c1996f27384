//! GraphQL types. They wrap stored rows or domain values; they are not entities.

pub mod application;
pub mod calendar;
pub mod disclosure;
pub mod organization;
pub mod scalars;
pub mod statistics;
pub mod user;

use async_graphql::ID;

use crate::error::{AppError, AppResult};

/// IDs are opaque to clients; here they are the row's number. An ID that is
/// not one answers as if the object did not exist.
pub fn parse_id(id: &ID, what: &'static str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::NotFound(what))
}
