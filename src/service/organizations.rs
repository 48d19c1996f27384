use chrono::{DateTime, Utc};
use entity::organization::Model;
use sea_orm::DatabaseConnection;

use crate::domain::organization::NewOrganization;
use crate::domain::policy::{Actor, Operation};
use crate::domain::user::Role;
use crate::error::{AppError, AppResult};
use crate::service::Authority;
use crate::store;
use crate::store::disclosures::OrgScope;

/// Creates an organisation (ADMIN) below `parent_id`.
pub async fn create(
    db: &DatabaseConnection,
    authority: Authority<'_>,
    new: NewOrganization,
    parent_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    authority.check(Operation::ManageOrganizations, None)?;
    let new = new.validate()?;
    store::organizations::create(db, new, parent_id, now).await
}

/// The organisation with this id, or NOT_FOUND.
pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Model> {
    store::organizations::find(db, id)
        .await?
        .ok_or(AppError::NotFound("机构"))
}

/// The organisation `id` alone, or with everything below it.
pub async fn scope(
    db: &DatabaseConnection,
    id: i64,
    include_descendants: bool,
) -> AppResult<OrgScope> {
    let org = get(db, id).await?;
    Ok(if include_descendants {
        OrgScope::Subtree(org.path)
    } else {
        OrgScope::One(org.id)
    })
}

/// The organisations whose non-public records a member of staff may read
/// (DESIGN.md's role table): its own; OVERSIGHT everything at or below its
/// own; None for ADMIN, who reads everything.
pub async fn readable_scope(db: &DatabaseConnection, actor: &Actor) -> AppResult<Option<OrgScope>> {
    Ok(match actor.role {
        Role::Admin => None,
        Role::Oversight => Some(scope(db, actor.organization_id, true).await?),
        Role::Clerk | Role::Approver | Role::OrgAdmin => Some(OrgScope::One(actor.organization_id)),
    })
}
