use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "published_annual_report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub year: i32,
    pub disclosure_id: i64,
    pub snapshot_version: i32,
    pub snapshot: String,
    pub overview: String,
    pub problems_and_improvements: String,
    pub other_matters: Option<String>,
    pub fees_yuan: i64,
    pub published_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub due_on: Date,
}

impl ActiveModelBehavior for ActiveModel {}
