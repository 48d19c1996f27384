//! The public portal (政府信息公开 column): server-rendered pages that read
//! and write only by running GraphQL documents in-process against the same
//! schema as `/graphql`, as an anonymous caller, so the policy, masking,
//! limits and errors are the API's. Handlers stay thin: run a document,
//! hand its data (or its errors by field) to a template.

mod apply;
mod pages;
mod render;

use std::collections::BTreeMap;
use std::net::IpAddr;

use async_graphql::{Request as GqlRequest, Variables};
use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get};
use rand::RngCore;
use serde_json::Value as Json;

use super::HttpState;
use crate::api::context::RequestContext;
use crate::domain::policy::Caller;

/// The portal's pages, their stylesheet, feeds and sitemap, each answered
/// with the page security headers.
pub fn routes(route: Route) -> Route {
    route
        .at("/", get(pages::home).around(security_headers))
        .at(
            "/disclosures/:id",
            get(pages::item).around(security_headers),
        )
        .at(
            "/apply",
            get(apply::apply_form)
                .post(apply::apply)
                .around(security_headers),
        )
        .at(
            "/track",
            get(pages::track_form)
                .post(pages::track)
                .around(security_headers),
        )
        .at(
            "/annual-reports",
            get(pages::annual_reports).around(security_headers),
        )
        .at("/guide", get(pages::guide).around(security_headers))
        .at("/feed.xml", get(pages::feed).around(security_headers))
        .at(
            "/organizations/:code/feed.xml",
            get(pages::organization_feed).around(security_headers),
        )
        .at("/sitemap.xml", get(pages::sitemap).around(security_headers))
        .at(
            "/static/portal.css",
            get(pages::stylesheet).around(security_headers),
        )
}

/// What one in-process GraphQL document answered: its data, and its errors'
/// messages by `extensions.field` (those without a field under "").
pub struct Answer {
    pub data: Json,
    pub errors: BTreeMap<String, String>,
}

impl Answer {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// The client's address as `/graphql` and `POST /files` see it (the
/// forwarded one only from a trusted proxy), so that the public's quotas
/// and an upload's owner are the same on every way in.
pub fn client_ip(state: &HttpState, req: &Request) -> IpAddr {
    super::graphql::client_ip(state, req.headers(), req.remote_addr())
}

/// Runs `document` as the anonymous public, the one way in to the data.
pub async fn run(state: &HttpState, req: &Request, document: &str, variables: Json) -> Answer {
    let now = state.services.clock.now();
    let context = RequestContext::new(Caller::Anonymous, now, client_ip(state, req));
    let request = GqlRequest::new(document)
        .variables(Variables::from_json(variables))
        .data(context);
    // Prepared as `/graphql` prepares it, so that the limits are the API's.
    let response = match crate::api::prepare::prepare(request, &state.persisted).await {
        Ok(prepared) => {
            tokio::time::timeout(
                state.request_timeout,
                state.schema.execute(prepared.request),
            )
            .await
        }
        Err(error) => Ok(async_graphql::Response::from_errors(vec![error])),
    };
    let Ok(response) = response else {
        let mut errors = BTreeMap::new();
        errors.insert(String::new(), "请求处理超时，请稍后重试".to_owned());
        return Answer {
            data: Json::Null,
            errors,
        };
    };
    let mut errors = BTreeMap::new();
    for error in &response.errors {
        let field = error
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("field"))
            .and_then(|value| match value {
                async_graphql::Value::String(field) => Some(field.clone()),
                _ => None,
            })
            .unwrap_or_default();
        errors.entry(field).or_insert_with(|| error.message.clone());
    }
    Answer {
        data: response.data.into_json().unwrap_or(Json::Null),
        errors,
    }
}

/// The name of the double-submit cookie that guards the portal's forms.
pub const CSRF_COOKIE: &str = "gk_csrf";

/// A fresh random token (CSRF and the form's clientRequestId).
pub fn random_token() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The CSRF token the browser already holds, if any.
pub fn csrf_cookie(req: &Request) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CSRF_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| value.len() == 36 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A form post passes when its hidden token equals the cookie: another site
/// can make the browser post, but can neither read nor set this cookie
/// (SameSite=Strict, HttpOnly).
pub fn csrf_passes(req: &Request, posted: &str) -> bool {
    csrf_cookie(req).is_some_and(|cookie| same_bytes(cookie.as_bytes(), posted.as_bytes()))
}

/// Compares without stopping at the first difference (no timing hint).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The Set-Cookie value that gives the browser `token`.
pub fn csrf_set_cookie(token: &str) -> String {
    format!("{CSRF_COOKIE}={token}; Path=/; SameSite=Strict; HttpOnly")
}

/// The Content-Security-Policy of every portal page: nothing but the server,
/// no inline script, no framing.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";

/// Security headers on every response below: the portal's CSP unless the
/// endpoint set its own, no sniffing, no referrer to other sites.
pub(super) async fn security_headers<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let mut response = next.get_response(req).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    Ok(response)
}

/// The Host the client used, when it is a plain host and port (it goes
/// into feeds, the sitemap and the explorer's CSP).
pub fn request_host(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
}

/// A rendered page, or the error page when the template fails.
pub fn html(status: StatusCode, body: Result<String, minijinja::Error>) -> Response {
    match body {
        Ok(body) => body
            .with_content_type("text/html; charset=utf-8")
            .with_status(status)
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "a portal template failed");
            "系统内部错误"
                .with_content_type("text/plain; charset=utf-8")
                .with_status(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response()
        }
    }
}
