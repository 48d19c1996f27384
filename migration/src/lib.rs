//! Database migrations, one change per file. They run from the server's own
//! binary (`gongkai migrate`, and `gongkai serve` before it listens).

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_organization;
mod m20261126_000002_create_app_user;
mod m20261126_000003_create_calendar_day;
mod m20261126_000004_create_server_setting;
mod m20261126_000005_create_rate_limit;
mod m20261126_000006_create_disclosure_category;
mod m20261126_000007_create_number_sequence;
mod m20261126_000008_create_disclosure;
mod m20261126_000009_create_application;
mod m20261126_000010_create_application_event;
mod m20261126_000011_create_annual_report_inputs;
mod m20261127_000012_scale_indexes;
mod m20261201_000020_create_file;
mod m20261201_000021_create_personal_data_acknowledgement;
mod m20261201_000030_create_published_annual_report;
mod m20261201_000031_name_annual_report_category;
mod m20261201_000040_create_notification;
mod m20261201_000041_create_reminder_setting;
mod m20261201_000042_add_application_remind_check_on;
mod m20261201_000043_index_draft_formed_on;
mod m20261201_000044_create_webhook;
mod m20261201_000060_disclosure_org_category_index;
mod m20261202_000050_add_organization_contact;
mod m20261202_000080_create_import_row;
pub mod search_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_organization::Migration),
            Box::new(m20261126_000002_create_app_user::Migration),
            Box::new(m20261126_000003_create_calendar_day::Migration),
            Box::new(m20261126_000004_create_server_setting::Migration),
            Box::new(m20261126_000005_create_rate_limit::Migration),
            Box::new(m20261126_000006_create_disclosure_category::Migration),
            Box::new(m20261126_000007_create_number_sequence::Migration),
            Box::new(m20261126_000008_create_disclosure::Migration),
            Box::new(m20261126_000009_create_application::Migration),
            Box::new(m20261126_000010_create_application_event::Migration),
            Box::new(m20261126_000011_create_annual_report_inputs::Migration),
            Box::new(m20261127_000012_scale_indexes::Migration),
            Box::new(m20261201_000020_create_file::Migration),
            Box::new(m20261201_000021_create_personal_data_acknowledgement::Migration),
            Box::new(m20261201_000040_create_notification::Migration),
            Box::new(m20261201_000041_create_reminder_setting::Migration),
            Box::new(m20261201_000042_add_application_remind_check_on::Migration),
            Box::new(m20261201_000043_index_draft_formed_on::Migration),
            Box::new(m20261201_000044_create_webhook::Migration),
            Box::new(m20261201_000060_disclosure_org_category_index::Migration),
            Box::new(m20261201_000030_create_published_annual_report::Migration),
            Box::new(m20261201_000031_name_annual_report_category::Migration),
            Box::new(m20261202_000080_create_import_row::Migration),
            Box::new(m20261202_000050_add_organization_contact::Migration),
        ]
    }
}
