//! Aggregates for oversight and the annual report, computed by the database.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::domain::applicant::ApplicantType;
use crate::domain::report::{PeriodCounts, YearCounts};
use crate::domain::workflow::Outcome;
use crate::error::{AppError, AppResult};
use crate::store::rules::{open_on, overdue};
use crate::store::sql::Sql;
use crate::store::{stored, stored_opt};

fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    if list.is_empty() {
        "NULL".to_owned()
    } else {
        list.join(",")
    }
}

/// The day after `day`: "open at the end of `day`" is open on it.
fn next_day(day: NaiveDate) -> AppResult<NaiveDate> {
    day.succ_opt()
        .ok_or_else(|| AppError::bad_input("to", "日期超出范围"))
}

/// 1 when application `a` was overdue at the end of `to`: its last event on
/// or before that day left the clock running with dueOn before `to` (a few
/// rows per application, by its index).
fn overdue_at_end(to: NaiveDate) -> Sql {
    Sql::new("SELECT CASE WHEN ")
        .then(overdue("x.clock_running_after", "x.due_on_after", to))
        .text(
            " THEN 1 ELSE 0 END FROM application_event x
            WHERE x.application_id = a.id AND x.effective_on <= ",
        )
        .value(to)
        .text(" ORDER BY x.effective_on DESC, x.id DESC LIMIT 1")
}

/// Per organisation, over the applications due in [from, to] (received in
/// it, or received before and still open on `from`).
pub async fn period_counts(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<PeriodCounts>> {
    let after_to = next_day(to)?;
    // CASE evaluates the clock subquery only for the applications still open.
    let sql = Sql::new(
        "SELECT a.organization_id AS organization_id,
            SUM(CASE WHEN a.received_on >= ",
    )
    .value(from)
    .text(" THEN 1 ELSE 0 END) AS received,\n            SUM(CASE WHEN ")
    .then(open_on("a.received_on", "a.closed_on", from))
    .text(" THEN 1 ELSE 0 END) AS carried_over,\n            SUM(CASE WHEN a.closed_on <= ")
    .value(to)
    .text(" THEN 1 ELSE 0 END) AS closed,\n            SUM(CASE WHEN a.closed_on <= ")
    .value(to)
    .text(" AND a.closed_on_time THEN 1 ELSE 0 END) AS closed_on_time,\n            SUM(CASE WHEN ")
    .then(open_on("a.received_on", "a.closed_on", after_to))
    .text(" THEN COALESCE((")
    .then(overdue_at_end(to))
    .text(
        "), 0) ELSE 0 END) AS overdue,
            SUM(CASE WHEN a.extended THEN 1 ELSE 0 END) AS extended,
            SUM(CASE WHEN a.deadline_overridden THEN 1 ELSE 0 END) AS overridden
         FROM application a
         WHERE a.organization_id IN (",
    )
    .text(&id_list(organization_ids))
    .text(") AND a.received_on <= ")
    .value(to)
    .text(" AND (a.closed_on IS NULL OR a.closed_on >= ")
    .value(from)
    .text(")\n         GROUP BY a.organization_id");
    let rows = db
        .query_all_raw(sql.statement(db.get_database_backend()))
        .await?;
    rows.iter()
        .map(|row| {
            let count = |column: &str| row.try_get::<i64>("", column).map(|n| n as u64);
            Ok(PeriodCounts {
                organization_id: row.try_get("", "organization_id")?,
                received: count("received")?,
                carried_over: count("carried_over")?,
                closed: count("closed")?,
                closed_on_time: count("closed_on_time")?,
                overdue: count("overdue")?,
                extended: count("extended")?,
                overridden: count("overridden")?,
            })
        })
        .collect()
}

/// Outcomes of the applications closed in [from, to], per organisation.
pub async fn outcomes(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, Outcome, u64)>> {
    let sql = Sql::new(&format!(
        "SELECT organization_id, outcome, COUNT(*) AS n FROM application
         WHERE organization_id IN ({}) AND closed_on >= ",
        id_list(organization_ids)
    ))
    .value(from)
    .text(" AND closed_on <= ")
    .value(to)
    .text(" AND outcome IS NOT NULL\n         GROUP BY organization_id, outcome");
    let rows = db
        .query_all_raw(sql.statement(db.get_database_backend()))
        .await?;
    rows.iter()
        .map(|row| {
            let organization: i64 = row.try_get("", "organization_id")?;
            let outcome: String = row.try_get("", "outcome")?;
            Ok((
                organization,
                stored(
                    "application",
                    format_args!("of organization {organization}"),
                    "outcome",
                    &outcome,
                )?,
                row.try_get::<i64>("", "n")? as u64,
            ))
        })
        .collect()
}

/// (organisation, working days to close, applications) over the applications
/// closed in [from, to]: the histogram medians and bands are read from.
pub async fn closing_days(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, u32, u64)>> {
    let sql = Sql::new(&format!(
        "SELECT organization_id, working_days_to_close AS days, COUNT(*) AS n FROM application
         WHERE organization_id IN ({}) AND closed_on >= ",
        id_list(organization_ids)
    ))
    .value(from)
    .text(" AND closed_on <= ")
    .value(to)
    .text("\n         GROUP BY organization_id, working_days_to_close");
    let rows = db
        .query_all_raw(sql.statement(db.get_database_backend()))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("", "organization_id")?,
                row.try_get::<i32>("", "days")? as u32,
                row.try_get::<i64>("", "n")? as u64,
            ))
        })
        .collect()
}

