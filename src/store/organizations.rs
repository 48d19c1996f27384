use chrono::{DateTime, Utc};
use entity::organization::{ActiveModel, Column, Entity, Model};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::contact::OrganizationContact;
use crate::domain::organization::{NewOrganization, OrgPlace, Organization};
use crate::error::{AppError, AppResult};
use crate::store::{is_unique_violation, stored};

pub(crate) fn record(model: Model) -> AppResult<Organization> {
    Ok(Organization {
        kind: stored("organization", model.id, "kind", &model.kind)?,
        place: place(&model.path, model.id),
        id: model.id,
        code: model.code,
        name: model.name,
        parent_id: model.parent_id,
        contact: OrganizationContact {
            office_name: model.office_name,
            office_address: model.office_address,
            office_hours: model.office_hours,
            phone: model.phone,
            fax: model.fax,
            email: model.email,
        },
    })
}

fn records(models: Vec<Model>) -> AppResult<Vec<Organization>> {
    models.into_iter().map(record).collect()
}

/// Where an organisation stands in its tree, read from its stored path.
pub(crate) fn place(path: &str, id: i64) -> OrgPlace {
    OrgPlace {
        id,
        lineage: path
            .split('/')
            .filter_map(|segment| segment.parse().ok())
            .collect(),
    }
}

/// The stored path of a place: its lineage, e.g. "/1/5/".
pub(crate) fn path(place: &OrgPlace) -> String {
    let mut path = String::from("/");
    for id in &place.lineage {
        path.push_str(&format!("{id}/"));
    }
    path
}

pub async fn list(db: &impl ConnectionTrait) -> AppResult<Vec<Organization>> {
    records(Entity::find().order_by_asc(Column::Id).all(db).await?)
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Organization>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<Organization>> {
    records(
        Entity::find()
            .filter(Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?,
    )
}

pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> AppResult<Option<Organization>> {
    Entity::find()
        .filter(Column::Code.eq(code.trim()))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

pub async fn children(db: &impl ConnectionTrait, parent_id: i64) -> AppResult<Vec<Organization>> {
    records(
        Entity::find()
            .filter(Column::ParentId.eq(parent_id))
            .order_by_asc(Column::Id)
            .all(db)
            .await?,
    )
}

/// The organisation at `place` and everything below it.
pub async fn subtree(db: &impl ConnectionTrait, place: &OrgPlace) -> AppResult<Vec<Organization>> {
    records(
        Entity::find()
            .filter(Column::Path.starts_with(path(place)))
            .order_by_asc(Column::Path)
            .all(db)
            .await?,
    )
}

/// Stores a validated organisation below `parent_id`; the code must be new.
pub async fn create(
    db: &DatabaseConnection,
    new: NewOrganization,
    parent_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Organization> {
    let txn = super::begin_write(db).await?;
    let parent_path = match parent_id {
        Some(id) => Some(
            Entity::find_by_id(id)
                .one(&txn)
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
    record(stored)
}

/// Replaces the organisation's contact details with validated ones.
pub async fn set_contact(
    db: &impl ConnectionTrait,
    id: i64,
    contact: OrganizationContact,
) -> AppResult<Organization> {
    let found = Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("机构"))?;
    let mut changed: ActiveModel = found.into();
    changed.office_name = Set(contact.office_name);
    changed.office_address = Set(contact.office_address);
    changed.office_hours = Set(contact.office_hours);
    changed.phone = Set(contact.phone);
    changed.fax = Set(contact.fax);
    changed.email = Set(contact.email);
    record(changed.update(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_paths() {
        let nancun = OrgPlace {
            id: 5,
            lineage: vec![1, 5],
        };
        assert_eq!(place("/1/5/", 5), nancun);
        assert_eq!(path(&nancun), "/1/5/");
        let district = place("/1/", 1);
        assert_eq!(path(&district), "/1/");
    }
}
