use entity::organization::Model;
use sea_orm::DatabaseConnection;

use crate::domain::organization::NewOrganization;
use crate::domain::policy::{Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::service::access;
use crate::store;
use crate::store::visibility::OrgScope;

/// Creates an organisation (ADMIN) below `parent_id`.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewOrganization,
    parent_id: Option<i64>,
) -> AppResult<Model> {
    access::deployment(caller, Operation::ManageOrganizations)?;
    let new = new.validate()?;
    store::organizations::create(db, new, parent_id).await
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
