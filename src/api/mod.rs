//! The GraphQL layer: schema, limits, types and thin resolvers that call
//! `service` and convert with `From`.

pub mod context;
pub mod error;
pub mod limits;
pub mod pagination;
pub mod prepare;
mod roots;
pub mod types;

use async_graphql::{MergedObject, MergedSubscription, SDLExportOptions, Schema, SchemaBuilder};

use crate::service::Services;
use roots::statistics;
use roots::{
    accounts, annual_reports, applications, calendar, disclosures, files, imports,
    legal_challenges, notifications, organizations, webhooks,
};

// The query root: one object per area, so that a feature adds its own.
// (Plain comments: a doc comment would become the SDL's description.)
#[derive(MergedObject, Default)]
pub struct Query(
    organizations::OrganizationsQuery,
    accounts::AccountsQuery,
    disclosures::DisclosuresQuery,
    applications::ApplicationsQuery,
    statistics::StatisticsQuery,
    annual_reports::AnnualReportsQuery,
    calendar::CalendarQuery,
    notifications::NotificationsQuery,
    webhooks::WebhooksQuery,
);

// The mutation root, by area like the query root.
#[derive(MergedObject, Default)]
pub struct Mutation(
    organizations::OrganizationsMutation,
    accounts::AccountsMutation,
    disclosures::DisclosuresMutation,
    applications::ApplicationsMutation,
    legal_challenges::LegalChallengesMutation,
    statistics::StatisticsMutation,
    annual_reports::AnnualReportsMutation,
    calendar::CalendarMutation,
    files::FilesMutation,
    imports::ImportsMutation,
    notifications::NotificationsMutation,
    webhooks::WebhooksMutation,
);

// The subscription root, by area too.
#[derive(MergedSubscription, Default)]
pub struct Subscription(notifications::NotificationsSubscription);

pub type GongkaiSchema = Schema<Query, Mutation, Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_recursive_depth(limits::MAX_RECURSIVE_DEPTH)
    .limit_depth(limits::MAX_DEPTH)
    .limit_complexity(limits::MAX_COMPLEXITY)
    .disable_suggestions()
}

/// Documents the automatic persisted queries keep per process: a miss
/// costs the client one round trip (it sends the text once), so instances
/// share nothing and memory stays bounded.
pub const PERSISTED_QUERIES: usize = 1000;

/// The schema. Requests reach it through `prepare::prepare` (persisted
/// queries, the written limits), not through extensions.
pub fn build_schema(services: Services) -> GongkaiSchema {
    builder().data(services).finish()
}

/// The SDL that `schema.graphql` holds, with sorted fields for stable diffs.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
}
