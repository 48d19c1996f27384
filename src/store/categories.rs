use entity::disclosure_category::{Column, Entity, Model};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::domain::disclosure::Category;
use crate::error::AppResult;

pub(crate) fn record(model: Model) -> Category {
    Category {
        id: model.id,
        code: model.code,
        name: model.name,
        parent_id: model.parent_id,
    }
}

/// The catalogue tree in its printed order (a few dozen rows).
pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Category>> {
    Ok(Entity::find()
        .order_by_asc(Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Category>> {
    Ok(Entity::find_by_id(id).one(db).await?.map(record))
}

pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> AppResult<Option<Category>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(Entity::find()
        .filter(Column::Code.eq(code))
        .one(db)
        .await?
        .map(record))
}
