use entity::organization::Model;
use sea_orm::DatabaseConnection;

use crate::domain::organization::NewOrganization;
use crate::domain::policy::Operation;
use crate::error::{AppError, AppResult};
use crate::service::Authority;
use crate::store;

/// Creates an organisation (ADMIN) below `parent_id`.
pub async fn create(
    db: &DatabaseConnection,
    authority: Authority<'_>,
    new: NewOrganization,
    parent_id: Option<i64>,
) -> AppResult<Model> {
    authority.check(Operation::ManageOrganizations, None)?;
    let new = new.validate()?;
    store::organizations::create(db, new, parent_id).await
}

/// The organisation with this id, or NOT_FOUND.
pub async fn get(db: &DatabaseConnection, id: i64) -> AppResult<Model> {
    store::organizations::find(db, id)
        .await?
        .ok_or(AppError::NotFound("机构"))
}
