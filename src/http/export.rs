//! Exports for spreadsheets, authorised as the GraphQL fields are
//! (Authorization: Bearer): the statistics and tables as CSV in UTF-8 with
//! a byte-order mark so that Excel shows the Chinese correctly; the
//! catalogue and the ledger as XLSX in the import templates.

use chrono::{DateTime, NaiveDate, Utc};
use poem::http::{HeaderMap, StatusCode, header};
use poem::web::{Data, Query};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;

use super::HttpState;
use super::graphql::{bearer_token, error_response};
use crate::domain::calendar::china_date;
use crate::domain::import::ImportKind;
use crate::domain::policy::Caller;
use crate::domain::report::{APPLICANT_TYPE_HEADERS, CLOSING_BANDS};
use crate::error::AppError;
use crate::service::exports::{self, ExportRequest};
use crate::service::progress::Silent;
use crate::service::statistics::{self, StatsParts};
use crate::service::{accounts, annual_reports};

const BOM: &str = "\u{feff}";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) async fn caller(
    state: &HttpState,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Caller, AppError> {
    match bearer_token(headers) {
        Some(token) => accounts::actor_for_token(&state.services, token, now)
            .await
            .map(Caller::SignedIn),
        None => Ok(Caller::Anonymous),
    }
}

/// The HTTP status of each error: one per contract code, so a client that
/// reads only the status still tells "wait" (429) from "refetch" (409).
pub(super) fn status(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthenticated | AppError::InvalidToken | AppError::WrongCredentials => {
            StatusCode::UNAUTHORIZED
        }
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::BadUserInput { .. } | AppError::InvalidFields(_) | AppError::PersonalData(_) => {
            StatusCode::BAD_REQUEST
        }
        AppError::Conflict(_) | AppError::InvalidTransition(_) => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedFileType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub(super) fn failure(err: AppError) -> Response {
    if let AppError::Internal(cause) = &err {
        tracing::error!(%cause, "internal error in an export");
    }
    if let AppError::RateLimited(_) = &err {
        crate::telemetry::rate_limited("export");
    }
    error_response(status(&err), err.code(), &err.to_string()).into_response()
}

/// Runs an export for the caller of `req` (its bearer token, if any):
/// `build` answers with the file, any error with the response of its code.
async fn exported<F, Fut>(state: &HttpState, req: &Request, build: F) -> Response
where
    F: FnOnce(Caller, DateTime<Utc>) -> Fut,
    Fut: Future<Output = Result<Response, AppError>>,
{
    let now = state.services.clock.now();
    let answer = match caller(state, req.headers(), now).await {
        Ok(caller) => build(caller, now).await,
        Err(err) => Err(err),
    };
    answer.unwrap_or_else(failure)
}

fn file_response(content_type: &str, filename: &str, bytes: Vec<u8>) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        )
        .body(bytes)
}

