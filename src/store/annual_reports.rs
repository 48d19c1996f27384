//! Published annual reports: the frozen tables (a versioned JSON snapshot),
//! the texts, and the disclosure that carries the report, written in one
//! transaction; and the fees collected in a year, from the applications.

use chrono::{DateTime, NaiveDate, Utc};
use entity::published_annual_report::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use crate::domain::annual_report::{Figures, ReportText};
use crate::domain::disclosure::Disclosure;
use crate::domain::files::{AttachedTo, AttachmentKind};
use crate::domain::legal_challenge::ChallengeCounts;
use crate::domain::report::{ProactiveFigures, YearCounts, table_three};
use crate::error::{AppError, AppResult};
use crate::store::disclosures::{self, NewDisclosure};
use crate::store::files::{self, NewAttachment, NewFile};
use crate::store::sql::Sql;
use crate::store::{begin_write, is_unique_violation};

/// The layout of `snapshot`; a new layout is a new number, and old rows
/// keep being read in theirs.
const SNAPSHOT_VERSION: i32 = 1;

#[derive(Serialize, Deserialize)]
struct SnapshotV1 {
    regulations: [i32; 3],
    normative_documents: [i32; 3],
    licensing_decisions: i32,
    penalty_decisions: i32,
    coercion_decisions: i32,
    fees_yuan: i64,
    /// Table 三's rows in the template's order, six columns each.
    table_three: Vec<[u64; 6]>,
    review: [u64; 4],
    direct_suit: [u64; 4],
    suit_after_review: [u64; 4],
}

fn snapshot(figures: &Figures) -> String {
    let p = &figures.proactive;
    let c = &figures.challenges;
    serde_json::to_string(&SnapshotV1 {
        regulations: p.regulations,
        normative_documents: p.normative_documents,
        licensing_decisions: p.licensing_decisions,
        penalty_decisions: p.penalty_decisions,
        coercion_decisions: p.coercion_decisions,
        fees_yuan: p.fees_yuan,
        table_three: figures.rows.iter().map(|r| r.columns).collect(),
        review: c.review,
        direct_suit: c.direct_suit,
        suit_after_review: c.suit_after_review,
    })
    .expect("plain numbers serialise")
}

fn figures_of(model: &Model) -> AppResult<Figures> {
    let unreadable = || {
        tracing::error!(
            report = model.id,
            version = model.snapshot_version,
            "stored annual report snapshot unreadable"
        );
        AppError::internal("annual report snapshot unreadable")
    };
    if model.snapshot_version != SNAPSHOT_VERSION {
        return Err(unreadable());
    }
    let s: SnapshotV1 = serde_json::from_str(&model.snapshot).map_err(|_| unreadable())?;
    let mut rows = table_three(&YearCounts::default());
    if rows.len() != s.table_three.len() {
        return Err(unreadable());
    }
    for (row, columns) in rows.iter_mut().zip(s.table_three) {
        row.columns = columns;
    }
    Ok(Figures {
        proactive: ProactiveFigures {
            regulations: s.regulations,
            normative_documents: s.normative_documents,
            licensing_decisions: s.licensing_decisions,
            penalty_decisions: s.penalty_decisions,
            coercion_decisions: s.coercion_decisions,
            fees_yuan: s.fees_yuan,
        },
        rows,
        challenges: ChallengeCounts {
            review: s.review,
            direct_suit: s.direct_suit,
            suit_after_review: s.suit_after_review,
        },
    })
}

/// A published report as stored.
#[derive(Clone, Debug)]
pub struct PublishedReport {
    pub id: i64,
    pub organization_id: i64,
    pub year: i32,
    pub disclosure_id: i64,
    pub figures: Figures,
    pub text: ReportText,
    /// Information processing fees collected in the year (section 六).
    pub fees_yuan: i64,
    pub published_at: DateTime<Utc>,
    pub due_on: NaiveDate,
}

fn record(model: Model) -> AppResult<PublishedReport> {
    Ok(PublishedReport {
        figures: figures_of(&model)?,
        id: model.id,
        organization_id: model.organization_id,
        year: model.year,
        disclosure_id: model.disclosure_id,
        text: ReportText {
            overview: model.overview,
            problems_and_improvements: model.problems_and_improvements,
            other_matters: model.other_matters,
        },
        fees_yuan: model.fees_yuan,
        published_at: model.published_at,
        due_on: model.due_on,
    })
}

