//! HTTP: routes, the GraphQL handler, and the limits every request is held to.

mod explorer;
mod export;
mod files;
mod graphql;
mod middleware;
mod portal;
mod subscriptions;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use poem::middleware::{CatchPanic, Cors};
use poem::{EndpointExt, Route, get, handler, http::StatusCode, post, web::Data};

use async_graphql::extensions::apollo_persisted_queries::LruCacheStorage;

use crate::api::GongkaiSchema;
use crate::service::Services;
use crate::store;

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct HttpState {
    pub schema: GongkaiSchema,
    /// The schema's cache of persisted queries (a GET names one by hash).
    pub persisted: LruCacheStorage,
    pub services: Services,
    pub request_timeout: Duration,
    /// Peers whose X-Forwarded-For is believed (a reverse proxy in front).
    pub trusted_proxies: Arc<Vec<IpAddr>>,
}

pub fn routes(state: HttpState, cors_origins: &[String]) -> poem::endpoint::BoxEndpoint<'static> {
    let app = portal::routes(Route::new())
        .at(
            "/explorer",
            get(explorer::page).around(portal::security_headers),
        )
        .at(
            "/explorer/:file",
            get(explorer::asset).around(portal::security_headers),
        )
        .at("/graphql", get(graphql::get).post(graphql::post))
        .at("/graphql/ws", get(subscriptions::ws))
        .at(
            "/export/completion-stats.csv",
            get(export::completion_stats),
        )
        .at("/export/annual-report.csv", get(export::annual_report))
        .at("/export/disclosures.xlsx", get(export::disclosures))
        .at("/export/applications.xlsx", get(export::applications))
        .at(
            "/export/annual-report-status.csv",
            get(export::annual_report_status),
        )
        .at("/files", post(files::upload))
        .at("/files/:id", get(files::download))
        .at("/files/:id/:name", get(files::download_named))
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .data(state);
    // With no origins configured there is no CORS layer at all, so browsers
    // refuse cross-origin calls (poem's Cors with an empty list allows all).
    let app = if cors_origins.is_empty() {
        app.boxed()
    } else {
        app.with(Cors::new().allow_origins(cors_origins.iter().map(String::as_str)))
            .boxed()
    };
    app.with(CatchPanic::new().with_handler(middleware::panic_response))
        .around(middleware::log_request)
        .boxed()
}

/// The operators' address (`--metrics-bind`): `GET /metrics` only, in
/// Prometheus text; the pool gauges are read at each scrape.
pub fn metrics_routes(db: sea_orm::DatabaseConnection) -> poem::endpoint::BoxEndpoint<'static> {
    Route::new().at("/metrics", get(metrics)).data(db).boxed()
}

#[handler]
fn metrics(Data(db): Data<&sea_orm::DatabaseConnection>) -> poem::Response {
    crate::telemetry::database_pool(db);
    let handle = crate::telemetry::metrics();
    handle.run_upkeep();
    poem::Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(handle.render())
}

#[handler]
fn healthz() -> StatusCode {
    StatusCode::OK
}

#[handler]
async fn readyz(Data(state): Data<&HttpState>) -> StatusCode {
    if store::ping(&state.services.db).await {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}
