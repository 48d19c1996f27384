use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub kind: String,
    /// The legal day the event took effect.
    pub effective_on: Date,
    pub recorded_at: DateTimeUtc,
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub override_due_on: Option<Date>,
    pub status_after: String,
    pub due_on_after: Date,
    pub clock_running_after: bool,
}

impl ActiveModelBehavior for ActiveModel {}
