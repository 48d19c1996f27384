//! The demo dataset: 番禺区 with 南村镇 and some of its neighbours, and one
//! user of every role, and the disclosure catalogue. Loaded into an empty
//! database only.

mod applications;
pub(crate) mod disclosures;
mod documents;

use crate::domain::organization::{NewOrganization, OrganizationKind};
use crate::domain::policy::Caller;
use crate::domain::user::Role;
use crate::error::AppResult;
use crate::service::accounts::{self, UserRequest};
use crate::service::{Services, organizations};
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
    Ok(true)
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
