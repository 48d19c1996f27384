//! Applications and their events. Every change appends an event in the same
//! transaction as the change, with what the clock looked like after it.

use chrono::{DateTime, NaiveDate, Utc};
use entity::application::{ActiveModel, Column, Entity, Model};
use entity::application_event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    ExprTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::deadline::{ClockEvent, Deadline};
use crate::domain::workflow::{EventKind, Outcome, Status};
use crate::error::{AppError, AppResult};
use crate::store::is_unique_violation;
use crate::store::visibility::{OrgScope, Visibility};

const NOT_FOUND: AppError = AppError::NotFound("申请");

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Model>> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

/// The row, locked until the transaction ends (PostgreSQL; SQLite's write
/// transaction already holds the database).
pub async fn find_for_update(txn: &DatabaseTransaction, id: i64) -> AppResult<Model> {
    Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(NOT_FOUND)
}

pub async fn find_by_tracking_no(
    db: &impl ConnectionTrait,
    tracking_no: &str,
) -> AppResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::TrackingNo.eq(tracking_no))
        .one(db)
        .await?)
}

pub async fn find_by_client_request(
    db: &impl ConnectionTrait,
    organization_id: i64,
    client_request_id: &str,
) -> AppResult<Option<Model>> {
    Ok(Entity::find()
        .filter(Column::OrganizationId.eq(organization_id))
        .filter(Column::ClientRequestId.eq(client_request_id))
        .one(db)
        .await?)
}

pub async fn events(
    db: &impl ConnectionTrait,
    application_id: i64,
) -> AppResult<Vec<application_event::Model>> {
    Ok(application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(application_id))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?)
}

/// The events of several applications in one query, by application.
pub async fn events_of_many(
    db: &impl ConnectionTrait,
    application_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Vec<application_event::Model>>> {
    let mut by_application: std::collections::HashMap<i64, Vec<_>> =
        std::collections::HashMap::new();
    let events = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?;
    for event in events {
        by_application
            .entry(event.application_id)
            .or_default()
            .push(event);
    }
    Ok(by_application)
}

/// The events as the deadline engine reads them.
pub fn clock_events(
    events: &[application_event::Model],
    outcome: Option<&str>,
) -> AppResult<Vec<ClockEvent>> {
    events
        .iter()
        .map(|e| {
            let kind = EventKind::parse(&e.kind)
                .ok_or_else(|| AppError::internal(format!("event {} has kind {}", e.id, e.kind)))?;
            Ok(ClockEvent {
                kind,
                on: e.effective_on,
                set_due_on: e.override_due_on,
                outcome: (kind == EventKind::Closed)
                    .then(|| outcome.and_then(Outcome::parse))
                    .flatten(),
            })
        })
        .collect()
}

/// Inserts a new application (the row as prepared by the caller, without
/// id) and its RECEIVED event. A second insert with the same client request
/// id answers CONFLICT, for the caller to look the first one up.
pub async fn insert(
    txn: &DatabaseTransaction,
    row: ActiveModel,
    deadline: &Deadline,
    actor_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Model> {
    let stored = row.insert(txn).await.map_err(|err| {
        if is_unique_violation(&err) {
            AppError::Conflict("重复提交".into())
        } else {
            err.into()
        }
    })?;
    append_event(
        txn,
        stored.id,
        EventKind::Received,
        deadline.received_on,
        None,
        deadline,
        actor_id,
        None,
        now,
    )
    .await?;
    Ok(stored)
}

#[allow(clippy::too_many_arguments)]
pub async fn append_event(
    txn: &DatabaseTransaction,
    application_id: i64,
    kind: EventKind,
    on: NaiveDate,
    override_due_on: Option<NaiveDate>,
    after: &Deadline,
    actor_id: Option<i64>,
    note: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    application_event::ActiveModel {
        application_id: Set(application_id),
        kind: Set(kind.as_str().to_owned()),
        effective_on: Set(on),
        recorded_at: Set(now),
        actor_id: Set(actor_id),
        note: Set(note),
        override_due_on: Set(override_due_on),
        status_after: Set(after.status.as_str().to_owned()),
        due_on_after: Set(after.due_on),
        clock_running_after: Set(after.clock_running),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// What else a workflow step changes on the row besides the clock.
#[derive(Default)]
pub struct StepChanges {
    pub reply: Option<String>,
    pub fee_yuan: Option<i32>,
}

/// Writes the clock state after a step (or a recalculation) if the row is
/// still at `expected_version`; otherwise CONFLICT.
pub async fn save_state(
    txn: &DatabaseTransaction,
    id: i64,
    expected_version: i32,
    deadline: &Deadline,
    provisional: bool,
    changes: StepChanges,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut update = Entity::update_many()
        .col_expr(Column::Status, Expr::value(deadline.status.as_str()))
        .col_expr(Column::DueOn, Expr::value(deadline.due_on))
        .col_expr(Column::DueOnProvisional, Expr::value(provisional))
        .col_expr(
            Column::ClockRunning,
            Expr::value(deadline.clock_running && deadline.is_open()),
        )
        .col_expr(Column::Extended, Expr::value(deadline.history.extended))
        .col_expr(
            Column::DeadlineOverridden,
            Expr::value(deadline.history.overridden),
        )
        .col_expr(Column::ClosedOn, Expr::value(deadline.closed_on))
        .col_expr(Column::ClosedOnTime, Expr::value(deadline.closed_on_time()))
        .col_expr(
            Column::WorkingDaysToClose,
            Expr::value(deadline.working_days_to_close.map(|days| days as i32)),
        )
        .col_expr(
            Column::Outcome,
            Expr::value(deadline.outcome.map(|o| o.as_str().to_owned())),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1));
    if let Some(reply) = changes.reply {
        update = update.col_expr(Column::Reply, Expr::value(reply));
    }
    if let Some(fee) = changes.fee_yuan {
        update = update.col_expr(Column::FeeYuan, Expr::value(fee));
    }
    let result = update
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(txn)
        .await?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict(
            "该申请已被他人处理，请刷新后重试".into(),
        ));
    }
    Ok(())
}

pub async fn set_query_code_hash(
    db: &impl ConnectionTrait,
    id: i64,
    hash: String,
) -> AppResult<()> {
    Entity::update_many()
        .col_expr(Column::QueryCodeHash, Expr::value(hash))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Open applications received on or before `until`: those a calendar change may move.
pub async fn open_received_until(
    txn: &DatabaseTransaction,
    until: NaiveDate,
) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::Status.ne(Status::Closed.as_str()))
        .filter(Column::ReceivedOn.lte(until))
        .order_by_asc(Column::Id)
        .all(txn)
        .await?)
}

