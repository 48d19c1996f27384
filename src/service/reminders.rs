//! Reminders (docs/DESIGN.md, "Reminders"): the sweep that creates them,
//! the event that creates one as it happens (a new application), the list
//! with its read state, and an organisation's thresholds.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Days, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::domain::calendar::{WorkingCalendar, china_date};
use crate::domain::policy::{Caller, Listing, Operation, notification_kinds};
use crate::domain::reminder::{
    self, About, Due, Notification, Subject, Thresholds, application_reminders,
    next_application_check,
};
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::store;
use crate::store::notifications::{NewNotification, NotificationFilter};

/// Applications claimed per transaction.
const BATCH: u64 = 500;
/// A draft's reminder window opens no earlier than 15 working days (so
/// 15 calendar days) after it was formed.
const DRAFT_WINDOW_OPENS_AFTER_DAYS: u64 = 15;

/// What one sweep did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Applications looked at.
    pub applications: usize,
    /// Reminders created (new keys only).
    pub created: Vec<i64>,
}

/// Creates the reminders due today, each once: applications whose check
/// day has come (claimed batch by batch), drafts nearing publishDueOn, and
/// last year's annual reports in their season. Run by every instance at
/// start-up and every `--reminder-sweep-interval`; safe to run at once on
/// several instances (claims and unique keys) and as often as wanted.
pub async fn sweep(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<Swept> {
    let today = china_date(now);
    let calendar = store::calendar::load(db).await?;
    let mut swept = Swept::default();
    let mut thresholds: Option<HashMap<i64, Thresholds>> = None;
    loop {
        let txn = store::begin_write(db).await?;
        let due = store::reminders::due_applications(&txn, today, BATCH).await?;
        if due.is_empty() {
            txn.commit().await?;
            break;
        }
        if thresholds.is_none() {
            thresholds = Some(store::notifications::thresholds(db).await?);
        }
        let thresholds = thresholds.as_ref().expect("loaded above");
        let default = Thresholds::default();
        let mut items = Vec::new();
        let mut by_day: BTreeMap<_, Vec<i64>> = BTreeMap::new();
        for app in &due {
            let t = thresholds.get(&app.organization_id).unwrap_or(&default);
            for found in application_reminders(&calendar, &app.facts, t, today) {
                let about = About::Application {
                    tracking_no: &app.tracking_no,
                };
                items.push(new_notification(
                    app.organization_id,
                    Subject::Application(app.id),
                    about,
                    &found,
                ));
            }
            by_day
                .entry(next_application_check(&calendar, &app.facts, t, today))
                .or_default()
                .push(app.id);
        }
        let created = store::notifications::insert(&txn, &items, now).await?;
        store::reminders::set_check_days(&txn, by_day).await?;
        txn.commit().await?;
        swept.applications += due.len();
        swept.created.extend(created);
        if (due.len() as u64) < BATCH {
            break;
        }
    }
    swept
        .created
        .extend(sweep_drafts(db, &calendar, now).await?);
    swept
        .created
        .extend(sweep_annual_reports(db, &calendar, now).await?);
    Ok(swept)
}

fn new_notification(
    organization_id: i64,
    subject: Subject,
    about: About<'_>,
    due: &Due,
) -> NewNotification {
    let (application_id, disclosure_id) = match subject {
        Subject::Application(id) => (Some(id), None),
        Subject::Disclosure(id) => (None, Some(id)),
        Subject::AnnualReport { .. } => (None, None),
    };
    NewNotification {
        organization_id,
        kind: due.kind,
        application_id,
        disclosure_id,
        due_on: Some(due.due_on),
        message: reminder::message(about, due),
        key: subject.key(due),
    }
}

async fn sweep_drafts(
    db: &DatabaseConnection,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let today = china_date(now);
    let newest = today - Days::new(DRAFT_WINDOW_OPENS_AFTER_DAYS);
    let drafts =
        store::reminders::drafts_in_reach(db, reminder::oldest_formed_on_in_reach(today), newest)
            .await?;
    let items: Vec<_> = drafts
        .iter()
        .filter_map(|draft| {
            let due = reminder::draft_reminder(calendar, draft.formed_on, today)?;
            let about = About::Disclosure {
                title: &draft.title,
            };
            Some(new_notification(
                draft.organization_id,
                Subject::Disclosure(draft.id),
                about,
                &due,
            ))
        })
        .collect();
    store::notifications::insert(db, &items, now).await
}

async fn sweep_annual_reports(
    db: &DatabaseConnection,
    calendar: &WorkingCalendar,
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let today = china_date(now);
    if !reminder::annual_reports_in_season(calendar, today) {
        return Ok(Vec::new());
    }
    let year = today.year() - 1;
    let pending = store::reminders::reports_pending(db, year).await?;
    let items: Vec<_> = pending
        .iter()
        .filter_map(|org| {
            let (year, due) = reminder::annual_report_reminder(calendar, org.kind, today)?;
            let about = About::AnnualReport {
                organization: &org.name,
                year,
            };
            let subject = Subject::AnnualReport {
                organization_id: org.organization_id,
                year,
            };
            Some(new_notification(org.organization_id, subject, about, &due))
        })
        .collect();
    store::notifications::insert(db, &items, now).await
}

/// APPLICATION_RECEIVED, inside the transaction that stores the application.
pub async fn application_received(
    txn: &DatabaseTransaction,
    calendar: &WorkingCalendar,
    application: &crate::domain::application::Application,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let due = reminder::received(calendar, china_date(now), application.due_on);
    let about = About::Application {
        tracking_no: &application.tracking_no,
    };
    let item = new_notification(
        application.organization_id,
        Subject::Application(application.id),
        about,
        &due,
    );
    store::notifications::insert(txn, &[item], now).await?;
    Ok(())
}

/// The notifications the caller may read, as any instance creates them;
/// the stream ends when the user is deactivated (or this instance stops).
pub fn watch(
    services: &crate::service::Services,
    caller: &Caller,
) -> AppResult<impl futures_util::Stream<Item = Notification> + use<>> {
    use crate::service::live::LiveEvent;
    use tokio::sync::broadcast::error::RecvError;
    let scope = crate::domain::policy::reach(caller, Listing::Notifications)?.scope;
    let kinds = notification_kinds(caller);
    let user_id = caller.user_id().ok_or(AppError::Unauthenticated)?;
    let subscribed = services.live.subscribe(user_id);
    Ok(futures_util::stream::unfold(
        subscribed,
        move |mut sub| async move {
            loop {
                match sub.events.recv().await {
                    Ok(LiveEvent::Created(item)) => {
                        let (notification, place) = &*item;
                        let kind_heard = kinds.is_none_or(|k| k.contains(&notification.kind));
                        if kind_heard && scope.includes(place) {
                            return Some((notification.clone(), sub));
                        }
                    }
                    Ok(LiveEvent::Revoked(user)) if user == user_id => return None,
                    Ok(LiveEvent::Revoked(_)) => {}
                    // Fell behind: what was dropped is in the list.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    ))
}

/// What a caller's notification list shows.
async fn filter(
    db: &DatabaseConnection,
    caller: &Caller,
    unread_only: bool,
) -> AppResult<NotificationFilter> {
    let (visibility, _) = access::visibility(db, caller, Listing::Notifications).await?;
    let user_id = caller.user_id().ok_or(AppError::Unauthenticated)?;
    Ok(NotificationFilter {
        visibility,
        kinds: notification_kinds(caller),
        user_id,
        unread_only,
    })
}

/// A page of the caller's notifications, newest first, and the counts.
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub has_next_page: bool,
    pub total_count: Option<u64>,
    pub unread_count: Option<u64>,
}

/// Which counts the selection asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub total: bool,
    pub unread: bool,
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    unread_only: bool,
    after: Option<i64>,
    first: u64,
    counts: Counts,
) -> AppResult<NotificationPage> {
    let filter = filter(db, caller, unread_only).await?;
    let mut items = store::notifications::list(db, &filter, after, first + 1).await?;
    let has_next_page = items.len() as u64 > first;
    items.truncate(first as usize);
    let total_count = match counts.total {
        true => Some(store::notifications::count(db, &filter).await?),
        false => None,
    };
    let unread_count = match counts.unread {
        true => {
            let unread = NotificationFilter {
                unread_only: true,
                ..filter.clone()
            };
            Some(store::notifications::count(db, &unread).await?)
        }
        false => None,
    };
    Ok(NotificationPage {
        items,
        has_next_page,
        total_count,
        unread_count,
    })
}

/// Marks those of `ids` the caller sees read; answers how many changed.
pub async fn mark_read(
    db: &DatabaseConnection,
    caller: &Caller,
    ids: &[i64],
    now: DateTime<Utc>,
) -> AppResult<u64> {
    if ids.len() > 100 {
        return Err(AppError::bad_input("ids", "一次最多标记100条"));
    }
    let filter = filter(db, caller, false).await?;
    store::notifications::mark_read(db, &filter, ids, now).await
}

/// An organisation's thresholds (anyone who may see the organisation).
pub async fn thresholds(db: &DatabaseConnection, organization_id: i64) -> AppResult<Thresholds> {
    store::notifications::thresholds_of(db, organization_id).await
}

/// Sets an organisation's DUE_SOON thresholds (ORG_ADMIN of it, ADMIN).
pub async fn set_thresholds(
    db: &DatabaseConnection,
    caller: &Caller,
    organization_id: i64,
    days: &[i32],
) -> AppResult<Thresholds> {
    access::organization(
        db,
        caller,
        Operation::ManageReminders,
        organization_id,
        Concerning::Itself,
    )
    .await?;
    let thresholds = Thresholds::new(days)?;
    let txn = store::begin_write(db).await?;
    store::notifications::set_thresholds(&txn, organization_id, &thresholds).await?;
    txn.commit().await?;
    Ok(thresholds)
}
