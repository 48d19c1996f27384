//! Reminders: the caller's notifications, their read state, an
//! organisation's thresholds (contract/reminders.graphql).

use async_graphql::{Context, ID, Object, Subscription};
use futures_util::Stream;

use crate::api::context::{ContextExt, organization};
use crate::api::error::GqlResult;
use crate::api::pagination::{PageInfo, page_size};
use crate::api::types::notification::{Notification, NotificationConnection, NotificationEdge};
use crate::api::types::organization::Organization;
use crate::api::types::parse_id;
use crate::service::cursor::{decode_notification, encode_notification};
use crate::service::reminders::{self, Counts};

#[derive(Default)]
pub struct NotificationsQuery;

#[Object]
impl NotificationsQuery {
    /// Newest first. Staff: their organisation's; OVERSIGHT: OVERDUE and ANNUAL_REPORT_DUE of organisations at or below its own; ADMIN: all.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity + 1")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        unread_only: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<NotificationConnection> {
        let first = page_size(first).gql()?;
        let after = after
            .as_deref()
            .map(decode_notification)
            .transpose()
            .gql()?;
        let look = ctx.look_ahead();
        let counts = Counts {
            total: look.field("totalCount").exists(),
            unread: look.field("unreadCount").exists(),
        };
        let page = reminders::list(
            ctx.db(),
            ctx.caller(),
            unread_only.unwrap_or(false),
            after,
            first,
            counts,
        )
        .await
        .gql()?;
        let edges: Vec<_> = page
            .items
            .into_iter()
            .map(|item| NotificationEdge {
                cursor: encode_notification(item.id),
                node: Notification(item),
            })
            .collect();
        Ok(NotificationConnection {
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            total_count: page.total_count.unwrap_or(0) as i32,
            unread_count: page.unread_count.unwrap_or(0) as i32,
        })
    }
}

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Marks the caller's notifications read; returns how many changed.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<i32> {
        let ids = ids
            .iter()
            .map(|id| parse_id(id, "通知"))
            .collect::<Result<Vec<_>, _>>()
            .gql()?;
        reminders::mark_read(ctx.db(), ctx.caller(), &ids, ctx.request().now)
            .await
            .map(|n| n as i32)
            .gql()
    }

    /// Sets the organisation's DUE_SOON thresholds in working days left (1 to 5 values of 1 to 20); ORG_ADMIN of the organisation or ADMIN.
    async fn set_reminder_thresholds(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        days: Vec<i32>,
    ) -> async_graphql::Result<Organization> {
        let id = parse_id(&organization_id, "机构").gql()?;
        reminders::set_thresholds(ctx.db(), ctx.caller(), id, &days)
            .await
            .gql()?;
        organization(ctx, id).await.map(Organization).gql()
    }
}

#[derive(Default)]
pub struct NotificationsSubscription;

#[Subscription]
impl NotificationsSubscription {
    /// Notifications of the caller's organisation as they are created, on every instance.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = Notification> + use<>> {
        use futures_util::StreamExt;
        reminders::watch(ctx.services(), ctx.caller())
            .map(|stream| stream.map(Notification))
            .gql()
    }
}
