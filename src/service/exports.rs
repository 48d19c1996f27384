//! Export in the import templates (issue 16, §3): an organisation's
//! published catalogue or its ledger of a year as XLSX, so that a file can
//! go out and come back — the rows are those `import` reads into the same
//! records (`domain::import::export`).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::access::{self, Concerning};
use super::progress::Progress;
use crate::domain::import::ImportKind;
use crate::domain::import::cells::Cell;
use crate::domain::import::export::{application_row, disclosure_row};
use crate::domain::organization::Organization;
use crate::domain::policy::{Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::spreadsheet;
use crate::store;

/// Rows read per statement: a page, its events in one more.
const PAGE: u64 = 500;

/// What to export.
#[derive(Clone, Copy, Debug)]
pub struct ExportRequest {
    pub kind: ImportKind,
    pub organization_id: i64,
    /// Disclosures published in the year; applications the year's report
    /// counts (received in it, or carried over into it).
    pub year: i32,
}

/// The workbook and what went into it.
pub struct Exported {
    pub bytes: Vec<u8>,
    /// e.g. `applications-QSZ-2025.xlsx`.
    pub filename: String,
    pub rows: usize,
    /// Steps of applications' histories the template has no column for,
    /// left out of their rows (a second correction, a deadline set by the organ).
    pub left_out: Vec<String>,
}

pub async fn export(
    db: &DatabaseConnection,
    caller: &Caller,
    request: ExportRequest,
    progress: &dyn Progress,
) -> AppResult<Exported> {
    let (organization, _) = access::organization(
        db,
        caller,
        Operation::ExportSpreadsheet,
        request.organization_id,
        Concerning::Itself,
    )
    .await?;
    let year = request.year;
    let span = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(from), Some(to)) if (1949..=2200).contains(&year) => (from, to),
        _ => return Err(AppError::bad_input("year", "年份有误")),
    };
    let (rows, left_out) = match request.kind {
        ImportKind::Disclosures => (
            disclosures(db, &organization, span, progress).await?,
            Vec::new(),
        ),
        ImportKind::Applications => applications(db, &organization, span, progress).await?,
    };
    let count = rows.len();
    let kind = request.kind;
    // Writing the workbook is CPU work: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || spreadsheet::write(kind, &rows))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let name = match kind {
        ImportKind::Disclosures => "disclosures",
        ImportKind::Applications => "applications",
    };
    Ok(Exported {
        bytes,
        filename: format!("{name}-{}-{year}.xlsx", organization.code),
        rows: count,
        left_out,
    })
}

async fn disclosures(
    db: &DatabaseConnection,
    organization: &Organization,
    span: (NaiveDate, NaiveDate),
    progress: &dyn Progress,
) -> AppResult<Vec<Vec<Cell>>> {
    let categories: HashMap<i64, _> = store::categories::list(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let total = store::disclosures::published_count(db, organization.id, span).await?;
    progress.start("exporting disclosures", total);
    let mut rows = Vec::new();
    let mut after = 0;
    loop {
        let page =
            store::disclosures::published_page(db, organization.id, span, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for disclosure in &page {
            let category = categories
                .get(&disclosure.category_id)
                .ok_or_else(|| AppError::internal("a disclosure without its category"))?;
            rows.push(disclosure_row(disclosure, &organization.code, category));
        }
        progress.advance(page.len() as u64);
    }
    progress.finish();
    Ok(rows)
}

async fn applications(
    db: &DatabaseConnection,
    organization: &Organization,
    span: (NaiveDate, NaiveDate),
    progress: &dyn Progress,
) -> AppResult<(Vec<Vec<Cell>>, Vec<String>)> {
    let total = store::applications::ledger_count(db, organization.id, span).await?;
    progress.start("exporting applications", total);
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    let mut after = 0;
    loop {
        let page = store::applications::ledger_page(db, organization.id, span, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let ids: Vec<i64> = page.iter().map(|a| a.id).collect();
        let mut events = store::applications::events_of_many(db, &ids).await?;
        for application in &page {
            let history = events.remove(&application.id).unwrap_or_default();
            let (row, omitted) = application_row(application, &history);
            rows.push(row);
            left_out.extend(omitted);
        }
        progress.advance(page.len() as u64);
    }
    progress.finish();
    Ok((rows, left_out))
}
