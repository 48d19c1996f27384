//! Rows of uploaded files and their attachments (the bytes are in
//! `store::blobs`).

use chrono::{DateTime, Utc};
use entity::{attachment, file};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use crate::domain::files::{AttachedTo, Attachment, AttachmentKind, StoredFile};
use crate::error::{AppError, AppResult};

fn stored_file(row: file::Model) -> StoredFile {
    StoredFile {
        id: row.id,
        sha256: row.sha256,
        byte_size: row.byte_size.max(0) as u64,
        content_type: row.content_type,
        file_name: row.file_name,
        uploaded_by: row.uploaded_by,
        uploader_key: row.uploader_key,
        pending: row.pending,
        uploaded_at: row.uploaded_at,
    }
}

fn record(row: attachment::Model, file: StoredFile) -> AppResult<Attachment> {
    let to = match (row.disclosure_id, row.application_id) {
        (Some(id), None) => AttachedTo::Disclosure(id),
        (None, Some(id)) => AttachedTo::Application(id),
        _ => {
            tracing::error!(attachment = row.id, "an attachment without one holder");
            return Err(AppError::internal(format!(
                "attachment {}: not one holder",
                row.id
            )));
        }
    };
    Ok(Attachment {
        id: row.id,
        kind: super::stored("attachment", row.id, "kind", &row.kind)?,
        file,
        to,
        attached_by: row.attached_by,
        attached_at: row.attached_at,
        hidden_reason: row.hidden_reason,
    })
}

/// A file as `POST /files` records it, after its blob is kept.
pub struct NewFile {
    pub sha256: String,
    pub byte_size: u64,
    pub content_type: String,
    pub file_name: String,
    pub uploaded_by: Option<i64>,
    pub uploader_key: Option<String>,
}