/// What publication writes.
pub struct NewPublication {
    pub organization_id: i64,
    pub org_code: String,
    pub year: i32,
    pub figures: Figures,
    pub text: ReportText,
    pub fees_yuan: i64,
    pub due_on: NaiveDate,
    pub published_by: Option<i64>,
    /// The disclosure that carries it, published in the same transaction.
    pub disclosure: NewDisclosure,
    /// The report's documents (DOCX, Markdown), their blobs already kept:
    /// attached to the disclosure in the same transaction.
    pub documents: Vec<NewFile>,
}

const ALREADY: &str = "该机构该年度的年度报告已经发布";

/// Freezes the figures and publishes the disclosure, all or nothing; a
/// second publication for the organisation and year is CONFLICT.
pub async fn publish(
    db: &DatabaseConnection,
    new: NewPublication,
    now: DateTime<Utc>,
) -> AppResult<(PublishedReport, Disclosure)> {
    let txn = begin_write(db).await?;
    if find_in(&txn, new.organization_id, new.year)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(ALREADY.into()));
    }
    let draft = disclosures::insert(&txn, new.disclosure, now).await?;
    let disclosure = disclosures::publish_in(&txn, draft.id, &new.org_code, now).await?;
    for document in new.documents {
        let file = files::insert_file(&txn, document, now).await?;
        files::mark_referenced(&txn, &[file.id]).await?;
        let attachment = NewAttachment {
            file_id: file.id,
            to: AttachedTo::Disclosure(disclosure.id),
            kind: AttachmentKind::Document,
            attached_by: new.published_by,
            extracted_text: None,
        };
        files::insert_attachment(&txn, attachment, now).await?;
    }
    let row = ActiveModel {
        id: NotSet,
        organization_id: Set(new.organization_id),
        year: Set(new.year),
        disclosure_id: Set(disclosure.id),
        snapshot_version: Set(SNAPSHOT_VERSION),
        snapshot: Set(snapshot(&new.figures)),
        overview: Set(new.text.overview),
        problems_and_improvements: Set(new.text.problems_and_improvements),
        other_matters: Set(new.text.other_matters),
        fees_yuan: Set(new.fees_yuan),
        published_at: Set(now),
        published_by: Set(new.published_by),
        due_on: Set(new.due_on),
    };
    let stored = match row.insert(&txn).await {
        Ok(stored) => stored,
        Err(err) if is_unique_violation(&err) => return Err(AppError::Conflict(ALREADY.into())),
        Err(err) => return Err(err.into()),
    };
    txn.commit().await?;
    Ok((record(stored)?, disclosure))
}

async fn find_in(
    db: &impl ConnectionTrait,
    organization_id: i64,
    year: i32,
) -> AppResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::OrganizationId.eq(organization_id))
        .filter(Column::Year.eq(year))
        .one(db)
        .await?)
}

/// The reports of these organisations for `year` (all years when None),
/// newest year first.
pub async fn of_organizations(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    year: Option<i32>,
) -> AppResult<Vec<PublishedReport>> {
    let mut query = Entity::find().filter(Column::OrganizationId.is_in(organization_ids.to_vec()));
    if let Some(year) = year {
        query = query.filter(Column::Year.eq(year));
    }
    query
        .order_by_desc(Column::Year)
        .order_by_asc(Column::OrganizationId)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// The information processing fees paid in [from, to] to these
/// organisations: the amounts of the applications whose fee was recorded
/// paid in the period.
pub async fn fees_collected(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<i64> {
    let ids: Vec<String> = organization_ids.iter().map(i64::to_string).collect();
    let ids = if ids.is_empty() {
        "NULL".to_owned()
    } else {
        ids.join(",")
    };
    let sql = Sql::new(&format!(
        "SELECT CAST(COALESCE(SUM(a.fee_yuan), 0) AS BIGINT) AS fees FROM application a
         WHERE a.organization_id IN ({ids}) AND a.fee_yuan IS NOT NULL AND EXISTS (
           SELECT 1 FROM application_event e WHERE e.application_id = a.id
           AND e.kind = 'FEE_PAID' AND e.effective_on >= "
    ))
    .value(from)
    .text(" AND e.effective_on <= ")
    .value(to)
    .text(")");
    let row = db
        .query_one_raw(sql.statement(db.get_database_backend()))
        .await?
        .ok_or_else(|| AppError::internal("a SUM answers one row"))?;
    Ok(row.try_get::<i64>("", "fees")?)
}
