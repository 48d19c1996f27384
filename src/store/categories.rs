use entity::disclosure_category::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppResult;

/// The catalogue tree in its printed order (a few dozen rows).
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .order_by_asc(Column::SortOrder)
        .all(db)
        .await?)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Model>> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}