pub async fn insert_file(
    db: &impl ConnectionTrait,
    new: NewFile,
    now: DateTime<Utc>,
) -> AppResult<StoredFile> {
    let pending = new.uploaded_by.is_none();
    let row = file::ActiveModel {
        id: NotSet,
        sha256: Set(new.sha256),
        byte_size: Set(new.byte_size as i64),
        content_type: Set(new.content_type),
        file_name: Set(new.file_name),
        uploaded_by: Set(new.uploaded_by),
        uploader_key: Set(new.uploader_key),
        pending: Set(pending),
        uploaded_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(stored_file(row))
}

pub async fn find_file(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<StoredFile>> {
    Ok(file::Entity::find_by_id(id).one(db).await?.map(stored_file))
}

/// How many files and bytes the public uploaded from one address since `since`.
pub async fn anonymous_usage(
    db: &impl ConnectionTrait,
    uploader_key: &str,
    since: DateTime<Utc>,
) -> AppResult<(u64, u64)> {
    let rows: Vec<i64> = file::Entity::find()
        .select_only()
        .column(file::Column::ByteSize)
        .filter(file::Column::UploaderKey.eq(uploader_key))
        .filter(file::Column::UploadedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    Ok((
        rows.len() as u64,
        rows.iter().map(|size| size.max(&0)).sum::<i64>() as u64,
    ))
}

/// A public upload is referenced by a submitted application: no longer swept.
pub async fn mark_referenced(db: &impl ConnectionTrait, file_ids: &[i64]) -> AppResult<()> {
    if file_ids.is_empty() {
        return Ok(());
    }
    file::Entity::update_many()
        .col_expr(file::Column::Pending, Expr::value(false))
        .filter(file::Column::Id.is_in(file_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// What is attached, by whom.
pub struct NewAttachment {
    pub file_id: i64,
    pub to: AttachedTo,
    pub kind: AttachmentKind,
    pub attached_by: Option<i64>,
    pub extracted_text: Option<String>,
}

pub async fn insert_attachment(
    db: &impl ConnectionTrait,
    new: NewAttachment,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let (disclosure_id, application_id) = match new.to {
        AttachedTo::Disclosure(id) => (Some(id), None),
        AttachedTo::Application(id) => (None, Some(id)),
    };
    let row = attachment::ActiveModel {
        id: NotSet,
        file_id: Set(new.file_id),
        disclosure_id: Set(disclosure_id),
        application_id: Set(application_id),
        kind: Set(new.kind.as_str().to_owned()),
        attached_by: Set(new.attached_by),
        attached_at: Set(now),
        removed_by: Set(None),
        removed_at: Set(None),
        hidden_reason: Set(None),
        hidden_by: Set(None),
        hidden_at: Set(None),
        extracted_text: Set(new.extracted_text),
    }
    .insert(db)
    .await?;
    let file = find_file(db, row.file_id)
        .await?
        .ok_or_else(|| AppError::internal("an attached file vanished"))?;
    record(row, file)
}

/// The attachments (not removed) the query selects, with their files, in
/// the order they were attached.
async fn attachments(
    db: &impl ConnectionTrait,
    filter: sea_orm::Condition,
) -> AppResult<Vec<Attachment>> {
    let rows = attachment::Entity::find()
        .filter(filter)
        .filter(attachment::Column::RemovedAt.is_null())
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let files: std::collections::HashMap<i64, file::Model> = file::Entity::find()
        .filter(file::Column::Id.is_in(rows.iter().map(|r| r.file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    rows.into_iter()
        .map(|row| {
            let file = files
                .get(&row.file_id)
                .cloned()
                .ok_or_else(|| AppError::internal("an attached file vanished"))?;
            record(row, stored_file(file))
        })
        .collect()
}

pub async fn find_attachment(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Attachment>> {
    let condition = sea_orm::Condition::all().add(attachment::Column::Id.eq(id));
    Ok(attachments(db, condition).await?.into_iter().next())
}

pub async fn attachments_of(
    db: &impl ConnectionTrait,
    to: AttachedTo,
) -> AppResult<Vec<Attachment>> {
    let condition = match to {
        AttachedTo::Disclosure(id) => attachment::Column::DisclosureId.eq(id),
        AttachedTo::Application(id) => attachment::Column::ApplicationId.eq(id),
    };
    attachments(db, sea_orm::Condition::all().add(condition)).await
}

/// Every attachment (not removed) of one file.
pub async fn attachments_of_file(
    db: &impl ConnectionTrait,
    file_id: i64,
) -> AppResult<Vec<Attachment>> {
    let condition = sea_orm::Condition::all().add(attachment::Column::FileId.eq(file_id));
    attachments(db, condition).await
}

/// Takes an attachment off its (draft) disclosure; the row stays, recorded.
pub async fn remove_attachment(
    db: &impl ConnectionTrait,
    id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    attachment::Entity::update_many()
        .col_expr(attachment::Column::RemovedAt, Expr::value(now))
        .col_expr(attachment::Column::RemovedBy, Expr::value(by))
        .filter(attachment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Hides an attachment from the public, with the reason, who and when.
pub async fn hide_attachment(
    db: &impl ConnectionTrait,
    id: i64,
    reason: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    attachment::Entity::update_many()
        .col_expr(attachment::Column::HiddenReason, Expr::value(reason))
        .col_expr(attachment::Column::HiddenAt, Expr::value(now))
        .col_expr(attachment::Column::HiddenBy, Expr::value(by))
        .filter(attachment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Public uploads uploaded before `before` that nothing references (never
/// attached): removed by the sweep, rows and all.
pub async fn delete_unreferenced_pending(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> AppResult<u64> {
    let attached = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::FileId)
        .into_query();
    let deleted = file::Entity::delete_many()
        .filter(file::Column::Pending.eq(true))
        .filter(file::Column::UploadedAt.lt(before))
        .filter(file::Column::Id.not_in_subquery(attached))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// Whether any row names the blob.
pub async fn blob_is_referenced(db: &impl ConnectionTrait, sha256: &str) -> AppResult<bool> {
    Ok(file::Entity::find()
        .filter(file::Column::Sha256.eq(sha256))
        .one(db)
        .await?
        .is_some())
}

/// Every file row (for `gongkai files check`).
pub async fn all_files(db: &impl ConnectionTrait) -> AppResult<Vec<StoredFile>> {
    Ok(file::Entity::find()
        .order_by_asc(file::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored_file)
        .collect())
}
