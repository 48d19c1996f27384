//! Disclosure applications (依申请公开): intake, the workflow with its legal
//! deadlines, reading with masking, and tracking by the public.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::application::{ActiveModel, Model};
use entity::application_event::Model as EventModel;
use sea_orm::{DatabaseConnection, Set};
use sha2::{Digest, Sha256};

use crate::domain::applicant::{
    ApplicantType, Channel, IdDocumentType, applicant_key, check_email, check_text, hex,
    normalize_id_number, normalize_phone,
};
use crate::domain::calendar::{WorkingCalendar, china_date};
use crate::domain::deadline::{ClockEvent, Deadline, check_event_day};
use crate::domain::policy::{Access, Caller, Listing, Operation, Target, authorize};
use crate::domain::throttle::{ANONYMOUS_SUBMISSIONS, WRONG_CODES_OVERALL, WRONG_CODES_PER_NUMBER};
use crate::domain::workflow::{EventKind, Outcome, Status, Step};
use crate::domain::{numbering, query_code};
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::service::{Services, organizations};
use crate::store;
use crate::store::applications::{
    ApplicationCursor, ApplicationFilter, ApplicationOrder, StepChanges,
};

const MAX_NAME_CHARS: usize = 100;
const MAX_ADDRESS_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 5000;
const MAX_NOTE_CHARS: usize = 2000;
const MAX_FEE_YUAN: i32 = 1_000_000;

/// An application as submitted, before any check.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub client_request_id: String,
    pub organization_id: i64,
    pub applicant_type: Option<ApplicantType>,
    pub applicant_name: String,
    pub id_type: Option<IdDocumentType>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub description: String,
    pub channel: Option<Channel>,
    pub received_on: Option<NaiveDate>,
}

/// The checked, normalised content of a submission.
#[derive(Debug, PartialEq, Eq)]
struct Intake {
    applicant_type: ApplicantType,
    applicant_name: String,
    id_type: Option<IdDocumentType>,
    id_number: Option<String>,
    phone: Option<String>,
    phone_is_mobile: bool,
    email: Option<String>,
    address: Option<String>,
    description: String,
    channel: Channel,
    received_on: NaiveDate,
}

impl Intake {
    /// Hash of the normalised content: a replay with the same key must carry the same request.
    fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(format!("{self:?}").as_bytes());
        hex(&hasher.finalize())
    }
}

/// The channel a submission arrived by: the public form's is ONLINE, and
/// staff register in person unless told otherwise.
fn channel(submission: &Submission, anonymous: bool) -> AppResult<Channel> {
    let channel = submission.channel.unwrap_or(if anonymous {
        Channel::Online
    } else {
        Channel::InPerson
    });
    if anonymous && channel != Channel::Online {
        return Err(AppError::bad_input(
            "channel",
            "网上申请的渠道只能是 ONLINE",
        ));
    }
    Ok(channel)
}

/// Checks a submission. The public form needs an identity document and a
/// contact (Art. 29); staff register what arrived on paper as it is.
fn check(submission: &Submission, anonymous: bool, today: NaiveDate) -> AppResult<Intake> {
    let channel = channel(submission, anonymous)?;
    let received_on = match submission.received_on {
        Some(_) if anonymous => {
            return Err(AppError::bad_input(
                "receivedOn",
                "网上申请的收到日期由系统记录",
            ));
        }
        Some(day) if day > today => {
            return Err(AppError::bad_input("receivedOn", "收到日期不能晚于今天"));
        }
        Some(day) => day,
        None => today,
    };
    let applicant_type = submission
        .applicant_type
        .unwrap_or(ApplicantType::NaturalPerson);
    let applicant_name = check_text(
        "applicantName",
        Some(&submission.applicant_name),
        MAX_NAME_CHARS,
        false,
    )?
    .ok_or_else(|| AppError::bad_input("applicantName", "请填写申请人姓名或名称"))?;
    let description = check_text(
        "description",
        Some(&submission.description),
        MAX_DESCRIPTION_CHARS,
        true,
    )?
    .ok_or_else(|| AppError::bad_input("description", "请描述所需政府信息"))?;
    let id_number = submission
        .id_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let id_type = submission
        .id_type
        .unwrap_or(applicant_type.default_id_type());
    let (id_type, id_number) = match id_number {
        Some(raw) => (Some(id_type), Some(normalize_id_number(id_type, raw)?)),
        None if anonymous => return Err(AppError::bad_input("idNumber", "请提供身份证件号码")),
        None => (submission.id_type, None),
    };
    let phone = submission
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(normalize_phone)
        .transpose()?;
    let email = submission
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(check_email)
        .transpose()?;
    let address = check_text(
        "address",
        submission.address.as_deref(),
        MAX_ADDRESS_CHARS,
        false,
    )?;
    if anonymous && phone.is_none() && email.is_none() && address.is_none() {
        return Err(AppError::bad_input(
            "phone",
            "请至少提供一种联系方式（电话、电子邮箱或通信地址）",
        ));
    }
    Ok(Intake {
        applicant_type,
        applicant_name,
        id_type,
        id_number,
        phone_is_mobile: phone.as_ref().is_some_and(|p| p.mobile),
        phone: phone.map(|p| p.number),
        email,
        address,
        description,
        channel,
        received_on,
    })
}

