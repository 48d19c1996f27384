use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "proactive_figures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub regulations_issued: i32,
    pub regulations_repealed: i32,
    pub regulations_in_force: i32,
    pub normative_issued: i32,
    pub normative_repealed: i32,
    pub normative_in_force: i32,
    pub licensing_decisions: i32,
    pub penalty_decisions: i32,
    pub coercion_decisions: i32,
    pub fees_yuan: i64,
}

impl ActiveModelBehavior for ActiveModel {}
