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
    let path = logged_path(req.uri().path());
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

/// The path as logged: a file's pretty name (which may name a person, as
/// in 张三身份证.jpg) is left out.
fn logged_path(path: &str) -> String {
    match path.strip_prefix("/files/") {
        Some(rest) if rest.contains('/') => {
            let id = rest.split('/').next().unwrap_or_default();
            format!("/files/{id}/…")
        }
        _ => path.to_owned(),
    }
}

/// A panic anywhere below becomes an INTERNAL GraphQL error, never a trace.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL, "系统内部错误").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_out_of_the_log() {
        assert_eq!(
            logged_path("/files/12/%E5%BC%A0%E4%B8%89.jpg"),
            "/files/12/…"
        );
        assert_eq!(logged_path("/files/12"), "/files/12");
        assert_eq!(logged_path("/graphql"), "/graphql");
    }
}
