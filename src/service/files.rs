//! Files: uploading (streamed, typed from the content, the public within its
//! quota), downloading (as the policy's file table allows), attaching to
//! disclosures and applications, removing and hiding (docs/DESIGN.md,
//! "Documents").

use std::net::IpAddr;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use hmac::{Hmac, Mac};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use crate::domain::disclosure::DisclosureStatus;
use crate::domain::files::{
    ANONYMOUS_BYTES, ANONYMOUS_FILES, ANONYMOUS_WINDOW, APPLICANT_LINK_LIFETIME, AttachedTo,
    Attachment, AttachmentKind, SNIFF_BYTES, Sniffed, StoredFile, check_file_name, sniff,
};
use crate::domain::policy::{Access, Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::access::{self, DisclosureKey};
use crate::store;
use crate::store::blobs::BlobStore;
use crate::store::files::{NewAttachment, NewFile};

const WHAT: &str = "文件";
const MIB: u64 = 1024 * 1024;

/// The keyed hash of a client address, for the public's upload quota.
pub fn uploader_key(services: &Services, client_ip: IpAddr) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&services.keys.uploader)
        .expect("HMAC takes keys of any length");
    mac.update(client_ip.to_string().as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Receives one file: `raw_name` is the percent-encoded `X-File-Name`.
/// Streamed into the file store while hashed; refused at the first byte
/// past the limit (413), when its content is not of an accepted type (415)
/// or, for the public, past its quota (429) — and then nothing is kept.
pub async fn upload<S>(
    services: &Services,
    caller: &Caller,
    client_ip: IpAddr,
    raw_name: Option<&str>,
    body: S,
    now: DateTime<Utc>,
) -> AppResult<StoredFile>
where
    S: Stream<Item = std::io::Result<Bytes>> + Unpin,
{
    let decoded = raw_name
        .map(|raw| percent_encoding::percent_decode_str(raw).decode_utf8())
        .transpose()
        .map_err(|_| AppError::bad_input("X-File-Name", "文件名须为 UTF-8 百分号编码"))?;
    upload_named(
        services,
        caller,
        client_ip,
        decoded.as_deref().unwrap_or(""),
        body,
        now,
    )
    .await
}

/// `upload` with the file's name as given (a form's file part names it
/// plainly, not percent-encoded): the same limits, types and quota.
pub async fn upload_named<S>(
    services: &Services,
    caller: &Caller,
    client_ip: IpAddr,
    name: &str,
    mut body: S,
    now: DateTime<Utc>,
) -> AppResult<StoredFile>
where
    S: Stream<Item = std::io::Result<Bytes>> + Unpin,
{
    let db = &services.db;
    access::deployment(caller, Operation::UploadFile)?;
    let file_name = check_file_name(name)?;
    let mut limit = services.max_file_bytes;
    let mut quota_limits = false;
    let uploader_key = if caller.is_anonymous() {
        let key = uploader_key(services, client_ip);
        let (files, bytes) =
            store::files::anonymous_usage(db, &key, now - ANONYMOUS_WINDOW).await?;
        if files >= ANONYMOUS_FILES || bytes >= ANONYMOUS_BYTES {
            return Err(quota_exceeded());
        }
        if ANONYMOUS_BYTES - bytes < limit {
            limit = ANONYMOUS_BYTES - bytes;
            quota_limits = true;
        }
        Some(key)
    } else {
        None
    };

    let mut upload = services.blobs.begin().await?;
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut file_type = None;
    let mut size: u64 = 0;
    let refusal = loop {
        let chunk = match body.next().await {
            None => break None,
            Some(Ok(chunk)) => chunk,
            Some(Err(_)) => {
                break Some(AppError::bad_input("body", "上传中断，请重试"));
            }
        };
        size += chunk.len() as u64;
        if size > limit {
            break Some(if quota_limits {
                quota_exceeded()
            } else {
                AppError::FileTooLarge {
                    limit_mib: services.max_file_bytes.div_ceil(MIB),
                }
            });
        }
        hasher.update(&chunk);
        if file_type.is_none() {
            let room = SNIFF_BYTES - head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(room)]);
            match sniff(&head, false) {
                Sniffed::Accepted(found) => file_type = Some(found),
                Sniffed::Refused => break Some(AppError::UnsupportedFileType),
                Sniffed::NeedMore => {}
            }
        }
        if let Err(err) = upload.write(chunk).await {
            break Some(err);
        }
    };
    if let Some(err) = refusal {
        upload.abort().await;
        return Err(err);
    }
    let file_type = match file_type
        .map(Sniffed::Accepted)
        .unwrap_or(sniff(&head, true))
    {
        Sniffed::Accepted(found) => found,
        _ => {
            upload.abort().await;
            return Err(AppError::UnsupportedFileType);
        }
    };
    let written = upload.finish().await?;
    let sha256 = hex::encode(hasher.finalize());
    services.blobs.keep(written, &sha256).await?;
    let new = NewFile {
        sha256,
        byte_size: size,
        content_type: file_type.mime.to_owned(),
        file_name,
        uploaded_by: caller.user_id(),
        uploader_key,
    };
    store::files::insert_file(db, new, now).await
}

