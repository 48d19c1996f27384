use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_challenge")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub kind: String,
    pub after_review: bool,
    pub result: Option<String>,
    pub filed_on: Date,
    pub decided_on: Option<Date>,
}

impl ActiveModelBehavior for ActiveModel {}
