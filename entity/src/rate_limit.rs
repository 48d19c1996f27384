use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    pub window_started_at: DateTimeUtc,
    pub hits: i32,
    pub blocked_until: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
