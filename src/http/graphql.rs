//! The GraphQL endpoint. Written by hand rather than with
//! async-graphql-poem's ready-made endpoint because each request needs its
//! viewer resolved from the database, and because of what is refused:
//! non-JSON POSTs (415, a CSRF guard), bodies over 1 MiB (413), batches
//! (400), mutations by GET (405) and multipart uploads.
//!
//! Answers follow the GraphQL-over-HTTP spec's media-type negotiation: a
//! client that accepts `application/graphql-response+json` gets it, and with
//! it a request error (a parse, validation or variable-coercion failure,
//! before anything ran) is HTTP 400 without a `data` entry; every other
//! client gets `application/json` with 200, as before.

use std::net::IpAddr;

use async_graphql::{Request as GqlRequest, Response as GqlResponse, ServerError};
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Json, Redirect, RemoteAddr};
use poem::{Body, IntoResponse, Request, Response, handler};
use rand::Rng;
use serde_json::json;
use tracing::Instrument;

use super::{HttpState, MAX_BODY_BYTES};
use crate::api;
use crate::api::context::RequestContext;
use crate::api::error::{BAD_USER_INPUT, INTERNAL, QUERY_TOO_COMPLEX, request_error};
use crate::api::limits::TOO_COMPLEX_MESSAGE;
use crate::api::prepare::Prepared;
use crate::domain::policy::Caller;
use crate::service::accounts;

pub fn error_response(status: StatusCode, code: &str, message: &str) -> impl IntoResponse + use<> {
    Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
        .with_status(status)
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// The media type of an answer, chosen from the request's Accept header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    /// `application/json`: every well-formed request is answered with 200.
    Json,
    /// `application/graphql-response+json`: request errors are 400.
    GraphqlResponse,
}

impl Media {
    /// The new media type when the client ranks it at least as high as
    /// `application/json`; `application/json` otherwise, and when there is
    /// no Accept header or it names neither (as the spec allows).
    fn negotiate(headers: &HeaderMap) -> Media {
        let mut graphql_response = 0.0_f32;
        let mut json = 0.0_f32;
        let ranges = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','));
        for range in ranges {
            let mut parts = range.split(';');
            let mime = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| param.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match mime.as_str() {
                GRAPHQL_RESPONSE_JSON => graphql_response = graphql_response.max(quality),
                "application/json" => json = json.max(quality),
                _ => {}
            }
        }
        if graphql_response > 0.0 && graphql_response >= json {
            Media::GraphqlResponse
        } else {
            Media::Json
        }
    }

    fn label(self, response: &mut Response) {
        let content_type = match self {
            Media::Json => "application/json; charset=utf-8",
            Media::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        };
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            poem::http::HeaderValue::from_static(content_type),
        );
    }

    /// A refusal before the request reached GraphQL, in this media type.
    fn refuse(self, status: StatusCode, code: &str, message: &str) -> Response {
        let mut response = error_response(status, code, message).into_response();
        self.label(&mut response);
        response
    }
}

#[handler]
pub async fn post(req: &Request, body: Body, Data(state): Data<&HttpState>) -> Response {
    let media = Media::negotiate(req.headers());
    let is_json = req
        .content_type()
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return media.refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            BAD_USER_INPUT,
            "请求须为 application/json",
        );
    }
    let Ok(bytes) = body.into_bytes_limit(MAX_BODY_BYTES).await else {
        return media.refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            BAD_USER_INPUT,
            "请求体不能超过1 MiB",
        );
    };
    let request = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Array(_)) => {
            return media.refuse(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "不支持批量请求");
        }
        Ok(value) => serde_json::from_value::<GqlRequest>(value).ok(),
        Err(_) => None,
    };
    let Some(request) = request else {
        return media.refuse(
            StatusCode::BAD_REQUEST,
            BAD_USER_INPUT,
            "请求不是合法的 GraphQL JSON",
        );
    };
    let prepared = prepare(state, request).await;
    execute(state, prepared, media, req.headers(), req.remote_addr()).await
}

#[handler]
pub async fn get(req: &Request, Data(state): Data<&HttpState>) -> Response {
    let media = Media::negotiate(req.headers());
    let query_string = req.uri().query().unwrap_or_default();
    if query_string.is_empty() {
        // A browser opening the endpoint: the embedded explorer.
        return Redirect::see_other("/explorer").into_response();
    }
    let Ok(request) = async_graphql::http::parse_query_string(query_string) else {
        return media.refuse(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "请求参数不合法");
    };
    let prepared = prepare(state, request).await;
    if let Some(Ok(prepared)) = &prepared
        && !prepared.only_queries
    {
        return media.refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            BAD_USER_INPUT,
            "变更操作须用 POST 提交",
        );
    }
    execute(state, prepared, media, req.headers(), req.remote_addr()).await
}

/// The request readied for the schema, or the request error that refuses
/// it; `None` when it is no GraphQL request at all (no document and no
/// persisted query's hash).
async fn prepare(state: &HttpState, request: GqlRequest) -> Option<Result<Prepared, ServerError>> {
    if request.query.is_empty() && !request.extensions.contains_key("persistedQuery") {
        return None;
    }
    Some(api::prepare::prepare(request, &state.persisted).await)
}

