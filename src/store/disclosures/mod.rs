//! Disclosures: reads here; writes with optimistic versions and gapless
//! index numbers (`writes`); the visibility and listing filter (`filter`);
//! keyset listings and capped counts (`listing`) with Chinese full-text
//! search on both databases (`search` planning, over one `dialect` per
//! backend); intake's best matches (`relevance`); the memo of what is known
//! to be over a cap (`over_cap`).

mod dialect;
mod filter;
mod listing;
mod over_cap;
mod relevance;
mod search;
mod writes;

use chrono::{DateTime, NaiveDate, Utc};
use entity::disclosure::{Column, Entity, Model};
use entity::{disclosure_category, organization};
use sea_orm::sea_query::{Expr, Iden};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, DerivePartialModel, EntityTrait,
    FromQueryResult, Iterable, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QueryResult,
    QuerySelect, Select,
};

use crate::domain::disclosure::{Category, Disclosure, DisclosureContent};
use crate::domain::organization::Organization;
use crate::error::{AppError, AppResult};
use crate::store::{categories, organizations, stored};

pub use filter::{DisclosureFilter, ListCursor, Search};
pub use listing::{Listed, Page, PageQuery, list};
pub use relevance::best_matches;
pub use writes::{
    LoadedDisclosure, NewDisclosure, insert, insert_published, publish, publish_in,
    refresh_document_terms, replace_content, update_content, withdraw,
};

const NOT_FOUND: AppError = AppError::NotFound("公开信息");

/// A disclosure as reads select it: every column but the segmented search
/// terms, which are several times the size of the text and never shown.
#[derive(Clone, Debug, DerivePartialModel)]
#[sea_orm(entity = "Entity", from_query_result)]
struct Readable {
    id: i64,
    organization_id: i64,
    category_id: i64,
    title: String,
    doc_number: Option<String>,
    body: String,
    status: String,
    formed_on: NaiveDate,
    index_no: Option<String>,
    published_at: Option<DateTime<Utc>>,
    published_on: Option<NaiveDate>,
    withdrawn_at: Option<DateTime<Utc>>,
    withdrawal_reason: Option<String>,
    listed_at: DateTime<Utc>,
    version: i32,
}

impl Readable {
    fn record(self) -> AppResult<Disclosure> {
        Ok(Disclosure {
            status: stored("disclosure", self.id, "status", &self.status)?,
            id: self.id,
            organization_id: self.organization_id,
            category_id: self.category_id,
            content: DisclosureContent {
                title: self.title,
                doc_number: self.doc_number,
                body: self.body,
                formed_on: self.formed_on,
            },
            index_no: self.index_no,
            published_at: self.published_at,
            published_on: self.published_on,
            withdrawn_at: self.withdrawn_at,
            withdrawal_reason: self.withdrawal_reason,
            listed_at: self.listed_at,
            version: self.version,
        })
    }
}

impl From<Model> for Readable {
    fn from(model: Model) -> Self {
        Readable {
            id: model.id,
            organization_id: model.organization_id,
            category_id: model.category_id,
            title: model.title,
            doc_number: model.doc_number,
            body: model.body,
            status: model.status,
            formed_on: model.formed_on,
            index_no: model.index_no,
            published_at: model.published_at,
            published_on: model.published_on,
            withdrawn_at: model.withdrawn_at,
            withdrawal_reason: model.withdrawal_reason,
            listed_at: model.listed_at,
            version: model.version,
        }
    }
}

/// A disclosure with its organisation and category, as a page or a single
/// read shows them: one statement, so that showing their names costs none.
#[derive(Clone, Debug)]
pub struct Shown {
    pub disclosure: Disclosure,
    pub organization: Organization,
    pub category: Category,
}

/// Column aliases of the joined organisation and category.
const ORGANIZATION: &str = "o_";
const CATEGORY: &str = "c_";

