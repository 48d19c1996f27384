//! What earlier imports of a town's spreadsheets recorded: one row per
//! spreadsheet row, found again by its kind, organisation and key (the
//! ledger's old number, the catalogue's old 索引号), with the fingerprint
//! of the content imported, who imported it and the file's SHA-256.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::import_row::{ActiveModel, Column, Entity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, NotSet,
    QueryFilter, QuerySelect, Set,
};

use crate::domain::import::ImportKind;
use crate::error::AppResult;

/// A row an earlier import recorded.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub id: i64,
    /// The application or disclosure it became.
    pub target_id: i64,
    pub fingerprint: String,
}

/// Statements stay well below every backend's limit of bound values.
const CHUNK: usize = 500;

/// The rows of `kind` earlier imports recorded for these organisations, by
/// (organisation, key).
pub async fn recorded(
    db: &impl ConnectionTrait,
    kind: ImportKind,
    organization_ids: &[i64],
) -> AppResult<HashMap<(i64, String), Recorded>> {
    let mut found = HashMap::new();
    for chunk in organization_ids.chunks(CHUNK) {
        let rows = Entity::find()
            .filter(Column::Kind.eq(kind.as_str()))
            .filter(Column::OrganizationId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for row in rows {
            found.insert(
                (row.organization_id, row.row_key),
                Recorded {
                    id: row.id,
                    target_id: row.target_id,
                    fingerprint: row.fingerprint,
                },
            );
        }
    }
    Ok(found)
}

/// Which disclosure holds each of these index numbers, among those taken.
pub async fn index_no_holders(
    db: &impl ConnectionTrait,
    index_nos: &[&str],
) -> AppResult<HashMap<String, i64>> {
    use entity::disclosure::{Column as D, Entity as Disclosure};
    let mut holders = HashMap::new();
    for chunk in index_nos.chunks(CHUNK) {
        let rows: Vec<(i64, Option<String>)> = Disclosure::find()
            .select_only()
            .column(D::Id)
            .column(D::IndexNo)
            .filter(D::IndexNo.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        holders.extend(
            rows.into_iter()
                .filter_map(|(id, no)| no.map(|no| (no, id))),
        );
    }
    Ok(holders)
}

/// Provenance written with each imported row.
pub struct Provenance<'a> {
    pub imported_by: Option<i64>,
    pub file_sha256: &'a str,
    pub now: DateTime<Utc>,
}

/// Records a row imported for the first time.
pub async fn record(
    txn: &DatabaseTransaction,
    kind: ImportKind,
    organization_id: i64,
    key: &str,
    target_id: i64,
    fingerprint: &str,
    provenance: &Provenance<'_>,
) -> AppResult<()> {
    ActiveModel {
        id: NotSet,
        kind: Set(kind.as_str().to_owned()),
        organization_id: Set(organization_id),
        row_key: Set(key.to_owned()),
        target_id: Set(target_id),
        fingerprint: Set(fingerprint.to_owned()),
        imported_by: Set(provenance.imported_by),
        file_sha256: Set(provenance.file_sha256.to_owned()),
        created_at: Set(provenance.now),
        updated_at: Set(provenance.now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Records that a row was imported again with changed content.
pub async fn record_update(
    txn: &DatabaseTransaction,
    id: i64,
    fingerprint: &str,
    provenance: &Provenance<'_>,
) -> AppResult<()> {
    ActiveModel {
        id: Set(id),
        fingerprint: Set(fingerprint.to_owned()),
        imported_by: Set(provenance.imported_by),
        file_sha256: Set(provenance.file_sha256.to_owned()),
        updated_at: Set(provenance.now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    Ok(())
}
