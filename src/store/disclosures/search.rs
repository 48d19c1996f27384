//! Keyset listings and how each finds the items that match a search: from
//! the full-text index, or tested in place along the listing index.

use chrono::{DateTime, Utc};
use entity::disclosure::{Column, Entity};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, Order, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::Readable;
use super::dialect::Dialect;
use super::filter::{DisclosureFilter, ListCursor, filter_condition};
use super::over_cap;
use crate::domain::disclosure::{CatalogueOrder, Disclosure};
use crate::domain::search_terms::is_indexed;
use crate::error::{AppError, AppResult};

/// How a query finds the items that match a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SearchPlan {
    /// The full-text index lists the matches, which are then sorted: for
    /// counting, and for words that match few items.
    FromIndex,
    /// Items are tested where they lie along the listing index: for common
    /// words, whose first matches come after a few rows. Looking each one up
    /// in the full-text index would cost more than reading its terms.
    InPlace,
}

/// All terms match (in the title alone when `title_only`). Bigram and word
/// terms are answered as `plan` says; a lone CJK character has no bigram
/// to look up and falls back to a substring match.
pub(super) fn search_condition(
    dialect: Dialect,
    terms: &[String],
    title_only: bool,
    plan: SearchPlan,
) -> SimpleExpr {
    let (indexed, single): (Vec<&String>, Vec<&String>) = terms.iter().partition(|t| is_indexed(t));
    let mut condition = Condition::all();
    if !indexed.is_empty() {
        condition = condition.add(match plan {
            SearchPlan::FromIndex => dialect.index_match(&indexed, title_only),
            SearchPlan::InPlace => dialect.in_place_match(&indexed, title_only),
        });
    }
    for term in single {
        let pattern = format!("%{term}%");
        let in_title = Column::Title.like(pattern.clone());
        condition = condition.add(if title_only {
            in_title
        } else {
            Condition::any()
                .add(in_title)
                .add(Column::DocNumber.like(pattern.clone()))
                .add(Column::Body.like(pattern))
                .into()
        });
    }
    condition.into()
}

/// An item of a page, with where the page stands after it.
pub struct Listed {
    pub disclosure: Disclosure,
    pub cursor: ListCursor,
}

/// One page: up to `limit` items after `after`, in `order`. RELEVANCE
/// lists the items whose title matches first, then the others, each part
/// newest first: two plain keyset queries rather than one sort over every
/// match, so a common word costs no more than an ordinary listing.
///
/// `few_matches` says the filter matches few rows (the capped count was
/// exact): the search index then lists them and they are sorted, where
/// otherwise the listing index is walked and each item tested in place
/// (`SearchPlan`). Walking the listing for a rare word would mean reading the
/// whole table. The title part of RELEVANCE makes the same choice from a
/// capped count of title matches, since a word common in bodies may be rare
/// in titles (条例, say).
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    order: CatalogueOrder,
    after: Option<ListCursor>,
    limit: u64,
    few_matches: bool,
    now: DateTime<Utc>,
) -> AppResult<Vec<Listed>> {
    let dialect = Dialect::of(db);
    let plan = if few_matches {
        SearchPlan::FromIndex
    } else {
        SearchPlan::InPlace
    };
    let terms = filter.search.as_ref().map(|s| s.terms.as_slice());
    let (Some(terms), CatalogueOrder::Relevance) = (terms, order) else {
        let part = Part {
            order,
            plan,
            title_match: None,
            sort_matches: few_matches,
        };
        return part.page(db, filter, after, limit).await;
    };
    let title_plan = match plan {
        SearchPlan::InPlace if few_title_matches(db, terms, now).await? => SearchPlan::FromIndex,
        plan => plan,
    };
    let in_title = search_condition(dialect, terms, true, title_plan);
    let mut items = Vec::new();
    if after.is_none_or(|cursor| cursor.title_hit) {
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan,
            title_match: Some((in_title.clone(), true)),
            sort_matches: title_plan == SearchPlan::FromIndex,
        };
        items = part.page(db, filter, after, limit).await?;
    }
    if (items.len() as u64) < limit {
        let after = after.filter(|cursor| !cursor.title_hit);
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan,
            title_match: Some((in_title, false)),
            sort_matches: few_matches,
        };
        items.extend(
            part.page(db, filter, after, limit - items.len() as u64)
                .await?,
        );
    }
    Ok(items)
}

