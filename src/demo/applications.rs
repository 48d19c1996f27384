//! Demo applications for 南村镇 and its neighbours, in every status and
//! dated relative to today, so that the work list shows items due soon and
//! overdue whenever the demo is started.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use crate::domain::applicant::{ApplicantType, Channel};
use crate::domain::calendar::china_date;
use crate::domain::intake::Submission;
use crate::domain::policy::{Actor, Caller};
use crate::domain::workflow::{Outcome, Step};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::applications::{StepRequest, advance, submit};
use crate::store;

const APPLICANTS: [(&str, ApplicantType, &str, &str); 4] = [
    (
        "张三丰",
        ApplicantType::NaturalPerson,
        "11010519491231002X",
        "13812345678",
    ),
    (
        "李四",
        ApplicantType::NaturalPerson,
        "440113199003071235",
        "020-84781234",
    ),
    (
        "广州某某科技有限公司",
        ApplicantType::CommercialEnterprise,
        "91350100M000100Y43",
        "13912345678",
    ),
    (
        "番禺某某律师事务所",
        ApplicantType::LegalServiceOrganization,
        "91350100M000100Y43",
        "13712345678",
    ),
];

const REQUESTS: [&str; 6] = [
    "请公开南村镇2025年部门预算及“三公”经费支出明细。",
    "申请公开某村2024年度集体土地征收补偿安置方案及补偿款发放情况。",
    "请提供南村镇辖区内2025年安全生产行政处罚决定书。",
    "申请公开兴业大道道路改造工程的立项批复和验收材料。",
    "请公开2025年最低生活保障对象名单及发放标准。",
    "申请获取南村镇2025年农村人居环境整治项目的招标文件。",
];

/// One demo application: received `days_ago`, then these steps (days ago each).
struct Story {
    days_ago: u64,
    steps: &'static [(Step, u64)],
}

const STORIES: [Story; 10] = [
    Story {
        days_ago: 0,
        steps: &[],
    },
    Story {
        days_ago: 26,
        steps: &[],
    }, // due within days
    Story {
        days_ago: 33,
        steps: &[],
    }, // overdue
    Story {
        days_ago: 3,
        steps: &[(Step::RequestCorrection, 1)],
    }, // awaiting correction
    Story {
        days_ago: 10,
        steps: &[(Step::StartConsultation, 2)],
    }, // consulting
    Story {
        days_ago: 8,
        steps: &[(Step::RequestFee, 2)],
    }, // awaiting fee
    Story {
        days_ago: 30,
        steps: &[(Step::Extend, 20)],
    }, // extended
    Story {
        days_ago: 60,
        steps: &[(Step::Close(Outcome::Disclosed), 45)],
    },
    Story {
        days_ago: 95,
        steps: &[(Step::Close(Outcome::PartiallyDisclosed), 40)],
    }, // closed late
    Story {
        days_ago: 70,
        steps: &[
            (Step::RequestCorrection, 68),
            (Step::Close(Outcome::OtherCorrectionNotMade), 50),
        ],
    },
];

pub(crate) async fn actor(services: &Services, username: &str) -> AppResult<Actor> {
    let user = store::users::find_by_username(&services.db, username)
        .await?
        .ok_or_else(|| AppError::internal(format!("demo user {username} is missing")))?
        .user;
    Ok(Actor {
        user_id: user.id,
        role: user.role,
        organization_id: user.organization_id,
    })
}

fn days_ago(today: NaiveDate, days: u64) -> NaiveDate {
    today - Days::new(days)
}

/// Nancun's applications of last year, all closed within it, so that the
/// report published for that year (`demo::load`) has a table 三 to show:
/// (received, steps), each as (month, day) of last year.
type MonthDay = (u32, u32);
const LAST_YEAR: [(MonthDay, &[(Step, MonthDay)]); 4] = [
    ((3, 3), &[(Step::Close(Outcome::Disclosed), (3, 20))]),
    (
        (6, 10),
        &[(Step::Close(Outcome::PartiallyDisclosed), (7, 1))],
    ),
    (
        (9, 15),
        &[
            (Step::RequestCorrection, (9, 17)),
            (Step::Close(Outcome::OtherCorrectionNotMade), (10, 20)),
        ],
    ),
    (
        (11, 3),
        &[(Step::Close(Outcome::UnavailableNotHeld), (11, 24))],
    ),
];

