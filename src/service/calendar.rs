//! The working calendar, kept current by ADMIN.

use std::collections::HashSet;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::domain::calendar::CalendarDay;
use crate::domain::policy::Operation;
use crate::error::{AppError, AppResult};
use crate::service::Authority;
use crate::store;

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

/// Sets HOLIDAY / WORKDAY entries (ADMIN), all or none.
pub async fn set_days(
    db: &DatabaseConnection,
    authority: Authority<'_>,
    days: Vec<CalendarDay>,
) -> AppResult<Vec<CalendarDay>> {
    authority.check(Operation::ManageCalendar, None)?;
    check_batch(days.iter().map(|d| d.date), "days")?;
    for (index, day) in days.iter().enumerate() {
        day.validate(&format!("days[{index}]"))?;
    }
    store::calendar::set_days(db, &days).await?;
    Ok(days)
}

/// Makes the given dates ordinary days again (ADMIN); returns how many
/// entries were removed.
pub async fn clear_days(
    db: &DatabaseConnection,
    authority: Authority<'_>,
    dates: Vec<NaiveDate>,
) -> AppResult<u64> {
    authority.check(Operation::ManageCalendar, None)?;
    check_batch(dates.iter().copied(), "dates")?;
    store::calendar::clear_days(db, &dates).await
}