pub struct Submitted {
    pub application: Model,
    /// The caller's view of the application; None for the public, who
    /// follows it through the tracking view.
    pub view: Option<Access>,
    /// Shown once, at first submission; None on a replay.
    pub query_code: Option<String>,
}

pub async fn submit(
    services: &Services,
    caller: &Caller,
    client_ip: IpAddr,
    submission: Submission,
    now: DateTime<Utc>,
) -> AppResult<Submitted> {
    let db = &services.db;
    let anonymous = caller.is_anonymous();
    let online = channel(&submission, anonymous)? == Channel::Online;
    let (org, _) = access::organization(
        db,
        caller,
        Operation::SubmitApplication { online },
        submission.organization_id,
        Concerning::Itself,
    )
    .await?;
    let view = authorize(
        caller,
        Operation::Read,
        Target::Application(&store::organizations::place(&org)),
    )
    .ok();
    let client_request_id = submission.client_request_id.trim().to_owned();
    if client_request_id.is_empty() || client_request_id.len() > 100 {
        return Err(AppError::bad_input(
            "clientRequestId",
            "clientRequestId 应为1到100个字符",
        ));
    }
    let today = china_date(now);
    let intake = check(&submission, anonymous, today)?;
    let fingerprint = intake.fingerprint();
    if let Some(first) = replay_of(db, org.id, &client_request_id, &fingerprint).await? {
        return Ok(Submitted {
            application: first,
            view,
            query_code: None,
        });
    }
    let bucket = format!("submit:{client_ip}");
    if anonymous {
        if store::throttle::is_blocked(db, &bucket, now).await? {
            return Err(AppError::RateLimited("提交过于频繁，请稍后再试"));
        }
        store::throttle::record(db, &bucket, ANONYMOUS_SUBMISSIONS, now).await?;
    }

    let calendar = store::calendar::load(db).await?;
    let deadline = Deadline::received(intake.received_on, &calendar);
    let code = query_code::generate();
    let applicant = intake
        .id_type
        .zip(intake.id_number.as_deref())
        .map(|(kind, number)| applicant_key(&services.keys.applicant, kind, number));
    let txn = store::begin_write(db).await?;
    let year = intake.received_on.year();
    let sequence =
        store::sequences::next(&txn, &numbering::tracking_no_scope(org.id, year)).await?;
    let row = ActiveModel {
        organization_id: Set(org.id),
        tracking_no: Set(numbering::tracking_no(&org.code, year, sequence)),
        query_code_hash: Set(query_code::hash(&services.keys.query_code, &code)),
        channel: Set(intake.channel.as_str().to_owned()),
        applicant_type: Set(intake.applicant_type.as_str().to_owned()),
        applicant_name: Set(intake.applicant_name),
        id_type: Set(intake.id_type.map(|t| t.as_str().to_owned())),
        id_number: Set(intake.id_number),
        applicant_key: Set(applicant),
        phone: Set(intake.phone),
        email: Set(intake.email),
        address: Set(intake.address),
        description: Set(intake.description),
        status: Set(Status::Received.as_str().to_owned()),
        outcome: Set(None),
        received_on: Set(intake.received_on),
        due_on: Set(deadline.due_on),
        due_on_provisional: Set(deadline.is_provisional(&calendar)),
        clock_running: Set(true),
        extended: Set(false),
        deadline_overridden: Set(false),
        closed_on: Set(None),
        closed_on_time: Set(None),
        working_days_to_close: Set(None),
        reply: Set(None),
        fee_yuan: Set(None),
        client_request_id: Set(Some(client_request_id.clone())),
        request_fingerprint: Set(Some(fingerprint.clone())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    match store::applications::insert(&txn, row, &deadline, caller.user_id(), now).await {
        Ok(application) => {
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
            let first = replay_of(db, org.id, &client_request_id, &fingerprint)
                .await?
                .ok_or_else(|| AppError::internal("a conflicting submission vanished"))?;
            Ok(Submitted {
                application: first,
                view,
                query_code: None,
            })
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
    fingerprint: &str,
) -> AppResult<Option<Model>> {
    match store::applications::find_by_client_request(db, organization_id, client_request_id)
        .await?
    {
        Some(first) if first.request_fingerprint.as_deref() == Some(fingerprint) => Ok(Some(first)),
        Some(_) => Err(AppError::Conflict(
            "该 clientRequestId 已用于另一份内容不同的申请".into(),
        )),
        None => Ok(None),
    }
}

/// An application and how much of it the caller may see; NOT_FOUND when
/// it may see nothing.
pub async fn read(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<(Model, Access)> {
    let permitted = access::application(db, caller, Operation::Read, id).await?;
    Ok((permitted.item, permitted.view))
}

/// The clock of an application, replayed from its events.
pub fn deadline_of(
    model: &Model,
    events: &[EventModel],
    calendar: &WorkingCalendar,
) -> AppResult<Deadline> {
    Deadline::replay(
        &store::applications::clock_events(events, model.outcome.as_deref())?,
        calendar,
    )
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
) -> AppResult<(Model, Access)> {
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
    let mut deadline = deadline_of(&locked, &events, &calendar)?;
    let previous = events
        .last()
        .map(|e| e.effective_on)
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
    store::applications::append_event(
        &txn,
        id,
        kind,
        request.on,
        request.set_due_on,
        &deadline,
        caller.user_id(),
        note,
        now,
    )
    .await?;
    let changes = StepChanges {
        reply,
        fee_yuan: request.fee_yuan,
    };
    let provisional = deadline.is_provisional(&calendar);
    store::applications::save_state(&txn, id, version, &deadline, provisional, changes, now)
        .await?;
    txn.commit().await?;
    let model = store::applications::find(db, id)
        .await?
        .ok_or(AppError::NotFound("申请"))?;
    Ok((model, view))
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
) -> AppResult<Model> {
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
    let stored = found.as_ref().map_or("", |a| a.query_code_hash.as_str());
    let matches = query_code::matches(&services.keys.query_code, code, stored);
    match found.filter(|_| matches) {
        Some(application) => Ok(application),
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
}

pub struct ApplicationPage {
    pub items: Vec<Model>,
    pub has_next_page: bool,
    pub total_count: u64,
    /// How much of each item the caller sees.
    pub view: Access,
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    query: ApplicationQuery,
    order: ApplicationOrder,
    after: Option<ApplicationCursor>,
    first: u64,
) -> AppResult<ApplicationPage> {
    let (visibility, view) = access::visibility(db, caller, Listing::Applications).await?;
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
        tracking_no: query.tracking_no.map(|t| t.trim().to_uppercase()),
        status: query.status,
        overdue_as_of: query.overdue.map(|overdue| (query.as_of, overdue)),
        due_between,
        received_from: query.received_from,
        received_to: query.received_to,
    };
    let mut items = store::applications::list(db, &filter, order, after, first + 1).await?;
    let has_next_page = items.len() as u64 > first;
    items.truncate(first as usize);
    let total_count = store::applications::count(db, &filter).await?;
    Ok(ApplicationPage {
        items,
        has_next_page,
        total_count,
        view,
    })
}

/// How many applications the same applicant filed with the organisation in
/// the calendar month of `today` (fees start at the 11th).
pub async fn applications_this_month(
    db: &DatabaseConnection,
    model: &Model,
    today: NaiveDate,
) -> AppResult<Option<u64>> {
    let Some(key) = &model.applicant_key else {
        return Ok(None);
    };
    let first = today.with_day(1).expect("day 1 exists");
    let count =
        store::applications::count_by_applicant(db, model.organization_id, key, first, today)
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
    model: &Model,
    limit: u64,
) -> AppResult<Vec<entity::disclosure::Model>> {
    let mut terms = crate::domain::search_terms::query_terms(&model.description);
    terms.retain(|t| t.chars().count() > 1);
    terms.truncate(MATCH_TERMS);
    store::disclosures::best_matches(db, model.organization_id, &terms, limit).await
}

/// Outcome as stored.
pub fn stored_outcome(model: &Model) -> Option<Outcome> {
    model.outcome.as_deref().and_then(Outcome::parse)
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
        let deadline = deadline_of(&application, &events, calendar)?;
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
        let on = today.max(
            events
                .last()
                .map_or(application.received_on, |e| e.effective_on),
        );
        store::applications::append_event(
            txn,
            application.id,
            EventKind::DeadlineRecalculated,
            on,
            None,
            &deadline,
            None,
            note,
            now,
        )
        .await?;
        store::applications::save_state(
            txn,
            application.id,
            application.version,
            &deadline,
            provisional,
            StepChanges::default(),
            now,
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn online() -> Submission {
        Submission {
            client_request_id: "k1".into(),
            organization_id: 1,
            applicant_type: Some(ApplicantType::NaturalPerson),
            applicant_name: "张三".into(),
            id_number: Some("11010519491231002X".into()),
            phone: Some("13812345678".into()),
            description: "请公开2025年南村镇财政预算".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_public_form_needs_identity_and_a_contact() {
        let today = day("2026-11-26");
        let refused = |s: Submission, anonymous: bool| match check(&s, anonymous, today) {
            Err(AppError::BadUserInput { field, .. }) => Some(field),
            Ok(_) => None,
            Err(other) => panic!("{other:?}"),
        };
        assert_eq!(refused(online(), true), None);
        assert_eq!(
            refused(
                Submission {
                    id_number: None,
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("idNumber")
        );
        assert_eq!(
            refused(
                Submission {
                    id_number: None,
                    ..online()
                },
                false
            ),
            None,
            "staff register paper as it is"
        );
        assert_eq!(
            refused(
                Submission {
                    phone: None,
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("phone")
        );
        assert_eq!(
            refused(
                Submission {
                    phone: None,
                    email: Some("z@example.cn".into()),
                    ..online()
                },
                true
            ),
            None
        );
        assert_eq!(
            refused(
                Submission {
                    channel: Some(Channel::Letter),
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("channel")
        );
        assert_eq!(
            refused(
                Submission {
                    received_on: Some(day("2026-11-20")),
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("receivedOn")
        );
        assert_eq!(
            refused(
                Submission {
                    received_on: Some(day("2026-11-27")),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("receivedOn")
        );
        assert_eq!(
            refused(
                Submission {
                    description: " ".into(),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("description")
        );
        assert_eq!(
            refused(
                Submission {
                    description: "长".repeat(5001),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("description")
        );
        assert_eq!(
            refused(
                Submission {
                    id_number: Some("11010519491231002".into()),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("idNumber")
        );
        assert_eq!(
            refused(
                Submission {
                    phone: Some("12345".into()),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("phone")
        );
    }

    #[test]
    fn the_same_content_has_the_same_fingerprint() {
        let today = day("2026-11-26");
        let first = check(&online(), true, today).unwrap();
        let spaced = check(
            &Submission {
                phone: Some("+86 138-1234-5678".into()),
                ..online()
            },
            true,
            today,
        )
        .unwrap();
        assert_eq!(
            first.fingerprint(),
            spaced.fingerprint(),
            "normalised before hashing"
        );
        let other = check(
            &Submission {
                description: "另一个问题".into(),
                ..online()
            },
            true,
            today,
        )
        .unwrap();
        assert_ne!(first.fingerprint(), other.fingerprint());
    }
}
