//! Reminders as stored: created once per unique key (a second insert, from
//! the same sweep run again or from another instance, does nothing), read
//! within the caller's reach, with a read state per user.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::notification::{Column, Entity, Model};
use entity::{notification_read, reminder_setting};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::organization::OrgPlace;
use crate::domain::reminder::{Notification, NotificationKind, Thresholds};
use crate::error::AppResult;
use crate::store::sql::{self, Sql};
use crate::store::visibility::Visibility;
use crate::store::{organizations, stored};

/// A reminder to store, with the key that makes it once.
#[derive(Clone, Debug)]
pub struct NewNotification {
    pub organization_id: i64,
    pub kind: NotificationKind,
    pub application_id: Option<i64>,
    pub disclosure_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub message: String,
    pub key: String,
}

/// Rows per INSERT: 8 values each, far below either database's limit.
const INSERT_CHUNK: usize = 200;

/// Inserts the reminders whose key is new; answers the ids of those it
/// created (ON CONFLICT DO NOTHING … RETURNING on both databases).
pub async fn insert(
    conn: &impl ConnectionTrait,
    items: &[NewNotification],
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let backend = conn.get_database_backend();
    let mut created = Vec::new();
    for chunk in items.chunks(INSERT_CHUNK) {
        let mut sql = Sql::new(
            "INSERT INTO notification (organization_id, kind, application_id, disclosure_id, \
             due_on, message, dedup_key, created_at) VALUES ",
        );
        for (i, item) in chunk.iter().enumerate() {
            if i > 0 {
                sql = sql.text(", ");
            }
            sql = sql
                .text("(")
                .value(item.organization_id)
                .text(", ")
                .value(item.kind.as_str())
                .text(", ")
                .value(item.application_id)
                .text(", ")
                .value(item.disclosure_id)
                .text(", ")
                .value(item.due_on)
                .text(", ")
                .value(item.message.as_str())
                .text(", ")
                .value(item.key.as_str())
                .text(", ")
                .value(now)
                .text(")");
        }
        let sql = sql.text(" ON CONFLICT (dedup_key) DO NOTHING RETURNING id");
        for row in conn.query_all_raw(sql.statement(backend)).await? {
            created.push(row.try_get::<i64>("", "id")?);
        }
    }
    // Their webhook deliveries, in the same transaction.
    crate::store::webhooks::enqueue(conn, &created, now).await?;
    Ok(created)
}

fn record(model: Model, read_at: Option<DateTime<Utc>>) -> AppResult<Notification> {
    Ok(Notification {
        kind: stored("notification", model.id, "kind", &model.kind)?,
        id: model.id,
        organization_id: model.organization_id,
        application_id: model.application_id,
        disclosure_id: model.disclosure_id,
        due_on: model.due_on,
        message: model.message,
        created_at: model.created_at,
        read_at,
    })
}

/// Which notifications a listing shows: the policy's reach over their
/// organisation, and the kinds the caller hears of (None: all).
#[derive(Clone, Debug)]
pub struct NotificationFilter {
    pub visibility: Visibility,
    pub kinds: Option<&'static [NotificationKind]>,
    pub user_id: i64,
    pub unread_only: bool,
}

impl NotificationFilter {
    fn apply(
        &self,
        query: sea_orm::Select<Entity>,
        backend: sea_orm::DatabaseBackend,
    ) -> sea_orm::Select<Entity> {
        let mut query = query.filter(self.visibility.condition(Column::OrganizationId, None));
        if let Some(kinds) = self.kinds {
            query = query.filter(Column::Kind.is_in(kinds.iter().map(|k| k.as_str())));
        }
        if self.unread_only {
            query = query.filter(unread(backend, self.user_id));
        }
        query
    }
}

fn unread(backend: sea_orm::DatabaseBackend, user_id: i64) -> sea_orm::sea_query::SimpleExpr {
    sql::expr(
        backend,
        "NOT EXISTS (SELECT 1 FROM notification_read r \
         WHERE r.notification_id = notification.id AND r.user_id = ?)",
        [user_id],
    )
}

/// Newest first, after the notification `after` (a cursor), at most `limit`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &NotificationFilter,
    after: Option<i64>,
    limit: u64,
) -> AppResult<Vec<Notification>> {
    let backend = db.get_database_backend();
    let mut query = filter.apply(Entity::find(), backend);
    if let Some(after) = after {
        query = query.filter(Column::Id.lt(after));
    }
    let rows = query.order_by_desc(Column::Id).limit(limit).all(db).await?;
    let reads = read_at(db, filter.user_id, rows.iter().map(|r| r.id).collect()).await?;
    rows.into_iter()
        .map(|row| {
            let read = reads.get(&row.id).copied();
            record(row, read)
        })
        .collect()
}

