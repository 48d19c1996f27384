use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use entity::calendar_day::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::calendar::{CalendarDay, WorkingCalendar};
use crate::error::{AppError, AppResult};
use crate::store::stored;

fn to_domain(row: Model) -> AppResult<CalendarDay> {
    Ok(CalendarDay {
        kind: stored("calendar_day", row.date, "kind", &row.kind)?,
        date: row.date,
        note: row.note,
    })
}

/// The whole working calendar: a few dozen rows per announced year.
pub async fn load(db: &impl ConnectionTrait) -> AppResult<WorkingCalendar> {
    let rows = Entity::find().order_by_asc(Column::Date).all(db).await?;
    let days = rows
        .into_iter()
        .map(to_domain)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(WorkingCalendar::new(days))
}

/// Inserts or replaces the given days (inside the caller's transaction).
pub async fn set_days(txn: &impl ConnectionTrait, days: &[CalendarDay]) -> AppResult<()> {
    for day in days {
        Entity::insert(ActiveModel {
            date: Set(day.date),
            kind: Set(day.kind.as_str().to_owned()),
            note: Set(day.note.clone()),
        })
        .on_conflict(
            OnConflict::column(Column::Date)
                .update_columns([Column::Kind, Column::Note])
                .to_owned(),
        )
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// Makes each of `years` hold exactly the entries of `days` that fall in it
/// (inside the caller's transaction): a calendar file replaces whole years.
pub async fn replace_years(
    txn: &impl ConnectionTrait,
    years: &BTreeSet<i32>,
    days: &[CalendarDay],
) -> AppResult<()> {
    for year in years {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(*year, 1, 1),
            NaiveDate::from_ymd_opt(*year, 12, 31),
        ) else {
            return Err(AppError::internal(format!("year {year} is out of range")));
        };
        Entity::delete_many()
            .filter(Column::Date.between(first, last))
            .exec(txn)
            .await?;
    }
    let in_years: Vec<CalendarDay> = days
        .iter()
        .filter(|d| years.contains(&d.date.year()))
        .cloned()
        .collect();
    set_days(txn, &in_years).await
}

/// Removes the entries of the given dates; returns how many existed.
pub async fn clear_days(db: &impl ConnectionTrait, dates: &[NaiveDate]) -> AppResult<u64> {
    let result = Entity::delete_many()
        .filter(Column::Date.is_in(dates.iter().copied()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
