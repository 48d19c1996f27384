//! Writing disclosures: drafts, edits under an optimistic version,
//! publication with a gapless index number, withdrawal, and bulk loads
//! that write the same columns the same way.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::disclosure::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, ExprTrait, NotSet, QueryFilter, QuerySelect, Set,
};

use super::{NOT_FOUND, Readable, over_cap};
use crate::domain::calendar::{china_date, china_day_start};
use crate::domain::disclosure::{Disclosure, DisclosureContent, DisclosureStatus};
use crate::domain::numbering::{index_no, index_no_scope};
use crate::domain::search_terms::disclosure_terms;
use crate::error::{AppError, AppResult};
use crate::store::{begin_write, sequences, stored};

pub struct NewDisclosure {
    pub organization_id: i64,
    pub category_id: i64,
    pub content: DisclosureContent,
}

impl NewDisclosure {
    /// The segmented title and body the search index reads.
    fn terms(&self) -> (String, String) {
        let content = &self.content;
        disclosure_terms(&content.title, content.doc_number.as_deref(), &content.body)
    }

    /// A draft created at `created_at`: listed from then until published.
    fn row(self, created_at: DateTime<Utc>) -> ActiveModel {
        let (title_terms, body_terms) = self.terms();
        ActiveModel {
            id: NotSet,
            organization_id: Set(self.organization_id),
            category_id: Set(self.category_id),
            title: Set(self.content.title),
            doc_number: Set(self.content.doc_number),
            body: Set(self.content.body),
            status: Set(DisclosureStatus::Draft.as_str().to_owned()),
            formed_on: Set(self.content.formed_on),
            index_no: Set(None),
            published_at: Set(None),
            published_on: Set(None),
            withdrawn_at: Set(None),
            withdrawal_reason: Set(None),
            listed_at: Set(created_at),
            version: Set(1),
            created_at: Set(created_at),
            updated_at: Set(created_at),
            title_terms: Set(title_terms),
            body_terms: Set(body_terms),
        }
    }
}

/// What publication writes: listed from the instant of publication, and
/// published on that instant's date in China (year and day filters read
/// the listing index for that reason).
fn write_publication(row: &mut ActiveModel, index: String, at: DateTime<Utc>) {
    row.status = Set(DisclosureStatus::Published.as_str().to_owned());
    row.index_no = Set(Some(index));
    row.published_at = Set(Some(at));
    row.published_on = Set(Some(china_date(at)));
    row.listed_at = Set(at);
}

fn write_withdrawal(row: &mut ActiveModel, reason: String, at: DateTime<Utc>) {
    row.status = Set(DisclosureStatus::Withdrawn.as_str().to_owned());
    row.withdrawn_at = Set(Some(at));
    row.withdrawal_reason = Set(Some(reason));
}

fn record(model: Model) -> AppResult<Disclosure> {
    Readable::from(model).record()
}

fn status_of(model: &Model) -> AppResult<DisclosureStatus> {
    stored("disclosure", model.id, "status", &model.status)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewDisclosure,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    record(new.row(now).insert(db).await?)
}

