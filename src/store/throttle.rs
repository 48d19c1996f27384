use chrono::{DateTime, Utc};
use entity::rate_limit::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect, Set};

use crate::domain::throttle::{ThrottleRule, ThrottleState, record_hit};
use crate::error::AppResult;

fn state(row: Model) -> ThrottleState {
    ThrottleState {
        window_started_at: row.window_started_at,
        hits: row.hits,
        blocked_until: row.blocked_until,
    }
}

pub async fn is_blocked(
    db: &impl ConnectionTrait,
    bucket: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let row = Entity::find_by_id(bucket).one(db).await?;
    Ok(row.is_some_and(|r| state(r).is_blocked(now)))
}

/// Counts one more hit (a failed login, …) against `bucket`.
pub async fn record(
    db: &DatabaseConnection,
    bucket: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    // Row lock on PostgreSQL so that concurrent instances do not lose hits;
    // SQLite serialises writers anyway.
    let previous = Entity::find_by_id(bucket)
        .lock_exclusive()
        .one(&txn)
        .await?
        .map(state);
    let next = record_hit(previous, rule, now);
    Entity::insert(ActiveModel {
        bucket: Set(bucket.to_owned()),
        window_started_at: Set(next.window_started_at),
        hits: Set(next.hits),
        blocked_until: Set(next.blocked_until),
    })
    .on_conflict(
        OnConflict::column(Column::Bucket)
            .update_columns([Column::WindowStartedAt, Column::Hits, Column::BlockedUntil])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, bucket: &str) -> AppResult<()> {
    Entity::delete_by_id(bucket).exec(db).await?;
    Ok(())
}
