use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    /// Ancestry including itself, e.g. "/1/5/".
    pub path: String,
    pub created_at: DateTimeUtc,
    /// Contact details of the office that handles disclosure (公开指南).
    pub office_name: Option<String>,
    pub office_address: Option<String>,
    pub office_hours: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
