use entity::server_setting::{ActiveModel, Entity};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::error::{AppError, AppResult};

const JWT_SECRET: &str = "jwt_secret";

/// The token-signing key kept in the database, created by the first instance
/// that asks (`generate`), so that every instance signs with the same key.
/// Returns the key and whether this call created it.
pub async fn jwt_secret(
    db: &impl ConnectionTrait,
    generate: impl FnOnce() -> String,
) -> AppResult<(String, bool)> {
    if let Some(existing) = Entity::find_by_id(JWT_SECRET).one(db).await? {
        return Ok((existing.value, false));
    }
    let candidate = generate();
    // Two instances starting together: the first insert wins, both read it.
    Entity::insert(ActiveModel {
        name: Set(JWT_SECRET.to_owned()),
        value: Set(candidate.clone()),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    let stored = Entity::find_by_id(JWT_SECRET)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("the signing key was not stored"))?;
    let created = stored.value == candidate;
    Ok((stored.value, created))
}
