//! Organisations: public, created by ADMIN.

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::organization::{CreateOrganizationInput, Organization, OrganizationContact};
use crate::api::types::parse_id;
use crate::domain::organization::NewOrganization;
use crate::error::AppError;
use crate::service::Reading;
use crate::service::organizations;

#[derive(Default)]
pub struct OrganizationsQuery;

#[Object]
impl OrganizationsQuery {
    async fn organizations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let all = organizations::list(&ctx.reads(Reading::Catalogue))
            .await
            .gql()?;
        Ok(all.into_iter().map(Organization).collect())
    }

    /// One organisation by id or by code.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        code: Option<String>,
    ) -> async_graphql::Result<Option<Organization>> {
        let found = match (id, code) {
            (Some(id), None) => {
                organizations::get(&ctx.reads(Reading::Catalogue), parse_id(&id, "机构").gql()?)
                    .await
            }
            (None, Some(code)) => {
                organizations::by_code(&ctx.reads(Reading::Catalogue), &code).await
            }
            _ => Err(AppError::bad_input("id", "请提供 id 或 code 其中之一")),
        };
        found.map(|org| Some(Organization(org))).gql()
    }
}

#[derive(Default)]
pub struct OrganizationsMutation;

#[Object]
impl OrganizationsMutation {
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> async_graphql::Result<Organization> {
        let parent_id = input
            .parent_id
            .as_ref()
            .map(|id| parse_id(id, "上级机构"))
            .transpose()
            .gql()?;
        let new = NewOrganization {
            code: input.code,
            name: input.name,
            kind: input.kind.into(),
            has_parent: parent_id.is_some(),
        };
        organizations::create(ctx.db(), ctx.caller(), new, parent_id, ctx.request().now)
            .await
            .map(Organization)
            .gql()
    }

    /// Replaces an organisation's contact details (ORG_ADMIN of it, ADMIN); every invalid part is named in its own error.
    async fn set_organization_contact(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        input: OrganizationContact,
    ) -> async_graphql::Result<Organization> {
        let id = parse_id(&organization_id, "机构").gql()?;
        organizations::set_contact(ctx.db(), ctx.caller(), id, input.into())
            .await
            .map(Organization)
            .gql_all(ctx)
    }
}