/// Table 三's counts for a year, by applicant type and outcome, in one pass
/// over the applications alive in it (received by its last day, open on its
/// first): received in the year, carried over into it, closed in it, and
/// carried forward out of it.
pub async fn year_counts(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> AppResult<YearCounts> {
    let next_year = next_day(last_day)?;
    let sql = Sql::new(
        "SELECT applicant_type, outcome,
            SUM(CASE WHEN received_on >= ",
    )
    .value(first_day)
    .text(" THEN 1 ELSE 0 END) AS received,\n            SUM(CASE WHEN ")
    .then(open_on("received_on", "closed_on", first_day))
    .text(" THEN 1 ELSE 0 END) AS carried_over,\n            SUM(CASE WHEN closed_on <= ")
    .value(last_day)
    .text(" THEN 1 ELSE 0 END) AS closed,\n            SUM(CASE WHEN ")
    .then(open_on("received_on", "closed_on", next_year))
    .text(&format!(
        " THEN 1 ELSE 0 END) AS carried_forward
         FROM application
         WHERE organization_id IN ({}) AND received_on <= ",
        id_list(organization_ids)
    ))
    .value(last_day)
    .text(" AND (closed_on IS NULL OR closed_on >= ")
    .value(first_day)
    .text(")\n         GROUP BY applicant_type, outcome");
    let rows = db
        .query_all_raw(sql.statement(db.get_database_backend()))
        .await?;
    let mut counts = YearCounts::default();
    for row in rows {
        let count = |column: &str| row.try_get::<i64>("", column).map(|n| n as u64);
        let applicant_type: String = row.try_get("", "applicant_type")?;
        let outcome: Option<String> = row.try_get("", "outcome")?;
        let group = "of the year's counts";
        let kind: ApplicantType = stored("application", group, "applicant_type", &applicant_type)?;
        *counts.received.entry(kind).or_default() += count("received")?;
        *counts.carried_over.entry(kind).or_default() += count("carried_over")?;
        *counts.carried_forward.entry(kind).or_default() += count("carried_forward")?;
        let closed = count("closed")?;
        if closed > 0 {
            let outcome: Option<Outcome> =
                stored_opt("application", group, "outcome", outcome.as_deref())?;
            let outcome = outcome
                .ok_or_else(|| AppError::internal("closed applications without an outcome"))?;
            *counts.closed.entry((kind, outcome)).or_default() += closed;
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_lists() {
        assert_eq!(id_list(&[]), "NULL");
        assert_eq!(id_list(&[3, 5]), "3,5");
    }
}
