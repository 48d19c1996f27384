use async_graphql::{Context, Enum, ID, InputObject, Object};

use crate::api::context::{ContextExt, organization};
use crate::api::error::GqlResult;
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