/// Keeps bytes the server generated (a reply notice, an annual report) as
/// a blob and answers the row to write for it. The caller writes the row in
/// its own transaction: should that fail, only a blob no row names is left,
/// which the sweep removes.
pub async fn keep_generated(
    services: &Services,
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    made_by: Option<i64>,
) -> AppResult<NewFile> {
    let file_name = check_file_name(file_name)?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let byte_size = bytes.len() as u64;
    let mut upload = services.blobs.begin().await?;
    if let Err(err) = upload.write(Bytes::from(bytes)).await {
        upload.abort().await;
        return Err(err);
    }
    let written = upload.finish().await?;
    services.blobs.keep(written, &sha256).await?;
    Ok(NewFile {
        sha256,
        byte_size,
        content_type: content_type.to_owned(),
        file_name,
        uploaded_by: made_by,
        uploader_key: None,
    })
}

fn quota_exceeded() -> AppError {
    AppError::RateLimited("上传过于频繁：每个地址每小时最多10个文件、30 MiB，请稍后再试")
}

/// The file `id` if the caller may download it: when it may read one of
/// the attachments that carry it, or uploaded it itself; NOT_FOUND
/// otherwise, exactly as for an unknown id.
pub async fn downloadable(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> AppResult<StoredFile> {
    let file = store::files::find_file(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    if file.uploaded_by.is_some() && file.uploaded_by == caller.user_id() {
        return Ok(file);
    }
    for attachment in store::files::attachments_of_file(db, id).await? {
        if access::attachment(db, caller, Operation::Read, attachment)
            .await
            .is_ok()
        {
            return Ok(file);
        }
    }
    Err(AppError::NotFound(WHAT))
}

/// A signed link to one attachment's file, for the applicant: valid for
/// `APPLICANT_LINK_LIFETIME`, bound to that attachment and file.
pub fn applicant_link(services: &Services, attachment: &Attachment, now: DateTime<Utc>) -> String {
    let expires = (now + APPLICANT_LINK_LIFETIME).timestamp();
    let signature = link_signature(services, attachment.id, attachment.file.id, expires);
    format!(
        "{}?token={}.{expires}.{signature}",
        download_path(&attachment.file),
        attachment.id
    )
}

fn link_signature(services: &Services, attachment_id: i64, file_id: i64, expires: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&services.keys.file_link)
        .expect("HMAC takes keys of any length");
    mac.update(format!("{attachment_id}.{file_id}.{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The file of an applicant's signed link, when the link is genuine, still
/// valid and for a file the applicant may read (the reply notice only).
pub async fn downloadable_by_link(
    services: &Services,
    file_id: i64,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<StoredFile> {
    let not_found = || AppError::NotFound(WHAT);
    let mut parts = token.splitn(3, '.');
    let (Some(attachment_id), Some(expires), Some(signature)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(not_found());
    };
    let (Ok(attachment_id), Ok(expires)) = (attachment_id.parse::<i64>(), expires.parse::<i64>())
    else {
        return Err(not_found());
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&services.keys.file_link)
        .expect("HMAC takes keys of any length");
    mac.update(format!("{attachment_id}.{file_id}.{expires}").as_bytes());
    let genuine = hex::decode(signature)
        .ok()
        .is_some_and(|sig| mac.verify_slice(&sig).is_ok());
    if !genuine || now.timestamp() > expires {
        return Err(not_found());
    }
    let attachment = store::files::find_attachment(&services.db, attachment_id)
        .await?
        .filter(|a| a.file.id == file_id)
        .ok_or_else(not_found)?;
    let permitted = access::attachment(
        &services.db,
        &Caller::Anonymous,
        Operation::ReadThroughTracking,
        attachment,
    )
    .await?;
    Ok(permitted.item.file)
}

/// The server-relative path a file is downloaded from (its name last, so
/// that a browser saving the link keeps it).
pub fn download_path(file: &StoredFile) -> String {
    let name =
        percent_encoding::utf8_percent_encode(&file.file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("/files/{}/{name}", file.id)
}

/// A file the caller may attach: one it uploaded, or one it may read.
async fn attachable(
    db: &DatabaseConnection,
    caller: &Caller,
    file_id: i64,
) -> AppResult<StoredFile> {
    downloadable(db, caller, file_id)
        .await
        .map_err(|_| AppError::NotFound(WHAT))
}

/// The bytes of an uploaded file the caller may read (a spreadsheet to
/// import); NOT_FOUND otherwise.
pub async fn uploaded_bytes(
    services: &Services,
    caller: &Caller,
    file_id: i64,
) -> AppResult<Vec<u8>> {
    let file = attachable(&services.db, caller, file_id).await?;
    let bytes = services
        .blobs
        .read_prefix(&file.sha256, file.byte_size)
        .await?;
    Ok(bytes.to_vec())
}

/// Attaches an uploaded file to a disclosure as its DOCUMENT; whoever may
/// update the disclosure may (DRAFT or PUBLISHED).
pub async fn attach_to_disclosure(
    services: &Services,
    caller: &Caller,
    disclosure_id: i64,
    file_id: i64,
    acknowledge_personal_data: bool,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let db = &services.db;
    let disclosure = access::disclosure(
        db,
        caller,
        Operation::EditDisclosure,
        DisclosureKey::Id(disclosure_id),
    )
    .await?
    .item;
    disclosure.status.check_editable()?;
    let file = attachable(db, caller, file_id).await?;
    let extracted_text = document_text(services, &file).await;
    // Attaching to a published item publishes the file at once: the same check.
    if disclosure.status == DisclosureStatus::Published {
        let findings = extracted_text
            .as_deref()
            .map(|text| text_findings(&file.file_name, text))
            .unwrap_or_default();
        check_personal_data(
            db,
            caller,
            disclosure.id,
            findings,
            acknowledge_personal_data,
            now,
        )
        .await?;
    }
    let new = NewAttachment {
        file_id: file.id,
        to: AttachedTo::Disclosure(disclosure.id),
        kind: AttachmentKind::Document,
        attached_by: caller.user_id(),
        extracted_text,
    };
    let attachment = store::files::insert_attachment(db, new, now).await?;
    store::disclosures::refresh_document_terms(db, disclosure.id).await?;
    Ok(attachment)
}

type Findings = Vec<(Option<String>, crate::domain::personal_data::Finding)>;

/// What the personal-data check finds in a disclosure's body.
pub fn body_findings(disclosure: &crate::domain::disclosure::Disclosure) -> Findings {
    crate::domain::personal_data::scan(&disclosure.content.body)
        .into_iter()
        .map(|finding| (None, finding))
        .collect()
}

/// What it finds in the text of the file `name`.
pub fn text_findings(name: &str, text: &str) -> Findings {
    crate::domain::personal_data::scan(text)
        .into_iter()
        .map(|finding| (Some(name.to_owned()), finding))
        .collect()
}

/// Nothing found passes; findings refuse (BAD_USER_INPUT, field
/// acknowledgePersonalData, the masked findings) unless the caller
/// acknowledged them, which is recorded with who and when.
pub async fn check_personal_data(
    db: &DatabaseConnection,
    caller: &Caller,
    disclosure_id: i64,
    findings: Findings,
    acknowledged: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if findings.is_empty() {
        return Ok(());
    }
    if !acknowledged {
        return Err(AppError::PersonalData(findings));
    }
    store::files::record_acknowledgement(db, disclosure_id, caller.user_id(), &findings, now).await
}

/// How long one document's text may take to extract.
const EXTRACTION_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

/// The text of a PDF, DOCX or OFD file, for the search; None for other
/// types, a scan, or a document that is malformed, hostile (a panic in the
/// parser is caught) or too slow (given up after the time limit; the
/// blocking thread then finishes on its own). Never fails the request.
pub async fn document_text(services: &Services, file: &StoredFile) -> Option<String> {
    let mime = file.content_type.clone();
    if !crate::domain::files::has_text(&mime) {
        return None;
    }
    let bytes = match services
        .blobs
        .read_prefix(&file.sha256, file.byte_size)
        .await
    {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(file = file.id, %err, "cannot read a document for its text");
            return None;
        }
    };
    let work = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| crate::domain::extraction::extract_text(&mime, &bytes))
    });
    match tokio::time::timeout(EXTRACTION_TIME_LIMIT, work).await {
        Ok(Ok(Ok(text))) => text,
        Ok(Ok(Err(_panic))) => {
            tracing::warn!(
                file = file.id,
                "text extraction panicked; the file adds no text"
            );
            None
        }
        Ok(Err(err)) => {
            tracing::warn!(file = file.id, %err, "text extraction failed");
            None
        }
        Err(_) => {
            tracing::warn!(
                file = file.id,
                "text extraction timed out; the file adds no text"
            );
            None
        }
    }
}

/// Attaches an uploaded file to an application (any kind but DOCUMENT);
/// whoever may run its workflow may. Recorded in the application's events.
pub async fn attach_to_application(
    services: &Services,
    caller: &Caller,
    application_id: i64,
    file_id: i64,
    kind: AttachmentKind,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let db = &services.db;
    access::application(db, caller, Operation::ApplicationWorkflow, application_id).await?;
    if !kind.fits_application() {
        return Err(AppError::bad_input(
            "kind",
            "申请的材料不能是 DOCUMENT（公开信息的正文附件）",
        ));
    }
    let file = attachable(db, caller, file_id).await?;
    let txn = store::begin_write(db).await?;
    let attachment = record_on_application(&txn, application_id, &file, kind, caller, now).await?;
    txn.commit().await?;
    Ok(attachment)
}

/// Writes an application's attachment and its event (who, when, what).
pub async fn record_on_application(
    txn: &sea_orm::DatabaseTransaction,
    application_id: i64,
    file: &StoredFile,
    kind: AttachmentKind,
    caller: &Caller,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let new = NewAttachment {
        file_id: file.id,
        to: AttachedTo::Application(application_id),
        kind,
        attached_by: caller.user_id(),
        extracted_text: None,
    };
    let attachment = store::files::insert_attachment(txn, new, now).await?;
    store::files::mark_referenced(txn, &[file.id]).await?;
    store::applications::record_attachment(
        txn,
        application_id,
        caller.user_id(),
        &format!("附件：{}（文件 {}）", kind_name(kind), file.id),
        now,
    )
    .await?;
    Ok(attachment)
}

fn kind_name(kind: AttachmentKind) -> &'static str {
    match kind {
        AttachmentKind::Document => "公开文件",
        AttachmentKind::ApplicationForm => "申请材料",
        AttachmentKind::IdentityProof => "身份证明",
        AttachmentKind::Correspondence => "往来文书",
        AttachmentKind::ReplyNotice => "答复告知书",
    }
}

/// The files a submission references, checked before anything is written:
/// the public may reference only its own pending uploads (from the same
/// address), of kinds APPLICATION_FORM and IDENTITY_PROOF; staff what they
/// may attach.
pub async fn check_submission_files(
    services: &Services,
    caller: &Caller,
    client_ip: IpAddr,
    references: &[(i64, AttachmentKind)],
) -> AppResult<Vec<(StoredFile, AttachmentKind)>> {
    let db = &services.db;
    let mut files = Vec::with_capacity(references.len());
    for &(file_id, kind) in references {
        if !kind.fits_application() {
            return Err(AppError::bad_input(
                "attachments",
                "申请的材料不能是 DOCUMENT（公开信息的正文附件）",
            ));
        }
        let file = if caller.is_anonymous() {
            if !kind.anonymous_may_submit() {
                return Err(AppError::bad_input(
                    "attachments",
                    "在线申请只能附申请材料（APPLICATION_FORM）和身份证明（IDENTITY_PROOF）",
                ));
            }
            let key = uploader_key(services, client_ip);
            store::files::find_file(db, file_id)
                .await?
                .filter(|f| f.pending && f.uploader_key.as_deref() == Some(key.as_str()))
                .ok_or(AppError::NotFound(WHAT))?
        } else {
            attachable(db, caller, file_id).await?
        };
        files.push((file, kind));
    }
    Ok(files)
}

/// Removes an attachment of a DRAFT disclosure (recorded, the row stays);
/// an application's files are records and stay.
pub async fn remove(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let disclosure = disclosure_of_attachment(
        db,
        caller,
        id,
        Operation::EditDisclosure,
        "申请的材料属于案卷记录，不能移除",
    )
    .await?;
    let disclosure_id = disclosure.id;
    if disclosure.status != DisclosureStatus::Draft {
        return Err(AppError::InvalidTransition(
            "只能移除草稿的附件；已发布的附件可以隐藏".into(),
        ));
    }
    store::files::remove_attachment(db, id, caller.user_id(), now).await?;
    store::disclosures::refresh_document_terms(db, disclosure_id).await
}

const MAX_HIDE_REASON_CHARS: usize = 500;

/// Hides one attachment of a PUBLISHED disclosure from the public at once
/// (whoever may publish or withdraw it: APPROVER, ADMIN); recorded.
pub async fn hide(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let disclosure = disclosure_of_attachment(
        db,
        caller,
        id,
        Operation::PublishDisclosure,
        "只能隐藏已发布公开信息的附件",
    )
    .await?;
    let disclosure_id = disclosure.id;
    if disclosure.status != DisclosureStatus::Published {
        return Err(AppError::InvalidTransition(
            "只能隐藏已发布公开信息的附件".into(),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_HIDE_REASON_CHARS {
        return Err(AppError::bad_input(
            "reason",
            "请填写隐藏原因（不超过500字）",
        ));
    }
    store::files::hide_attachment(db, id, reason, caller.user_id(), now).await?;
    store::disclosures::refresh_document_terms(db, disclosure_id).await?;
    store::files::find_attachment(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))
}

/// The disclosure the attachment `id` belongs to, when the caller may read
/// the attachment (NOT_FOUND otherwise) and may `operation` the disclosure;
/// an application's attachment answers INVALID_TRANSITION with `refusal`.
async fn disclosure_of_attachment(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    operation: Operation,
    refusal: &str,
) -> AppResult<crate::domain::disclosure::Disclosure> {
    let attachment = store::files::find_attachment(db, id)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let attachment = access::attachment(db, caller, Operation::Read, attachment)
        .await?
        .item;
    let AttachedTo::Disclosure(disclosure_id) = attachment.to else {
        return Err(AppError::InvalidTransition(refusal.into()));
    };
    Ok(
        access::disclosure(db, caller, operation, DisclosureKey::Id(disclosure_id))
            .await?
            .item,
    )
}

/// The attachments of what the caller has already been allowed to read,
/// each as the file table allows (the public loses hidden files; OVERSIGHT
/// never sees IDENTITY_PROOF), with the view it has of each.
pub async fn attachments_of(
    db: &DatabaseConnection,
    caller: &Caller,
    to: AttachedTo,
) -> AppResult<Vec<(Attachment, Access)>> {
    let mut visible = Vec::new();
    for attachment in store::files::attachments_of(db, to).await? {
        match access::attachment(db, caller, Operation::Read, attachment).await {
            Ok(permitted) => visible.push((permitted.item, permitted.view)),
            Err(AppError::NotFound(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(visible)
}

/// The newest reply notice of an application, for its tracking view.
pub async fn reply_notice(
    db: &DatabaseConnection,
    application_id: i64,
) -> AppResult<Option<Attachment>> {
    Ok(
        store::files::attachments_of(db, AttachedTo::Application(application_id))
            .await?
            .into_iter()
            .rfind(|a| a.kind == AttachmentKind::ReplyNotice),
    )
}

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Public uploads never referenced, rows and all.
    pub pending_files: u64,
    pub blobs: u64,
    /// Temporary objects of uploads that never finished.
    pub leftovers: u64,
}

/// Removes what is older than `SWEEP_AFTER` and nothing needs: public
/// uploads never referenced (their rows), then blobs no row names, then
/// temporary objects of interrupted uploads. Safe while other instances
/// serve and sweep: a blob is re-read just before it goes, and one written
/// again since (the same bytes uploaded anew) stays.
pub async fn sweep(
    db: &DatabaseConnection,
    blobs: &BlobStore,
    now: DateTime<Utc>,
) -> AppResult<Swept> {
    let cutoff = now - crate::domain::files::SWEEP_AFTER;
    let mut swept = Swept {
        pending_files: store::files::delete_unreferenced_pending(db, cutoff).await?,
        ..Swept::default()
    };
    for blob in blobs.list().await? {
        if blob.written_at >= cutoff || store::files::blob_is_referenced(db, &blob.sha256).await? {
            continue;
        }
        match blobs.written_at(&blob.sha256).await? {
            Some(at) if at < cutoff => {
                blobs.delete(&blob.sha256).await?;
                swept.blobs += 1;
            }
            _ => {}
        }
    }
    for leftover in blobs.leftovers().await? {
        if leftover.written_at < cutoff {
            blobs.delete_leftover(&leftover).await?;
            swept.leftovers += 1;
        }
    }
    Ok(swept)
}

/// What `gongkai files check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub files: u64,
    pub blobs: u64,
    /// Problems: a row whose blob is missing, a blob whose bytes do not hash to its name.
    pub problems: Vec<String>,
    /// Not problems: blobs no row names and unfinished uploads (the sweep's work).
    pub unreferenced_blobs: u64,
    pub leftovers: u64,
}

/// Verifies that every row has its blob and that every blob's content
/// hashes to its name.
pub async fn check(db: &DatabaseConnection, store: &BlobStore) -> AppResult<CheckReport> {
    let mut report = CheckReport::default();
    let blobs = store.list().await?;
    let present: std::collections::HashSet<&str> =
        blobs.iter().map(|b| b.sha256.as_str()).collect();
    let mut referenced = std::collections::HashSet::new();
    for file in store::files::all_files(db).await? {
        report.files += 1;
        if !present.contains(file.sha256.as_str()) {
            report
                .problems
                .push(format!("file {}: blob {} is missing", file.id, file.sha256));
        }
        referenced.insert(file.sha256);
    }
    for blob in &blobs {
        report.blobs += 1;
        let actual = store.hash_of(&blob.sha256).await?;
        if actual != blob.sha256 {
            report.problems.push(format!(
                "blob {}: its content hashes to {actual}",
                blob.sha256
            ));
        }
        if !referenced.contains(&blob.sha256) {
            report.unreferenced_blobs += 1;
        }
    }
    report.leftovers = store.leftovers().await?.len() as u64;
    Ok(report)
}
