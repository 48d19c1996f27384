//! Disclosure applications (依申请公开): intake, the workflow with its legal
//! deadlines, reading with masking, and tracking by the public.

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::applicant::{applicant_key, check_text};
use crate::domain::application::{Application, ApplicationOrder, Event};
use crate::domain::calendar::{WorkingCalendar, china_date};
use crate::domain::deadline::{ClockEvent, Deadline, check_event_day};
use crate::domain::disclosure::Disclosure;
use crate::domain::files::AttachmentKind;
use crate::domain::intake::{MAX_DESCRIPTION_CHARS, Submission};
use crate::domain::policy::{Access, Caller, Listing, Operation, Target, authorize};
use crate::domain::throttle::{ANONYMOUS_SUBMISSIONS, WRONG_CODES_OVERALL, WRONG_CODES_PER_NUMBER};
use crate::domain::workflow::{EventKind, Status, Step};
use crate::domain::{applicant::Channel, numbering, query_code};
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::service::{Services, cursor, files, notices, organizations};
use crate::store;
use crate::store::applications::{
    ApplicationFilter, EarlierSubmission, NewApplication, NewEvent, StepChanges,
};

const MAX_NOTE_CHARS: usize = 2000;
const MAX_FEE_YUAN: i32 = 1_000_000;

pub struct Submitted {
    pub application: Application,
    /// The caller's view of the application; None for the public, who
    /// follows it through the tracking view.
    pub view: Option<Access>,
    /// At first submission, and on a replay within a day unless reissued
    /// (`query_code::Replay`).
    pub query_code: Option<String>,
}

/// Submits an application with the files it references (uploaded
/// beforehand with `POST /files`), all in one transaction.
pub async fn submit(
    services: &Services,
    caller: &Caller,
    client_ip: IpAddr,
    submission: Submission,
    attachments: &[(i64, AttachmentKind)],
    now: DateTime<Utc>,
) -> AppResult<Submitted> {
    let db = &services.db;
    let anonymous = caller.is_anonymous();
    let online = submission.channel(anonymous)? == Channel::Online;
    let (org, _) = access::organization(
        db,
        caller,
        Operation::SubmitApplication { online },
        submission.organization_id,
        Concerning::Itself,
    )
    .await?;
    let view = authorize(caller, Operation::Read, Target::Application(&org.place)).ok();
    let client_request_id = submission.client_request_id.trim().to_owned();
    let today = china_date(now);
    let intake = submission.check(anonymous, today)?;
    let dated_by_server = submission.received_on.is_none();
    let replay = |first: EarlierSubmission| Submitted {
        query_code: query_code::Replay {
            derivation_key: &services.keys.query_code_derivation,
            hash_key: &services.keys.query_code,
            tracking_no: &first.application.tracking_no,
            client_request_id: &client_request_id,
            stored_hash: &first.query_code_hash,
            submitted_at: first.created_at,
        }
        .code(now),
        application: first.application,
        view,
    };
    if let Some(first) = replay_of(db, org.id, &client_request_id, &intake, dated_by_server).await?
    {
        return Ok(replay(first));
    }
    let files = files::check_submission_files(services, caller, client_ip, attachments).await?;
    let bucket = format!("submit:{client_ip}");
    if anonymous {
        if store::throttle::is_blocked(db, &bucket, now).await? {
            return Err(AppError::RateLimited("提交过于频繁，请稍后再试"));
        }
        store::throttle::record(db, &bucket, ANONYMOUS_SUBMISSIONS, now).await?;
    }

    let calendar = store::calendar::load(db).await?;
    let deadline = Deadline::received(intake.received_on, &calendar);
    let applicant = &intake.applicant;
    let key = applicant
        .id_type
        .zip(applicant.id_number.as_deref())
        .map(|(kind, number)| applicant_key(&services.keys.applicant, kind, number));
    let fingerprint = intake.fingerprint();
    let txn = store::begin_write(db).await?;
    let year = intake.received_on.year();
    let sequence =
        store::sequences::next(&txn, &numbering::tracking_no_scope(org.id, year)).await?;
    let tracking_no = numbering::tracking_no(&org.code, year, sequence);
    let code = query_code::derive(
        &services.keys.query_code_derivation,
        &tracking_no,
        &client_request_id,
    );
    let new = NewApplication {
        organization_id: org.id,
        tracking_no,
        query_code_hash: query_code::hash(&services.keys.query_code, &code),
        intake: intake.clone(),
        applicant_key: key,
        client_request: Some((client_request_id.clone(), fingerprint)),
        external_no: None,
    };
    match store::applications::insert(&txn, new, &deadline, &calendar, caller.user_id(), now).await
    {
        Ok(application) => {
            for (file, kind) in &files {
                files::record_on_application(&txn, application.id, file, *kind, caller, now)
                    .await?;
            }
            super::reminders::application_received(&txn, &calendar, &application, now).await?;
            txn.commit().await?;
            Ok(Submitted {
                application,
                view,
                query_code: Some(code),
            })
        }
        // The same request raced us and won: answer with its result.
        Err(AppError::Conflict(_)) => {
            drop(txn);
            let first = replay_of(db, org.id, &client_request_id, &intake, dated_by_server)
                .await?
                .ok_or_else(|| AppError::internal("a conflicting submission vanished"))?;
            Ok(replay(first))
        }
        Err(other) => Err(other),
    }
}

