use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};

use crate::api::context::organization;
use crate::api::error::GqlResult;
use crate::api::types::organization::Organization;
use crate::domain::user::{Role as DomainRole, User as Record};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 经办人: registers and processes applications, drafts disclosures of its organisation
    Clerk,
    /// 负责人: may also approve deadline extensions and publish disclosures
    Approver,
    /// manages the users of its organisation
    OrgAdmin,
    /// reads statistics and (masked) applications of every organisation below its own
    Oversight,
    /// everything, including organisations and the working calendar
    Admin,
}

impl From<Role> for DomainRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Clerk => DomainRole::Clerk,
            Role::Approver => DomainRole::Approver,
            Role::OrgAdmin => DomainRole::OrgAdmin,
            Role::Oversight => DomainRole::Oversight,
            Role::Admin => DomainRole::Admin,
        }
    }
}

impl From<DomainRole> for Role {
    fn from(role: DomainRole) -> Self {
        match role {
            DomainRole::Clerk => Role::Clerk,
            DomainRole::Approver => Role::Approver,
            DomainRole::OrgAdmin => Role::OrgAdmin,
            DomainRole::Oversight => Role::Oversight,
            DomainRole::Admin => Role::Admin,
        }
    }
}

pub struct User(pub Record);

#[Object]
impl User {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn username(&self) -> &str {
        &self.0.username
    }

    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn active(&self) -> bool {
        self.0.active
    }
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    /// A signed JWT for the Authorization: Bearer header.
    pub access_token: String,
    pub expires_at: DateTime<FixedOffset>,
    pub user: User,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub organization_id: ID,
}
