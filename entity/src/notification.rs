use sea_orm::entity::prelude::*;

/// A reminder (docs/DESIGN.md, "Reminders"), once per `dedup_key`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub kind: String,
    pub application_id: Option<i64>,
    pub disclosure_id: Option<i64>,
    pub due_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    #[sea_orm(unique)]
    pub dedup_key: String,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
