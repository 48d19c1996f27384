//! 依申请公开: the application form, posted as a plain form or, with the
//! optional ID proof (身份证明), as multipart — both work without
//! JavaScript. The file goes through the same upload the API's `POST
//! /files` uses (limits, types, the public's quota), then the application
//! references it exactly as an API client would, in `submitApplication`'s
//! `attachments`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use poem::http::{StatusCode, header};
use poem::web::{Data, Form, Multipart};
use poem::{Body, FromRequest, Request, RequestBody, Response, handler};
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use tokio::io::AsyncReadExt;

use super::pages::{ORGANIZATIONS, csrf_for, refused, tree, with_csrf_cookie};
use super::render::{page, page_with};
use super::{HttpState, csrf_passes, html, random_token, run};
use crate::domain::files::{ANONYMOUS_BYTES, AttachmentKind};
use crate::domain::policy::Caller;
use crate::error::AppError;
use crate::service::files;

/// The form's file part, and the error shown beside it.
const PROOF_FIELD: &str = "identityProof";
/// A text part longer than this is cut (the longest field, the
/// description, is bounded far below by the API).
const MAX_TEXT_BYTES: u64 = 64 * 1024;
/// More parts than the form has mean it is not our form.
const MAX_PARTS: usize = 32;

/// The application form's fields, as posted (every one a string: the form
/// shows back exactly what was typed).
#[derive(Deserialize, Serialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationForm {
    csrf: String,
    client_request_id: String,
    organization_id: String,
    applicant_type: String,
    applicant_name: String,
    id_type: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    description: String,
    /// An ID proof uploaded with an earlier post of this form that did not
    /// go through: kept, so that it need not be chosen again.
    identity_proof_file_id: String,
    identity_proof_name: String,
}

/// 依申请公开: the empty form, with a fresh clientRequestId so that posting
/// it twice (double click, reload) makes one application.
#[handler]
pub async fn apply_form(req: &Request, Data(state): Data<&HttpState>) -> Response {
    let form = ApplicationForm {
        client_request_id: random_token(),
        applicant_type: "NATURAL_PERSON".to_owned(),
        id_type: "RESIDENT_ID".to_owned(),
        ..Default::default()
    };
    form_page(req, state, &form, BTreeMap::new(), StatusCode::OK).await
}

async fn form_page(
    req: &Request,
    state: &HttpState,
    form: &ApplicationForm,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> Response {
    let (csrf, fresh) = csrf_for(req);
    let organizations = run(state, req, ORGANIZATIONS, Json::Null).await;
    let limit = state.services.max_file_bytes.min(ANONYMOUS_BYTES);
    let body = page_with(
        "apply.html",
        json!({
            "nav": "apply",
            "form": form,
            "errors": errors,
            "organizations": tree(organizations.data["organizations"].as_array()),
            "proofLimitMib": limit.div_ceil(1024 * 1024),
        }),
        &csrf,
    );
    with_csrf_cookie(html(status, body), fresh.then_some(&csrf))
}

const SUBMIT: &str = r#"
mutation Apply($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    queryCode
    tracking { trackingNo receivedOn dueOn organization { name } }
  }
}"#;

/// What a post of the form carried.
struct Posted {
    form: ApplicationForm,
    /// The ID proof received with this post: the stored file's id and
    /// name, or why it was refused.
    proof: Option<Result<(i64, String), String>>,
}

