//! `gongkai seed synthetic`: realistic, deterministic data at province scale
//! for benchmarks. The same seed gives the same rows.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::DatabaseConnection;

use crate::demo::disclosures::{body, title};
use crate::domain::applicant::{ApplicantType, Channel};
use crate::domain::application::Applicant;
use crate::domain::calendar::{china_date, china_standard_time};
use crate::domain::deadline::{ClockEvent, Deadline};
use crate::domain::disclosure::{DisclosureContent, DisclosureStatus};
use crate::domain::intake::Intake;
use crate::domain::numbering::{index_no, index_no_scope};
use crate::domain::organization::{NewOrganization, Organization, OrganizationKind};
use crate::domain::policy::Caller;
use crate::domain::workflow::{EventKind, Outcome, Status};
use crate::domain::{numbering, query_code};
use crate::error::{AppError, AppResult};
use crate::service::organizations;
use crate::service::progress::Progress;
use crate::store;
use crate::store::applications::{LoadedApplication, NewApplication};
use crate::store::disclosures::{LoadedDisclosure, NewDisclosure};

/// The district every synthetic organisation lies below.
pub const DISTRICT_CODE: &str = "SYN";
const BATCH: usize = 1000;

pub struct SyntheticSize {
    pub organizations: usize,
    pub disclosures: usize,
    pub applications: usize,
    pub seed: u64,
}

/// One planned disclosure, small enough to hold a million of in memory.
struct Planned {
    published_on: NaiveDate,
    formed_on: NaiveDate,
    organization: usize,
    category: usize,
    status: DisclosureStatus,
    n: usize,
}

pub async fn synthetic(
    db: &DatabaseConnection,
    size: SyntheticSize,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> AppResult<()> {
    if store::organizations::find_by_code(db, DISTRICT_CODE)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "synthetic data is already loaded ({DISTRICT_CODE} exists)"
        )));
    }
    let mut rng = StdRng::seed_from_u64(size.seed);
    let orgs = create_organizations(db, size.organizations.max(1), now).await?;
    let categories = store::categories::list(db).await?;
    let leaves: Vec<_> = categories
        .iter()
        .filter(|c| !categories.iter().any(|child| child.parent_id == Some(c.id)))
        .collect();

    let today = china_date(now);
    let first_day = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let span = (today - first_day).num_days() as u64;
    let mut plan: Vec<Planned> = (0..size.disclosures)
        .map(|n| {
            let formed_on = first_day + Days::new(rng.gen_range(0..span));
            let published_on = (formed_on + Days::new(rng.gen_range(1..30))).min(today);
            let status = match rng.gen_range(0..100) {
                0..=1 => DisclosureStatus::Draft,
                2 => DisclosureStatus::Withdrawn,
                _ => DisclosureStatus::Published,
            };
            // Towns differ in size: a skewed pick of the organisation.
            let organization = ((rng.gen_range(0.0f64..1.0).powi(2)) * orgs.len() as f64) as usize;
            Planned {
                published_on,
                formed_on,
                organization: organization.min(orgs.len() - 1),
                category: rng.gen_range(0..leaves.len()),
                status,
                n,
            }
        })
        .collect();
    // Index numbers follow the order of publication.
    plan.sort_by_key(|p| (p.published_on, p.n));

    store::bulk::suspend_search_index(db).await?;
    progress.start("loading disclosures", plan.len() as u64);
    let mut sequences: HashMap<String, i32> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    for planned in plan {
        let org = &orgs[planned.organization];
        let category = leaves[planned.category];
        let short_name = org
            .name
            .trim_end_matches("人民政府")
            .trim_end_matches("办事处");
        let (title, doc_number) = title(
            &category.code,
            short_name,
            planned.n,
            planned.formed_on.year(),
            planned.formed_on.month(),
        );
        let body = body(&title, short_name, planned.n);
        let created_at = planned
            .formed_on
            .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
            .and_local_timezone(china_standard_time())
            .single()
            .expect("UTC+8 is unambiguous")
            .to_utc();
        let published_at = (created_at
            + (planned.published_on - planned.formed_on)
            + TimeDelta::seconds((planned.n % 28_800) as i64))
        .min(now);
        let published = (planned.status != DisclosureStatus::Draft).then(|| {
            let year = planned.published_on.year();
            let last = sequences.entry(index_no_scope(org.id, year)).or_insert(0);
            *last += 1;
            (index_no(&org.code, year, *last), published_at)
        });
        let withdrawn = (planned.status == DisclosureStatus::Withdrawn).then(|| {
            (
                "内容已被新版本替代".to_owned(),
                published_at + TimeDelta::days(30),
            )
        });
        batch.push(LoadedDisclosure {
            new: NewDisclosure {
                organization_id: org.id,
                category_id: category.id,
                content: DisclosureContent {
                    title,
                    doc_number,
                    body,
                    formed_on: planned.formed_on,
                },
            },
            created_at,
            published,
            withdrawn,
        });
        if batch.len() == BATCH {
            progress.advance(batch.len() as u64);
            store::bulk::insert_disclosures(db, std::mem::take(&mut batch)).await?;
        }
    }
    progress.advance(batch.len() as u64);
    store::bulk::insert_disclosures(db, batch).await?;
    store::bulk::set_sequences(db, sequences).await?;
    progress.finish();
    progress.start("building the search index", 0);
    store::bulk::rebuild_search_index(db).await?;
    progress.finish();
    progress.start("loading applications", size.applications as u64);
    synthetic_applications(db, &orgs, size.applications, &mut rng, now, progress).await?;
    progress.finish();
    Ok(())
}

