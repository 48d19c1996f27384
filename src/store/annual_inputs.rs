//! Table 二's figures, entered per organisation and year from other systems.

use entity::proactive_figures;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::report::ProactiveFigures;
use crate::error::AppResult;

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
