//! Sign-in and user accounts.

use chrono::{DateTime, Utc};
use entity::app_user::Model;
use sea_orm::DatabaseConnection;

use crate::auth::password::PasswordHasher;

use crate::domain::policy::{Actor, Operation};
use crate::domain::throttle::FAILED_LOGINS;
use crate::domain::user::{NewUser, Role, normalize_username, validate_new_password};
use crate::error::{AppError, AppResult};
use crate::service::{Authority, Services, organizations};
use crate::store;

pub fn stored_role(user: &Model) -> AppResult<Role> {
    Role::parse(&user.role)
        .ok_or_else(|| AppError::internal(format!("user {} has an unknown role", user.id)))
}

pub struct SignedIn {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: Model,
}

/// Checks the password and issues a token. After 5 failures for one username
/// within 15 minutes every attempt is refused for 15 minutes, whatever the
/// password; unknown usernames are counted alike, so none can be told apart.
pub async fn login(
    services: &Services,
    username: &str,
    password: String,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    let db = &services.db;
    let bucket = format!("login:{}", normalize_username(username));
    if store::throttle::is_blocked(db, &bucket, now).await? {
        return Err(AppError::RateLimited("登录失败次数过多，请15分钟后再试"));
    }
    let user = store::users::find_by_username(db, username).await?;
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok = services.passwords.verify(password, stored_hash).await?;
    let Some(user) = user.filter(|u| password_ok && u.active) else {
        store::throttle::record(db, &bucket, FAILED_LOGINS, now).await?;
        return Err(AppError::WrongCredentials);
    };
    store::throttle::clear(db, &bucket).await?;
    let (access_token, expires_at) = services.tokens.issue(
        user.id,
        stored_role(&user)?,
        user.organization_id,
        user.token_version,
        now,
    )?;
    Ok(SignedIn {
        access_token,
        expires_at,
        user,
    })
}

/// The caller behind a bearer token: the token must verify and its user
/// still be active with the same token version. Role and organisation come
/// from the database, so a demoted or deactivated user loses access at once.
pub async fn actor_for_token(
    services: &Services,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Actor> {
    let bearer = services.tokens.verify(token, now)?;
    let user = store::users::find(&services.db, bearer.user_id)
        .await?
        .filter(|u| u.active && u.token_version == bearer.token_version)
        .ok_or(AppError::InvalidToken)?;
    Ok(Actor {
        user_id: user.id,
        role: stored_role(&user)?,
        organization_id: user.organization_id,
    })
}

pub struct UserRequest {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub organization_id: i64,
}

/// Creates a user: ADMIN anywhere; ORG_ADMIN in its own organisation, and
/// only CLERK, APPROVER or ORG_ADMIN.
pub async fn create_user(
    db: &DatabaseConnection,
    passwords: &PasswordHasher,
    authority: Authority<'_>,
    request: UserRequest,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let org = organizations::get(db, request.organization_id).await?;
    let place = store::organizations::place(&org);
    authority.check(Operation::ManageUser { role: request.role }, Some(&place))?;
    let new = NewUser {
        username: request.username,
        display_name: request.display_name,
    }
    .validate()?;
    validate_new_password(&request.password, "password")?;
    let hash = passwords.hash(request.password).await?;
    store::users::create(db, new, hash, request.role, org.id, now).await
}

/// A user the caller may manage: NOT_FOUND when it may not even see it,
/// FORBIDDEN when it sees it but may not change it.
async fn managed_user(
    services: &Services,
    authority: Authority<'_>,
    user_id: i64,
) -> AppResult<Model> {
    let user = store::users::find(&services.db, user_id)
        .await?
        .ok_or(AppError::NotFound("用户"))?;
    let org = organizations::get(&services.db, user.organization_id).await?;
    let place = store::organizations::place(&org);
    authority
        .check(Operation::ReadUser, Some(&place))
        .map_err(|err| match err {
            AppError::NotFound(_) => AppError::NotFound("用户"),
            other => other,
        })?;
    authority.check(
        Operation::ManageUser {
            role: stored_role(&user)?,
        },
        Some(&place),
    )?;
    Ok(user)
}

/// Any signed-in user changes its own password; all its tokens are revoked.
pub async fn change_password(
    services: &Services,
    actor: &Actor,
    current_password: String,
    new_password: String,
) -> AppResult<()> {
    let user = store::users::find(&services.db, actor.user_id)
        .await?
        .ok_or(AppError::InvalidToken)?;
    let current_ok = services
        .passwords
        .verify(current_password, Some(user.password_hash))
        .await?;
    if !current_ok {
        return Err(AppError::bad_input("currentPassword", "当前密码不正确"));
    }
    validate_new_password(&new_password, "newPassword")?;
    let hash = services.passwords.hash(new_password).await?;
    store::users::set_password(&services.db, user.id, hash).await
}

/// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens.
pub async fn set_user_password(
    services: &Services,
    authority: Authority<'_>,
    user_id: i64,
    new_password: String,
) -> AppResult<()> {
    let user = managed_user(services, authority, user_id).await?;
    validate_new_password(&new_password, "newPassword")?;
    let hash = services.passwords.hash(new_password).await?;
    store::users::set_password(&services.db, user.id, hash).await
}

/// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens at once.
pub async fn deactivate_user(
    services: &Services,
    authority: Authority<'_>,
    user_id: i64,
) -> AppResult<Model> {
    let user = managed_user(services, authority, user_id).await?;
    store::users::deactivate(&services.db, user.id).await
}
