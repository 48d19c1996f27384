//! Sign-in and user accounts.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::auth::password::PasswordHasher;
use crate::domain::policy::{Actor, Caller, Operation};
use crate::domain::throttle::FAILED_LOGINS;
use crate::domain::user::{NewUser, Role, User, normalize_username, validate_new_password};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::access::{self, Concerning};
use crate::store;

pub struct SignedIn {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
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
    let found = store::users::find_by_username(db, username).await?;
    let stored_hash = found.as_ref().map(|c| c.password_hash.clone());
    let password_ok = services.passwords.verify(password, stored_hash).await?;
    let Some(user) = found
        .map(|credentials| credentials.user)
        .filter(|u| password_ok && u.active)
    else {
        store::throttle::record(db, &bucket, FAILED_LOGINS, now).await?;
        return Err(AppError::WrongCredentials);
    };
    store::throttle::clear(db, &bucket).await?;
    let (access_token, expires_at) = services.tokens.issue(
        user.id,
        user.role,
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
        role: user.role,
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
    caller: &Caller,
    request: UserRequest,
    now: DateTime<Utc>,
) -> AppResult<User> {
    let operation = Operation::CreateUser { role: request.role };
    let (org, _) = access::organization(
        db,
        caller,
        operation,
        request.organization_id,
        Concerning::Itself,
    )
    .await?;
    let new = NewUser {
        username: request.username,
        display_name: request.display_name,
    }
    .validate(Some(&request.password))?;
    let hash = passwords.hash(request.password).await?;
    store::users::create(db, new, hash, request.role, org.id, now).await
}

/// Any signed-in user changes its own password; all its tokens are revoked.
pub async fn change_password(
    services: &Services,
    caller: &Caller,
    current_password: String,
    new_password: String,
) -> AppResult<()> {
    let actor = caller.actor().ok_or(AppError::Unauthenticated)?;
    let credentials = store::users::find_credentials(&services.db, actor.user_id)
        .await?
        .ok_or(AppError::InvalidToken)?;
    let current_ok = services
        .passwords
        .verify(current_password, Some(credentials.password_hash))
        .await?;
    if !current_ok {
        return Err(AppError::bad_input("currentPassword", "当前密码不正确"));
    }
    validate_new_password(&new_password, "newPassword")?;
    let hash = services.passwords.hash(new_password).await?;
    store::users::set_password(&services.db, credentials.user.id, hash).await
}

/// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens.
pub async fn set_user_password(
    services: &Services,
    caller: &Caller,
    user_id: i64,
    new_password: String,
) -> AppResult<()> {
    let user = access::user(&services.db, caller, Operation::ManageUser, user_id)
        .await?
        .item;
    validate_new_password(&new_password, "newPassword")?;
    let hash = services.passwords.hash(new_password).await?;
    store::users::set_password(&services.db, user.id, hash).await
}

/// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens at once.
pub async fn deactivate_user(
    services: &Services,
    caller: &Caller,
    user_id: i64,
) -> AppResult<User> {
    let user = access::user(&services.db, caller, Operation::ManageUser, user_id)
        .await?
        .item;
    store::users::deactivate(&services.db, user.id).await
}

/// The signed-in user; None for the public (and the operator, who has no account).
pub async fn me(db: &DatabaseConnection, caller: &Caller) -> AppResult<Option<User>> {
    match caller.user_id() {
        Some(id) => store::users::find(db, id).await,
        None => Ok(None),
    }
}

/// A user shown beside something the caller has read (who recorded an event).
pub async fn user(db: &DatabaseConnection, id: i64) -> AppResult<Option<User>> {
    store::users::find(db, id).await
}
