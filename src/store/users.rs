use chrono::{DateTime, Utc};
use entity::app_user::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::domain::user::{NewUser, Role, User, normalize_username};
use crate::error::{AppError, AppResult};
use crate::store::{is_unique_violation, stored};

/// A user with the hash its password is checked against.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

fn record(model: Model) -> AppResult<User> {
    Ok(credentials(model)?.user)
}

fn credentials(model: Model) -> AppResult<Credentials> {
    Ok(Credentials {
        user: User {
            role: stored("app_user", model.id, "role", &model.role)?,
            id: model.id,
            username: model.username,
            display_name: model.display_name,
            organization_id: model.organization_id,
            active: model.active,
            token_version: model.token_version,
        },
        password_hash: model.password_hash,
    })
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<User>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The user `id` with its password hash.
pub async fn find_credentials(
    db: &impl ConnectionTrait,
    id: i64,
) -> AppResult<Option<Credentials>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(credentials)
        .transpose()
}

pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> AppResult<Option<Credentials>> {
    Entity::find()
        .filter(Column::Username.eq(normalize_username(username)))
        .one(db)
        .await?
        .map(credentials)
        .transpose()
}

pub async fn create(
    db: &impl ConnectionTrait,
    new: NewUser,
    password_hash: String,
    role: Role,
    organization_id: i64,
    now: DateTime<Utc>,
) -> AppResult<User> {
    let stored = ActiveModel {
        username: Set(new.username),
        display_name: Set(new.display_name),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        organization_id: Set(organization_id),
        active: Set(true),
        token_version: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            AppError::Conflict("用户名已被使用".to_owned())
        } else {
            err.into()
        }
    })?;
    record(stored)
}

/// Replaces the password and revokes every token issued before.
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: i64,
    password_hash: String,
) -> AppResult<()> {
    Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(password_hash))
        .col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deactivates the account and revokes its tokens at once.
pub async fn deactivate(db: &impl ConnectionTrait, id: i64) -> AppResult<User> {
    Entity::update_many()
        .col_expr(Column::Active, Expr::value(false))
        .col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    find(db, id).await?.ok_or(AppError::NotFound("用户"))
}

/// Of `ids`, the users who can no longer be signed in (deactivated, gone).
pub async fn inactive_among(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let active: Vec<i64> = Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .filter(Column::Active.eq(true))
        .select_only()
        .column(Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !active.contains(id))
        .collect())
}
