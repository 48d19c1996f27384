//! Crossing from `AppError` to GraphQL errors. Resolvers end their calls with
//! `.gql()?` so that `extensions.code` (and `extensions.field`) are never
//! lost to async-graphql's blanket `From<Display>` conversion.

use async_graphql::{Context, Error, ErrorExtensions};

use crate::domain::policy::Denial;
use crate::error::{AppError, AppResult, FieldProblem};

pub const INTERNAL: &str = "INTERNAL";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

/// An error that refuses the whole request before it runs.
pub fn request_error(code: &str, message: &str) -> async_graphql::ServerError {
    let mut error = async_graphql::ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
    error
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::WrongCredentials | Self::InvalidToken => {
                "UNAUTHENTICATED"
            }
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. }
            | Self::InvalidFields(_)
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
            match self {
                Self::BadUserInput { field, .. } => ext.set("field", field.as_str()),
                // Crossed with `.gql()` rather than `.gql_all(ctx)`: the
                // first problem stands for all.
                Self::InvalidFields(problems) => {
                    if let Some(first) = problems.first() {
                        ext.set("field", first.field.as_str());
                    }
                }
                _ => {}
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

fn field_error(problem: FieldProblem) -> Error {
    AppError::BadUserInput {
        field: problem.field,
        message: problem.message,
    }
    .extend()
}

pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;

    /// Like `gql`, and several input errors become one GraphQL error each
    /// (BAD_USER_INPUT, with its `extensions.field`), all at this field's
    /// path: a clerk fixes every field in one round trip.
    fn gql_all(self, ctx: &Context<'_>) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|err| err.extend())
    }

    fn gql_all(self, ctx: &Context<'_>) -> async_graphql::Result<T> {
        match self {
            Err(AppError::InvalidFields(mut problems)) if !problems.is_empty() => {
                // The added errors come first in the answer, the returned
                // one after them: the fields stay in the order checked.
                let last = problems.pop().map(field_error);
                for problem in problems {
                    let error = field_error(problem).into_server_error(ctx.item.pos);
                    ctx.add_error(ctx.set_error_path(error));
                }
                Err(last.expect("not empty"))
            }
            other => other.gql(),
        }
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
