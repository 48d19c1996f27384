//! Reminders (contract/reminders.graphql).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};

use crate::api::context::{ContextExt, organization, remember_shown};
use crate::api::error::GqlResult;
use crate::api::pagination::PageInfo;
use crate::api::types::application::Application;
use crate::api::types::disclosure::Disclosure;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::domain::calendar::china_standard_time;
use crate::domain::reminder::{self, Notification as Record};
use crate::error::AppError;
use crate::service::access::DisclosureKey;
use crate::service::{applications, disclosures};

mirror_enum!(
    NotificationKind = reminder::NotificationKind {
        /// A new application arrived (online submissions above all).
        ApplicationReceived,
        /// Art. 30: the 7 working days for a correction notice end within 2 working days and none was sent.
        CorrectionWindowClosing,
        /// The reply is due within the organisation's threshold (5 and 2 working days by default).
        DueSoon,
        /// The reply is due today.
        DueToday,
        /// The reply is overdue (once, on the first working day after dueOn).
        Overdue,
        /// A DRAFT disclosure reaches publishDueOn within 5 working days (Art. 26).
        PublicationDueSoon,
        /// The annual report of last year is due within 10 working days and not published (Art. 49).
        AnnualReportDue,
    }
);

pub struct Notification(pub Record);

#[Object]
impl Notification {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    /// Staff view of the application concerned, if any.
    async fn application(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Application>> {
        let Some(id) = self.0.application_id else {
            return Ok(None);
        };
        match applications::read(ctx.db(), ctx.caller(), id).await {
            Ok((record, access)) => Ok(Some(Application { record, access })),
            // Out of reach (OVERSIGHT, for instance, of a kind it does not see): null.
            Err(AppError::NotFound(_)) => Ok(None),
            Err(other) => Err(other).gql(),
        }
    }

    async fn disclosure(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Disclosure>> {
        let Some(id) = self.0.disclosure_id else {
            return Ok(None);
        };
        match disclosures::read(ctx.db(), ctx.caller(), DisclosureKey::Id(id)).await {
            Ok(shown) => {
                remember_shown(ctx, [&shown]);
                Ok(Some(Disclosure(shown.disclosure)))
            }
            Err(AppError::NotFound(_)) => Ok(None),
            Err(other) => Err(other).gql(),
        }
    }

    /// The legal day the reminder is about (dueOn, publishDueOn, the report's due day).
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }

    /// One Chinese sentence without personal data, e.g. 申请 PYNC-2026-00012 将于 2026-12-29 到期，剩 2 个工作日。
    async fn message(&self) -> &str {
        &self.0.message
    }

    async fn created_at(&self) -> DateTime<FixedOffset> {
        self.0.created_at.with_timezone(&china_standard_time())
    }

    /// Per user: when the caller marked it read.
    async fn read_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0
            .read_at
            .map(|at| at.with_timezone(&china_standard_time()))
    }
}

#[derive(SimpleObject)]
pub struct NotificationEdge {
    pub cursor: String,
    pub node: Notification,
}

#[derive(SimpleObject)]
pub struct NotificationConnection {
    pub edges: Vec<NotificationEdge>,
    pub page_info: PageInfo,
    pub total_count: i32,
    pub unread_count: i32,
}
