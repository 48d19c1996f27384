use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub category_id: i64,
    pub title: String,
    pub doc_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub status: String,
    pub formed_on: Date,
    #[sea_orm(unique)]
    pub index_no: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub published_on: Option<Date>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawal_reason: Option<String>,
    pub listed_at: DateTimeUtc,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Title and body segmented for the search index; written, but never
    /// read back by the server (its reads select store::disclosures::Readable).
    #[sea_orm(column_type = "Text")]
    pub title_terms: String,
    #[sea_orm(column_type = "Text")]
    pub body_terms: String,
}

impl ActiveModelBehavior for ActiveModel {}
