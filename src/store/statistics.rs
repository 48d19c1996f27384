//! Aggregates for oversight and the annual report, computed by the database.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use crate::error::AppResult;

/// Writes `?` placeholders the way the backend wants them.
fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push_str(&format!("${n}"));
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    if list.is_empty() {
        "NULL".to_owned()
    } else {
        list.join(",")
    }
}

/// Per organisation, over the applications due in [from, to] (received in
/// it, or received before and still open on `from`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    pub organization_id: i64,
    pub received: u64,
    pub carried_over: u64,
    pub closed: u64,
    pub closed_on_time: u64,
    /// Open at the end of `to` with a running clock and dueOn before `to`,
    /// as the clock stood then (read back from the events).
    pub overdue: u64,
    pub extended: u64,
    pub overridden: u64,
}

/// 1 when application `a`, open at the end of `to`, was then overdue: its
/// last event on or before that day left the clock running with dueOn
/// before `to` (a few rows per application, by its index).
const OVERDUE_AT_END: &str =
    "SELECT CASE WHEN x.clock_running_after AND x.due_on_after < ? THEN 1 ELSE 0 END
    FROM application_event x
    WHERE x.application_id = a.id AND x.effective_on <= ?
    ORDER BY x.effective_on DESC, x.id DESC LIMIT 1";

pub async fn period_counts(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<PeriodCounts>> {
    // CASE evaluates the clock subquery only for the applications still open.
    let sql = format!(
        "SELECT a.organization_id AS organization_id,
            SUM(CASE WHEN a.received_on >= ? THEN 1 ELSE 0 END) AS received,
            SUM(CASE WHEN a.received_on < ? THEN 1 ELSE 0 END) AS carried_over,
            SUM(CASE WHEN a.closed_on <= ? THEN 1 ELSE 0 END) AS closed,
            SUM(CASE WHEN a.closed_on <= ? AND a.closed_on_time THEN 1 ELSE 0 END) AS closed_on_time,
            SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > ? THEN COALESCE(({OVERDUE_AT_END}), 0) ELSE 0 END) AS overdue,
            SUM(CASE WHEN a.extended THEN 1 ELSE 0 END) AS extended,
            SUM(CASE WHEN a.deadline_overridden THEN 1 ELSE 0 END) AS overridden
         FROM application a
         WHERE a.organization_id IN ({}) AND a.received_on <= ?
           AND (a.closed_on IS NULL OR a.closed_on >= ?)
         GROUP BY a.organization_id",
        id_list(organization_ids)
    );
    // In order of appearance: the CASEs (the clock subquery's two in the fifth), then WHERE.
    let values: Vec<Value> = vec![
        from.into(),
        from.into(),
        to.into(),
        to.into(),
        to.into(),
        to.into(),
        to.into(),
        to.into(),
        from.into(),
    ];
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
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
) -> AppResult<Vec<(i64, String, u64)>> {
    let sql = format!(
        "SELECT organization_id, outcome, COUNT(*) AS n FROM application
         WHERE organization_id IN ({}) AND closed_on >= ? AND closed_on <= ? AND outcome IS NOT NULL
         GROUP BY organization_id, outcome",
        id_list(organization_ids)
    );
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &sql,
            vec![from.into(), to.into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("", "organization_id")?,
                row.try_get("", "outcome")?,
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
    let sql = format!(
        "SELECT organization_id, working_days_to_close AS days, COUNT(*) AS n FROM application
         WHERE organization_id IN ({}) AND closed_on >= ? AND closed_on <= ?
         GROUP BY organization_id, working_days_to_close",
        id_list(organization_ids)
    );
    let rows = db
        .query_all_raw(statement(
            db.get_database_backend(),
            &sql,
            vec![from.into(), to.into()],
        ))
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCountsRow {
    pub applicant_type: String,
    pub outcome: Option<String>,
    pub received: u64,
    pub carried_over: u64,
    pub closed: u64,
    pub carried_forward: u64,
}

pub async fn year_counts(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> AppResult<Vec<YearCountsRow>> {
    let sql = format!(
        "SELECT applicant_type, outcome,
            SUM(CASE WHEN received_on >= ? THEN 1 ELSE 0 END) AS received,
            SUM(CASE WHEN received_on < ? THEN 1 ELSE 0 END) AS carried_over,
            SUM(CASE WHEN closed_on <= ? THEN 1 ELSE 0 END) AS closed,
            SUM(CASE WHEN closed_on IS NULL OR closed_on > ? THEN 1 ELSE 0 END) AS carried_forward
         FROM application
         WHERE organization_id IN ({}) AND received_on <= ? AND (closed_on IS NULL OR closed_on >= ?)
         GROUP BY applicant_type, outcome",
        id_list(organization_ids)
    );
    let values: Vec<Value> = [
        first_day, first_day, last_day, last_day, last_day, first_day,
    ]
    .into_iter()
    .map(Into::into)
    .collect();
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter()
        .map(|row| {
            let count = |column: &str| row.try_get::<i64>("", column).map(|n| n as u64);
            Ok(YearCountsRow {
                applicant_type: row.try_get("", "applicant_type")?,
                outcome: row.try_get("", "outcome")?,
                received: count("received")?,
                carried_over: count("carried_over")?,
                closed: count("closed")?,
                carried_forward: count("carried_forward")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_per_backend() {
        let pg = statement(
            DatabaseBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let sqlite = statement(
            DatabaseBackend::Sqlite,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(sqlite.sql, "a = ? AND b = ?");
        assert_eq!(id_list(&[]), "NULL");
        assert_eq!(id_list(&[3, 5]), "3,5");
    }
}
