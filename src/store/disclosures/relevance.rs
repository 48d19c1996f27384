//! For the clerk at intake: published disclosures ranked by how many of an
//! application's terms they share.

use entity::disclosure::{Column, Entity};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::Readable;
use super::dialect::{Dialect, fts_terms, ts_terms};
use crate::domain::disclosure::{Disclosure, DisclosureStatus};
use crate::error::AppResult;
use crate::store::sql;

/// The published disclosures of an organisation that share the most terms
/// with a text (an application's description), best first: ranked by BM25
/// on SQLite and ts_rank on PostgreSQL over an OR of the terms.
pub async fn best_matches(
    db: &impl ConnectionTrait,
    organization_id: i64,
    terms: &[String],
    limit: u64,
) -> AppResult<Vec<Disclosure>> {
    if terms.iter().all(String::is_empty) {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let rows = match Dialect::of(db) {
        Dialect::Postgres => {
            let any = ts_terms(terms.iter(), " | ");
            Entity::find()
                .filter(
                    Condition::all()
                        .add(Column::OrganizationId.eq(organization_id))
                        .add(Column::Status.eq(DisclosureStatus::Published.as_str())),
                )
                .filter(sql::expr(
                    backend,
                    "search_vector @@ to_tsquery('simple', ?)",
                    [any.clone()],
                ))
                .order_by(
                    sql::expr(
                        backend,
                        "ts_rank(search_vector, to_tsquery('simple', ?))",
                        [any],
                    ),
                    Order::Desc,
                )
                .order_by(Column::Id, Order::Desc)
                .limit(limit)
                .into_partial_model::<Readable>()
                .all(db)
                .await?
        }
        Dialect::Sqlite => {
            // bm25() is defined only inside the MATCH query: rank there, then join.
            let sql = "SELECT disclosure.* FROM disclosure
                 JOIN (SELECT rowid AS id, bm25(disclosure_fts, 10.0, 1.0) AS rank
                       FROM disclosure_fts WHERE disclosure_fts MATCH ?) AS m ON m.id = disclosure.id
                 WHERE disclosure.organization_id = ? AND disclosure.status = ?
                 ORDER BY m.rank, disclosure.id DESC LIMIT ?";
            let values = vec![
                fts_terms(terms.iter(), " OR ").into(),
                organization_id.into(),
                DisclosureStatus::Published.as_str().into(),
                (limit as i64).into(),
            ];
            Readable::find_by_statement(sql::statement(backend, sql, values))
                .all(db)
                .await?
        }
    };
    rows.into_iter().map(Readable::record).collect()
}
