//! What the reminder sweep reads and marks. Applications carry the day the
//! sweep next looks at them (`remind_check_on`, indexed): every write of
//! the clock sets it to the epoch, the sweep to the next day a reminder can
//! fall due. A sweep when nothing is due reads an empty index range,
//! however many applications there are.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::domain::organization::OrganizationKind;
use crate::domain::reminder::OpenApplication;
use crate::domain::workflow::EventKind;
use crate::error::AppResult;
use crate::store::sql::Sql;
use crate::store::stored;

/// The check day that means "look at once".
pub fn look_now() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a real date")
}

/// An application the sweep looks at today.
#[derive(Clone, Debug)]
pub struct DueApplication {
    pub id: i64,
    pub organization_id: i64,
    pub tracking_no: String,
    pub facts: OpenApplication,
}

/// Up to `limit` applications whose check day has come. On PostgreSQL the
/// rows are claimed (`FOR UPDATE SKIP LOCKED`): another instance sweeping
/// at the same moment takes the others, and the caller's transaction holds
/// them until it has written their reminders and next check days.
pub async fn due_applications(
    txn: &impl ConnectionTrait,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<DueApplication>> {
    let backend = txn.get_database_backend();
    let claim = match backend {
        DatabaseBackend::Postgres => " FOR UPDATE OF a SKIP LOCKED",
        _ => "",
    };
    let sql = Sql::new(
        "SELECT a.id, a.organization_id, a.tracking_no, a.status, a.received_on, a.due_on, \
         a.clock_running FROM application a WHERE a.remind_check_on <= ",
    )
    .value(today)
    // By the index alone (no tie-break on id): with many rows on one day,
    // PostgreSQL would otherwise sort them all for each batch.
    .text(" ORDER BY a.remind_check_on LIMIT ")
    .value(limit as i64)
    .text(claim);
    let rows = txn.query_all_raw(sql.statement(backend)).await?;
    let mut due = rows
        .into_iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let status: String = row.try_get("", "status")?;
            Ok(DueApplication {
                id,
                organization_id: row.try_get("", "organization_id")?,
                tracking_no: row.try_get("", "tracking_no")?,
                facts: OpenApplication {
                    status: stored("application", id, "status", &status)?,
                    received_on: row.try_get("", "received_on")?,
                    due_on: row.try_get("", "due_on")?,
                    clock_running: row.try_get("", "clock_running")?,
                    correction_requested: false,
                },
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    if due.is_empty() {
        return Ok(due);
    }
    // Which of them had a correction notice: by the events' index on
    // application_id (as a subquery, PostgreSQL scanned every event).
    let mut sql = Sql::new("SELECT DISTINCT application_id FROM application_event WHERE kind = ")
        .value(EventKind::CorrectionRequested.as_str())
        .text(" AND application_id IN (");
    for (i, app) in due.iter().enumerate() {
        if i > 0 {
            sql = sql.text(", ");
        }
        sql = sql.value(app.id);
    }
    let requested: std::collections::HashSet<i64> = txn
        .query_all_raw(sql.text(")").statement(backend))
        .await?
        .iter()
        .map(|row| row.try_get::<i64>("", "application_id"))
        .collect::<Result<_, _>>()?;
    for app in &mut due {
        app.facts.correction_requested = requested.contains(&app.id);
    }
    Ok(due)
}

/// Writes the next check day of each application (None: never again), one
/// statement per distinct day.
pub async fn set_check_days(
    txn: &impl ConnectionTrait,
    by_day: BTreeMap<Option<NaiveDate>, Vec<i64>>,
) -> AppResult<()> {
    let backend = txn.get_database_backend();
    for (day, ids) in by_day {
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new("UPDATE application SET remind_check_on = ")
                .value(day)
                .text(" WHERE id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql = sql.text(", ");
                }
                sql = sql.value(*id);
            }
            txn.execute_raw(sql.text(")").statement(backend)).await?;
        }
    }
    Ok(())
}

/// Has the sweep look again at every open application (of one
/// organisation): after a calendar change or new thresholds, the next
/// reminder day may have moved even where dueOn did not.
pub async fn look_again(
    conn: &impl ConnectionTrait,
    organization_id: Option<i64>,
) -> AppResult<()> {
    let backend = conn.get_database_backend();
    let mut sql = Sql::new("UPDATE application SET remind_check_on = ")
        .value(look_now())
        .text(" WHERE status <> ")
        .value(crate::domain::workflow::Status::Closed.as_str());
    if let Some(id) = organization_id {
        sql = sql.text(" AND organization_id = ").value(id);
    }
    conn.execute_raw(sql.statement(backend)).await?;
    Ok(())
}

/// A draft that may be nearing its publication deadline.
#[derive(Clone, Debug)]
pub struct DueDraft {
    pub id: i64,
    pub organization_id: i64,
    pub title: String,
    pub formed_on: NaiveDate,
}

/// Drafts formed between `oldest` and `newest` that have had no
/// PUBLICATION_DUE_SOON yet (by the partial index over drafts).
pub async fn drafts_in_reach(
    db: &impl ConnectionTrait,
    oldest: NaiveDate,
    newest: NaiveDate,
) -> AppResult<Vec<DueDraft>> {
    let backend = db.get_database_backend();
    let sql = Sql::new(
        "SELECT d.id, d.organization_id, d.title, d.formed_on FROM disclosure d \
         WHERE d.status = 'DRAFT' AND d.formed_on >= ",
    )
    .value(oldest)
    .text(" AND d.formed_on <= ")
    .value(newest)
    .text(
        " AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.disclosure_id = d.id \
         AND n.kind = 'PUBLICATION_DUE_SOON')",
    );
    db.query_all_raw(sql.statement(backend))
        .await?
        .into_iter()
        .map(|row| {
            Ok(DueDraft {
                id: row.try_get("", "id")?,
                organization_id: row.try_get("", "organization_id")?,
                title: row.try_get("", "title")?,
                formed_on: row.try_get("", "formed_on")?,
            })
        })
        .collect()
}

/// An organisation whose annual report of `year` is not published yet.
#[derive(Clone, Debug)]
pub struct ReportPending {
    pub organization_id: i64,
    pub kind: OrganizationKind,
    pub name: String,
}

/// The organisations without a PUBLISHED 政府信息公开年报 (category GKNB)
/// published since 1 January of the year after `year`.
pub async fn reports_pending(
    db: &impl ConnectionTrait,
    year: i32,
) -> AppResult<Vec<ReportPending>> {
    let backend = db.get_database_backend();
    let from = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("a real date");
    let sql = Sql::new(
        "SELECT o.id, o.kind, o.name FROM organization o WHERE NOT EXISTS (\
         SELECT 1 FROM disclosure d JOIN disclosure_category c ON c.id = d.category_id \
         WHERE d.organization_id = o.id AND c.code = 'GKNB' AND d.status = 'PUBLISHED' \
         AND d.published_on >= ",
    )
    .value(from)
    .text(") ORDER BY o.id");
    db.query_all_raw(sql.statement(backend))
        .await?
        .into_iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let kind: String = row.try_get("", "kind")?;
            Ok(ReportPending {
                organization_id: id,
                kind: stored("organization", id, "kind", &kind)?,
                name: row.try_get("", "name")?,
            })
        })
        .collect()
}