/// `query` selecting what `Shown` needs, in one statement: the disclosure's
/// readable columns, its organisation and category joined. The body (the
/// largest column) is read only `with_body`; otherwise it comes back empty.
fn shown_select(query: Select<Entity>, with_body: bool) -> Select<Entity> {
    let mut query = query.select_only();
    for column in Column::iter() {
        match column {
            Column::TitleTerms | Column::BodyTerms | Column::CreatedAt | Column::UpdatedAt => {}
            Column::Body if !with_body => {
                query = query.expr_as(Expr::cust("''"), "body");
            }
            column => query = query.column(column),
        }
    }
    for column in organization::Column::iter() {
        query = query.column_as(column, format!("{ORGANIZATION}{}", column.to_string()));
    }
    for column in disclosure_category::Column::iter() {
        query = query.column_as(column, format!("{CATEGORY}{}", column.to_string()));
    }
    let of_organization = Entity::belongs_to(organization::Entity)
        .from(Column::OrganizationId)
        .to(organization::Column::Id);
    let of_category = Entity::belongs_to(disclosure_category::Entity)
        .from(Column::CategoryId)
        .to(disclosure_category::Column::Id);
    // LEFT joins (every item has both, by foreign key) so that the planner
    // keeps the items outermost and walks the listing index: with inner
    // joins SQLite 3.50 began from the 300 organisations and read a
    // million items for a page of 20.
    query
        .join(JoinType::LeftJoin, of_organization.into())
        .join(JoinType::LeftJoin, of_category.into())
}

/// A row of `shown_select`.
struct ShownRow {
    disclosure: Readable,
    organization: organization::Model,
    category: disclosure_category::Model,
}

impl FromQueryResult for ShownRow {
    fn from_query_result(row: &QueryResult, _pre: &str) -> Result<Self, DbErr> {
        Ok(ShownRow {
            disclosure: Readable::from_query_result(row, "")?,
            organization: organization::Model::from_query_result(row, ORGANIZATION)?,
            category: disclosure_category::Model::from_query_result(row, CATEGORY)?,
        })
    }
}

impl ShownRow {
    fn record(self) -> AppResult<Shown> {
        Ok(Shown {
            disclosure: self.disclosure.record()?,
            organization: organizations::record(self.organization)?,
            category: categories::record(self.category),
        })
    }
}

async fn read_shown(db: &impl ConnectionTrait, query: Select<Entity>) -> AppResult<Option<Shown>> {
    shown_select(query, true)
        .into_model::<ShownRow>()
        .one(db)
        .await?
        .map(ShownRow::record)
        .transpose()
}

/// A disclosure by id with its organisation and category (one statement).
pub async fn find_shown(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Shown>> {
    read_shown(db, Entity::find().filter(Column::Id.eq(id))).await
}

/// A disclosure by index number with its organisation and category (one statement).
pub async fn find_shown_by_index_no(
    db: &impl ConnectionTrait,
    index_no: &str,
) -> AppResult<Option<Shown>> {
    read_shown(
        db,
        Entity::find().filter(Column::IndexNo.eq(index_no.trim())),
    )
    .await
}

async fn read_one(
    db: &impl ConnectionTrait,
    query: Select<Entity>,
) -> AppResult<Option<Disclosure>> {
    query
        .into_partial_model::<Readable>()
        .one(db)
        .await?
        .map(Readable::record)
        .transpose()
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Disclosure>> {
    read_one(db, Entity::find().filter(Column::Id.eq(id))).await
}

pub async fn find_by_index_no(
    db: &impl ConnectionTrait,
    index_no: &str,
) -> AppResult<Option<Disclosure>> {
    read_one(
        db,
        Entity::find().filter(Column::IndexNo.eq(index_no.trim())),
    )
    .await
}

/// The organisation's disclosures published from `from` to `to`.
fn published_in(organization_id: i64, (from, to): (NaiveDate, NaiveDate)) -> Condition {
    Condition::all()
        .add(Column::OrganizationId.eq(organization_id))
        .add(Column::Status.eq(crate::domain::disclosure::DisclosureStatus::Published.as_str()))
        .add(Column::PublishedOn.between(from, to))
}

pub async fn published_count(
    db: &impl ConnectionTrait,
    organization_id: i64,
    span: (NaiveDate, NaiveDate),
) -> AppResult<u64> {
    Ok(Entity::find()
        .filter(published_in(organization_id, span))
        .count(db)
        .await?)
}

/// A page of `published_in` for an export of the catalogue, by id after `after`.
pub async fn published_page(
    db: &impl ConnectionTrait,
    organization_id: i64,
    span: (NaiveDate, NaiveDate),
    after: i64,
    limit: u64,
) -> AppResult<Vec<Disclosure>> {
    Entity::find()
        .filter(published_in(organization_id, span))
        .filter(Column::Id.gt(after))
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_partial_model::<Readable>()
        .all(db)
        .await?
        .into_iter()
        .map(Readable::record)
        .collect()
}
