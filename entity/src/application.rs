use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    #[sea_orm(unique)]
    pub tracking_no: String,
    pub query_code_hash: String,
    pub channel: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub id_type: Option<String>,
    pub id_number: Option<String>,
    pub applicant_key: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub status: String,
    pub outcome: Option<String>,
    pub received_on: Date,
    pub due_on: Date,
    pub due_on_provisional: bool,
    pub clock_running: bool,
    pub extended: bool,
    pub deadline_overridden: bool,
    pub closed_on: Option<Date>,
    pub closed_on_time: Option<bool>,
    pub working_days_to_close: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply: Option<String>,
    pub fee_yuan: Option<i32>,
    pub client_request_id: Option<String>,
    pub request_fingerprint: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the reminder sweep looks at it next (NULL: never again).
    pub remind_check_on: Option<Date>,
    /// The old number of an application brought in from a ledger (原登记编号).
    pub external_no: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