fn csv_response(filename: &str, rows: Vec<Vec<String>>) -> Result<Response, AppError> {
    let mut writer = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    for row in rows {
        writer.write_record(&row).map_err(AppError::internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| AppError::internal(err.to_string()))?;
    Ok(file_response("text/csv; charset=utf-8", filename, bytes))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsQuery {
    organization_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
}

#[handler]
pub async fn completion_stats(
    req: &Request,
    Query(query): Query<StatsQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    exported(state, req, |caller, _| async move {
        let rows = statistics::completion(
            &state.services.db,
            &caller,
            query.organization_id,
            query.from,
            query.to,
            StatsParts::ALL,
        )
        .await?;
        let mut header: Vec<String> = [
            "机构代码",
            "机构名称",
            "开始日期",
            "结束日期",
            "新收",
            "上期结转",
            "已办结",
            "按期办结",
            "未办结",
            "逾期",
            "办结率",
            "按期率",
            "办结工作日中位数",
            "办结工作日平均数",
            "延期",
            "另行确定期限",
        ]
        .map(String::from)
        .to_vec();
        header.extend(
            CLOSING_BANDS
                .iter()
                .map(|(label, ..)| format!("办结工作日{label}")),
        );
        let mut table = vec![header];
        for row in rows {
            let c = &row.counts;
            let optional =
                |value: Option<f64>| value.map(|v| format!("{v:.1}")).unwrap_or_default();
            let mut line = vec![
                row.organization.code.clone(),
                row.organization.name.clone(),
                row.from.to_string(),
                row.to.to_string(),
                c.received.to_string(),
                c.carried_over.to_string(),
                c.closed.to_string(),
                c.closed_on_time.to_string(),
                c.open().to_string(),
                c.overdue.to_string(),
                format!("{:.4}", row.completion_rate),
                format!("{:.4}", row.on_time_rate),
                optional(row.closing_days.median()),
                optional(row.closing_days.mean()),
                c.extended.to_string(),
                c.overridden.to_string(),
            ];
            line.extend(row.closing_days.band_counts().iter().map(u64::to_string));
            table.push(line);
        }
        csv_response("completion-stats.csv", table)
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    organization_id: i64,
    year: i32,
    include_descendants: Option<bool>,
}

#[handler]
pub async fn annual_report(
    req: &Request,
    Query(query): Query<ReportQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    exported(state, req, |caller, now| async move {
        let report = statistics::annual_report(
            &state.services.db,
            &caller,
            query.organization_id,
            query.year,
            query.include_descendants.unwrap_or(false),
            china_date(now),
        )
        .await?;
        let header = std::iter::once("项目")
            .chain(APPLICANT_TYPE_HEADERS)
            .chain(["总计"])
            .map(String::from)
            .collect();
        let mut table = vec![header];
        for row in &report.rows {
            let mut line = vec![row.label.to_owned()];
            line.extend(row.columns.iter().map(u64::to_string));
            line.push(row.total().to_string());
            table.push(line);
        }
        csv_response(
            &format!(
                "annual-report-{}-{}.csv",
                report.organization.code, report.year
            ),
            table,
        )
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeasonQuery {
    organization_id: Option<i64>,
    year: i32,
}

/// The reporting season (`annualReportStatus`): who has published the
/// year's report, who is late, who has not yet.
#[handler]
pub async fn annual_report_status(
    req: &Request,
    Query(query): Query<SeasonQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    exported(state, req, |caller, now| async move {
        let rows = annual_reports::season(
            &state.services.db,
            &caller,
            query.organization_id,
            query.year,
            china_date(now),
        )
        .await?;
        let mut table = vec![
            [
                "机构代码",
                "机构名称",
                "年度",
                "截止日期",
                "状态",
                "发布日期",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for row in rows {
            table.push(vec![
                row.organization.code.clone(),
                row.organization.name.clone(),
                query.year.to_string(),
                row.due_on.to_string(),
                row.filing.label().to_owned(),
                row.published
                    .as_ref()
                    .map(|p| p.published_on().to_string())
                    .unwrap_or_default(),
            ]);
        }
        csv_response(&format!("annual-report-status-{}.csv", query.year), table)
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerQuery {
    organization_id: i64,
    year: i32,
}

/// The organisation's published catalogue of a year in the import template (XLSX).
#[handler]
pub async fn disclosures(
    req: &Request,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    spreadsheet(state, req, ImportKind::Disclosures, query).await
}

/// The organisation's ledger of applications of a year in the import
/// template (XLSX), the procedure of each as its step columns.
#[handler]
pub async fn applications(
    req: &Request,
    Query(query): Query<LedgerQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    spreadsheet(state, req, ImportKind::Applications, query).await
}

async fn spreadsheet(
    state: &HttpState,
    req: &Request,
    kind: ImportKind,
    query: LedgerQuery,
) -> Response {
    exported(state, req, |caller, _| async move {
        let request = ExportRequest {
            kind,
            organization_id: query.organization_id,
            year: query.year,
        };
        let file = exports::export(&state.services.db, &caller, request, &Silent).await?;
        Ok(file_response(XLSX, &file.filename, file.bytes))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status() {
        let cases = [
            (AppError::Unauthenticated, StatusCode::UNAUTHORIZED),
            (AppError::InvalidToken, StatusCode::UNAUTHORIZED),
            (AppError::Forbidden, StatusCode::FORBIDDEN),
            (AppError::NotFound("机构"), StatusCode::NOT_FOUND),
            (
                AppError::bad_input("from", "日期有误"),
                StatusCode::BAD_REQUEST,
            ),
            (AppError::Conflict("已变更".into()), StatusCode::CONFLICT),
            (
                AppError::InvalidTransition("不可".into()),
                StatusCode::CONFLICT,
            ),
            (
                AppError::RateLimited("稍后再试"),
                StatusCode::TOO_MANY_REQUESTS,
            ),
            (
                AppError::internal("cause"),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ];
        for (err, expected) in cases {
            assert_eq!(status(&err), expected, "{}", err.code());
        }
    }
}