/// The form posted: submitApplication, then either the tracking number and
/// query code (shown this once) or the form again with each error by its
/// field. A retried post carries the same clientRequestId and answers the
/// first application; the file it uploaded again is left unreferenced,
/// which the file sweep removes after a day.
#[handler]
pub async fn apply(req: &Request, body: Body, Data(state): Data<&HttpState>) -> Response {
    let ip = super::client_ip(state, req);
    let Some(Posted { mut form, proof }) = read_post(req, body, state, ip).await else {
        return refused();
    };
    if !csrf_passes(req, &form.csrf) {
        return refused();
    }
    match proof {
        Some(Ok((id, name))) => {
            form.identity_proof_file_id = id.to_string();
            form.identity_proof_name = name;
        }
        Some(Err(message)) => {
            let errors = BTreeMap::from([(PROOF_FIELD.to_owned(), message)]);
            return form_page(req, state, &form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        None => {}
    }
    let answer = run(state, req, SUBMIT, json!({ "input": input(&form) })).await;
    if answer.has_errors() || answer.data["submitApplication"].is_null() {
        return form_page(
            req,
            state,
            &form,
            answer.errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let submitted = &answer.data["submitApplication"];
    let body = page(
        "applied.html",
        minijinja::context! {
            nav => "apply",
            tracking => minijinja::Value::from_serialize(&submitted["tracking"]),
            query_code => submitted["queryCode"].as_str(),
        },
    );
    with_csrf_cookie(html(StatusCode::OK, body), None)
}

/// submitApplication's input from the form, the ID proof among its attachments.
fn input(form: &ApplicationForm) -> Json {
    let optional = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    let attachments: Vec<Json> = optional(&form.identity_proof_file_id)
        .map(|id| json!({ "fileId": id, "kind": AttachmentKind::IdentityProof.as_str() }))
        .into_iter()
        .collect();
    json!({
        "clientRequestId": form.client_request_id,
        "organizationId": form.organization_id,
        "applicantType": optional(&form.applicant_type).unwrap_or_else(|| "NATURAL_PERSON".into()),
        "applicantName": form.applicant_name,
        "idType": optional(&form.id_type),
        "idNumber": optional(&form.id_number),
        "phone": optional(&form.phone),
        "email": optional(&form.email),
        "address": optional(&form.address),
        "description": form.description,
        "attachments": attachments,
    })
}

/// The form as posted, plain or multipart; None when it cannot be read or,
/// for a file, when the CSRF token before it does not pass (nothing is
/// uploaded for a forged post).
async fn read_post(req: &Request, body: Body, state: &HttpState, ip: IpAddr) -> Option<Posted> {
    let mut body = RequestBody::new(body);
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<ApplicationForm>::from_request(req, &mut body)
            .await
            .ok()?;
        return Some(Posted { form, proof: None });
    }
    let mut parts = Multipart::from_request(req, &mut body).await.ok()?;
    let mut texts = serde_json::Map::new();
    let mut proof = None;
    for _ in 0..MAX_PARTS {
        let Some(part) = parts.next_field().await.ok()? else {
            let form = serde_json::from_value(Json::Object(texts)).ok()?;
            return Some(Posted { form, proof });
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name == PROOF_FIELD {
            // No file chosen: browsers send the part with an empty name.
            let Some(file_name) = part.file_name().filter(|n| !n.is_empty()) else {
                continue;
            };
            let posted_csrf = texts.get("csrf").and_then(Json::as_str).unwrap_or("");
            if !csrf_passes(req, posted_csrf) {
                return None;
            }
            // Old browsers send the whole path of the chosen file.
            let file_name = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
            let file_name = file_name.to_owned();
            let stream = Box::pin(tokio_util::io::ReaderStream::new(part.into_async_read()));
            let now = state.services.clock.now();
            let stored = files::upload_named(
                &state.services,
                &Caller::Anonymous,
                ip,
                &file_name,
                stream,
                now,
            )
            .await;
            proof = Some(
                stored
                    .map(|file| (file.id, file.file_name))
                    .map_err(proof_error),
            );
        } else {
            let mut text = String::new();
            part.into_async_read()
                .take(MAX_TEXT_BYTES)
                .read_to_string(&mut text)
                .await
                .ok()?;
            texts.insert(name, Json::String(text));
        }
    }
    None
}

/// What the applicant reads beside the file field.
fn proof_error(err: AppError) -> String {
    match err {
        AppError::BadUserInput { field, message } if field == "X-File-Name" => {
            format!("文件名有误：{message}")
        }
        AppError::Internal(_) => {
            tracing::error!(error = ?err, "an ID proof upload failed");
            err.to_string()
        }
        other => other.to_string(),
    }
}
