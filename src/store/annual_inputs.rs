//! What the annual report needs beyond applications: table 二's figures and
//! the reviews and lawsuits behind table 四.

use chrono::NaiveDate;
use entity::{application, legal_challenge, proactive_figures};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, Set,
};

use crate::domain::report::{ChallengeKind, ChallengeResult, ProactiveFigures};
use crate::error::{AppError, AppResult};

pub async fn set_figures(
    db: &impl ConnectionTrait,
    organization_id: i64,
    year: i32,
    figures: ProactiveFigures,
) -> AppResult<()> {
    use proactive_figures::{ActiveModel, Column, Entity};
    let [
        regulations_issued,
        regulations_repealed,
        regulations_in_force,
    ] = figures.regulations;
    let [normative_issued, normative_repealed, normative_in_force] = figures.normative_documents;
    Entity::insert(ActiveModel {
        organization_id: Set(organization_id),
        year: Set(year),
        regulations_issued: Set(regulations_issued),
        regulations_repealed: Set(regulations_repealed),
        regulations_in_force: Set(regulations_in_force),
        normative_issued: Set(normative_issued),
        normative_repealed: Set(normative_repealed),
        normative_in_force: Set(normative_in_force),
        licensing_decisions: Set(figures.licensing_decisions),
        penalty_decisions: Set(figures.penalty_decisions),
        coercion_decisions: Set(figures.coercion_decisions),
        fees_yuan: Set(figures.fees_yuan),
    })
    .on_conflict(
        OnConflict::columns([Column::OrganizationId, Column::Year])
            .update_columns([
                Column::RegulationsIssued,
                Column::RegulationsRepealed,
                Column::RegulationsInForce,
                Column::NormativeIssued,
                Column::NormativeRepealed,
                Column::NormativeInForce,
                Column::LicensingDecisions,
                Column::PenaltyDecisions,
                Column::CoercionDecisions,
                Column::FeesYuan,
            ])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The figures of a year added up over the organisations (zeros where none were entered).
pub async fn figures(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    year: i32,
) -> AppResult<ProactiveFigures> {
    use proactive_figures::{Column, Entity};
    let rows = Entity::find()
        .filter(Column::OrganizationId.is_in(organization_ids.iter().copied()))
        .filter(Column::Year.eq(year))
        .all(db)
        .await?;
    let mut total = ProactiveFigures::default();
    for row in rows {
        let add = |sum: &mut [i32; 3], values: [i32; 3]| {
            sum.iter_mut().zip(values).for_each(|(s, v)| *s += v)
        };
        add(
            &mut total.regulations,
            [
                row.regulations_issued,
                row.regulations_repealed,
                row.regulations_in_force,
            ],
        );
        add(
            &mut total.normative_documents,
            [
                row.normative_issued,
                row.normative_repealed,
                row.normative_in_force,
            ],
        );
        total.licensing_decisions += row.licensing_decisions;
        total.penalty_decisions += row.penalty_decisions;
        total.coercion_decisions += row.coercion_decisions;
        total.fees_yuan += row.fees_yuan;
    }
    Ok(total)
}

pub async fn insert_challenge(
    db: &impl ConnectionTrait,
    application_id: i64,
    kind: ChallengeKind,
    after_review: bool,
    filed_on: NaiveDate,
) -> AppResult<legal_challenge::Model> {
    Ok(legal_challenge::ActiveModel {
        application_id: Set(application_id),
        kind: Set(kind.as_str().to_owned()),
        after_review: Set(after_review),
        result: Set(None),
        filed_on: Set(filed_on),
        decided_on: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn find_challenge(
    db: &impl ConnectionTrait,
    id: i64,
) -> AppResult<Option<legal_challenge::Model>> {
    Ok(legal_challenge::Entity::find_by_id(id).one(db).await?)
}

pub async fn decide_challenge(
    db: &impl ConnectionTrait,
    id: i64,
    result: ChallengeResult,
    decided_on: NaiveDate,
) -> AppResult<legal_challenge::Model> {
    let current = find_challenge(db, id)
        .await?
        .ok_or(AppError::NotFound("复议或诉讼记录"))?;
    let mut decided: legal_challenge::ActiveModel = current.into();
    decided.result = Set(Some(result.as_str().to_owned()));
    decided.decided_on = Set(Some(decided_on));
    Ok(decided.update(db).await?)
}

/// The reviews and lawsuits filed in [from, to] about applications of these organisations.
pub async fn challenges_filed(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<legal_challenge::Model>> {
    use legal_challenge::{Column, Entity};
    // A join from the cases of the period, not `IN (the organisations'
    // applications)`, which SQLite would first collect in full.
    Ok(Entity::find()
        .join(
            JoinType::InnerJoin,
            Entity::belongs_to(application::Entity)
                .from(Column::ApplicationId)
                .to(application::Column::Id)
                .into(),
        )
        .filter(application::Column::OrganizationId.is_in(organization_ids.iter().copied()))
        .filter(Column::FiledOn.between(from, to))
        .all(db)
        .await?)
}

pub async fn challenges_of(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> AppResult<Vec<legal_challenge::Model>> {
    use legal_challenge::{Column, Entity};
    Ok(Entity::find()
        .filter(Column::ApplicationId.eq(application_id))
        .all(db)
        .await?)
}
