//! Bulk loading for synthetic data at province scale: rows go in by the
//! thousand, and the full-text index is built once at the end rather than
//! row by row.

use std::collections::HashMap;

use entity::disclosure::{ActiveModel, Entity};
use entity::number_sequence;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait};

use crate::error::AppResult;

/// Stops maintaining the search index while rows are loaded.
pub async fn suspend_search_index(db: &DatabaseConnection) -> AppResult<()> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => "DROP INDEX IF EXISTS idx_disclosure_search",
        _ => {
            "DROP TRIGGER IF EXISTS disclosure_fts_insert;
             DROP TRIGGER IF EXISTS disclosure_fts_delete;
             DROP TRIGGER IF EXISTS disclosure_fts_update;"
        }
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// Builds the search index over everything loaded, and resumes maintaining
/// it (the same index and triggers as the migration creates).
pub async fn rebuild_search_index(db: &DatabaseConnection) -> AppResult<()> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_disclosure_search ON disclosure USING GIN (search_vector)",
            )
            .await?;
            // VACUUM (which cannot share a statement batch) sets the visibility
            // map, so that counting a listing is an index-only scan.
            "VACUUM ANALYZE disclosure"
        }
        _ => {
            db.execute_unprepared("INSERT INTO disclosure_fts(disclosure_fts) VALUES ('rebuild')")
                .await?;
            db.execute_unprepared(migration::SQLITE_FTS_TRIGGERS)
                .await?;
            "ANALYZE"
        }
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

pub async fn insert_disclosures(db: &DatabaseConnection, rows: Vec<ActiveModel>) -> AppResult<()> {
    if !rows.is_empty() {
        Entity::insert_many(rows).exec_without_returning(db).await?;
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
