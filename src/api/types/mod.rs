//! GraphQL types. They wrap the domain's records and values (never the
//! store's rows) and convert with `From`.

/// GraphQL mirrors of the domain's enums, converted both ways; variant
/// comments become the SDL's descriptions. (Defined before the modules
/// below, which see it in scope.)
macro_rules! mirror_enum {
    ($name:ident = $domain:path { $($(#[$meta:meta])* $variant:ident,)+ }) => {
        #[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$meta])* $variant,)+ }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$domain>::$variant,)+ }
            }
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $name::$variant,)+ }
            }
        }
    };
}
pub mod annual_report;
pub mod application;
pub mod attachment;
pub mod calendar;
pub mod disclosure;
pub mod legal_challenge;
pub mod notification;
pub mod organization;
pub mod scalars;
pub mod statistics;
pub mod user;
pub mod webhook;

use async_graphql::ID;

use crate::error::{AppError, AppResult};

/// IDs are opaque to clients; here they are the row's number. An ID that is
/// not one answers as if the object did not exist.
pub fn parse_id(id: &ID, what: &'static str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::NotFound(what))
}
