//! sea-orm models of the gongkai database, one module per table. Nothing
//! here knows about GraphQL or HTTP; the rules live in the server's domain.

pub mod app_user;
pub mod application;
pub mod application_event;
pub mod attachment;
pub mod calendar_day;
pub mod catalogue_over_cap;
pub mod disclosure;
pub mod disclosure_category;
pub mod file;
pub mod import_row;
pub mod legal_challenge;
pub mod notification;
pub mod notification_read;
pub mod number_sequence;
pub mod organization;
pub mod personal_data_acknowledgement;
pub mod proactive_figures;
pub mod published_annual_report;
pub mod rate_limit;
pub mod reminder_setting;
pub mod server_setting;