/// Title matches found by the full-text index count no further than this
/// before walking the listing becomes the cheaper way to find them.
pub(super) const FEW_TITLE_MATCHES: u64 = 5_000;

/// Whether at most FEW_TITLE_MATCHES items (of any status) have every term
/// in their title, counted from the title's own full-text index. Words
/// found over that number are remembered with the counts over the cap
/// (`over_cap`): the answer only chooses a plan, and either plan lists the
/// same items, so a remembered answer that has gone stale costs time, never
/// correctness.
async fn few_title_matches(
    db: &impl ConnectionTrait,
    terms: &[String],
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let indexed: Vec<&String> = terms.iter().filter(|t| is_indexed(t)).collect();
    if indexed.is_empty() {
        return Ok(false);
    }
    let key = over_cap::title_probe_key(&indexed);
    if over_cap::is_remembered(db, &key).await? {
        return Ok(false);
    }
    let statement = Dialect::of(db).count_title_matches(&indexed, FEW_TITLE_MATCHES + 1);
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let few = row.try_get::<i64>("", "n")? as u64 <= FEW_TITLE_MATCHES;
    if !few {
        over_cap::remember(db, key, now).await?;
    }
    Ok(few)
}

/// One part of a listing: the filter, optionally narrowed to title matches
/// (or to the others), in one order. `sort_matches`: the part matches few
/// items, to be collected from the search index and sorted rather than met
/// along the listing index.
struct Part {
    order: CatalogueOrder,
    plan: SearchPlan,
    title_match: Option<(SimpleExpr, bool)>,
    sort_matches: bool,
}

impl Part {
    async fn page(
        &self,
        db: &impl ConnectionTrait,
        filter: &DisclosureFilter,
        after: Option<ListCursor>,
        limit: u64,
    ) -> AppResult<Vec<Listed>> {
        let dialect = Dialect::of(db);
        let mut query = Entity::find().filter(filter_condition(dialect, filter, self.plan));
        let title_hit = match &self.title_match {
            Some((in_title, true)) => {
                query = query.filter(in_title.clone());
                true
            }
            Some((in_title, false)) => {
                query = query.filter(Condition::all().add(in_title.clone()).not());
                false
            }
            None => false,
        };
        let direction = if self.order == CatalogueOrder::PublishedAsc {
            Order::Asc
        } else {
            Order::Desc
        };
        if let Some(cursor) = after {
            let beyond = |column: SimpleExpr, value: SimpleExpr| match direction {
                Order::Asc => column.gt(value),
                _ => column.lt(value),
            };
            query = query.filter(
                Condition::any()
                    .add(beyond(
                        Expr::col(Column::ListedAt),
                        Expr::value(cursor.listed_at),
                    ))
                    .add(
                        Condition::all()
                            .add(Column::ListedAt.eq(cursor.listed_at))
                            .add(beyond(Expr::col(Column::Id), Expr::value(cursor.id))),
                    ),
            );
        }
        let listed_at: SimpleExpr = if self.sort_matches {
            dialect.unindexed_listed_at()
        } else {
            Expr::col((Entity, Column::ListedAt))
        };
        let rows = query
            .order_by(listed_at, direction.clone())
            .order_by(Column::Id, direction)
            .limit(limit)
            .into_partial_model::<Readable>()
            .all(db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let disclosure = row.record()?;
                Ok(Listed {
                    cursor: ListCursor {
                        title_hit,
                        listed_at: disclosure.listed_at,
                        id: disclosure.id,
                    },
                    disclosure,
                })
            })
            .collect()
    }
}
