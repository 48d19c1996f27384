//! Organisations: public, created by ADMIN; their contact details kept by
//! their ORG_ADMIN or ADMIN.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::contact::OrganizationContact;
use crate::domain::organization::{NewOrganization, Organization};
use crate::domain::policy::{Caller, Operation};
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::store;
use crate::store::visibility::OrgScope;

/// Creates an organisation (ADMIN) below `parent_id`.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewOrganization,
    parent_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Organization> {
    access::deployment(caller, Operation::ManageOrganizations)?;
    let new = new.validate()?;
    store::organizations::create(db, new, parent_id, now).await
}

/// Replaces an organisation's contact details (ORG_ADMIN of it, ADMIN).
pub async fn set_contact(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    contact: OrganizationContact,
) -> AppResult<Organization> {
    access::organization(
        db,
        caller,
        Operation::EditOrganizationContact,
        id,
        Concerning::Itself,
    )
    .await?;
    let contact = contact.validate()?;
    let txn = store::begin_write(db).await?;
    let changed = store::organizations::set_contact(&txn, id, contact).await?;
    txn.commit().await?;
    Ok(changed)
}

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Organization>> {
    store::organizations::list(db).await
}

/// The organisation with this id, or NOT_FOUND.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<Organization> {
    store::organizations::find(db, id)
        .await?
        .ok_or(AppError::NotFound("机构"))
}

/// The organisation with this code, or NOT_FOUND.
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> AppResult<Organization> {
    store::organizations::find_by_code(db, code)
        .await?
        .ok_or(AppError::NotFound("机构"))
}

/// Several organisations at once (those that exist).
pub async fn many(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<Organization>> {
    store::organizations::find_many(db, ids).await
}

pub async fn children(db: &impl ConnectionTrait, id: i64) -> AppResult<Vec<Organization>> {
    store::organizations::children(db, id).await
}

/// The organisation `id` alone, or with everything below it.
pub async fn scope(
    db: &impl ConnectionTrait,
    id: i64,
    include_descendants: bool,
) -> AppResult<OrgScope> {
    let org = get(db, id).await?;
    Ok(if include_descendants {
        OrgScope::below(&org.place)
    } else {
        OrgScope::One(org.id)
    })
}
