use std::any::Any;
use std::time::Instant;

use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Request, Response};

use super::graphql::error_response;
use crate::api::error::INTERNAL;

/// One line per request: method, path, status, milliseconds. Never the query
/// string, headers or body, which may carry tokens, query codes or personal data.
pub async fn log_request<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let response = next.get_response(req).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(response)
}

/// A panic anywhere below becomes an INTERNAL GraphQL error, never a trace.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL, "系统内部错误").into_response()
}
