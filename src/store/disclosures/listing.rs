//! Keyset listings of the catalogue, and their capped counts.

use chrono::{DateTime, Utc};
use entity::disclosure::{Column, Entity};
use sea_orm::sea_query::{Expr, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Statement,
};

use super::dialect::Dialect;
use super::filter::{DisclosureFilter, ListCursor, filter_condition};
use super::over_cap;
use super::search::{SearchChoice, SearchPlan, choose_plan, search_condition};
use super::{Shown, ShownRow, shown_select};
use crate::domain::disclosure::CatalogueOrder;
use crate::error::{AppError, AppResult};
use crate::store::sql::with_literal_limits;

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
async fn count(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    cap: u64,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let counting = CappedCount::of(Dialect::of(db), filter, cap);
    let statement = Query::select().expr_as(counting.expr(), "n").to_owned();
    let row = db
        .query_one_raw(with_literal_limits(db.get_database_backend(), &statement))
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    counting.settle(db, row.try_get("", "n")?, now).await
}

/// A capped count as one expression (a scalar subquery, which both
/// databases evaluate once per statement), with the memo it reads first.
pub(super) struct CappedCount {
    cap: u64,
    remembered: Option<String>,
    counted: SimpleExpr,
}

impl CappedCount {
    pub(super) fn of(dialect: Dialect, filter: &DisclosureFilter, cap: u64) -> Self {
        let capped = Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(filter_condition(dialect, filter, SearchPlan::Counting))
            .limit(cap)
            .into_query();
        let counted = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(capped, "capped")
            .to_owned()
            .into();
        CappedCount {
            cap,
            remembered: filter.canonical(cap).map(|text| text.digest()),
            counted,
        }
    }

    /// The count, or -1 when the filter is remembered over the cap.
    pub(super) fn expr(&self) -> SimpleExpr {
        match &self.remembered {
            Some(key) => over_cap::unless_remembered(key, self.counted.clone()),
            None => self.counted.clone(),
        }
    }

    /// What `expr` gave, as a count; a filter found at the cap is
    /// remembered.
    pub(super) async fn settle(
        self,
        db: &impl ConnectionTrait,
        value: i64,
        now: DateTime<Utc>,
    ) -> AppResult<u64> {
        let Ok(count) = u64::try_from(value) else {
            return Ok(self.cap);
        };
        if let Some(key) = self.remembered.filter(|_| count >= self.cap) {
            over_cap::remember(db, key, now).await?;
        }
        Ok(count)
    }
}

/// `query` as the database runs it. A query answered from the full-text
/// index (`from_index`) has a best plan that depends on how common its
/// words are, which a plan made without the words would guess (such
/// generic plans cost L3 a third more of PostgreSQL's time at 1M): it is
/// planned with its values each time. Any other (a listing, or terms
/// tested in place, which the planner cannot estimate from the words
/// anyway) has one best plan whatever its values, and PostgreSQL keeps
/// that plan once the LIMITs are numbers (`with_literal_limits`) and the
/// status is written in (`filter::status_is`).
fn statement_of(db: &impl ConnectionTrait, query: &SelectStatement, from_index: bool) -> Statement {
    let backend = db.get_database_backend();
    if from_index {
        backend.build(query)
    } else {
        with_literal_limits(backend, query)
    }
}

/// An item of a page (with its organisation and category, read in the
/// page's statement), with where the page stands after it.
pub struct Listed {
    pub shown: Shown,
    pub cursor: ListCursor,
}

/// What a page asks for.
#[derive(Clone, Copy, Debug)]
pub struct PageQuery {
    pub order: CatalogueOrder,
    pub after: Option<ListCursor>,
    pub limit: u64,
    /// Bodies are read only when shown (otherwise they come back empty).
    pub with_body: bool,
    /// Count the matches too, no further than this (see `count`).
    pub count_cap: Option<u64>,
}

pub struct Page {
    pub items: Vec<Listed>,
    /// Counted when asked for.
    pub count: Option<u64>,
}

/// One page: up to `limit` items after `after`, in `order`, and their
/// count when asked for.
///
/// Without a search the count rides on the page's own statement (a page
/// that comes back empty counts on its own). A search first chooses its
/// plan from how many items match (`choose_plan`): few, and the search
/// index lists them and they are sorted; many, and the listing index is
/// walked and each item tested in place, since walking it for a rare word
/// would mean reading the whole table.
///
/// RELEVANCE lists the items whose title matches first, then the others,
/// each part newest first: two plain keyset queries rather than one sort
/// over every match, so a common word costs no more than an ordinary
/// listing. Its title part makes the same choice of plan from the number of
/// titles that match, since a word common in bodies may be rare in titles
/// (条例, say).
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    page: PageQuery,
    now: DateTime<Utc>,
) -> AppResult<Page> {
    let dialect = Dialect::of(db);
    let Some(search) = &filter.search else {
        let part = Part {
            order: page.order,
            plan: SearchPlan::InPlace,
            title_match: None,
            sort_matches: false,
            with_body: page.with_body,
        };
        let select = part.select(dialect, filter, page.after, page.limit);
        let Some(cap) = page.count_cap else {
            let items = Part::fetch(db, select, false, false, None).await?.0;
            return Ok(Page { items, count: None });
        };
        let counting = CappedCount::of(dialect, filter, cap);
        let (items, counted) = Part::fetch(db, select, false, false, Some(counting.expr())).await?;
        let count = match counted {
            Some(value) => counting.settle(db, value, now).await?,
            None => count(db, filter, cap, now).await?,
        };
        return Ok(Page {
            items,
            count: Some(count),
        });
    };
    let count = match page.count_cap {
        Some(cap) => Some(count(db, filter, cap, now).await?),
        None => None,
    };
    let relevance = page.order == CatalogueOrder::Relevance;
    let choice = choose_plan(db, filter, &search.terms, relevance, count, now).await?;
    let items = if relevance {
        relevance_page(db, filter, &search.terms, page, choice).await?
    } else {
        let part = Part {
            order: page.order,
            plan: choice.plan,
            title_match: None,
            sort_matches: choice.plan == SearchPlan::FromIndex,
            with_body: page.with_body,
        };
        part.page(db, filter, page.after, page.limit).await?
    };
    Ok(Page { items, count })
}

