//! Reviews and lawsuits about applications (table 四), recorded by the
//! organisation's staff.

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::domain::legal_challenge::{ChallengeKind, ChallengeResult, LegalChallenge};
use crate::domain::policy::{Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::store;

fn check_day(
    field: &str,
    day: NaiveDate,
    not_before: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    if day < not_before || day > today {
        return Err(AppError::bad_input(
            field,
            format!("日期应在 {not_before} 与今天之间"),
        ));
    }
    Ok(())
}

pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    application_id: i64,
    kind: ChallengeKind,
    after_review: bool,
    filed_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<LegalChallenge> {
    let application =
        access::application(db, caller, Operation::ApplicationWorkflow, application_id)
            .await?
            .item;
    if after_review && kind == ChallengeKind::Review {
        return Err(AppError::bad_input(
            "afterReview",
            "只有行政诉讼才分直接起诉和复议后起诉",
        ));
    }
    check_day("filedOn", filed_on, application.received_on, today)?;
    store::legal_challenges::insert(db, application.id, kind, after_review, filed_on).await
}

/// The result of a review or lawsuit.
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    result: ChallengeResult,
    decided_on: NaiveDate,
    today: NaiveDate,
) -> AppResult<LegalChallenge> {
    let case = access::legal_challenge(db, caller, Operation::ApplicationWorkflow, id)
        .await?
        .item;
    check_day("decidedOn", decided_on, case.filed_on, today)?;
    store::legal_challenges::decide(db, id, result, decided_on).await
}

/// The cases about an application the caller has read.
pub async fn of_application(
    db: &DatabaseConnection,
    application_id: i64,
) -> AppResult<Vec<LegalChallenge>> {
    store::legal_challenges::of_application(db, application_id).await
}
