//! gongkai: the GraphQL API behind government information disclosure.
//!
//! Layers, each in its folder: `domain` (pure rules), `store` (the only
//! place that knows SQL), `service` (use cases: policy, validation, store),
//! `api` (thin GraphQL), `http` (routes and limits); `spreadsheet` reads and
//! writes XLSX and CSV files for imports and exports.

pub mod api;
pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod progress;
pub mod render;
pub mod seed;
pub mod service;
pub mod spreadsheet;
pub mod startup;
pub mod store;
pub mod telemetry;
