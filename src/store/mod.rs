//! Storage: sea-orm queries and transactions, one module per aggregate. The
//! only part of the server that knows SQL. Functions take domain-shaped
//! inputs and build the rows themselves; reads answer with the domain's
//! records, stored enums read back through `stored`.

pub mod annual_inputs;
pub mod annual_reports;
pub mod applications;
pub mod blobs;
pub mod bulk;
pub mod calendar;
pub mod categories;
pub mod disclosures;
pub mod files;
pub mod imports;
pub mod legal_challenges;
pub mod notifications;
pub mod organizations;
pub mod reminders;
pub mod replicas;
pub mod rules;
pub mod sequences;
pub mod settings;
pub mod sql;
pub mod statistics;
pub mod throttle;
pub mod users;
pub mod visibility;
pub mod webhooks;

use std::fmt::Display;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};

use crate::domain::workflow::StoredEnum;
use crate::error::{AppError, AppResult};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Connections a PostgreSQL pool opens when `--database-pool` is not
/// given: four per core (8 on two cores), between 4 and 32. A request holds
/// a connection only while one statement runs, so a few per core keep the
/// database busy without queueing on the server's side.
pub fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (cores * 4).clamp(4, 32)
}

/// A connection idle this long is tested (one round trip) before it is
/// handed out; busier ones are not. See `connect`.
const TEST_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// Opens a pool on `url` (sqlite://… or postgres://…) of the default size.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_pool(url, None).await
}

/// Opens a pool on `url` of at most `pool` connections (None: 8 for a
/// SQLite file, `default_pool_size` for PostgreSQL). SQLite files run in
/// WAL mode with foreign keys on and a busy timeout; an in-memory database
/// gets a single connection, since each connection would see its own.
///
/// sqlx tests every connection before handing it out unless told not to:
/// one extra round trip per statement. Here only a connection idle for
/// `TEST_WHEN_IDLE_FOR` is tested (what a firewall or a restarted server
/// drops); a connection that broke while busy fails the one request that
/// meets it and is replaced. (sqlx still checks each connection as it is
/// released, after the answer has been read.)
pub async fn connect_pool(url: &str, pool: Option<u32>) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire_if_idle_for(TEST_WHEN_IDLE_FOR);
    if url.starts_with("sqlite:") {
        if url.contains(":memory:") || url.contains("mode=memory") {
            options.max_connections(1).min_connections(1);
        } else {
            options.max_connections(pool.unwrap_or(8));
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    } else {
        // JIT compilation pays off for long analytical queries only; for
        // oversight's aggregates over 100k rows it cost more (≈260 ms) than
        // the query itself.
        options
            .max_connections(pool.unwrap_or_else(default_pool_size))
            .map_sqlx_postgres_opts(|opts| opts.options([("jit", "off")]));
    }
    Database::connect(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// True while the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// Reads back an enum stored as text: the one conversion, and the one
/// reaction to a value this build does not know (a row written by a newer
/// version, or edited by hand). The row is named in the log (enum columns
/// hold no personal data) and the request fails as INTERNAL.
pub(crate) fn stored<T: StoredEnum>(
    table: &'static str,
    row: impl Display,
    column: &'static str,
    value: &str,
) -> AppResult<T> {
    T::parse(value).ok_or_else(|| {
        tracing::error!(table, %row, column, value, "unknown stored value");
        AppError::internal(format!("{table} {row}: unknown {column}"))
    })
}

/// `stored` for a nullable column.
pub(crate) fn stored_opt<T: StoredEnum>(
    table: &'static str,
    row: impl Display,
    column: &'static str,
    value: Option<&str>,
) -> AppResult<Option<T>> {
    value
        .map(|value| stored(table, row, column, value))
        .transpose()
}

/// True when the insert failed only because a unique key already exists.
pub(crate) fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Begins a transaction that will write. On SQLite it takes the write lock
/// at once (BEGIN IMMEDIATE): a deferred transaction that reads first and
/// writes later fails outright when another writer got in between, instead
/// of waiting its turn.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflow::Status;

    #[test]
    fn an_unknown_stored_value_is_internal() {
        let read = |value| stored::<Status>("application", 7, "status", value);
        assert_eq!(read("CLOSED").ok(), Some(Status::Closed));
        assert!(matches!(read("ARCHIVED"), Err(AppError::Internal(_))));
        assert!(matches!(
            stored_opt::<Status>("application", 7, "status", None),
            Ok(None)
        ));
    }
}

/// The connection pool's state, for the operators' metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStats {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
}

pub fn pool_stats(db: &DatabaseConnection) -> PoolStats {
    fn of<D: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<D>) -> PoolStats {
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX);
        PoolStats {
            in_use: pool.size().saturating_sub(idle),
            idle,
            max: pool.options().get_max_connections(),
        }
    }
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => of(db.get_postgres_connection_pool()),
        _ => of(db.get_sqlite_connection_pool()),
    }
}
