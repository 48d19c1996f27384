//! Importing a town's spreadsheets from the staff app: the file uploaded
//! with `POST /files`, checked (and, without errors and without dryRun,
//! applied all or nothing); the answer is the report.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::parse_id;
use crate::domain::import::{self, Change, Severity};
use crate::service::imports::{self, ImportReport as Report};

/// Which template a spreadsheet follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ImportKind {
    /// The catalogue of proactive disclosures (主动公开目录).
    Disclosures,
    /// The ledger of applications (依申请公开台账).
    Applications,
}

impl From<ImportKind> for import::ImportKind {
    fn from(kind: ImportKind) -> Self {
        match kind {
            ImportKind::Disclosures => import::ImportKind::Disclosures,
            ImportKind::Applications => import::ImportKind::Applications,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ImportSeverity {
    /// Nothing is written while any row has one.
    Error,
    /// Reported; the row is imported.
    Warning,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ImportChange {
    Create,
    Update,
    Unchanged,
}

/// One problem of the file, in the clerk's terms.
#[derive(SimpleObject)]
pub struct ImportProblem {
    /// As the spreadsheet numbers it: the header is row 1.
    row: i32,
    /// The column's header; null for a problem of the whole row or file.
    column: Option<String>,
    severity: ImportSeverity,
    message: String,
}

/// What happens (or, in a dry run, would happen) to a row without error.
#[derive(SimpleObject)]
pub struct ImportRow {
    row: i32,
    /// The old number (原登记编号) or index number it is matched by.
    key: String,
    change: ImportChange,
}

#[derive(SimpleObject)]
pub struct ImportReport {
    /// Whether the rows were written: no error and not a dry run.
    applied: bool,
    file_sha256: String,
    rows_read: i32,
    created: i32,
    updated: i32,
    unchanged: i32,
    errors: i32,
    warnings: i32,
    problems: Vec<ImportProblem>,
    rows: Vec<ImportRow>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<Report> for ImportReport {
    fn from(report: Report) -> Self {
        let counts = report.counts;
        ImportReport {
            applied: report.applied,
            file_sha256: report.file_sha256,
            rows_read: count(counts.rows),
            created: count(counts.created),
            updated: count(counts.updated),
            unchanged: count(counts.unchanged),
            errors: count(counts.errors),
            warnings: count(counts.warnings),
            problems: report
                .problems
                .into_iter()
                .map(|p| ImportProblem {
                    row: count(p.row),
                    column: p.column,
                    severity: match p.severity {
                        Severity::Error => ImportSeverity::Error,
                        Severity::Warning => ImportSeverity::Warning,
                    },
                    message: p.message,
                })
                .collect(),
            rows: report
                .rows
                .into_iter()
                .map(|r| ImportRow {
                    row: count(r.row),
                    key: r.key,
                    change: match r.change {
                        Change::Create => ImportChange::Create,
                        Change::Update => ImportChange::Update,
                        Change::Unchanged => ImportChange::Unchanged,
                    },
                })
                .collect(),
        }
    }
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// Checks a spreadsheet uploaded with POST /files and, when no row has
    /// an error and dryRun is false, imports all of it in one transaction
    /// (ORG_ADMIN for its organisation, ADMIN for any). Importing the same
    /// file again changes nothing.
    async fn import_spreadsheet(
        &self,
        ctx: &Context<'_>,
        file_id: ID,
        kind: ImportKind,
        organization_id: ID,
        dry_run: bool,
    ) -> async_graphql::Result<ImportReport> {
        let file_id = parse_id(&file_id, "文件").gql()?;
        let organization_id = parse_id(&organization_id, "机构").gql()?;
        let report = imports::import_upload(
            ctx.services(),
            ctx.caller(),
            file_id,
            kind.into(),
            organization_id,
            dry_run,
            ctx.request().now,
        )
        .await
        .gql()?;
        Ok(report.into())
    }
}