/// RELEVANCE: the items whose title holds every term, then the others.
async fn relevance_page(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    terms: &[String],
    page: PageQuery,
    choice: SearchChoice,
) -> AppResult<Vec<Listed>> {
    let in_title = search_condition(Dialect::of(db), terms, true, choice.title_plan);
    let (after, limit) = (page.after, page.limit);
    let mut items = Vec::new();
    if after.is_none_or(|cursor| cursor.title_hit) {
        // A title that holds every term is a match anywhere: testing the
        // whole item too (its body's terms, read from each row along the
        // listing) would cost half the page's time.
        let unsearched = DisclosureFilter {
            search: None,
            ..filter.clone()
        };
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan: choice.plan,
            title_match: Some(TitleMatch {
                condition: in_title.clone(),
                plan: choice.title_plan,
                hit: true,
            }),
            sort_matches: choice.title_plan == SearchPlan::FromIndex,
            with_body: page.with_body,
        };
        items = part.page(db, &unsearched, after, limit).await?;
    }
    if (items.len() as u64) < limit {
        let after = after.filter(|cursor| !cursor.title_hit);
        let part = Part {
            order: CatalogueOrder::PublishedDesc,
            plan: choice.plan,
            title_match: Some(TitleMatch {
                condition: in_title,
                plan: choice.title_plan,
                hit: false,
            }),
            sort_matches: choice.plan == SearchPlan::FromIndex,
            with_body: page.with_body,
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
    title_match: Option<TitleMatch>,
    sort_matches: bool,
    with_body: bool,
}

/// Every term in the title (`condition`, answered as `plan` says): the
/// items that match (`hit`), or the others.
struct TitleMatch {
    condition: SimpleExpr,
    plan: SearchPlan,
    hit: bool,
}

/// The column a page's statement carries its count in.
const COUNTED: &str = "listing_count";

impl Part {
    async fn page(
        &self,
        db: &impl ConnectionTrait,
        filter: &DisclosureFilter,
        after: Option<ListCursor>,
        limit: u64,
    ) -> AppResult<Vec<Listed>> {
        let select = self.select(Dialect::of(db), filter, after, limit);
        let title = self.title_match.as_ref();
        let from_index = (filter.search.is_some() && self.plan == SearchPlan::FromIndex)
            || title.is_some_and(|title| title.plan == SearchPlan::FromIndex);
        let title_hit = title.is_some_and(|title| title.hit);
        Ok(Part::fetch(db, select, from_index, title_hit, None)
            .await?
            .0)
    }

    /// The page's rows, each with `counted` (an expression of the whole
    /// statement, evaluated once) when given: that value from the first
    /// row, None when there is none. `from_index`: see `statement_of`.
    async fn fetch(
        db: &impl ConnectionTrait,
        select: Select<Entity>,
        from_index: bool,
        title_hit: bool,
        counted: Option<SimpleExpr>,
    ) -> AppResult<(Vec<Listed>, Option<i64>)> {
        let with_count = counted.is_some();
        let select = match counted {
            Some(counted) => select.expr_as(counted, COUNTED),
            None => select,
        };
        let rows = db
            .query_all_raw(statement_of(db, &select.into_query(), from_index))
            .await?;
        let count = match rows.first() {
            Some(row) if with_count => Some(row.try_get("", COUNTED)?),
            _ => None,
        };
        let items = rows
            .iter()
            .map(|row| {
                let shown = ShownRow::from_query_result(row, "")?.record()?;
                Ok(Listed {
                    cursor: ListCursor {
                        title_hit,
                        listed_at: shown.disclosure.listed_at,
                        id: shown.disclosure.id,
                    },
                    shown,
                })
            })
            .collect::<AppResult<_>>()?;
        Ok((items, count))
    }

    fn select(
        &self,
        dialect: Dialect,
        filter: &DisclosureFilter,
        after: Option<ListCursor>,
        limit: u64,
    ) -> Select<Entity> {
        let mut query = Entity::find().filter(filter_condition(dialect, filter, self.plan));
        match &self.title_match {
            Some(title) if title.hit => query = query.filter(title.condition.clone()),
            Some(title) => {
                query = query.filter(Condition::all().add(title.condition.clone()).not());
            }
            None => {}
        }
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
        shown_select(query, self.with_body)
    }
}