/// When `user_id` read each of `ids` (those it read).
async fn read_at(
    db: &impl ConnectionTrait,
    user_id: i64,
    ids: Vec<i64>,
) -> AppResult<HashMap<i64, DateTime<Utc>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(notification_read::Entity::find()
        .filter(notification_read::Column::UserId.eq(user_id))
        .filter(notification_read::Column::NotificationId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.notification_id, r.read_at))
        .collect())
}

pub async fn count(db: &impl ConnectionTrait, filter: &NotificationFilter) -> AppResult<u64> {
    let backend = db.get_database_backend();
    Ok(filter.apply(Entity::find(), backend).count(db).await?)
}

/// Marks read those of `ids` the filter shows and the user had not read;
/// answers how many changed.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    filter: &NotificationFilter,
    ids: &[i64],
    now: DateTime<Utc>,
) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    let unread_filter = NotificationFilter {
        unread_only: true,
        ..filter.clone()
    };
    let visible: Vec<i64> = unread_filter
        .apply(Entity::find(), backend)
        .filter(Column::Id.is_in(ids.iter().copied()))
        .select_only()
        .column(Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if visible.is_empty() {
        return Ok(0);
    }
    let rows = visible.iter().map(|&id| notification_read::ActiveModel {
        notification_id: Set(id),
        user_id: Set(filter.user_id),
        read_at: Set(now),
    });
    let inserted = notification_read::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                notification_read::Column::UserId,
                notification_read::Column::NotificationId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted)
}

pub async fn find_many(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<Notification>> {
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| record(row, None))
        .collect()
}

/// Notifications created after `after_id`, oldest first, with where their
/// organisation stands (for the live stream to ask the policy).
pub async fn created_after(
    db: &impl ConnectionTrait,
    after_id: i64,
    limit: u64,
) -> AppResult<Vec<(Notification, OrgPlace)>> {
    let rows = Entity::find()
        .filter(Column::Id.gt(after_id))
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    placed(db, rows).await
}

/// These notifications (those that exist), with their organisation's place.
pub async fn with_places(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<Vec<(Notification, OrgPlace)>> {
    let rows = Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    placed(db, rows).await
}

async fn placed(
    db: &impl ConnectionTrait,
    rows: Vec<Model>,
) -> AppResult<Vec<(Notification, OrgPlace)>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut org_ids: Vec<i64> = rows.iter().map(|r| r.organization_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let places: HashMap<i64, OrgPlace> = entity::organization::Entity::find()
        .filter(entity::organization::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, organizations::place(&o.path, o.id)))
        .collect();
    rows.into_iter()
        .map(|row| {
            let place = places
                .get(&row.organization_id)
                .cloned()
                .unwrap_or(OrgPlace {
                    id: row.organization_id,
                    lineage: vec![row.organization_id],
                });
            Ok((record(row, None)?, place))
        })
        .collect()
}

/// The newest notification id (0 when there is none): where a live stream starts.
pub async fn last_id(db: &impl ConnectionTrait) -> AppResult<i64> {
    let id: Option<i64> = Entity::find()
        .select_only()
        .column_as(Column::Id.max(), "id")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten();
    Ok(id.unwrap_or(0))
}

/// Every organisation's thresholds that differ from the default.
pub async fn thresholds(db: &impl ConnectionTrait) -> AppResult<HashMap<i64, Thresholds>> {
    let rows = reminder_setting::Entity::find().all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let parsed = Thresholds::parse(&row.thresholds);
            if parsed.is_none() {
                tracing::error!(
                    organization = row.organization_id,
                    "unreadable reminder thresholds"
                );
            }
            parsed.map(|t| (row.organization_id, t))
        })
        .collect())
}

pub async fn thresholds_of(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> AppResult<Thresholds> {
    Ok(reminder_setting::Entity::find_by_id(organization_id)
        .one(db)
        .await?
        .and_then(|row| Thresholds::parse(&row.thresholds))
        .unwrap_or_default())
}

/// Stores an organisation's thresholds and has the sweep look at its open
/// applications again (their next reminder day may have moved).
pub async fn set_thresholds(
    txn: &impl ConnectionTrait,
    organization_id: i64,
    thresholds: &Thresholds,
) -> AppResult<()> {
    let row = reminder_setting::ActiveModel {
        organization_id: Set(organization_id),
        thresholds: Set(thresholds.to_stored()),
    };
    reminder_setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(reminder_setting::Column::OrganizationId)
                .update_column(reminder_setting::Column::Thresholds)
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    crate::store::reminders::look_again(txn, Some(organization_id)).await
}
