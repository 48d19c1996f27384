//! Bulk loading for synthetic data at province scale: rows go in by the
//! thousand, and the full-text index is built once at the end rather than
//! row by row.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::number_sequence;
use migration::search_index::{POSTGRES_INDEXES, SQLITE_TRIGGERS};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait};

use crate::domain::calendar::WorkingCalendar;
use crate::error::AppResult;
use crate::store::applications::LoadedApplication;
use crate::store::disclosures::LoadedDisclosure;

/// Stops maintaining the search indexes while rows are loaded.
pub async fn suspend_search_index(db: &DatabaseConnection) -> AppResult<()> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            for (name, _) in POSTGRES_INDEXES {
                db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                    .await?;
            }
        }
        _ => drop_sqlite_triggers(db).await?,
    }
    Ok(())
}

async fn drop_sqlite_triggers(db: &impl ConnectionTrait) -> AppResult<()> {
    for (name, _) in SQLITE_TRIGGERS {
        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
            .await?;
    }
    Ok(())
}

/// Builds the search index over everything loaded, and resumes maintaining
/// it (the same index and triggers as the migration creates).
pub async fn rebuild_search_index(db: &DatabaseConnection) -> AppResult<()> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            for (_, create) in POSTGRES_INDEXES {
                db.execute_unprepared(create).await?;
            }
            // VACUUM (which cannot share a statement batch) sets the visibility
            // map, so that counting a listing is an index-only scan.
            "VACUUM ANALYZE disclosure"
        }
        _ => {
            // One statement per call, idempotent (never "already exists"),
            // and all on one connection: another connection of the pool
            // could still see the triggers just dropped.
            let txn = super::begin_write(db).await?;
            drop_sqlite_triggers(&txn).await?;
            txn.execute_unprepared("INSERT INTO disclosure_fts(disclosure_fts) VALUES ('rebuild')")
                .await?;
            for (_, create) in SQLITE_TRIGGERS {
                txn.execute_unprepared(create).await?;
            }
            txn.commit().await?;
            "ANALYZE"
        }
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

pub async fn insert_disclosures(
    db: &DatabaseConnection,
    disclosures: Vec<LoadedDisclosure>,
) -> AppResult<()> {
    if !disclosures.is_empty() {
        let rows = disclosures.into_iter().map(LoadedDisclosure::row);
        entity::disclosure::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Sets the counters behind numbers assigned in bulk, so that the next
/// number handed out follows the last one loaded.
pub async fn set_sequences(
    db: &DatabaseConnection,
    last_values: HashMap<String, i32>,
) -> AppResult<()> {
    let rows: Vec<_> = last_values
        .into_iter()
        .map(|(scope, last_value)| number_sequence::ActiveModel {
            scope: sea_orm::Set(scope),
            last_value: sea_orm::Set(last_value),
        })
        .collect();
    for chunk in rows.chunks(1000) {
        number_sequence::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(number_sequence::Column::Scope)
                    .update_column(number_sequence::Column::LastValue)
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The first free application id (synthetic applications carry explicit
/// ids so that their events can refer to them without a round trip).
pub async fn next_application_id(db: &DatabaseConnection) -> AppResult<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(id), 0) AS last FROM application",
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "last"))
        .transpose()?
        .unwrap_or(0)
        + 1)
}

/// Applications with their events, rows built as the live ones are.
pub async fn insert_applications(
    db: &DatabaseConnection,
    loaded: Vec<LoadedApplication>,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if loaded.is_empty() {
        return Ok(());
    }
    let (applications, events): (Vec<_>, Vec<_>) = loaded
        .into_iter()
        .map(|application| application.rows(calendar, now))
        .unzip();
    let events: Vec<_> = events.into_iter().flatten().collect();
    let txn = super::begin_write(db).await?;
    // SQLite binds at most 32,766 values a statement: about 37 columns a row.
    for chunk in applications.chunks(BATCH_APPLICATIONS) {
        entity::application::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    for chunk in events.chunks(BATCH_EVENTS) {
        entity::application_event::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

const BATCH_EVENTS: usize = 2000;
const BATCH_APPLICATIONS: usize = 500;

/// After loading rows with explicit ids, PostgreSQL's sequence must move past them.
pub async fn after_applications(db: &DatabaseConnection) -> AppResult<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('application', 'id'), GREATEST((SELECT MAX(id) FROM application), 1))",
        )
        .await?;
        // VACUUM cannot share a statement batch.
        db.execute_unprepared("VACUUM ANALYZE application").await?;
        db.execute_unprepared("VACUUM ANALYZE application_event")
            .await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}
