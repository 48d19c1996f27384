//! Disclosures: writes with optimistic versions, gapless index numbers, and
//! keyset listings with Chinese full-text search on both databases.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::catalogue_over_cap;
use entity::disclosure::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, ExprTrait, Iterable, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Select, Set, Statement,
};

use sha2::{Digest, Sha256};

use crate::domain::applicant::hex;
use crate::domain::calendar::{china_date, china_day_start};
use crate::domain::disclosure::{DisclosureContent, DisclosureStatus};
use crate::domain::numbering::{index_no, index_no_scope};
use crate::domain::search_terms::{disclosure_terms, is_indexed};
use crate::error::{AppError, AppResult};
use crate::store::visibility::{OrgScope, Visibility};
use crate::store::{begin_write, sequences};

const NOT_FOUND: AppError = AppError::NotFound("公开信息");

pub struct NewDisclosure {
    pub organization_id: i64,
    pub category_id: i64,
    pub content: DisclosureContent,
}

impl NewDisclosure {
    /// The segmented title and body the search index reads.
    fn terms(&self) -> (String, String) {
        let content = &self.content;
        disclosure_terms(&content.title, content.doc_number.as_deref(), &content.body)
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewDisclosure,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let (title_terms, body_terms) = new.terms();
    Ok(ActiveModel {
        organization_id: Set(new.organization_id),
        category_id: Set(new.category_id),
        title: Set(new.content.title),
        doc_number: Set(new.content.doc_number),
        body: Set(new.content.body),
        status: Set(DisclosureStatus::Draft.as_str().to_owned()),
        formed_on: Set(new.content.formed_on),
        index_no: Set(None),
        published_at: Set(None),
        published_on: Set(None),
        withdrawn_at: Set(None),
        withdrawal_reason: Set(None),
        listed_at: Set(now),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        title_terms: Set(title_terms),
        body_terms: Set(body_terms),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Disclosures as reads return them: every column but the segmented search
/// terms, which are several times the size of the text, are never shown,
/// and come back empty.
fn readable() -> Select<Entity> {
    Entity::find()
        .select_only()
        .columns(
            Column::iter()
                .filter(|column| !matches!(column, Column::TitleTerms | Column::BodyTerms)),
        )
        .column_as(Expr::val(""), Column::TitleTerms)
        .column_as(Expr::val(""), Column::BodyTerms)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Model>> {
    Ok(readable().filter(Column::Id.eq(id)).one(db).await?)
}

pub async fn find_by_index_no(
    db: &impl ConnectionTrait,
    index_no: &str,
) -> AppResult<Option<Model>> {
    Ok(readable()
        .filter(Column::IndexNo.eq(index_no.trim()))
        .one(db)
        .await?)
}

/// Replaces the content if the stored version is still `expected_version`;
/// otherwise CONFLICT and nothing changes.
pub async fn update_content(
    db: &DatabaseConnection,
    id: i64,
    expected_version: i32,
    new: NewDisclosure,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let (title_terms, body_terms) = new.terms();
    let txn = begin_write(db).await?;
    let result = Entity::update_many()
        .col_expr(Column::CategoryId, Expr::value(new.category_id))
        .col_expr(Column::Title, Expr::value(new.content.title))
        .col_expr(Column::DocNumber, Expr::value(new.content.doc_number))
        .col_expr(Column::Body, Expr::value(new.content.body))
        .col_expr(Column::FormedOn, Expr::value(new.content.formed_on))
        .col_expr(Column::TitleTerms, Expr::value(title_terms))
        .col_expr(Column::BodyTerms, Expr::value(body_terms))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .filter(Column::Status.ne(DisclosureStatus::Withdrawn.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict(
            "该信息已被他人修改，请刷新后重试".into(),
        ));
    }
    let stored = find(&txn, id).await?.ok_or(NOT_FOUND)?;
    if stored_status(&stored)? == DisclosureStatus::Published {
        forget_over_cap(&txn).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// Publishes a draft; at first publication it takes the next index number
/// of its organisation and year in the same transaction (gapless). It is
/// listed from `now` on, and published on `now`'s date in China.
pub async fn publish(
    db: &DatabaseConnection,
    id: i64,
    org_code: &str,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let published_on = china_date(now);
    let txn = begin_write(db).await?;
    let current = Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(NOT_FOUND)?;
    stored_status(&current)?.check_publishable()?;
    let index = match current.index_no.clone() {
        Some(existing) => existing,
        None => {
            let year = published_on.year();
            let sequence =
                sequences::next(&txn, &index_no_scope(current.organization_id, year)).await?;
            index_no(org_code, year, sequence)
        }
    };
    let version = current.version;
    let mut published: ActiveModel = current.into();
    published.status = Set(DisclosureStatus::Published.as_str().to_owned());
    published.index_no = Set(Some(index));
    published.published_at = Set(Some(now));
    published.published_on = Set(Some(published_on));
    published.listed_at = Set(now);
    published.updated_at = Set(now);
    published.version = Set(version + 1);
    let stored = published.update(&txn).await?;
    txn.commit().await?;
    Ok(stored)
}

/// Withdraws a published item; it keeps its index number.
pub async fn withdraw(
    db: &DatabaseConnection,
    id: i64,
    reason: String,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let txn = begin_write(db).await?;
    let current = Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(NOT_FOUND)?;
    stored_status(&current)?.check_withdrawable()?;
    let version = current.version;
    let mut withdrawn: ActiveModel = current.into();
    withdrawn.status = Set(DisclosureStatus::Withdrawn.as_str().to_owned());
    withdrawn.withdrawn_at = Set(Some(now));
    withdrawn.withdrawal_reason = Set(Some(reason));
    withdrawn.updated_at = Set(now);
    withdrawn.version = Set(version + 1);
    let stored = withdrawn.update(&txn).await?;
    forget_over_cap(&txn).await?;
    txn.commit().await?;
    Ok(stored)
}

pub fn stored_status(model: &Model) -> AppResult<DisclosureStatus> {
    DisclosureStatus::parse(&model.status).ok_or_else(|| {
        AppError::internal(format!(
            "disclosure {} has status {}",
            model.id, model.status
        ))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOrder {
    PublishedDesc,
    PublishedAsc,
    /// Title matches first, then newest first.
    Relevance,
}

#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Index terms that must all match (see domain::search_terms).
    pub terms: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct DisclosureFilter {
    pub visibility: Visibility,
    pub status: Option<DisclosureStatus>,
    pub organization: Option<OrgScope>,
    /// A category and its subcategories.
    pub category_ids: Option<Vec<i64>>,
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
    pub search: Option<Search>,
}

/// Where the previous page ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub title_hit: bool,
    pub listed_at: DateTime<Utc>,
    pub id: i64,
}

pub struct Listed {
    pub model: Model,
    pub cursor: ListCursor,
}

fn filter_condition(
    backend: DatabaseBackend,
    filter: &DisclosureFilter,
    plan: SearchPlan,
) -> Condition {
    let published = Column::Status.eq(DisclosureStatus::Published.as_str());
    let mut condition = Condition::all().add(
        filter
            .visibility
            .condition(Column::OrganizationId, Some(published)),
    );
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
    }
    if let Some(scope) = &filter.organization {
        condition = condition.add(scope.condition(Column::OrganizationId));
    }
    if let Some(category_ids) = &filter.category_ids {
        condition = condition.add(Column::CategoryId.is_in(category_ids.iter().copied()));
    }
    // A published item is listed at its publication time, and publishedOn
    // is that instant's date in China (see `publish`): a range of days is a
    // range of the listing index, which counts without reading the rows.
    if filter.published_from.is_some() || filter.published_to.is_some() {
        condition = condition.add(Column::Status.ne(DisclosureStatus::Draft.as_str()));
    }
    if let Some(from) = filter.published_from {
        condition = condition.add(Column::ListedAt.gte(china_day_start(from)));
    }
    if let Some(to) = filter.published_to.and_then(|to| to.succ_opt()) {
        condition = condition.add(Column::ListedAt.lt(china_day_start(to)));
    }
    if let Some(search) = &filter.search {
        condition = condition.add(search_condition(backend, &search.terms, false, plan));
    }
    condition
}

/// How a query finds the items that match a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SearchPlan {
    /// The full-text index lists the matches, which are then sorted: for
    /// counting, and for words that match few items.
    FromIndex,
    /// Items are tested where they lie along the listing index: for common
    /// words, whose first matches come after a few rows. Looking each one up
    /// in the full-text index would cost more than reading its terms.
    InPlace,
}

/// All terms match (in the title alone when `title_only`). Bigram and word
/// terms are answered by the full-text index (FTS5 on SQLite, a GIN-indexed
/// tsvector on PostgreSQL) or, in place, by the stored terms (see
/// `SearchPlan`). A lone CJK character has no bigram to look up and falls
/// back to a substring match.
fn search_condition(
    backend: DatabaseBackend,
    terms: &[String],
    title_only: bool,
    plan: SearchPlan,
) -> SimpleExpr {
    let (indexed, single): (Vec<&String>, Vec<&String>) = terms.iter().partition(|t| is_indexed(t));
    let mut condition = Condition::all();
    if !indexed.is_empty() {
        condition = condition.add(match (backend, plan, title_only) {
            (_, SearchPlan::InPlace, true) => all_terms_in(backend, &indexed, &["title_terms"]),
            (DatabaseBackend::Sqlite, SearchPlan::InPlace, false) => {
                all_terms_in(backend, &indexed, &["title_terms", "body_terms"])
            }
            (DatabaseBackend::Postgres, ..) => {
                // sea-query leaves `?` alone on PostgreSQL (a jsonb operator there).
                let indexed_column = if title_only {
                    TITLE_VECTOR
                } else {
                    "search_vector"
                };
                Expr::cust_with_values(
                    format!("{indexed_column} @@ to_tsquery('simple', $1)"),
                    [ts_query(&indexed)],
                )
            }
            _ => {
                let query = fts_query(&indexed, title_only);
                Expr::cust_with_values(
                    "disclosure.id IN (SELECT rowid FROM disclosure_fts WHERE disclosure_fts MATCH ?)",
                    [query],
                )
            }
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

/// Every term is one of the space-separated terms stored in one of
/// `columns`. A substring position rather than LIKE: the planner guesses
/// LIKE '%…%' to match almost nothing and would sort the whole table rather
/// than walk the listing index, which is what this test is for.
fn all_terms_in(backend: DatabaseBackend, terms: &[&String], columns: &[&str]) -> SimpleExpr {
    let position = match backend {
        DatabaseBackend::Postgres => "strpos",
        _ => "instr",
    };
    let mut all = Condition::all();
    for term in terms {
        let mut any = Condition::any();
        for column in columns {
            let found = Expr::cust_with_values(
                format!(
                    "{position}(' ' || disclosure.{column} || ' ', {}) > 0",
                    placeholder(backend)
                ),
                [format!(" {term} ")],
            );
            any = any.add(found);
        }
        all = all.add(any);
    }
    all.into()
}

/// The first bound value of a custom expression (sea-query leaves `?` alone
/// on PostgreSQL, where it is a jsonb operator).
fn placeholder(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "$1",
        _ => "?",
    }
}

/// The title's terms as PostgreSQL indexes them on their own (GIN index
/// idx_disclosure_title_search), to find title matches without the body.
const TITLE_VECTOR: &str = "to_tsvector('simple', disclosure.title_terms)";

/// A PostgreSQL tsquery for all `terms`.
fn ts_query(terms: &[&String]) -> String {
    ts_terms(terms.iter().copied(), " & ")
}

/// `terms` quoted as tsquery lexemes and joined by an operator.
fn ts_terms<'a>(terms: impl Iterator<Item = &'a String>, operator: &str) -> String {
    terms
        .map(|t| format!("'{}'", t.replace('\\', "").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(operator)
}

/// An FTS5 query for all `terms` as phrases, in the title column alone when
/// `title_only`.
fn fts_query(terms: &[&String], title_only: bool) -> String {
    let phrases = terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ");
    if title_only {
        format!("title_terms : ({phrases})")
    } else {
        phrases
    }
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
    order: ListOrder,
    after: Option<ListCursor>,
    limit: u64,
    few_matches: bool,
) -> AppResult<Vec<Listed>> {
    let backend = db.get_database_backend();
    let plan = if few_matches {
        SearchPlan::FromIndex
    } else {
        SearchPlan::InPlace
    };
    let terms = filter.search.as_ref().map(|s| s.terms.as_slice());
    let (Some(terms), ListOrder::Relevance) = (terms, order) else {
        let part = Part {
            order,
            plan,
            title_match: None,
            sort_matches: few_matches,
        };
        return part.page(db, filter, after, limit).await;
    };
    let title_plan = match plan {
        SearchPlan::InPlace if few_title_matches(db, terms).await? => SearchPlan::FromIndex,
        plan => plan,
    };
    let in_title = search_condition(backend, terms, true, title_plan);
    let mut items = Vec::new();
    if after.is_none_or(|cursor| cursor.title_hit) {
        let part = Part {
            order: ListOrder::PublishedDesc,
            plan,
            title_match: Some((in_title.clone(), true)),
            sort_matches: title_plan == SearchPlan::FromIndex,
        };
        items = part.page(db, filter, after, limit).await?;
    }
    if (items.len() as u64) < limit {
        let after = after.filter(|cursor| !cursor.title_hit);
        let part = Part {
            order: ListOrder::PublishedDesc,
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
const FEW_TITLE_MATCHES: u64 = 5_000;

/// Whether at most FEW_TITLE_MATCHES items (of any status) have every term
/// in their title, counted from the title's own full-text index. Words
/// found over that number are remembered with the counts over the cap
/// (`count`): the answer only chooses a plan, and either plan lists the
/// same items, so a remembered answer that has gone stale costs time, never
/// correctness.
async fn few_title_matches(db: &impl ConnectionTrait, terms: &[String]) -> AppResult<bool> {
    let indexed: Vec<&String> = terms.iter().filter(|t| is_indexed(t)).collect();
    if indexed.is_empty() {
        return Ok(false);
    }
    let key = memo_key(&format!(
        "title matches over {FEW_TITLE_MATCHES}: {indexed:?}"
    ));
    if is_remembered(db, &key).await? {
        return Ok(false);
    }
    let backend = db.get_database_backend();
    let limit = sea_orm::Value::from(FEW_TITLE_MATCHES as i64 + 1);
    let statement = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM disclosure
                 WHERE {TITLE_VECTOR} @@ to_tsquery('simple', $1) LIMIT $2) AS capped"
            ),
            [ts_query(&indexed).into(), limit],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT COUNT(*) AS n FROM (SELECT rowid FROM disclosure_fts
             WHERE disclosure_fts MATCH ? LIMIT ?)",
            [fts_query(&indexed, true).into(), limit],
        ),
    };
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let few = row.try_get::<i64>("", "n")? as u64 <= FEW_TITLE_MATCHES;
    if !few {
        remember(db, key).await?;
    }
    Ok(few)
}

/// One part of a listing: the filter, optionally narrowed to title matches
/// (or to the others), in one order. `sort_matches`: the part matches few
/// items, to be collected from the search index and sorted rather than met
/// along the listing index.
struct Part {
    order: ListOrder,
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
        let backend = db.get_database_backend();
        let mut query = readable().filter(filter_condition(backend, filter, self.plan));
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
        let direction = if self.order == ListOrder::PublishedAsc {
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
        // An ordering no index provides makes the database collect the
        // matches and sort them.
        let listed_at: SimpleExpr = match (self.sort_matches, backend) {
            (true, DatabaseBackend::Postgres) => {
                Expr::cust("(disclosure.listed_at + INTERVAL '0 seconds')")
            }
            (true, _) => Expr::cust("+disclosure.listed_at"),
            (false, _) => Expr::col((Entity, Column::ListedAt)),
        };
        let rows = query
            .order_by(listed_at, direction.clone())
            .order_by(Column::Id, direction)
            .limit(limit)
            .all(db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|model| Listed {
                cursor: ListCursor {
                    title_hit,
                    listed_at: model.listed_at,
                    id: model.id,
                },
                model,
            })
            .collect())
    }
}

/// The published disclosures of an organisation that share the most terms
/// with a text (an application's description), best first: ranked by BM25
/// on SQLite and ts_rank on PostgreSQL over an OR of the terms.
pub async fn best_matches(
    db: &impl ConnectionTrait,
    organization_id: i64,
    terms: &[String],
    limit: u64,
) -> AppResult<Vec<Model>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let published = Condition::all()
        .add(Column::OrganizationId.eq(organization_id))
        .add(Column::Status.eq(DisclosureStatus::Published.as_str()));
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let any = ts_terms(terms.iter(), " | ");
            Ok(Entity::find()
                .filter(published)
                .filter(Expr::cust_with_values(
                    "search_vector @@ to_tsquery('simple', $1)",
                    [any.clone()],
                ))
                .order_by(
                    Expr::cust_with_values(
                        "ts_rank(search_vector, to_tsquery('simple', $1))",
                        [any],
                    ),
                    Order::Desc,
                )
                .order_by(Column::Id, Order::Desc)
                .limit(limit)
                .all(db)
                .await?)
        }
        backend => {
            let any = terms
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" OR ");
            // bm25() is defined only inside the MATCH query: rank there, then join.
            let sql = "SELECT disclosure.* FROM disclosure
                 JOIN (SELECT rowid AS id, bm25(disclosure_fts, 10.0, 1.0) AS rank
                       FROM disclosure_fts WHERE disclosure_fts MATCH ?) AS m ON m.id = disclosure.id
                 WHERE disclosure.organization_id = ? AND disclosure.status = ?
                 ORDER BY m.rank, disclosure.id DESC LIMIT ?";
            let values: [sea_orm::Value; 4] = [
                any.into(),
                organization_id.into(),
                DisclosureStatus::Published.as_str().into(),
                (limit as i64).into(),
            ];
            Ok(Entity::find()
                .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
                .all(db)
                .await?)
        }
    }
}

/// How many items match, counting no further than `cap`.
///
/// A public filter that once matched `cap` items or more is remembered
/// (table catalogue_over_cap) and answered without counting: counting the
/// first 10,001 matches of a common word reads that many rows. The public
/// sees PUBLISHED items only, whose number under a fixed filter only grows
/// as items are published; it can shrink only when a published item is
/// withdrawn or edited, and both forget every remembered filter in their
/// transaction. (A count already under way when that happens may still
/// remember its filter: then the answer says "more than 10,000" for a
/// filter that now matches exactly the cap.)
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    cap: u64,
) -> AppResult<u64> {
    let remembered = over_cap_key(filter, cap);
    if let Some(key) = &remembered
        && is_remembered(db, key).await?
    {
        return Ok(cap);
    }
    let backend = db.get_database_backend();
    let capped = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(filter_condition(backend, filter, SearchPlan::FromIndex))
        .limit(cap)
        .into_query();
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_subquery(capped, "capped")
        .to_owned();
    let row = db
        .query_one(&count)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let count = row.try_get::<i64>("", "n")? as u64;
    if let Some(key) = remembered.filter(|_| count >= cap) {
        remember(db, key).await?;
    }
    Ok(count)
}

/// The key a public filter is remembered under; None for staff, whose
/// listings include drafts that come and go.
fn over_cap_key(filter: &DisclosureFilter, cap: u64) -> Option<String> {
    matches!(filter.visibility, Visibility::PublishedOnly)
        .then(|| memo_key(&format!("{cap} {filter:?}")))
}

fn memo_key(what: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(what.as_bytes());
    hex(&hasher.finalize())
}

async fn is_remembered(db: &impl ConnectionTrait, key: &str) -> AppResult<bool> {
    Ok(catalogue_over_cap::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .is_some())
}

async fn remember(db: &impl ConnectionTrait, key: String) -> AppResult<()> {
    catalogue_over_cap::Entity::insert(catalogue_over_cap::ActiveModel {
        filter_key: Set(key),
        recorded_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    Ok(())
}

/// After a published item was withdrawn or edited, public filters may
/// match fewer items than when they were remembered.
async fn forget_over_cap(db: &impl ConnectionTrait) -> AppResult<()> {
    catalogue_over_cap::Entity::delete_many().exec(db).await?;
    Ok(())
}
