//! The demo dataset: 番禺区 with 南村镇 and some of its neighbours, and one
//! user of every role, and the disclosure catalogue. Loaded into an empty
//! database only.

mod applications;
pub(crate) mod disclosures;
mod documents;

use crate::domain::contact::OrganizationContact;
use crate::domain::organization::{NewOrganization, OrganizationKind};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::domain::annual_report::ReportText;
use crate::domain::calendar::china_date;
use crate::domain::policy::{Actor, Caller};
use crate::domain::user::Role;
use crate::error::AppResult;
use crate::service::accounts::{self, UserRequest};
use crate::service::{Services, annual_reports, organizations};
use crate::store;

pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub organization: &'static str,
}

/// (code, name, kind); the first is the district, the others lie below it.
const ORGANIZATIONS: [(&str, &str, OrganizationKind); 8] = [
    ("PY", "广州市番禺区人民政府", OrganizationKind::District),
    ("PYNC", "南村镇人民政府", OrganizationKind::Town),
    ("PYXZ", "新造镇人民政府", OrganizationKind::Town),
    ("PYHL", "化龙镇人民政府", OrganizationKind::Town),
    ("PYSQ", "市桥街道办事处", OrganizationKind::Street),
    ("PYDS", "大石街道办事处", OrganizationKind::Street),
    ("PYSFJ", "番禺区司法局", OrganizationKind::Department),
    ("PYCZJ", "番禺区财政局", OrganizationKind::Department),
];

/// The 公开指南's contact details of each (code, office, address, phone,
/// fax, e-mail); invented, like everything in the demo. Office hours are
/// the same everywhere.
const CONTACTS: [(&str, &str, &str, &str, &str, &str); 8] = [
    (
        "PY",
        "番禺区人民政府办公室（政务公开办）",
        "广州市番禺区市桥街清河东路319号",
        "020-84600000",
        "020-84600001",
        "gongkai@py.gov.example",
    ),
    (
        "PYNC",
        "南村镇党政综合办公室",
        "广州市番禺区南村镇兴南大道368号",
        "020-34820000",
        "020-34820001",
        "gongkai@pync.gov.example",
    ),
    (
        "PYXZ",
        "新造镇党政综合办公室",
        "广州市番禺区新造镇新广路28号",
        "020-34730000",
        "020-34730001",
        "gongkai@pyxz.gov.example",
    ),
    (
        "PYHL",
        "化龙镇党政综合办公室",
        "广州市番禺区化龙镇龙源路1号",
        "020-34650000",
        "020-34650001",
        "gongkai@pyhl.gov.example",
    ),
    (
        "PYSQ",
        "市桥街党政综合办公室",
        "广州市番禺区市桥街环城中路120号",
        "020-84830000",
        "020-84830001",
        "gongkai@pysq.gov.example",
    ),
    (
        "PYDS",
        "大石街党政综合办公室",
        "广州市番禺区大石街105国道大石段318号",
        "020-34560000",
        "020-34560001",
        "gongkai@pyds.gov.example",
    ),
    (
        "PYSFJ",
        "番禺区司法局办公室",
        "广州市番禺区市桥街德兴路57号",
        "020-84620000",
        "020-84620001",
        "gongkai@pysfj.gov.example",
    ),
    (
        "PYCZJ",
        "番禺区财政局办公室",
        "广州市番禺区市桥街繁华路8号",
        "020-84630000",
        "020-84630001",
        "gongkai@pyczj.gov.example",
    ),
];
const OFFICE_HOURS: &str = "工作日 上午9:00-12:00，下午14:00-17:30（法定节假日除外）";

pub const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        username: "nancun.clerk",
        password: "demo-clerk-2026",
        role: Role::Clerk,
        organization: "PYNC",
    },
    DemoAccount {
        username: "nancun.approver",
        password: "demo-approver-2026",
        role: Role::Approver,
        organization: "PYNC",
    },
    DemoAccount {
        username: "nancun.admin",
        password: "demo-orgadmin-2026",
        role: Role::OrgAdmin,
        organization: "PYNC",
    },
    DemoAccount {
        username: "panyu.oversight",
        password: "demo-oversight-2026",
        role: Role::Oversight,
        organization: "PY",
    },
    DemoAccount {
        username: "panyu.admin",
        password: "demo-admin-2026",
        role: Role::Admin,
        organization: "PY",
    },
];

