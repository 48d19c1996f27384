//! Keyset listings of the catalogue, and their capped counts.

use chrono::{DateTime, Utc};
use entity::disclosure::{Column, Entity};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};

use super::dialect::Dialect;
use super::filter::{DisclosureFilter, ListCursor, filter_condition};
use super::over_cap;
use super::search::{SearchPlan, few_title_matches, search_condition};
use super::{Shown, ShownRow, shown_select};
use crate::domain::disclosure::CatalogueOrder;
use crate::error::{AppError, AppResult};

/// How many items match, counting no further than `cap`.
///
/// A public filter that once matched `cap` items or more is remembered
/// (`over_cap`) and answered without counting, in the same statement. The public sees PUBLISHED
/// items only, whose number under a fixed filter only grows as items are
/// published; it can shrink only when a published item is withdrawn or
/// edited, and both forget every remembered filter in their transaction.
/// (A count already under way when that happens may still remember its
/// filter: then the answer says "more than 10,000" for a filter that now
/// matches exactly the cap.)
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    cap: u64,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let remembered = filter.canonical(cap).map(|text| text.digest());
    let capped = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(filter_condition(
            Dialect::of(db),
            filter,
            SearchPlan::FromIndex,
        ))
        .limit(cap)
        .into_query();
    let counted: SimpleExpr = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(capped, "capped")
        .to_owned()
        .into();
    let n = match &remembered {
        Some(key) => over_cap::unless_remembered(key, counted),
        None => counted,
    };
    let statement = Query::select().expr_as(n, "n").to_owned();
    let row = db
        .query_one(&statement)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let Ok(count) = u64::try_from(row.try_get::<i64>("", "n")?) else {
        return Ok(cap);
    };
    if let Some(key) = remembered.filter(|_| count >= cap) {
        over_cap::remember(db, key, now).await?;
    }
    Ok(count)
}

/// An item of a page (with its organisation and category, read in the
/// page's statement), with where the page stands after it.
pub struct Listed {
    pub shown: Shown,
    pub cursor: ListCursor,
}

/// One page: up to `limit` items after `after`, in `order`. RELEVANCE
/// lists the items whose title matches first, then the others, each part
/// newest first: two plain keyset queries rather than one sort over every
/// match, so a common word costs no more than an ordinary listing.
///
/// `few_matches` says the filter matches few rows (the caller counted them,
/// up to a threshold): the search index then lists them and they are sorted, where
/// otherwise the listing index is walked and each item tested in place
/// (`SearchPlan`). Walking the listing for a rare word would mean reading the
/// whole table. The title part of RELEVANCE makes the same choice from a
/// capped count of title matches, since a word common in bodies may be rare
/// in titles (条例, say).
///
/// The bodies are read only `with_body` (otherwise they come back empty).
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    order: CatalogueOrder,
    after: Option<ListCursor>,
    limit: u64,
    few_matches: bool,
    with_body: bool,
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
            with_body,
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
        // A title that holds every term is a match anywhere: testing the
        // whole item too (PostgreSQL's tsvector of title and body, read
        // from each row along the listing) would cost half the page's time.
        let unsearched = DisclosureFilter {
            search: None,
            ..filter.clone()
        };
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan,
            title_match: Some((in_title.clone(), true)),
            sort_matches: title_plan == SearchPlan::FromIndex,
            with_body,
        };
        items = part.page(db, &unsearched, after, limit).await?;
    }
    if (items.len() as u64) < limit {
        let after = after.filter(|cursor| !cursor.title_hit);
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan,
            title_match: Some((in_title, false)),
            sort_matches: few_matches,
            with_body,
        };
        items.extend(
            part.page(db, filter, after, limit - items.len() as u64)
                .await?,
        );
    }
    Ok(items)
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
    with_body: bool,
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
                        Expr::col((Entity, Column::ListedAt)),
                        Expr::value(cursor.listed_at),
                    ))
                    .add(
                        Condition::all()
                            .add(Column::ListedAt.eq(cursor.listed_at))
                            .add(beyond(
                                Expr::col((Entity, Column::Id)),
                                Expr::value(cursor.id),
                            )),
                    ),
            );
        }
        let listed_at: SimpleExpr = if self.sort_matches {
            dialect.unindexed_listed_at()
        } else {
            Expr::col((Entity, Column::ListedAt))
        };
        let query = query
            .order_by(listed_at, direction.clone())
            .order_by(Column::Id, direction)
            .limit(limit);
        let rows = shown_select(query, self.with_body)
            .into_model::<ShownRow>()
            .all(db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let shown = row.record()?;
                Ok(Listed {
                    cursor: ListCursor {
                        title_hit,
                        listed_at: shown.disclosure.listed_at,
                        id: shown.disclosure.id,
                    },
                    shown,
                })
            })
            .collect()
    }
}