/// How many applications the same applicant filed with the organisation
/// between `from` and `to` (the fee rules start at the 11th in a month).
pub async fn count_by_applicant(
    db: &impl ConnectionTrait,
    organization_id: i64,
    applicant_key: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<u64> {
    Ok(Entity::find()
        .filter(Column::OrganizationId.eq(organization_id))
        .filter(Column::ApplicantKey.eq(applicant_key))
        .filter(Column::ReceivedOn.between(from, to))
        .count(db)
        .await?)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplicationOrder {
    DueOnAsc,
    ReceivedDesc,
    ReceivedAsc,
}

/// Where the previous page ended: the ordering date and the id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApplicationCursor {
    pub date: NaiveDate,
    pub id: i64,
}

#[derive(Clone, Debug)]
pub struct ApplicationFilter {
    /// What the caller may read (no application is public).
    pub visibility: Visibility,
    pub organization: Option<OrgScope>,
    pub tracking_no: Option<String>,
    pub status: Option<Status>,
    /// Open with a running clock and dueOn before this day (true) or not (false).
    pub overdue_as_of: Option<(NaiveDate, bool)>,
    /// Open with a running clock and `from <= dueOn < until`.
    pub due_between: Option<(NaiveDate, NaiveDate)>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
}

fn filter_condition(filter: &ApplicationFilter) -> Condition {
    let running = || {
        Condition::all()
            .add(Column::Status.ne(Status::Closed.as_str()))
            .add(Column::ClockRunning.eq(true))
    };
    let mut condition =
        Condition::all().add(filter.visibility.condition(Column::OrganizationId, None));
    if let Some(scope) = &filter.organization {
        condition = condition.add(scope.condition(Column::OrganizationId));
    }
    if let Some(tracking_no) = &filter.tracking_no {
        condition = condition.add(Column::TrackingNo.eq(tracking_no.as_str()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
    }
    if let Some((as_of, overdue)) = filter.overdue_as_of {
        let is_overdue = running().add(Column::DueOn.lt(as_of));
        condition = condition.add(if overdue {
            is_overdue
        } else {
            is_overdue.not()
        });
    }
    if let Some((from, until)) = filter.due_between {
        condition = condition.add(
            running()
                .add(Column::DueOn.gte(from))
                .add(Column::DueOn.lt(until)),
        );
    }
    if let Some(from) = filter.received_from {
        condition = condition.add(Column::ReceivedOn.gte(from));
    }
    if let Some(to) = filter.received_to {
        condition = condition.add(Column::ReceivedOn.lte(to));
    }
    condition
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ApplicationFilter,
    order: ApplicationOrder,
    after: Option<ApplicationCursor>,
    limit: u64,
) -> AppResult<Vec<Model>> {
    let (column, direction) = match order {
        ApplicationOrder::DueOnAsc => (Column::DueOn, Order::Asc),
        ApplicationOrder::ReceivedDesc => (Column::ReceivedOn, Order::Desc),
        ApplicationOrder::ReceivedAsc => (Column::ReceivedOn, Order::Asc),
    };
    let mut query = Entity::find().filter(filter_condition(filter));
    if let Some(cursor) = after {
        let beyond = |col: Column, date_or_id: sea_orm::Value| match direction {
            Order::Asc => Expr::col(col).gt(date_or_id),
            _ => Expr::col(col).lt(date_or_id),
        };
        query = query.filter(
            Condition::any()
                .add(beyond(column, cursor.date.into()))
                .add(
                    Condition::all()
                        .add(column.eq(cursor.date))
                        .add(beyond(Column::Id, cursor.id.into())),
                ),
        );
    }
    Ok(query
        .order_by(column, direction.clone())
        .order_by(Column::Id, direction)
        .limit(limit)
        .all(db)
        .await?)
}

pub async fn count(db: &impl ConnectionTrait, filter: &ApplicationFilter) -> AppResult<u64> {
    Ok(Entity::find()
        .filter(filter_condition(filter))
        .count(db)
        .await?)
}

/// The cursor of a row in the given order.
pub fn cursor_of(model: &Model, order: ApplicationOrder) -> ApplicationCursor {
    ApplicationCursor {
        date: match order {
            ApplicationOrder::DueOnAsc => model.due_on,
            _ => model.received_on,
        },
        id: model.id,
    }
}