/// What happens to a synthetic application after receipt, in working days
/// after the previous step.
fn story(rng: &mut StdRng) -> Vec<(EventKind, u32)> {
    let close = |rng: &mut StdRng| (EventKind::Closed, rng.gen_range(3..26));
    match rng.gen_range(0..100) {
        0..=59 => vec![close(rng)],
        60..=67 => vec![
            (EventKind::CorrectionRequested, rng.gen_range(1..8)),
            (EventKind::CorrectionReceived, rng.gen_range(1..10)),
            close(rng),
        ],
        68..=74 => vec![
            (EventKind::ConsultationStarted, rng.gen_range(2..10)),
            (EventKind::ConsultationEnded, rng.gen_range(3..15)),
            close(rng),
        ],
        75..=79 => vec![
            (EventKind::FeeRequested, rng.gen_range(2..10)),
            (EventKind::FeePaid, rng.gen_range(1..10)),
            close(rng),
        ],
        80..=84 => vec![(EventKind::Extended, rng.gen_range(10..20)), close(rng)],
        85..=87 => vec![
            (EventKind::CorrectionRequested, rng.gen_range(1..8)),
            (EventKind::Closed, rng.gen_range(15..30)),
        ],
        _ => vec![(EventKind::Closed, rng.gen_range(15..40))],
    }
}

