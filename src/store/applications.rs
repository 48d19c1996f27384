//! Applications and their events. Every change appends an event in the same
//! transaction as the change, with what the clock looked like after it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::application::{ActiveModel, Column, Entity, Model};
use entity::application_event;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend,
    DatabaseTransaction, EntityTrait, ExprTrait, NotSet, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::domain::application::{Applicant, Application, ApplicationOrder, Event};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::deadline::Deadline;
use crate::domain::intake::Intake;
use crate::domain::workflow::{EventKind, Status};
use crate::error::{AppError, AppResult};
use crate::store::visibility::{OrgScope, Visibility};
use crate::store::{is_unique_violation, rules, stored, stored_opt};

const NOT_FOUND: AppError = AppError::NotFound("申请");
const TABLE: &str = "application";

fn record(model: Model) -> AppResult<Application> {
    let id = model.id;
    Ok(Application {
        channel: stored(TABLE, id, "channel", &model.channel)?,
        applicant: Applicant {
            kind: stored(TABLE, id, "applicant_type", &model.applicant_type)?,
            id_type: stored_opt(TABLE, id, "id_type", model.id_type.as_deref())?,
            name: model.applicant_name,
            id_number: model.id_number,
            phone: model.phone,
            email: model.email,
            address: model.address,
        },
        status: stored(TABLE, id, "status", &model.status)?,
        outcome: stored_opt(TABLE, id, "outcome", model.outcome.as_deref())?,
        id,
        organization_id: model.organization_id,
        tracking_no: model.tracking_no,
        external_no: model.external_no,
        applicant_key: model.applicant_key,
        description: model.description,
        received_on: model.received_on,
        due_on: model.due_on,
        due_on_provisional: model.due_on_provisional,
        clock_running: model.clock_running,
        extended: model.extended,
        deadline_overridden: model.deadline_overridden,
        closed_on: model.closed_on,
        closed_on_time: model.closed_on_time,
        reply: model.reply,
        fee_yuan: model.fee_yuan,
        request_fingerprint: model.request_fingerprint,
        version: model.version,
    })
}

fn records(models: Vec<Model>) -> AppResult<Vec<Application>> {
    models.into_iter().map(record).collect()
}

fn event(model: application_event::Model) -> AppResult<Event> {
    Ok(Event {
        kind: stored("application_event", model.id, "kind", &model.kind)?,
        id: model.id,
        application_id: model.application_id,
        on: model.effective_on,
        recorded_at: model.recorded_at,
        actor_id: model.actor_id,
        note: model.note,
        override_due_on: model.override_due_on,
    })
}

/// What the clock writes into an application row: on insert, after each
/// step and recalculation, and in bulk loads alike.
fn write_clock(row: &mut ActiveModel, deadline: &Deadline, calendar: &WorkingCalendar) {
    row.status = Set(deadline.status.as_str().to_owned());
    row.outcome = Set(deadline.outcome.map(|o| o.as_str().to_owned()));
    row.due_on = Set(deadline.due_on);
    row.due_on_provisional = Set(deadline.is_provisional(calendar));
    // The stored clock stops when the application closes.
    row.clock_running = Set(deadline.clock_running && deadline.is_open());
    row.extended = Set(deadline.history.extended);
    row.deadline_overridden = Set(deadline.history.overridden);
    row.closed_on = Set(deadline.closed_on);
    row.closed_on_time = Set(deadline.closed_on_time());
    row.working_days_to_close = Set(deadline.working_days_to_close.map(|days| days as i32));
    // The reminder sweep looks at every changed clock (store::reminders).
    row.remind_check_on = Set(Some(crate::store::reminders::look_now()));
}

/// A new application as the service prepared it: the checked intake and
/// what the server assigned to it.
pub struct NewApplication {
    pub organization_id: i64,
    pub tracking_no: String,
    pub query_code_hash: String,
    pub intake: Intake,
    pub applicant_key: Option<String>,
    /// The client's key and the fingerprint of the content sent with it.
    pub client_request: Option<(String, String)>,
    /// The ledger's old number of an imported application.
    pub external_no: Option<String>,
}

