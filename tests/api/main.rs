//! Integration tests: each spawns the real server on a random port, over a
//! fresh database (SQLite file by default; PostgreSQL when
//! GONGKAI_TEST_POSTGRES_URL is set), and speaks GraphQL over HTTP.

mod helpers;

mod applications;
mod auth;
mod calendar;
mod disclosures;
mod exports;
mod field_errors;
mod files;
mod graphql_http;
mod imports;
mod layers;
mod limits;
mod metrics;
mod notices;
mod organizations;
mod portal;
mod reminders;
mod replicas;
mod roles;
mod rules;
mod schema;
mod statistics;
mod subscriptions;
mod webhooks;
