use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub file_id: i64,
    pub disclosure_id: Option<i64>,
    pub application_id: Option<i64>,
    pub kind: String,
    pub attached_by: Option<i64>,
    pub attached_at: DateTimeUtc,
    pub removed_by: Option<i64>,
    pub removed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub hidden_reason: Option<String>,
    pub hidden_by: Option<i64>,
    pub hidden_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub extracted_text: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
