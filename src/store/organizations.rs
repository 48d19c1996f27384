use chrono::{DateTime, Utc};
use entity::organization::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::organization::{NewOrganization, OrgPlace};
use crate::error::{AppError, AppResult};
use crate::store::is_unique_violation;

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Model>> {
    Ok(Entity::find().order_by_asc(Column::Id).all(db).await?)
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

pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> AppResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::Code.eq(code.trim()))
        .one(db)
        .await?)
}

pub async fn children(db: &impl ConnectionTrait, parent_id: i64) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::ParentId.eq(parent_id))
        .order_by_asc(Column::Id)
        .all(db)
        .await?)
}

/// The organisation with this stored path and everything below it.
pub async fn subtree(db: &impl ConnectionTrait, path: &str) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Path.starts_with(path))
        .order_by_asc(Column::Path)
        .all(db)
        .await?)
}

/// Where an organisation stands in its tree, read from its stored path.
pub fn place(org: &Model) -> OrgPlace {
    OrgPlace {
        id: org.id,
        lineage: org
            .path
            .split('/')
            .filter_map(|segment| segment.parse().ok())
            .collect(),
    }
}

/// Stores a validated organisation below `parent_id`; the code must be new.
pub async fn create(
    db: &DatabaseConnection,
    new: NewOrganization,
    parent_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let txn = super::begin_write(db).await?;
    let parent_path = match parent_id {
        Some(id) => Some(
            find(&txn, id)
                .await?
                .ok_or(AppError::NotFound("上级机构"))?
                .path,
        ),
        None => None,
    };
    let inserted = ActiveModel {
        code: Set(new.code),
        name: Set(new.name),
        kind: Set(new.kind.as_str().to_owned()),
        parent_id: Set(parent_id),
        path: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            AppError::Conflict("机构代码已被使用".to_owned())
        } else {
            err.into()
        }
    })?;
    let path = format!("{}{}/", parent_path.as_deref().unwrap_or("/"), inserted.id);
    let mut with_path: ActiveModel = inserted.into();
    with_path.path = Set(path);
    let stored = with_path.update(&txn).await?;
    txn.commit().await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_reads_the_path() {
        let org = Model {
            id: 5,
            code: "PYNC".into(),
            name: "南村镇".into(),
            kind: "TOWN".into(),
            parent_id: Some(1),
            path: "/1/5/".into(),
            created_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(
            place(&org),
            OrgPlace {
                id: 5,
                lineage: vec![1, 5]
            }
        );
    }
}
