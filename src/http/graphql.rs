//! The GraphQL endpoint. Written by hand rather than with
//! async-graphql-poem's ready-made endpoint because each request needs its
//! viewer resolved from the database, and because of what is refused:
//! non-JSON POSTs (415, a CSRF guard), bodies over 1 MiB (413), batches
//! (400), mutations by GET (405) and multipart uploads.

use std::net::IpAddr;

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{Request as GqlRequest, Response as GqlResponse, ServerError};
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Html, Json, RemoteAddr};
use poem::{Body, IntoResponse, Request, Response, handler};
use rand::Rng;
use serde_json::json;
use tracing::Instrument;

use super::{HttpState, MAX_BODY_BYTES};
use crate::api::context::RequestContext;
use crate::api::error::{BAD_USER_INPUT, INTERNAL, QUERY_TOO_COMPLEX};
use crate::domain::policy::Caller;
use crate::service::accounts;

pub fn error_response(status: StatusCode, code: &str, message: &str) -> impl IntoResponse + use<> {
    Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
        .with_status(status)
}

#[handler]
pub async fn post(req: &Request, body: Body, Data(state): Data<&HttpState>) -> Response {
    let is_json = req
        .content_type()
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            BAD_USER_INPUT,
            "请求须为 application/json",
        )
        .into_response();
    }
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            BAD_USER_INPUT,
            "请求体不能超过1 MiB",
        )
        .into_response();
    };
    let request = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Array(_)) => {
            return error_response(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "不支持批量请求")
                .into_response();
        }
        Ok(value) => serde_json::from_value::<GqlRequest>(value).ok(),
        Err(_) => None,
    };
    let Some(request) = request else {
        return error_response(
            StatusCode::BAD_REQUEST,
            BAD_USER_INPUT,
            "请求不是合法的 GraphQL JSON",
        )
        .into_response();
    };
    execute(state, request, req.headers(), req.remote_addr()).await
}

#[handler]
pub async fn get(req: &Request, Data(state): Data<&HttpState>) -> Response {
    let query_string = req.uri().query().unwrap_or_default();
    if query_string.is_empty() {
        // GraphiQL loads its scripts from a public CDN (see README).
        return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
    }
    let Ok(request) = async_graphql::http::parse_query_string(query_string) else {
        return error_response(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "请求参数不合法")
            .into_response();
    };
    let only_queries = async_graphql::parser::parse_query(&request.query)
        .map(|doc| {
            doc.operations
                .iter()
                .all(|(_, op)| op.node.ty == OperationType::Query)
        })
        .unwrap_or(true);
    if !only_queries {
        return error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            BAD_USER_INPUT,
            "变更操作须用 POST 提交",
        )
        .into_response();
    }
    execute(state, request, req.headers(), req.remote_addr()).await
}

async fn execute(
    state: &HttpState,
    request: GqlRequest,
    headers: &HeaderMap,
    remote: &RemoteAddr,
) -> Response {
    let request_id = format!("{:016x}", rand::thread_rng().r#gen::<u64>());
    let span = tracing::info_span!("graphql", request_id = %request_id);
    async move {
        let now = state.services.clock.now();
        let caller = match bearer_token(headers) {
            None => Caller::Anonymous,
            Some(token) => match accounts::actor_for_token(&state.services, token, now).await {
                Ok(actor) => Caller::SignedIn(actor),
                Err(err) => return gql_error_response(err, &request_id),
            },
        };
        let context = RequestContext::new(caller, now, client_ip(state, headers, remote));
        let executed = tokio::time::timeout(
            state.request_timeout,
            state.schema.execute(request.data(context)),
        )
        .await;
        let mut response = match executed {
            Ok(response) => response,
            Err(_) => {
                tracing::warn!("request timed out");
                let mut error = ServerError::new("请求处理超时，请稍后重试", None);
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", INTERNAL);
                GqlResponse::from_errors(vec![error])
            }
        };
        finish_errors(&mut response, &request_id);
        Json(response).into_response()
    }
    .instrument(span)
    .await
}

fn gql_error_response(err: crate::error::AppError, request_id: &str) -> Response {
    use async_graphql::ErrorExtensions;
    let mut response =
        GqlResponse::from_errors(vec![err.extend().into_server_error(Default::default())]);
    finish_errors(&mut response, request_id);
    Json(response).into_response()
}

/// Gives every error a contract code and a Chinese message: validation and
/// parse errors become BAD_USER_INPUT, the recursion limit QUERY_TOO_COMPLEX
/// (the other limits carry their code from `api::limits`), and internal
/// errors carry the request id under which they were logged.
fn finish_errors(response: &mut GqlResponse, request_id: &str) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        let code = match extensions.get("code") {
            Some(async_graphql::Value::String(code)) => code.clone(),
            _ if is_recursion_limit(&error.message) => {
                error.message = "查询过于复杂或嵌套过深".to_owned();
                QUERY_TOO_COMPLEX.to_owned()
            }
            _ => {
                error.message = format!("查询语句有误：{}", error.message);
                BAD_USER_INPUT.to_owned()
            }
        };
        if code == INTERNAL {
            error.message = format!("{}（请求编号 {request_id}）", error.message);
            extensions.set("requestId", request_id);
        }
        extensions.set("code", code);
    }
}

/// async-graphql's recursion limit has no type or code of its own, only this
/// text (pinned by the `limits` integration tests).
fn is_recursion_limit(message: &str) -> bool {
    message.starts_with("The recursion depth of the query cannot be greater than")
}

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim())
}

/// The TCP peer, or the forwarded address when the peer is a trusted proxy.
pub(super) fn client_ip(state: &HttpState, headers: &HeaderMap, remote: &RemoteAddr) -> IpAddr {
    let peer = remote
        .as_socket_addr()
        .map(|addr| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if !state.trusted_proxies.contains(&peer) {
        return peer;
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}
