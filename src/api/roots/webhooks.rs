//! Webhooks of an organisation (contract/reminders.graphql).

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::parse_id;
use crate::api::types::webhook::{CreatedWebhook, Webhook, WebhookInput};
use crate::service::webhooks::{self, NewWebhookRequest};

#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// ORG_ADMIN: its organisation's; ADMIN: all.
    async fn webhooks(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
    ) -> async_graphql::Result<Vec<Webhook>> {
        let id = organization_id
            .as_ref()
            .map(|id| parse_id(id, "机构"))
            .transpose()
            .gql()?;
        webhooks::list(ctx.db(), ctx.caller(), id)
            .await
            .map(|all| all.into_iter().map(Webhook).collect())
            .gql()
    }
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// ORG_ADMIN of the organisation or ADMIN.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: WebhookInput,
    ) -> async_graphql::Result<CreatedWebhook> {
        let request = NewWebhookRequest {
            organization_id: parse_id(&input.organization_id, "机构").gql()?,
            url: input.url,
            format: input.format.into(),
            kinds: input
                .kinds
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        let (webhook, secret) =
            webhooks::create(ctx.services(), ctx.caller(), request, ctx.request().now)
                .await
                .gql()?;
        Ok(CreatedWebhook {
            webhook: Webhook(webhook),
            secret,
        })
    }

    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let id = parse_id(&id, "Webhook").gql()?;
        webhooks::delete(ctx.db(), ctx.caller(), id).await.gql()
    }
}
