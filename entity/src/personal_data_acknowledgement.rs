use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "personal_data_acknowledgement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub disclosure_id: i64,
    pub user_id: Option<i64>,
    pub acknowledged_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub findings: String,
}

impl ActiveModelBehavior for ActiveModel {}
