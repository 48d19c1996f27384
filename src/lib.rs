//! gongkai: the GraphQL API behind government information disclosure.
//!
//! Layers, each in its folder: `domain` (pure rules), `store` (the only
//! place that knows SQL), `service` (use cases: policy, validation, store),
//! `api` (thin GraphQL), `http` (routes and limits).

pub mod api;
pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod render;
pub mod seed;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
