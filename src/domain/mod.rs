//! Pure rules of the Regulations and of the service: no database, no GraphQL.
//! Each module carries its own table-driven tests.

pub mod annual_report;
pub mod applicant;
pub mod application;
pub mod calendar;
pub mod calendar_file;
pub mod canonical;
pub mod contact;
pub mod deadline;
pub mod disclosure;
pub mod extraction;
pub mod files;
pub mod import;
pub mod intake;
pub mod legal_challenge;
pub mod masking;
pub mod numbering;
pub mod organization;
pub mod personal_data;
pub mod policy;
pub mod problems;
pub mod query_code;
pub mod reminder;
pub mod reply_notice;
pub mod report;
pub mod search_terms;
pub mod throttle;
pub mod user;
pub mod webhook;
pub mod workflow;
