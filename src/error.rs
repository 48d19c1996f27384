//! The one error type of the server. Every failure a caller can see is one of
//! these variants, each of which maps to exactly one `extensions.code` of the
//! contract (see `api::error`). Messages are short Chinese sentences a clerk
//! can understand; they never contain SQL, file paths or personal data.
//! `Internal` keeps its cause for the log only.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录")]
    Unauthenticated,
    #[error("用户名或密码错误")]
    WrongCredentials,
    #[error("登录已失效，请重新登录")]
    InvalidToken,
    #[error("无权进行此操作")]
    Forbidden,
    #[error("{0}不存在")]
    NotFound(&'static str),
    #[error("{message}")]
    BadUserInput { field: String, message: String },
    /// Several input errors of one request, each answered as its own
    /// BAD_USER_INPUT error (see `api::error::GqlResult::gql_all`).
    #[error("{}", .0.first().map_or("输入有误", |p| p.message.as_str()))]
    InvalidFields(Vec<FieldProblem>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    InvalidTransition(String),
    #[error("{0}")]
    RateLimited(&'static str),
    /// An upload over the size limit (HTTP 413).
    #[error("文件不能超过 {limit_mib} MiB")]
    FileTooLarge { limit_mib: u64 },
    /// An upload of a type the server does not keep (HTTP 415).
    #[error("不接受此类文件：仅限 PDF、OFD、Office 文档、JPEG/PNG/TIFF 图片和纯文本")]
    UnsupportedFileType,
    #[error("系统内部错误")]
    Internal(#[source] InternalCause),
}

/// One invalid field of an input, with what is wrong in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// The cause of an internal error, for the server log only.
#[derive(Debug)]
pub struct InternalCause(pub Box<dyn std::error::Error + Send + Sync>);

impl fmt::Display for InternalCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for InternalCause {}

impl AppError {
    /// An input error that names the offending field (`extensions.field`).
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The input errors of a request: one as `BadUserInput`, several as
    /// `InvalidFields`.
    pub fn bad_inputs(mut problems: Vec<FieldProblem>) -> Self {
        if problems.len() == 1 {
            let FieldProblem { field, message } = problems.remove(0);
            return Self::BadUserInput { field, message };
        }
        Self::InvalidFields(problems)
    }

    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(InternalCause(cause.into()))
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal(err)
    }
}

impl<E> From<sea_orm::TransactionError<E>> for AppError
where
    E: Into<AppError> + std::error::Error,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
