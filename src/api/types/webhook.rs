//! Webhooks (contract/reminders.graphql).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};

use crate::api::context::{ContextExt, organization};
use crate::api::error::GqlResult;
use crate::api::pagination::page_size;
use crate::api::types::notification::{Notification, NotificationKind};
use crate::api::types::organization::Organization;
use crate::domain::calendar::china_standard_time;
use crate::domain::webhook;
use crate::service::webhooks;
use crate::store::webhooks::{Delivery, Webhook as Record};

mirror_enum!(
    WebhookFormat = webhook::WebhookFormat {
        /// {kind, organizationCode, trackingNo, dueOn, message, createdAt}, signed.
        Json,
        /// 企业微信 / 政务微信 group robot text message.
        Wecom,
        /// 钉钉 / 浙政钉 group robot text message.
        Dingtalk,
        /// 飞书 group robot text message.
        Feishu,
    }
);

fn in_china(at: chrono::DateTime<chrono::Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&china_standard_time())
}

pub struct Webhook(pub Record);

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn url(&self) -> &str {
        &self.0.url
    }

    async fn format(&self) -> WebhookFormat {
        self.0.format.into()
    }

    async fn kinds(&self) -> Vec<NotificationKind> {
        self.0.kinds.iter().map(|&k| k.into()).collect()
    }

    async fn created_at(&self) -> DateTime<FixedOffset> {
        in_china(self.0.created_at)
    }

    /// Most recent first.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<WebhookDelivery>> {
        let first = page_size(first).gql()?;
        webhooks::deliveries(ctx.db(), self.0.id, first)
            .await
            .map(|all| all.into_iter().map(WebhookDelivery).collect())
            .gql()
    }
}

pub struct WebhookDelivery(pub Delivery);

#[Object]
impl WebhookDelivery {
    async fn notification(&self) -> Notification {
        Notification(self.0.notification.clone())
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    async fn last_attempt_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.last_attempt_at.map(in_china)
    }

    /// HTTP status of the last attempt; null when it did not connect.
    async fn last_status(&self) -> Option<i32> {
        self.0.last_status
    }

    async fn delivered(&self) -> bool {
        self.0.delivered
    }

    /// Null once delivered or given up.
    async fn next_attempt_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.next_attempt_at.map(in_china)
    }
}

/// The signing secret is shown once, at creation.
#[derive(SimpleObject)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

#[derive(InputObject)]
pub struct WebhookInput {
    pub organization_id: ID,
    /// http or https; a private or loopback address only when the server allows it by configuration.
    pub url: String,
    pub format: WebhookFormat,
    /// Empty means every kind.
    pub kinds: Option<Vec<NotificationKind>>,
}
