//! Files over plain HTTP (docs/DESIGN.md, "Documents"): `POST /files` takes
//! the body as the file, streamed; `GET /files/{id}[/{name}]` answers the
//! bytes with the headers DESIGN lists (Content-Disposition with an ASCII
//! fallback and `filename*`, nosniff, a sandboxing CSP, the hash as ETag,
//! no-cache so that a withdrawal counts on the next request), ranges
//! included. What the caller may not read is 404, like an unknown id.

use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Json, Path, Query};
use poem::{Body, IntoResponse, Request, Response, handler};
use serde::Deserialize;
use serde_json::json;

use super::HttpState;
use super::export::{caller, failure};
use super::graphql::client_ip;
use crate::domain::files::StoredFile;
use crate::domain::files::{RangeRequest, content_disposition, is_inline, parse_range};
use crate::error::AppError;
use crate::service::files;

#[handler]
pub async fn upload(req: &Request, body: Body, Data(state): Data<&HttpState>) -> Response {
    let services = &state.services;
    let now = services.clock.now();
    let caller = match caller(state, req.headers(), now).await {
        Ok(caller) => caller,
        Err(err) => return failure(err),
    };
    // A declared length over the limit is refused before a byte is read.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > services.max_file_bytes) {
        return failure(AppError::FileTooLarge {
            limit_mib: services.max_file_bytes.div_ceil(1024 * 1024),
        });
    }
    let name = req
        .headers()
        .get("x-file-name")
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let ip = client_ip(state, req.headers(), req.remote_addr());
    let stream = body.into_bytes_stream();
    match files::upload(services, &caller, ip, name, Box::pin(stream), now).await {
        Ok(file) => Json(json!({
            "id": file.id.to_string(),
            "fileName": file.file_name,
            "contentType": file.content_type,
            "byteSize": file.byte_size,
            "sha256": file.sha256,
        }))
        .with_status(StatusCode::CREATED)
        .into_response(),
        Err(err) => failure(err),
    }
}

#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

#[handler]
pub async fn download(
    req: &Request,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    serve(req, &id, query, state).await
}

#[handler]
pub async fn download_named(
    req: &Request,
    Path((id, _name)): Path<(String, String)>,
    Query(query): Query<LinkQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    serve(req, &id, query, state).await
}

async fn serve(req: &Request, id: &str, query: LinkQuery, state: &HttpState) -> Response {
    let services = &state.services;
    let now = services.clock.now();
    let Ok(id) = id.parse::<i64>() else {
        return failure(AppError::NotFound("文件"));
    };
    let found = match &query.token {
        Some(token) => files::downloadable_by_link(services, id, token, now).await,
        None => match caller(state, req.headers(), now).await {
            Ok(caller) => files::downloadable(&services.db, &caller, id).await,
            Err(err) => Err(err),
        },
    };
    let file = match found {
        Ok(file) => file,
        Err(err) => return failure(err),
    };
    let etag = format!("\"{}\"", file.sha256);
    let headers = req.headers();
    if if_none_match(headers, &etag) {
        return with_file_headers(Response::builder(), &file, &etag)
            .status(StatusCode::NOT_MODIFIED)
            .finish();
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, span) = match parse_range(range, file.byte_size) {
        RangeRequest::Whole => (StatusCode::OK, None),
        RangeRequest::Part { start, end } => (StatusCode::PARTIAL_CONTENT, Some(start..end)),
        RangeRequest::Unsatisfiable => {
            return with_file_headers(Response::builder(), &file, &etag)
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{}", file.byte_size))
                .finish();
        }
    };
    // An empty file has no bytes to ask the store for.
    if file.byte_size == 0 {
        return with_file_headers(Response::builder(), &file, &etag)
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, 0)
            .body(Body::empty());
    }
    let stream = match services.blobs.get(&file.sha256, span.clone()).await {
        Ok(stream) => stream,
        Err(err) => return failure(err),
    };
    let mut builder = with_file_headers(Response::builder(), &file, &etag).status(status);
    let length = match &span {
        Some(span) => {
            builder = builder.header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{}", span.start, span.end - 1, file.byte_size),
            );
            span.end - span.start
        }
        None => file.byte_size,
    };
    builder
        .header(header::CONTENT_LENGTH, length)
        .body(Body::from_bytes_stream(stream))
}

fn with_file_headers(
    builder: poem::ResponseBuilder,
    file: &StoredFile,
    etag: &str,
) -> poem::ResponseBuilder {
    builder
        .header(header::CONTENT_TYPE, file.content_type.as_str())
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&file.file_name, is_inline(&file.content_type)),
        )
        .header("x-content-type-options", "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, "sandbox")
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::ACCEPT_RANGES, "bytes")
}

/// Whether `If-None-Match` names this content (or any, with `*`).
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}
