//! The memo of what is known to be over a cap (table catalogue_over_cap):
//! public filters that matched more than the listing counts (counting the
//! first 10,001 matches of a common word reads that many rows, every time
//! it is asked), and words found in more titles than a plan should look up.
//! Keys are digests of the canonical texts their askers write
//! (`DisclosureFilter::canonical`, `search::title_probe`).

use chrono::{DateTime, Utc};
use entity::catalogue_over_cap;
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Set};

use crate::error::AppResult;

/// `-1` when `key` is remembered, `otherwise` when not, in one
/// expression: a count asks the memo in its own statement, and both
/// databases evaluate `otherwise` (a subquery) only when it is reached.
pub(super) fn unless_remembered(key: &str, otherwise: SimpleExpr) -> SimpleExpr {
    let memo = Query::select()
        .expr(Expr::val(1))
        .from(catalogue_over_cap::Entity)
        .and_where(catalogue_over_cap::Column::FilterKey.eq(key))
        .to_owned();
    Expr::case(Expr::exists(memo), Expr::val(-1_i64))
        .finally(otherwise)
        .into()
}

pub(super) async fn remember(
    db: &impl ConnectionTrait,
    key: String,
    now: DateTime<Utc>,
) -> AppResult<()> {
    catalogue_over_cap::Entity::insert(catalogue_over_cap::ActiveModel {
        filter_key: Set(key),
        recorded_at: Set(now),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    Ok(())
}

/// After a published item was withdrawn or edited, public filters may
/// match fewer items than when they were remembered. (Entries under keys
/// of an older version of a text go too.)
pub(super) async fn forget(db: &impl ConnectionTrait) -> AppResult<()> {
    catalogue_over_cap::Entity::delete_many().exec(db).await?;
    Ok(())
}
