use sea_orm::entity::prelude::*;

/// An organisation's DUE_SOON thresholds ("5,2").
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminder_setting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    pub thresholds: String,
}

impl ActiveModelBehavior for ActiveModel {}
