//! The GraphQL layer: schema, limits, types and thin resolvers that call
//! `service` and convert with `From`.

pub mod context;
pub mod error;
pub mod limits;
mod mutation;
pub mod pagination;
mod query;
pub mod types;

use async_graphql::{EmptySubscription, SDLExportOptions, Schema, SchemaBuilder};

pub use mutation::Mutation;
pub use query::Query;

use crate::service::Services;

pub type GongkaiSchema = Schema<Query, Mutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription)
        .limit_recursive_depth(limits::MAX_RECURSIVE_DEPTH)
        .disable_suggestions()
        .extension(limits::Limits)
}

pub fn build_schema(services: Services) -> GongkaiSchema {
    builder().data(services).finish()
}

/// The SDL that `schema.graphql` holds, with sorted fields for stable diffs.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
}