const DISPLAY_NAMES: [&str; 5] = ["陈经办", "李负责", "王管理", "赵监督", "区系统管理员"];

/// Loads the demo dataset unless the database already holds organisations;
/// returns whether it loaded anything.
pub async fn load(services: &Services) -> AppResult<bool> {
    if !store::organizations::list(&services.db).await?.is_empty() {
        return Ok(false);
    }
    load_accounts(services).await?;
    let now = services.clock.now();
    disclosures::load(&services.db, now).await?;
    applications::load(services, now).await?;
    documents::load(services, now).await?;
    publish_last_years_report(services, now).await?;
    Ok(true)
}

/// Nancun's report of last year, published by its approver on 20 January
/// (or today, early in January): on time, its table 三 the demo
/// applications of that year. The other towns' are not published yet.
async fn publish_last_years_report(services: &Services, now: DateTime<Utc>) -> AppResult<()> {
    let year = china_date(now).year() - 1;
    let twentieth = NaiveDate::from_ymd_opt(year + 1, 1, 20)
        .and_then(|day| day.and_hms_opt(2, 0, 0))
        .expect("20 January exists")
        .and_utc();
    let nancun = store::organizations::find_by_code(&services.db, "PYNC")
        .await?
        .expect("the demo organisations were just created");
    let approver = store::users::find_by_username(&services.db, "nancun.approver")
        .await?
        .expect("the demo users were just created")
        .user;
    let caller = Caller::SignedIn(Actor {
        user_id: approver.id,
        role: approver.role,
        organization_id: approver.organization_id,
    });
    let text = ReportText {
        overview: format!(
            "{year}年，南村镇人民政府认真贯彻落实《中华人民共和国政府信息公开条例》，依法办理政府信息公开申请，主动公开政府信息。"
        ),
        problems_and_improvements:
            "依申请公开的办理时限管理有待加强，下一步将依托系统提醒按期答复。".to_owned(),
        other_matters: None,
    };
    annual_reports::publish(services, &caller, nancun.id, year, text, now.min(twentieth)).await?;
    Ok(())
}

/// The demo organisations and users alone (what the integration tests start from).
pub async fn load_accounts(services: &Services) -> AppResult<()> {
    let db = &services.db;
    let now = services.clock.now();
    let mut district_id = None;
    for (code, name, kind) in ORGANIZATIONS {
        let new = NewOrganization {
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            has_parent: district_id.is_some(),
        };
        let org = organizations::create(db, &Caller::Operator, new, district_id, now).await?;
        district_id.get_or_insert(org.id);
        if let Some(&(_, office, address, phone, fax, email)) =
            CONTACTS.iter().find(|contact| contact.0 == code)
        {
            let contact = OrganizationContact {
                office_name: Some(office.to_owned()),
                office_address: Some(address.to_owned()),
                office_hours: Some(OFFICE_HOURS.to_owned()),
                phone: Some(phone.to_owned()),
                fax: Some(fax.to_owned()),
                email: Some(email.to_owned()),
            };
            organizations::set_contact(db, &Caller::Operator, org.id, contact).await?;
        }
    }
    for (account, display_name) in ACCOUNTS.iter().zip(DISPLAY_NAMES) {
        let org = store::organizations::find_by_code(db, account.organization)
            .await?
            .expect("the demo organisations were just created");
        let request = UserRequest {
            username: account.username.to_owned(),
            display_name: display_name.to_owned(),
            password: account.password.to_owned(),
            role: account.role,
            organization_id: org.id,
        };
        accounts::create_user(db, &services.passwords, &Caller::Operator, request, now).await?;
    }
    Ok(())
}