impl NewApplication {
    fn row(
        self,
        deadline: &Deadline,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
    ) -> ActiveModel {
        let Intake {
            applicant,
            description,
            channel,
            received_on,
        } = self.intake;
        let (client_request_id, fingerprint) = self.client_request.unzip();
        let mut row = ActiveModel {
            id: NotSet,
            organization_id: Set(self.organization_id),
            tracking_no: Set(self.tracking_no),
            external_no: Set(self.external_no),
            query_code_hash: Set(self.query_code_hash),
            channel: Set(channel.as_str().to_owned()),
            applicant_type: Set(applicant.kind.as_str().to_owned()),
            applicant_name: Set(applicant.name),
            id_type: Set(applicant.id_type.map(|t| t.as_str().to_owned())),
            id_number: Set(applicant.id_number),
            applicant_key: Set(self.applicant_key),
            phone: Set(applicant.phone),
            email: Set(applicant.email),
            address: Set(applicant.address),
            description: Set(description),
            received_on: Set(received_on),
            reply: Set(None),
            fee_yuan: Set(None),
            client_request_id: Set(client_request_id),
            request_fingerprint: Set(fingerprint),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        write_clock(&mut row, deadline, calendar);
        row
    }
}

/// An event as recorded: what happened, the day it took effect, who recorded it.
pub struct NewEvent {
    pub kind: EventKind,
    pub on: NaiveDate,
    pub override_due_on: Option<NaiveDate>,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
}

impl NewEvent {
    /// The row, with the clock as it stood after the event.
    fn row(
        self,
        application_id: i64,
        after: &Deadline,
        now: DateTime<Utc>,
    ) -> application_event::ActiveModel {
        application_event::ActiveModel {
            id: NotSet,
            application_id: Set(application_id),
            kind: Set(self.kind.as_str().to_owned()),
            effective_on: Set(self.on),
            recorded_at: Set(now),
            actor_id: Set(self.actor_id),
            note: Set(self.note),
            override_due_on: Set(self.override_due_on),
            status_after: Set(after.status.as_str().to_owned()),
            due_on_after: Set(after.due_on),
            clock_running_after: Set(after.clock_running),
        }
    }
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Application>> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// The row, locked until the transaction ends (PostgreSQL; SQLite's write
/// transaction already holds the database).
pub async fn find_for_update(txn: &DatabaseTransaction, id: i64) -> AppResult<Application> {
    record(
        Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or(NOT_FOUND)?,
    )
}

/// The application with this tracking number, and the hash of its query code.
pub async fn find_by_tracking_no(
    db: &impl ConnectionTrait,
    tracking_no: &str,
) -> AppResult<Option<(Application, String)>> {
    let Some(model) = Entity::find()
        .filter(Column::TrackingNo.eq(tracking_no))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let hash = model.query_code_hash.clone();
    Ok(Some((record(model)?, hash)))
}

/// An application as a retried submission finds it.
pub struct EarlierSubmission {
    pub application: Application,
    pub created_at: DateTime<Utc>,
    pub query_code_hash: String,
}

pub async fn find_by_client_request(
    db: &impl ConnectionTrait,
    organization_id: i64,
    client_request_id: &str,
) -> AppResult<Option<EarlierSubmission>> {
    let Some(model) = Entity::find()
        .filter(Column::OrganizationId.eq(organization_id))
        .filter(Column::ClientRequestId.eq(client_request_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let created_at = model.created_at;
    let query_code_hash = model.query_code_hash.clone();
    Ok(Some(EarlierSubmission {
        application: record(model)?,
        created_at,
        query_code_hash,
    }))
}

pub async fn events(db: &impl ConnectionTrait, application_id: i64) -> AppResult<Vec<Event>> {
    application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(application_id))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(event)
        .collect()
}

/// The events of several applications in one query, by application.
pub async fn events_of_many(
    db: &impl ConnectionTrait,
    application_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Event>>> {
    let mut by_application: HashMap<i64, Vec<Event>> = HashMap::new();
    let events = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?;
    for model in events {
        let event = event(model)?;
        by_application
            .entry(event.application_id)
            .or_default()
            .push(event);
    }
    Ok(by_application)
}

/// Inserts a new application and its RECEIVED event. A second insert with
/// the same client request id answers CONFLICT, for the caller to look the
/// first one up.
pub async fn insert(
    txn: &DatabaseTransaction,
    new: NewApplication,
    deadline: &Deadline,
    calendar: &WorkingCalendar,
    actor_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<Application> {
    let stored = new
        .row(deadline, calendar, now)
        .insert(txn)
        .await
        .map_err(|err| {
            if is_unique_violation(&err) {
                AppError::Conflict("重复提交".into())
            } else {
                err.into()
            }
        })?;
    let received = NewEvent {
        kind: EventKind::Received,
        on: deadline.received_on,
        override_due_on: None,
        actor_id,
        note: None,
    };
    append_event(txn, stored.id, received, deadline, now).await?;
    record(stored)
}

pub async fn append_event(
    txn: &DatabaseTransaction,
    application_id: i64,
    event: NewEvent,
    after: &Deadline,
    now: DateTime<Utc>,
) -> AppResult<()> {
    event.row(application_id, after, now).insert(txn).await?;
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
    calendar: &WorkingCalendar,
    changes: StepChanges,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut row = ActiveModel {
        updated_at: Set(now),
        ..Default::default()
    };
    write_clock(&mut row, deadline, calendar);
    if let Some(reply) = changes.reply {
        row.reply = Set(Some(reply));
    }
    if let Some(fee) = changes.fee_yuan {
        row.fee_yuan = Set(Some(fee));
    }
    let result = Entity::update_many()
        .set(row)
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
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

/// Replaces what intake recorded of an imported application (a corrected
/// row of its ledger), inside the import's transaction; the clock and the
/// events are the workflow's.
pub async fn replace_intake(
    txn: &DatabaseTransaction,
    id: i64,
    intake: &Intake,
    applicant_key: Option<String>,
) -> AppResult<()> {
    let applicant = &intake.applicant;
    let row = ActiveModel {
        channel: Set(intake.channel.as_str().to_owned()),
        applicant_type: Set(applicant.kind.as_str().to_owned()),
        applicant_name: Set(applicant.name.clone()),
        id_type: Set(applicant.id_type.map(|t| t.as_str().to_owned())),
        id_number: Set(applicant.id_number.clone()),
        applicant_key: Set(applicant_key),
        phone: Set(applicant.phone.clone()),
        email: Set(applicant.email.clone()),
        address: Set(applicant.address.clone()),
        description: Set(intake.description.clone()),
        ..Default::default()
    };
    Entity::update_many()
        .set(row)
        .filter(Column::Id.eq(id))
        .exec(txn)
        .await?;
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
) -> AppResult<Vec<Application>> {
    records(
        Entity::find()
            .filter(Column::Status.ne(Status::Closed.as_str()))
            .filter(Column::ReceivedOn.lte(until))
            .order_by_asc(Column::Id)
            .all(txn)
            .await?,
    )
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

/// The organisation's ledger from `from` to `to`: the applications
/// received up to `to` and not closed before `from` — those the year's
/// report counts, carried over ones included.
fn ledger(organization_id: i64, (from, to): (NaiveDate, NaiveDate)) -> Condition {
    Condition::all()
        .add(Column::OrganizationId.eq(organization_id))
        .add(Column::ReceivedOn.lte(to))
        .add(
            Condition::any()
                .add(Column::ClosedOn.is_null())
                .add(Column::ClosedOn.gte(from)),
        )
}

pub async fn ledger_count(
    db: &impl ConnectionTrait,
    organization_id: i64,
    span: (NaiveDate, NaiveDate),
) -> AppResult<u64> {
    Ok(Entity::find()
        .filter(ledger(organization_id, span))
        .count(db)
        .await?)
}

/// A page of the ledger (`ledger`) for an export, by id after `after`.
pub async fn ledger_page(
    db: &impl ConnectionTrait,
    organization_id: i64,
    span: (NaiveDate, NaiveDate),
    after: i64,
    limit: u64,
) -> AppResult<Vec<Application>> {
    records(
        Entity::find()
            .filter(ledger(organization_id, span))
            .filter(Column::Id.gt(after))
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// The organisation's applications with these tracking numbers, by number.
pub async fn by_tracking_nos(
    db: &impl ConnectionTrait,
    organization_id: i64,
    tracking_nos: &[&str],
) -> AppResult<HashMap<String, Application>> {
    let mut found = HashMap::new();
    // Bounded IN lists: SQLite and PostgreSQL cap a statement's parameters.
    for chunk in tracking_nos.chunks(1000) {
        let models = Entity::find()
            .filter(Column::OrganizationId.eq(organization_id))
            .filter(Column::TrackingNo.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for application in records(models)? {
            found.insert(application.tracking_no.clone(), application);
        }
    }
    Ok(found)
}

/// Where the previous page ended: the ordering date and the id, and, when
/// running applications come first, whether its clock ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApplicationCursor {
    pub running: Option<bool>,
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
    /// Overdue on this day (true) or not (false); see `rules::overdue`.
    pub overdue_as_of: Option<(NaiveDate, bool)>,
    /// Open with a running clock and `from <= dueOn < until`.
    pub due_between: Option<(NaiveDate, NaiveDate)>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Not CLOSED (true) or CLOSED (false).
    pub open: Option<bool>,
}

fn filter_condition(filter: &ApplicationFilter, backend: DatabaseBackend) -> Condition {
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
        // An imported application is found by its old number too (as the
        // ledger wrote it, or upper-cased as tracking numbers are).
        condition = condition.add(
            Condition::any()
                .add(Column::TrackingNo.eq(tracking_no.to_uppercase()))
                .add(Column::ExternalNo.eq(tracking_no.as_str()))
                .add(Column::ExternalNo.eq(tracking_no.to_uppercase())),
        );
    }
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
    }
    if let Some((as_of, overdue)) = filter.overdue_as_of {
        let clock = rules::overdue("application.clock_running", "application.due_on", as_of);
        let is_overdue = Condition::all()
            .add(Column::Status.ne(Status::Closed.as_str()))
            .add(clock.expr(backend));
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
    if let Some(open) = filter.open {
        condition = condition.add(if open {
            Column::Status.ne(Status::Closed.as_str())
        } else {
            Column::Status.eq(Status::Closed.as_str())
        });
    }
    if let Some(from) = filter.received_from {
        condition = condition.add(Column::ReceivedOn.gte(from));
    }
    if let Some(to) = filter.received_to {
        condition = condition.add(Column::ReceivedOn.lte(to));
    }
    condition
}

/// A page of the listing in `order`; with `running_first`, applications
/// whose clock runs before paused ones (`ApplicationOrder::running_first`),
/// each group in `order`.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ApplicationFilter,
    order: ApplicationOrder,
    running_first: bool,
    after: Option<ApplicationCursor>,
    limit: u64,
) -> AppResult<Vec<Application>> {
    let (column, direction) = match order {
        ApplicationOrder::DueOnAsc => (Column::DueOn, Order::Asc),
        ApplicationOrder::ReceivedDesc => (Column::ReceivedOn, Order::Desc),
        ApplicationOrder::ReceivedAsc => (Column::ReceivedOn, Order::Asc),
    };
    let mut query = Entity::find().filter(filter_condition(filter, db.get_database_backend()));
    if let Some(cursor) = after {
        let beyond = |col: Column, date_or_id: sea_orm::Value| match direction {
            Order::Asc => Expr::col(col).gt(date_or_id),
            _ => Expr::col(col).lt(date_or_id),
        };
        let within_group = Condition::any()
            .add(beyond(column, cursor.date.into()))
            .add(
                Condition::all()
                    .add(column.eq(cursor.date))
                    .add(beyond(Column::Id, cursor.id.into())),
            );
        query = query.filter(match (running_first, cursor.running) {
            // The keyset is (clock running first, date, id): after a
            // running one come the later running ones and every paused one.
            (true, Some(true) | None) => Condition::any().add(Column::ClockRunning.eq(false)).add(
                Condition::all()
                    .add(Column::ClockRunning.eq(true))
                    .add(within_group),
            ),
            (true, Some(false)) => Condition::all()
                .add(Column::ClockRunning.eq(false))
                .add(within_group),
            (false, _) => within_group,
        });
    }
    if running_first {
        query = query.order_by(Column::ClockRunning, Order::Desc);
    }
    records(
        query
            .order_by(column, direction.clone())
            .order_by(Column::Id, direction)
            .limit(limit)
            .all(db)
            .await?,
    )
}

pub async fn count(db: &impl ConnectionTrait, filter: &ApplicationFilter) -> AppResult<u64> {
    Ok(Entity::find()
        .filter(filter_condition(filter, db.get_database_backend()))
        .count(db)
        .await?)
}

/// The cursor of an application in the given order.
pub fn cursor_of(
    application: &Application,
    order: ApplicationOrder,
    running_first: bool,
) -> ApplicationCursor {
    ApplicationCursor {
        running: running_first.then_some(application.clock_running),
        date: match order {
            ApplicationOrder::DueOnAsc => application.due_on,
            _ => application.received_on,
        },
        id: application.id,
    }
}

/// An application loaded in bulk (synthetic data), with the events its
/// clock went through, each with the clock after it.
pub struct LoadedApplication {
    pub id: i64,
    pub new: NewApplication,
    pub history: Vec<(EventKind, NaiveDate, Deadline)>,
    pub reply: Option<String>,
    pub fee_yuan: Option<i32>,
}

impl LoadedApplication {
    /// The rows the bulk loader inserts, built as `insert` and `advance` build them.
    pub(crate) fn rows(
        self,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
    ) -> (ActiveModel, Vec<application_event::ActiveModel>) {
        let last = self
            .history
            .last()
            .map(|(_, _, after)| after.clone())
            .expect("an application's history starts with RECEIVED");
        let mut row = self.new.row(&last, calendar, now);
        row.id = Set(self.id);
        row.reply = Set(self.reply);
        row.fee_yuan = Set(self.fee_yuan);
        row.version = Set(self.history.len() as i32);
        let events = self
            .history
            .into_iter()
            .map(|(kind, on, after)| {
                let event = NewEvent {
                    kind,
                    on,
                    override_due_on: None,
                    actor_id: None,
                    note: None,
                };
                event.row(self.id, &after, now)
            })
            .collect();
        (row, events)
    }
}

/// Records in the application's events that a file was attached (who, when,
/// what): an event that leaves the clock as it stands.
pub async fn record_attachment(
    txn: &DatabaseTransaction,
    application_id: i64,
    actor_id: Option<i64>,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let application = find_for_update(txn, application_id).await?;
    application_event::ActiveModel {
        id: NotSet,
        application_id: Set(application_id),
        kind: Set(EventKind::AttachmentAdded.as_str().to_owned()),
        effective_on: Set(crate::domain::calendar::china_date(now)),
        recorded_at: Set(now),
        actor_id: Set(actor_id),
        note: Set(Some(note.to_owned())),
        override_due_on: Set(None),
        status_after: Set(application.status.as_str().to_owned()),
        due_on_after: Set(application.due_on),
        clock_running_after: Set(application.clock_running),
    }
    .insert(txn)
    .await?;
    Ok(())
}