fn last_year(today: NaiveDate, (month, day): (u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() - 1, month, day).expect("a day every year has")
}

pub async fn load(services: &Services, now: DateTime<Utc>) -> AppResult<()> {
    let clerk = actor(services, "nancun.clerk").await?;
    let approver = actor(services, "nancun.approver").await?;
    let admin = actor(services, "panyu.admin").await?;
    let today = china_date(now);
    for org in store::organizations::list(&services.db).await? {
        let stories: &[Story] = if org.code == "PYNC" {
            &STORIES
        } else {
            &STORIES[..2]
        };
        let (staff, approving) = if org.code == "PYNC" {
            (clerk, approver)
        } else {
            (admin, admin)
        };
        let desk = Desk {
            services,
            organization_id: org.id,
            code: &org.code,
            staff,
            approving,
            now,
        };
        for (n, story) in stories.iter().enumerate() {
            let steps: Vec<(Step, NaiveDate)> = story
                .steps
                .iter()
                .map(|(step, ago)| (*step, days_ago(today, *ago)))
                .collect();
            desk.tell(n, days_ago(today, story.days_ago), &steps)
                .await?;
        }
        if org.code == "PYNC" {
            for (n, (received, steps)) in LAST_YEAR.iter().enumerate() {
                let steps: Vec<(Step, NaiveDate)> = steps
                    .iter()
                    .map(|(step, on)| (*step, last_year(today, *on)))
                    .collect();
                desk.tell(STORIES.len() + n, last_year(today, *received), &steps)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Who registers and runs an organisation's demo applications.
struct Desk<'a> {
    services: &'a Services,
    organization_id: i64,
    code: &'a str,
    staff: Actor,
    approving: Actor,
    now: DateTime<Utc>,
}

impl Desk<'_> {
    /// Registers the `n`th demo application, received on `received_on`,
    /// then runs its steps.
    async fn tell(
        &self,
        n: usize,
        received_on: NaiveDate,
        steps: &[(Step, NaiveDate)],
    ) -> AppResult<()> {
        let localhost = IpAddr::from([127, 0, 0, 1]);
        let (name, applicant_type, id_number, phone) = APPLICANTS[n % APPLICANTS.len()];
        let submission = Submission {
            client_request_id: format!("demo-{}-{n}", self.code),
            organization_id: self.organization_id,
            applicant_type: Some(applicant_type),
            applicant_name: name.to_owned(),
            id_number: Some(id_number.to_owned()),
            phone: Some(phone.to_owned()),
            address: Some("广州市番禺区南村镇兴业大道123号".to_owned()),
            description: REQUESTS[n % REQUESTS.len()].to_owned(),
            channel: Some([Channel::InPerson, Channel::Letter, Channel::Email][n % 3]),
            received_on: Some(received_on),
            ..Default::default()
        };
        let submitted = submit(
            self.services,
            &Caller::SignedIn(self.staff),
            localhost,
            submission,
            &[],
            self.now,
        )
        .await?;
        if n == 0 && self.code == "PYNC" {
            let clerk = Caller::SignedIn(self.staff);
            super::documents::attach_scan(
                self.services,
                &clerk,
                submitted.application.id,
                self.now,
            )
            .await?;
        }
        for &(step, on) in steps {
            let request = StepRequest {
                step,
                on,
                note: Some("演示数据".to_owned()),
                set_due_on: None,
                fee_yuan: (step == Step::RequestFee).then_some(100),
                reply: matches!(step, Step::Close(_)).then(|| "已按规定答复申请人。".to_owned()),
            };
            let by = if step == Step::Extend {
                &self.approving
            } else {
                &self.staff
            };
            advance(
                self.services,
                &Caller::SignedIn(*by),
                submitted.application.id,
                request,
                None,
                self.now,
            )
            .await?;
        }
        Ok(())
    }
}
