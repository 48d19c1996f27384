//! The working calendar, kept current by ADMIN over GraphQL or by the
//! operator importing a year's notice. A change recomputes, in the same
//! transaction, the deadline of every open application it may move.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::calendar::{CalendarDay, WorkingCalendar, china_date};
use crate::domain::calendar_file::CalendarFile;
use crate::domain::policy::{Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::service::{access, applications};
use crate::store;

/// The working calendar as announced: a few dozen days a year.
pub async fn load(db: &impl ConnectionTrait) -> AppResult<WorkingCalendar> {
    store::calendar::load(db).await
}

/// At most this many days in one call (a year and then some).
const MAX_DAYS_PER_CALL: usize = 400;

fn check_batch(dates: impl Iterator<Item = NaiveDate>, field: &str) -> AppResult<()> {
    let mut seen = HashSet::new();
    for (index, date) in dates.enumerate() {
        if index >= MAX_DAYS_PER_CALL {
            return Err(AppError::bad_input(
                field,
                format!("一次最多设置{MAX_DAYS_PER_CALL}天"),
            ));
        }
        if !seen.insert(date) {
            return Err(AppError::bad_input(
                format!("{field}[{index}]"),
                format!("{date} 重复出现"),
            ));
        }
    }
    Ok(())
}

enum Change<'a> {
    Set(&'a [CalendarDay]),
    Clear(&'a [NaiveDate]),
    /// Whole years, from a calendar file.
    Replace(&'a CalendarFile),
}

struct Applied {
    /// Entries written or removed.
    written: u64,
    /// Open deadlines that moved.
    moved: usize,
}

/// Writes the change and moves the deadlines it affects, all or nothing.
async fn apply(
    db: &DatabaseConnection,
    change: Change<'_>,
    now: DateTime<Utc>,
) -> AppResult<Applied> {
    let latest = match change {
        Change::Set(days) => days.iter().map(|d| d.date).max(),
        Change::Clear(dates) => dates.iter().copied().max(),
        Change::Replace(file) => file
            .years()
            .last()
            .and_then(|year| NaiveDate::from_ymd_opt(*year, 12, 31)),
    };
    let txn = store::begin_write(db).await?;
    let written = match change {
        Change::Set(days) => {
            store::calendar::set_days(&txn, days).await?;
            days.len() as u64
        }
        Change::Clear(dates) => store::calendar::clear_days(&txn, dates).await?,
        Change::Replace(file) => {
            store::calendar::replace_years(&txn, &file.years(), file.days()).await?;
            file.days().len() as u64
        }
    };
    let mut moved = 0;
    if let Some(latest) = latest {
        let calendar = store::calendar::load(&txn).await?;
        moved = applications::recalculate_deadlines(&txn, &calendar, latest, china_date(now), now)
            .await?;
        // Working days left may change where dueOn did not.
        store::reminders::look_again(&txn, None).await?;
    }
    txn.commit().await?;
    Ok(Applied { written, moved })
}

/// Sets HOLIDAY / WORKDAY entries (ADMIN), all or none.
pub async fn set_days(
    db: &DatabaseConnection,
    caller: &Caller,
    days: Vec<CalendarDay>,
    now: DateTime<Utc>,
) -> AppResult<Vec<CalendarDay>> {
    access::deployment(caller, Operation::ManageCalendar)?;
    check_batch(days.iter().map(|d| d.date), "days")?;
    for (index, day) in days.iter().enumerate() {
        day.validate(&format!("days[{index}]"))?;
    }
    apply(db, Change::Set(&days), now).await?;
    Ok(days)
}

/// Makes the given dates ordinary days again (ADMIN); returns how many
/// entries were removed.
pub async fn clear_days(
    db: &DatabaseConnection,
    caller: &Caller,
    dates: Vec<NaiveDate>,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    access::deployment(caller, Operation::ManageCalendar)?;
    check_batch(dates.iter().copied(), "dates")?;
    Ok(apply(db, Change::Clear(&dates), now).await?.written)
}

/// What an import changed.
pub struct Imported {
    pub years: BTreeSet<i32>,
    pub days: u64,
    pub moved_deadlines: usize,
}

/// Replaces the years a calendar file covers with its days (how a new
/// year's notice arrives), moving open deadlines exactly as `set_days`
/// does, all or nothing.
pub async fn import(
    db: &DatabaseConnection,
    caller: &Caller,
    file: &CalendarFile,
    now: DateTime<Utc>,
) -> AppResult<Imported> {
    access::deployment(caller, Operation::ManageCalendar)?;
    let applied = apply(db, Change::Replace(file), now).await?;
    Ok(Imported {
        years: file.years(),
        days: applied.written,
        moved_deadlines: applied.moved,
    })
}

/// The entries of one year, in date order (the calendar is public).
pub async fn days_of_year(db: &DatabaseConnection, year: i32) -> AppResult<Vec<CalendarDay>> {
    let calendar = store::calendar::load(db).await?;
    Ok(calendar.days_of_year(year).cloned().collect())
}