/// Applications over several years in every status and outcome, each with
/// its events recorded through the deadline engine (so they obey the law).
async fn synthetic_applications(
    db: &DatabaseConnection,
    orgs: &[Organization],
    count: usize,
    rng: &mut StdRng,
    now: chrono::DateTime<Utc>,
    progress: &dyn Progress,
) -> AppResult<()> {
    let calendar = store::calendar::load(db).await?;
    let today = china_date(now);
    let first_day = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let span = (today - first_day).num_days() as u64;
    let mut received: Vec<(NaiveDate, usize)> = (0..count)
        .map(|n| (first_day + Days::new(rng.gen_range(0..span)), n))
        .collect();
    received.sort();
    let first_id = store::bulk::next_application_id(db).await?;
    let mut sequences: HashMap<String, i32> = HashMap::new();
    let mut applications = Vec::with_capacity(BATCH);
    for (offset, (received_on, n)) in received.into_iter().enumerate() {
        let id = first_id + offset as i64;
        let org = &orgs[rng.gen_range(0..orgs.len())];
        let mut deadline = Deadline::received(received_on, &calendar);
        let mut history = vec![(EventKind::Received, received_on, deadline.clone())];
        let mut on = received_on;
        for (kind, after) in story(rng) {
            on = calendar.add_working_days(on, after);
            if on > today {
                break;
            }
            let outcome = (kind == EventKind::Closed).then(|| {
                if deadline.status == Status::AwaitingCorrection {
                    Outcome::OtherCorrectionNotMade
                } else {
                    // Most are disclosed; otherwise any outcome a running clock may close with.
                    match rng.gen_range(0..2) {
                        0 => Outcome::Disclosed,
                        _ => Outcome::ALL[rng.gen_range(0..Outcome::ALL.len() - 3)],
                    }
                }
            });
            let event = ClockEvent {
                kind,
                on,
                set_due_on: None,
                outcome,
            };
            // A step the law would refuse (an extension after dueOn) is skipped.
            if deadline.record(&event, &calendar).is_ok() {
                history.push((kind, on, deadline.clone()));
            }
        }
        let year = received_on.year();
        let last = sequences
            .entry(numbering::tracking_no_scope(org.id, year))
            .or_insert(0);
        *last += 1;
        let applicant_type = ApplicantType::ALL[if rng.gen_range(0..10) < 7 {
            0
        } else {
            rng.gen_range(1..6)
        }];
        let fee_requested = history
            .iter()
            .any(|(kind, ..)| *kind == EventKind::FeeRequested);
        applications.push(LoadedApplication {
            id,
            new: NewApplication {
                organization_id: org.id,
                tracking_no: numbering::tracking_no(&org.code, year, *last),
                // Nobody knows these codes: synthetic applications are not tracked.
                query_code_hash: query_code::hash(b"synthetic", &query_code::generate()),
                intake: Intake {
                    applicant: Applicant {
                        kind: applicant_type,
                        name: format!("申请人{n}"),
                        id_type: None,
                        id_number: None,
                        phone: None,
                        email: None,
                        address: None,
                    },
                    description: format!("请公开{}的相关政府信息（合成数据第{n}号）", org.name),
                    channel: Channel::ALL[n % Channel::ALL.len()],
                    received_on,
                },
                applicant_key: None,
                client_request: None,
                external_no: None,
            },
            reply: deadline.closed_on.map(|_| "已答复".to_owned()),
            fee_yuan: fee_requested.then_some(100),
            history,
        });
        if applications.len() == BATCH {
            progress.advance(applications.len() as u64);
            store::bulk::insert_applications(db, std::mem::take(&mut applications), &calendar, now)
                .await?;
        }
    }
    progress.advance(applications.len() as u64);
    store::bulk::insert_applications(db, applications, &calendar, now).await?;
    store::bulk::set_sequences(db, sequences).await?;
    store::bulk::after_applications(db).await
}

async fn create_organizations(
    db: &DatabaseConnection,
    count: usize,
    now: DateTime<Utc>,
) -> AppResult<Vec<Organization>> {
    let district = organizations::create(
        db,
        &Caller::Operator,
        NewOrganization {
            code: DISTRICT_CODE.to_owned(),
            name: "合成测试区人民政府".to_owned(),
            kind: OrganizationKind::District,
            has_parent: false,
        },
        None,
        now,
    )
    .await?;
    let mut all = vec![district.clone()];
    for n in 1..count {
        let (kind, name) = match n % 3 {
            0 => (OrganizationKind::Department, format!("合成测试区第{n}局")),
            1 => (OrganizationKind::Town, format!("合成{n}镇人民政府")),
            _ => (OrganizationKind::Street, format!("合成{n}街道办事处")),
        };
        let new = NewOrganization {
            code: format!("{DISTRICT_CODE}{n:04}"),
            name,
            kind,
            has_parent: true,
        };
        all.push(organizations::create(db, &Caller::Operator, new, Some(district.id), now).await?);
    }
    Ok(all)
}