/// The application a retried request already created; CONFLICT when the
/// key was used for different content.
async fn replay_of(
    db: &DatabaseConnection,
    organization_id: i64,
    client_request_id: &str,
    intake: &crate::domain::intake::Intake,
    dated_by_server: bool,
) -> AppResult<Option<EarlierSubmission>> {
    match store::applications::find_by_client_request(db, organization_id, client_request_id)
        .await?
    {
        Some(first) if intake.is_replay_of(&first.application, dated_by_server) => Ok(Some(first)),
        Some(_) => Err(AppError::Conflict(
            "该 clientRequestId 已用于另一份内容不同的申请".into(),
        )),
        None => Ok(None),
    }
}

/// An application and how much of it the caller may see; NOT_FOUND when
/// it may see nothing.
pub async fn read(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> AppResult<(Application, Access)> {
    let permitted = access::application(db, caller, Operation::Read, id).await?;
    Ok((permitted.item, permitted.view))
}

/// The events of an application the caller has read, in order.
pub async fn events(db: &DatabaseConnection, id: i64) -> AppResult<Vec<Event>> {
    store::applications::events(db, id).await
}

/// The events of a page of applications the caller has read, in one query.
pub async fn events_of_many(
    db: &DatabaseConnection,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Event>>> {
    store::applications::events_of_many(db, ids).await
}

/// A workflow step as a member of staff asks for it.
pub struct StepRequest {
    pub step: Step,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub set_due_on: Option<NaiveDate>,
    pub fee_yuan: Option<i32>,
    pub reply: Option<String>,
}

/// Runs one workflow step; answers with the application as it now stands
/// and the caller's view of it.
pub async fn advance(
    services: &Services,
    caller: &Caller,
    id: i64,
    request: StepRequest,
    expected_version: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<(Application, Access)> {
    let db = &services.db;
    let view = access::application(db, caller, Operation::of_step(request.step), id)
        .await?
        .view;
    let note = check_text("note", request.note.as_deref(), MAX_NOTE_CHARS, true)?;
    let reply = check_text(
        "reply",
        request.reply.as_deref(),
        MAX_DESCRIPTION_CHARS,
        true,
    )?;
    if let Step::Close(_) = request.step
        && reply.is_none()
    {
        return Err(AppError::bad_input("reply", "请填写答复内容摘要"));
    }
    if request
        .fee_yuan
        .is_some_and(|fee| !(1..=MAX_FEE_YUAN).contains(&fee))
    {
        return Err(AppError::bad_input(
            "amountYuan",
            "收费金额应为正整数（元）",
        ));
    }

    let calendar = store::calendar::load(db).await?;
    let txn = store::begin_write(db).await?;
    let locked = store::applications::find_for_update(&txn, id).await?;
    let version = expected_version.unwrap_or(locked.version);
    if version != locked.version {
        return Err(AppError::Conflict(
            "该申请已被他人处理，请刷新后重试".into(),
        ));
    }
    let events = store::applications::events(&txn, id).await?;
    let mut deadline = locked.deadline(&events, &calendar)?;
    // An attached file is recorded on the day it arrived and moves no
    // clock: a step may still be dated before it.
    let previous = events
        .iter()
        .rfind(|e| e.kind != EventKind::AttachmentAdded)
        .map(|e| e.on)
        .unwrap_or(locked.received_on);
    check_event_day(request.on, previous, china_date(now))?;
    let kind = request.step.event_kind();
    let outcome = match request.step {
        Step::Close(outcome) => Some(outcome),
        _ => None,
    };
    deadline.record(
        &ClockEvent {
            kind,
            on: request.on,
            set_due_on: request.set_due_on,
            outcome,
        },
        &calendar,
    )?;
    let event = NewEvent {
        kind,
        on: request.on,
        override_due_on: request.set_due_on,
        actor_id: caller.user_id(),
        note,
    };
    store::applications::append_event(&txn, id, event, &deadline, now).await?;
    let changes = StepChanges {
        reply,
        fee_yuan: request.fee_yuan,
    };
    store::applications::save_state(&txn, id, version, &deadline, &calendar, changes, now).await?;
    if outcome.is_some() {
        notices::issue(services, &txn, caller, id, now).await?;
    }
    txn.commit().await?;
    let application = store::applications::find(db, id)
        .await?
        .ok_or(AppError::NotFound("申请"))?;
    Ok((application, view))
}

/// A new query code for an applicant who lost theirs; the old one stops working.
pub async fn reissue_query_code(
    services: &Services,
    caller: &Caller,
    id: i64,
) -> AppResult<String> {
    access::application(&services.db, caller, Operation::ApplicationWorkflow, id).await?;
    let code = query_code::generate();
    store::applications::set_query_code_hash(
        &services.db,
        id,
        query_code::hash(&services.keys.query_code, &code),
    )
    .await?;
    Ok(code)
}

/// The public tracking view: tracking number and query code. A wrong code
/// answers exactly like an unknown number, and is counted per client
/// address (per number and overall), so a stranger guessing at someone's
/// number cannot lock the applicant out.
pub async fn track(
    services: &Services,
    client_ip: IpAddr,
    tracking_no: &str,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<Application> {
    let db = &services.db;
    let tracking_no = tracking_no.trim().to_uppercase();
    let per_number = format!("track:{client_ip}:{tracking_no}");
    let overall = format!("track:{client_ip}");
    if store::throttle::is_blocked(db, &per_number, now).await?
        || store::throttle::is_blocked(db, &overall, now).await?
    {
        return Err(AppError::RateLimited("查询错误次数过多，请15分钟后再试"));
    }
    let found = store::applications::find_by_tracking_no(db, &tracking_no).await?;
    // Compare against some hash even for an unknown number, to take the same time.
    let stored = found.as_ref().map_or("", |(_, hash)| hash.as_str());
    let matches = query_code::matches(&services.keys.query_code, code, stored);
    match found.filter(|_| matches) {
        Some((application, _)) => Ok(application),
        None => {
            store::throttle::record(db, &per_number, WRONG_CODES_PER_NUMBER, now).await?;
            store::throttle::record(db, &overall, WRONG_CODES_OVERALL, now).await?;
            Err(AppError::NotFound("申请"))
        }
    }
}

#[derive(Default)]
pub struct ApplicationQuery {
    pub tracking_no: Option<String>,
    pub organization_id: Option<i64>,
    pub include_descendants: bool,
    pub status: Option<Status>,
    pub overdue: Option<bool>,
    pub due_within_working_days: Option<i32>,
    pub as_of: NaiveDate,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub open: Option<bool>,
}

pub struct ApplicationPage {
    /// Each item with the cursor that continues after it.
    pub items: Vec<(Application, String)>,
    pub has_next_page: bool,
    pub total_count: u64,
    /// How much of each item the caller sees.
    pub view: Access,
}

/// One page of the work list after the opaque cursor `after`.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    query: ApplicationQuery,
    order: ApplicationOrder,
    after: Option<&str>,
    first: u64,
) -> AppResult<ApplicationPage> {
    let (visibility, view) = access::visibility(db, caller, Listing::Applications).await?;
    let after = after.map(cursor::decode_application).transpose()?;
    let organization = match query.organization_id {
        Some(id) => Some(organizations::scope(db, id, query.include_descendants).await?),
        None => None,
    };
    let due_between = match query.due_within_working_days {
        Some(days) if days < 0 => {
            return Err(AppError::bad_input(
                "dueWithinWorkingDays",
                "天数不能为负数",
            ));
        }
        Some(days) => {
            let days = u32::try_from(days).unwrap_or(0).min(1000);
            let calendar = store::calendar::load(db).await?;
            // workingDaysLeft <= N  ⟺  dueOn before the (N+1)-th working day after asOf.
            Some((
                query.as_of,
                calendar.add_working_days(query.as_of, days + 1),
            ))
        }
        None => None,
    };
    let filter = ApplicationFilter {
        visibility,
        organization,
        tracking_no: query.tracking_no.map(|t| t.trim().to_owned()),
        status: query.status,
        overdue_as_of: query.overdue.map(|overdue| (query.as_of, overdue)),
        due_between,
        received_from: query.received_from,
        received_to: query.received_to,
        open: query.open,
    };
    let running_first = order.running_first(query.open);
    let mut items =
        store::applications::list(db, &filter, order, running_first, after, first + 1).await?;
    let has_next_page = items.len() as u64 > first;
    items.truncate(first as usize);
    let total_count = store::applications::count(db, &filter).await?;
    Ok(ApplicationPage {
        items: items
            .into_iter()
            .map(|application| {
                let cursor = store::applications::cursor_of(&application, order, running_first);
                (application, cursor::encode_application(&cursor))
            })
            .collect(),
        has_next_page,
        total_count,
        view,
    })
}

/// How many applications the same applicant filed with the organisation in
/// the calendar month of `today` (fees start at the 11th).
pub async fn applications_this_month(
    db: &DatabaseConnection,
    application: &Application,
    today: NaiveDate,
) -> AppResult<Option<u64>> {
    let Some(key) = &application.applicant_key else {
        return Ok(None);
    };
    let first = today.with_day(1).expect("day 1 exists");
    let count =
        store::applications::count_by_applicant(db, application.organization_id, key, first, today)
            .await?;
    Ok(Some(count))
}

/// Terms of a description worth looking up: at most this many.
const MATCH_TERMS: usize = 32;

/// For the clerk at intake: the organisation's published disclosures that
/// best match what the application asks for, so that "already published"
/// (Art. 36(一)) can be answered at once.
pub async fn matching_disclosures(
    db: &DatabaseConnection,
    application: &Application,
    limit: u64,
) -> AppResult<Vec<Disclosure>> {
    let mut terms = crate::domain::search_terms::query_terms(&application.description);
    terms.retain(|t| t.chars().count() > 1);
    terms.truncate(MATCH_TERMS);
    store::disclosures::best_matches(db, application.organization_id, &terms, limit).await
}

/// Recomputes the deadlines of open applications after the calendar
/// changed, inside the caller's transaction, and records each move.
pub async fn recalculate_deadlines(
    txn: &sea_orm::DatabaseTransaction,
    calendar: &WorkingCalendar,
    changed_until: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut moved = 0;
    for application in store::applications::open_received_until(txn, changed_until).await? {
        let events = store::applications::events(txn, application.id).await?;
        let deadline = application.deadline(&events, calendar)?;
        let provisional = deadline.is_provisional(calendar);
        if deadline.due_on == application.due_on && provisional == application.due_on_provisional {
            continue;
        }
        let note = (deadline.due_on != application.due_on).then(|| {
            format!(
                "工作日历调整，答复期限由 {} 改为 {}",
                application.due_on, deadline.due_on
            )
        });
        let on = today.max(events.last().map_or(application.received_on, |e| e.on));
        let event = NewEvent {
            kind: EventKind::DeadlineRecalculated,
            on,
            override_due_on: None,
            actor_id: None,
            note,
        };
        store::applications::append_event(txn, application.id, event, &deadline, now).await?;
        store::applications::save_state(
            txn,
            application.id,
            application.version,
            &deadline,
            calendar,
            StepChanges::default(),
            now,
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}