async fn execute(
    state: &HttpState,
    prepared: Option<Result<Prepared, ServerError>>,
    media: Media,
    headers: &HeaderMap,
    remote: &RemoteAddr,
) -> Response {
    let Some(prepared) = prepared else {
        // Refused like malformed JSON, whatever the media type.
        return media.refuse(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "请求缺少 query");
    };
    let request_id = format!("{:016x}", rand::thread_rng().r#gen::<u64>());
    let span = tracing::info_span!("graphql", request_id = %request_id);
    let started = std::time::Instant::now();
    async move {
        let now = state.services.clock.now();
        let caller = match bearer_token(headers) {
            None => Caller::Anonymous,
            Some(token) => match accounts::actor_for_token(&state.services, token, now).await {
                Ok(actor) => Caller::SignedIn(actor),
                Err(err) => {
                    let code = err.code();
                    let response = gql_error_response(err, media, &request_id);
                    log_request("anonymous", code, &response, started);
                    return response;
                }
            },
        };
        let (mut response, operation, refused) = match prepared {
            Err(error) => (GqlResponse::from_errors(vec![error]), None, true),
            Ok(Prepared {
                request,
                operation_name,
                ..
            }) => {
                let context = RequestContext::new(caller, now, client_ip(state, headers, remote));
                let executed = tokio::time::timeout(
                    state.request_timeout,
                    state.schema.execute(request.data(context)),
                )
                .await;
                match executed {
                    // A document the schema refused never ran as the
                    // operation it names.
                    Ok(response) if is_request_error(&response) => (response, None, true),
                    Ok(response) => (response, operation_name, false),
                    Err(_) => {
                        tracing::warn!("request timed out");
                        let error = request_error(INTERNAL, "请求处理超时，请稍后重试");
                        (GqlResponse::from_errors(vec![error]), operation_name, false)
                    }
                }
            }
        };
        finish_errors(&mut response, &request_id);
        let operation = crate::telemetry::operation_label(operation.as_deref());
        let outcome = outcome(&response);
        if outcome == "RATE_LIMITED" {
            crate::telemetry::rate_limited(&operation);
        }
        let answered = answer(response, media, refused.then_some(StatusCode::BAD_REQUEST));
        log_request(&operation, &outcome, &answered, started);
        answered
    }
    .instrument(span)
    .await
}

/// Whether the schema refused the request before running it: a
/// validation or variable-coercion failure leaves no data and errors with
/// no path, while an error raised while running always names its field's
/// path (even when it nulls the whole `data`).
fn is_request_error(response: &GqlResponse) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// `OK`, or the code of the answer's first error.
fn outcome(response: &GqlResponse) -> String {
    response
        .errors
        .first()
        .and_then(|error| error.extensions.as_ref()?.get("code"))
        .map_or_else(
            || "OK".to_owned(),
            |code| match code {
                async_graphql::Value::String(code) => code.clone(),
                _ => INTERNAL.to_owned(),
            },
        )
}

/// The metrics and log line of one request.
fn log_request(operation: &str, code: &str, response: &Response, started: std::time::Instant) {
    crate::telemetry::graphql_request(operation, code, started.elapsed().as_secs_f64());
    tracing::info!(
        operation,
        code,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "graphql request"
    );
}

fn gql_error_response(err: crate::error::AppError, media: Media, request_id: &str) -> Response {
    use async_graphql::ErrorExtensions;
    let mut response =
        GqlResponse::from_errors(vec![err.extend().into_server_error(Default::default())]);
    let status = match err.code() {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        INTERNAL => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    finish_errors(&mut response, request_id);
    answer(response, media, Some(status))
}

/// The GraphQL response in the negotiated media type. `refused` is the
/// status of a request that never reached execution: under
/// `application/graphql-response+json` it is a request error, answered with
/// that status and no `data` entry, so that a client cannot mistake it for
/// a null result.
fn answer(response: GqlResponse, media: Media, refused: Option<StatusCode>) -> Response {
    let (status, request_error) = match (media, refused) {
        (Media::GraphqlResponse, Some(status)) => (status, true),
        _ => (StatusCode::OK, false),
    };
    let mut body = match serde_json::to_value(&response) {
        Ok(body) => body,
        Err(_) => {
            json!({ "errors": [{ "message": "系统内部错误", "extensions": { "code": INTERNAL } }] })
        }
    };
    if request_error && let Some(fields) = body.as_object_mut() {
        fields.remove("data");
    }
    let mut http = Json(body).with_status(status).into_response();
    media.label(&mut http);
    http
}

/// Gives every error a contract code and a Chinese message: validation and
/// parse errors become BAD_USER_INPUT, async-graphql's own limits
/// QUERY_TOO_COMPLEX (the written limits and persisted queries carry their
/// code from `api`), and internal errors carry the request id under which
/// they were logged.
fn finish_errors(response: &mut GqlResponse, request_id: &str) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        let code = match extensions.get("code") {
            Some(async_graphql::Value::String(code)) => code.clone(),
            _ if is_size_limit(&error.message) => {
                error.message = TOO_COMPLEX_MESSAGE.to_owned();
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

/// async-graphql's depth, complexity and recursion limits have no type or
/// code of their own, only these texts (pinned by the `limits` tests).
fn is_size_limit(message: &str) -> bool {
    message == "Query is nested too deep."
        || message == "Query is too complex."
        || message.starts_with("The recursion depth of the query cannot be greater than")
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
