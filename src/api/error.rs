//! Crossing from `AppError` to GraphQL errors. Resolvers end their calls with
//! `.gql()?` so that `extensions.code` (and `extensions.field`) are never
//! lost to async-graphql's blanket `From<Display>` conversion.

use async_graphql::{Error, ErrorExtensions};

use crate::domain::policy::Denial;
use crate::error::{AppError, AppResult};

pub const INTERNAL: &str = "INTERNAL";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::WrongCredentials | Self::InvalidToken => {
                "UNAUTHENTICATED"
            }
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. }
            | Self::PersonalData(_)
            | Self::FileTooLarge { .. }
            | Self::UnsupportedFileType => BAD_USER_INPUT,
            Self::Conflict(_) => "CONFLICT",
            Self::InvalidTransition(_) => "INVALID_TRANSITION",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::Internal(_) => INTERNAL,
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> Error {
        if let Self::Internal(cause) = self {
            // The cause goes to the log (inside the request's span, which
            // carries the request id); the client sees only the code.
            tracing::error!(%cause, "internal error");
        }
        Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let Self::BadUserInput { field, .. } = self {
                ext.set("field", field.as_str());
            }
            if let Self::PersonalData(findings) = self {
                ext.set("field", "acknowledgePersonalData");
                let listed: Vec<async_graphql::Value> = findings
                    .iter()
                    .map(|(file, finding)| {
                        let mut item = async_graphql::indexmap::IndexMap::new();
                        item.insert(
                            async_graphql::Name::new("file"),
                            file.clone().map_or(async_graphql::Value::Null, Into::into),
                        );
                        item.insert(
                            async_graphql::Name::new("kind"),
                            finding.kind.as_str().into(),
                        );
                        item.insert(
                            async_graphql::Name::new("sample"),
                            finding.sample.clone().into(),
                        );
                        async_graphql::Value::Object(item)
                    })
                    .collect();
                ext.set("findings", async_graphql::Value::List(listed));
            }
        })
    }
}

pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|err| err.extend())
    }
}

impl From<Denial> for AppError {
    fn from(denial: Denial) -> Self {
        match denial {
            Denial::Unauthenticated => AppError::Unauthenticated,
            Denial::NotFound => AppError::NotFound("对象"),
            Denial::Forbidden => AppError::Forbidden,
        }
    }
}
