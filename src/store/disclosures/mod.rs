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
use sea_orm::{ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter, Select};

use crate::domain::disclosure::{Disclosure, DisclosureContent};
use crate::error::{AppError, AppResult};
use crate::store::stored;

pub use filter::{DisclosureFilter, ListCursor, Search};
pub use listing::{Listed, count, list};
pub use relevance::best_matches;
pub use writes::{
    LoadedDisclosure, NewDisclosure, insert, publish, publish_in, update_content, withdraw,
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
