use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Date,
    Kind,
    Note,
}

/// The State Council General Office's announced holidays and 调休 workdays,
/// kept in the project (not read from outside at run time).
///
/// The file is the frozen input of this landed migration: a year added to it
/// would reach only databases created afterwards, never those that already
/// ran it. New years arrive by `gongkai calendar import FILE.csv` (or
/// `setCalendarDays`), which every database sees; leave this file as it is.
const ANNOUNCED_CALENDAR: &str = include_str!("../data/cn-working-calendar.csv");

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarDay::Table)
                    .col(date(CalendarDay::Date).primary_key())
                    .col(string_len(CalendarDay::Kind, 16))
                    .col(string_len_null(CalendarDay::Note, 50))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(CalendarDay::Table).columns([
            CalendarDay::Date,
            CalendarDay::Kind,
            CalendarDay::Note,
        ]);
        for line in ANNOUNCED_CALENDAR
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
        {
            let mut fields = line.split(',');
            let (Some(day), Some(kind), note) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(DbErr::Migration(format!("bad calendar line: {line}")));
            };
            let day = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
                .map_err(|e| DbErr::Migration(format!("bad calendar date {day}: {e}")))?;
            insert.values_panic([
                day.into(),
                kind.trim().into(),
                note.map(str::trim).filter(|n| !n.is_empty()).into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarDay::Table).to_owned())
            .await
    }
}
