//! The GraphQL roots, one query and one mutation object per area, merged
//! in `api::Query` and `api::Mutation`. Resolvers read arguments and the
//! caller, call one service function, and convert with `From`.

pub mod accounts;
pub mod annual_reports;
pub mod applications;
pub mod calendar;
pub mod disclosures;
pub mod files;
pub mod imports;
pub mod legal_challenges;
pub mod notifications;
pub mod organizations;
pub mod statistics;
pub mod webhooks;
