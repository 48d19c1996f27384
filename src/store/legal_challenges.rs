//! Reviews and lawsuits about applications: the cases behind table 四.

use chrono::NaiveDate;
use entity::application;
use entity::legal_challenge::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, Set,
};

use crate::domain::legal_challenge::{ChallengeKind, ChallengeResult, LegalChallenge};
use crate::error::{AppError, AppResult};
use crate::store::{stored, stored_opt};

fn record(model: Model) -> AppResult<LegalChallenge> {
    Ok(LegalChallenge {
        kind: stored("legal_challenge", model.id, "kind", &model.kind)?,
        result: stored_opt(
            "legal_challenge",
            model.id,
            "result",
            model.result.as_deref(),
        )?,
        id: model.id,
        application_id: model.application_id,
        after_review: model.after_review,
        filed_on: model.filed_on,
        decided_on: model.decided_on,
    })
}

fn records(models: Vec<Model>) -> AppResult<Vec<LegalChallenge>> {
    models.into_iter().map(record).collect()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    application_id: i64,
    kind: ChallengeKind,
    after_review: bool,
    filed_on: NaiveDate,
) -> AppResult<LegalChallenge> {
    let stored = ActiveModel {
        application_id: Set(application_id),
        kind: Set(kind.as_str().to_owned()),
        after_review: Set(after_review),
        result: Set(None),
        filed_on: Set(filed_on),
        decided_on: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    record(stored)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<LegalChallenge>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

pub async fn decide(
    db: &impl ConnectionTrait,
    id: i64,
    result: ChallengeResult,
    decided_on: NaiveDate,
) -> AppResult<LegalChallenge> {
    let current = Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("复议或诉讼记录"))?;
    let mut decided: ActiveModel = current.into();
    decided.result = Set(Some(result.as_str().to_owned()));
    decided.decided_on = Set(Some(decided_on));
    record(decided.update(db).await?)
}

/// The reviews and lawsuits filed in [from, to] about applications of these organisations.
pub async fn filed(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<LegalChallenge>> {
    // A join from the cases of the period, not `IN (the organisations'
    // applications)`, which SQLite would first collect in full.
    records(
        Entity::find()
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
            .await?,
    )
}

pub async fn of_application(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> AppResult<Vec<LegalChallenge>> {
    records(
        Entity::find()
            .filter(Column::ApplicationId.eq(application_id))
            .all(db)
            .await?,
    )
}
