//! gongkai: the GraphQL API behind government information disclosure.
//!
//! Layers, each in its folder: `domain` (pure rules), `store` (the only
//! place that knows SQL), `api` (thin GraphQL), `http` (routes and limits).

pub mod auth;
pub mod domain;
pub mod error;
pub mod store;