/// Replaces the content if the stored version is still `expected_version`;
/// otherwise CONFLICT and nothing changes.
pub async fn update_content(
    db: &DatabaseConnection,
    id: i64,
    expected_version: i32,
    new: NewDisclosure,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let txn = begin_write(db).await?;
    let (title_terms, _) = new.terms();
    let body_terms = body_terms_with_documents(
        &txn,
        id,
        new.content.doc_number.as_deref(),
        &new.content.body,
    )
    .await?;
    let result = Entity::update_many()
        .col_expr(Column::CategoryId, Expr::value(new.category_id))
        .col_expr(Column::Title, Expr::value(new.content.title))
        .col_expr(Column::DocNumber, Expr::value(new.content.doc_number))
        .col_expr(Column::Body, Expr::value(new.content.body))
        .col_expr(Column::FormedOn, Expr::value(new.content.formed_on))
        .col_expr(Column::TitleTerms, Expr::value(title_terms))
        .col_expr(Column::BodyTerms, Expr::value(body_terms))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .filter(Column::Status.ne(DisclosureStatus::Withdrawn.as_str()))
        .exec(&txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict(
            "该信息已被他人修改，请刷新后重试".into(),
        ));
    }
    let stored = super::find(&txn, id).await?.ok_or(NOT_FOUND)?;
    if stored.status == DisclosureStatus::Published {
        over_cap::forget(&txn).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// The body's search terms: its 文号, its body and the text of the
/// documents attached to it (neither removed nor hidden).
async fn body_terms_with_documents(
    db: &impl ConnectionTrait,
    id: i64,
    doc_number: Option<&str>,
    body: &str,
) -> AppResult<String> {
    let texts = crate::store::files::document_texts(db, id).await?;
    let mut full = body.to_owned();
    for text in texts {
        full.push('\n');
        full.push_str(&text);
    }
    Ok(disclosure_terms("", doc_number, &full).1)
}

/// Recomputes the search terms after the disclosure's documents changed
/// (a file attached, removed or hidden).
pub async fn refresh_document_terms(db: &DatabaseConnection, id: i64) -> AppResult<()> {
    let txn = begin_write(db).await?;
    let current = Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(NOT_FOUND)?;
    let terms =
        body_terms_with_documents(&txn, id, current.doc_number.as_deref(), &current.body).await?;
    Entity::update_many()
        .col_expr(Column::BodyTerms, Expr::value(terms))
        .filter(Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if status_of(&current)? == DisclosureStatus::Published {
        over_cap::forget(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A disclosure brought in from a town's old catalogue, inside the
/// import's transaction: published on the day its row says (from the start
/// of that day in China, so the day reads back as written), under `index`
/// (its old 索引号 verbatim, or one gongkai assigned).
pub async fn insert_published(
    txn: &DatabaseTransaction,
    new: NewDisclosure,
    index: String,
    published_on: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let mut row = new.row(now);
    write_publication(&mut row, index, china_day_start(published_on));
    record(row.insert(txn).await?)
}

/// Replaces the content of a disclosure inside the caller's transaction
/// (a corrected row of an imported catalogue; no version to compare).
pub async fn replace_content(
    txn: &DatabaseTransaction,
    id: i64,
    new: NewDisclosure,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (title_terms, _) = new.terms();
    let body_terms = body_terms_with_documents(
        txn,
        id,
        new.content.doc_number.as_deref(),
        &new.content.body,
    )
    .await?;
    Entity::update_many()
        .col_expr(Column::CategoryId, Expr::value(new.category_id))
        .col_expr(Column::Title, Expr::value(new.content.title))
        .col_expr(Column::DocNumber, Expr::value(new.content.doc_number))
        .col_expr(Column::Body, Expr::value(new.content.body))
        .col_expr(Column::FormedOn, Expr::value(new.content.formed_on))
        .col_expr(Column::TitleTerms, Expr::value(title_terms))
        .col_expr(Column::BodyTerms, Expr::value(body_terms))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .exec(txn)
        .await?;
    over_cap::forget(txn).await?;
    Ok(())
}

/// Publishes a draft; at first publication it takes the next index number
/// of its organisation and year in the same transaction (gapless).
pub async fn publish(
    db: &DatabaseConnection,
    id: i64,
    org_code: &str,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let txn = begin_write(db).await?;
    let stored = publish_in(&txn, id, org_code, now).await?;
    txn.commit().await?;
    Ok(stored)
}

/// `publish` inside a transaction the caller holds (the annual report
/// publishes its disclosure with its frozen figures, all or nothing).
pub async fn publish_in(
    txn: &DatabaseTransaction,
    id: i64,
    org_code: &str,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let current = Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(NOT_FOUND)?;
    status_of(&current)?.check_publishable()?;
    let index = match current.index_no.clone() {
        Some(existing) => existing,
        None => {
            let year = china_date(now).year();
            let sequence =
                sequences::next(txn, &index_no_scope(current.organization_id, year)).await?;
            index_no(org_code, year, sequence)
        }
    };
    let version = current.version;
    let mut published: ActiveModel = current.into();
    write_publication(&mut published, index, now);
    published.updated_at = Set(now);
    published.version = Set(version + 1);
    record(published.update(txn).await?)
}

/// Withdraws a published item; it keeps its index number.
pub async fn withdraw(
    db: &DatabaseConnection,
    id: i64,
    reason: String,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let txn = begin_write(db).await?;
    let current = Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(NOT_FOUND)?;
    status_of(&current)?.check_withdrawable()?;
    let version = current.version;
    let mut withdrawn: ActiveModel = current.into();
    write_withdrawal(&mut withdrawn, reason, now);
    withdrawn.updated_at = Set(now);
    withdrawn.version = Set(version + 1);
    let stored = withdrawn.update(&txn).await?;
    over_cap::forget(&txn).await?;
    txn.commit().await?;
    record(stored)
}

/// A disclosure loaded in bulk (synthetic data), its history decided in
/// advance: created, then perhaps published (with its index number) and
/// withdrawn.
pub struct LoadedDisclosure {
    pub new: NewDisclosure,
    pub created_at: DateTime<Utc>,
    pub published: Option<(String, DateTime<Utc>)>,
    pub withdrawn: Option<(String, DateTime<Utc>)>,
}

impl LoadedDisclosure {
    /// The row, as `insert`, `publish` and `withdraw` would have left it.
    pub(crate) fn row(self) -> ActiveModel {
        let mut row = self.new.row(self.created_at);
        if let Some((index, at)) = self.published {
            write_publication(&mut row, index, at);
            row.updated_at = Set(at);
            row.version = Set(2);
        }
        if let Some((reason, at)) = self.withdrawn {
            write_withdrawal(&mut row, reason, at);
        }
        row
    }
}
