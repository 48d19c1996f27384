use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use crate::api::context::{ContextExt, organization};
use crate::api::error::GqlResult;
use crate::domain::contact::OrganizationContact as Contact;
use crate::domain::organization::{Organization as Record, OrganizationKind as Kind};
use crate::service::Reading;
use crate::service::organizations;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationKind {
    /// 区人民政府, the root of a district tree
    District,
    /// 镇人民政府
    Town,
    /// 街道办事处
    Street,
    /// 区政府工作部门
    Department,
}

impl From<OrganizationKind> for Kind {
    fn from(kind: OrganizationKind) -> Self {
        match kind {
            OrganizationKind::District => Kind::District,
            OrganizationKind::Town => Kind::Town,
            OrganizationKind::Street => Kind::Street,
            OrganizationKind::Department => Kind::Department,
        }
    }
}

impl From<Kind> for OrganizationKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::District => OrganizationKind::District,
            Kind::Town => OrganizationKind::Town,
            Kind::Street => OrganizationKind::Street,
            Kind::Department => OrganizationKind::Department,
        }
    }
}

pub struct Organization(pub Record);

#[Object]
impl Organization {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// Short unique code, used in tracking numbers and index numbers, e.g. PYNC.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// DUE_SOON reminders at these working days left, largest first (default 5 and 2); setReminderThresholds changes them.
    async fn reminder_thresholds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<i32>> {
        crate::service::reminders::thresholds(ctx.db(), self.0.id)
            .await
            .map(|t| t.days().iter().map(|&d| d as i32).collect())
            .gql()
    }

    /// How to reach the office that handles disclosure, as the 公开指南 gives it (Art. 12); setOrganizationContact changes it.
    async fn contact(&self) -> OrganizationContact {
        OrganizationContact::from(&self.0.contact)
    }

    async fn kind(&self) -> OrganizationKind {
        self.0.kind.into()
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organization>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        organization(ctx, parent_id)
            .await
            .map(|parent| Some(Organization(parent)))
            .gql()
    }

    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let children = organizations::children(&ctx.reads(Reading::Catalogue), self.0.id)
            .await
            .gql()?;
        Ok(children.into_iter().map(Organization).collect())
    }
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub code: String,
    pub name: String,
    pub kind: OrganizationKind,
    pub parent_id: Option<ID>,
}

/// An organisation's contact details for its 公开指南; each is null until
/// given. As an input (OrganizationContactInput) it is the whole of them: a
/// part left out or empty is cleared.
#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "OrganizationContactInput")]
pub struct OrganizationContact {
    /// 受理机构: the office that receives applications, e.g. 南村镇党政综合办公室 (at most 100 characters).
    pub office_name: Option<String>,
    /// 办公地址 (at most 200 characters).
    pub office_address: Option<String>,
    /// 办公时间, as written, e.g. 工作日 9:00-12:00，14:00-17:30 (at most 200 characters).
    pub office_hours: Option<String>,
    /// 联系电话, as printed: digits with spaces, dashes or brackets, an extension after 转; 5 to 20 digits, e.g. 020-84771234.
    pub phone: Option<String>,
    /// 传真, as phone.
    pub fax: Option<String>,
    /// 电子邮箱
    pub email: Option<String>,
}

impl From<&Contact> for OrganizationContact {
    fn from(contact: &Contact) -> Self {
        OrganizationContact {
            office_name: contact.office_name.clone(),
            office_address: contact.office_address.clone(),
            office_hours: contact.office_hours.clone(),
            phone: contact.phone.clone(),
            fax: contact.fax.clone(),
            email: contact.email.clone(),
        }
    }
}

impl From<OrganizationContact> for Contact {
    fn from(input: OrganizationContact) -> Self {
        Contact {
            office_name: input.office_name,
            office_address: input.office_address,
            office_hours: input.office_hours,
            phone: input.phone,
            fax: input.fax,
            email: input.email,
        }
    }
}
