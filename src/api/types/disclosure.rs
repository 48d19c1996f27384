use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};

use crate::api::context::{ContextExt, calendar};
use crate::api::error::GqlResult;
use crate::api::pagination::PageInfo;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::domain::calendar::china_standard_time;
use crate::domain::disclosure::{
    CatalogueOrder, Category, Disclosure as Record, DisclosureStatus as Status, publish_due_on,
    published_late,
};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum DisclosureStatus {
    Draft,
    Published,
    Withdrawn,
}

impl From<Status> for DisclosureStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Draft => Self::Draft,
            Status::Published => Self::Published,
            Status::Withdrawn => Self::Withdrawn,
        }
    }
}

impl From<DisclosureStatus> for Status {
    fn from(status: DisclosureStatus) -> Self {
        match status {
            DisclosureStatus::Draft => Status::Draft,
            DisclosureStatus::Published => Status::Published,
            DisclosureStatus::Withdrawn => Status::Withdrawn,
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum DisclosureOrder {
    PublishedDesc,
    PublishedAsc,
    /// Items whose title matches the search first, then newest first.
    Relevance,
}

impl From<DisclosureOrder> for CatalogueOrder {
    fn from(order: DisclosureOrder) -> Self {
        match order {
            DisclosureOrder::PublishedDesc => CatalogueOrder::PublishedDesc,
            DisclosureOrder::PublishedAsc => CatalogueOrder::PublishedAsc,
            DisclosureOrder::Relevance => CatalogueOrder::Relevance,
        }
    }
}

pub struct DisclosureCategory(pub Category);

#[Object]
impl DisclosureCategory {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DisclosureCategory>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        let categories = crate::api::context::categories(ctx).await.gql()?;
        Ok(categories
            .iter()
            .find(|c| c.id == parent_id)
            .cloned()
            .map(DisclosureCategory))
    }
}

pub struct Disclosure(pub Record);

fn in_china(at: chrono::DateTime<chrono::Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&china_standard_time())
}

#[Object]
impl Disclosure {
    /// Public with the disclosure while it is PUBLISHED; hidden with it otherwise.
    async fn attachments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::api::types::attachment::Attachment>> {
        let visible = crate::service::files::attachments_of(
            ctx.db(),
            ctx.caller(),
            crate::domain::files::AttachedTo::Disclosure(self.0.id),
        )
        .await
        .gql()?;
        Ok(visible.into_iter().map(|(a, _)| a.into()).collect())
    }

    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// 索引号, assigned by the server when first published; unique.
    async fn index_no(&self) -> Option<&str> {
        self.0.index_no.as_deref()
    }

    async fn title(&self) -> &str {
        &self.0.content.title
    }

    /// 发文字号 / 文号, when the information is a formal document.
    async fn doc_number(&self) -> Option<&str> {
        self.0.content.doc_number.as_deref()
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        crate::api::context::organization(ctx, self.0.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<DisclosureCategory> {
        crate::api::context::category(ctx, self.0.category_id)
            .await
            .map(DisclosureCategory)
            .gql()
    }

    async fn body(&self) -> &str {
        &self.0.content.body
    }

    async fn status(&self) -> DisclosureStatus {
        self.0.status.into()
    }

    /// The day the information was formed or last changed (Art. 26 clock start).
    async fn formed_on(&self) -> Date {
        self.0.content.formed_on.into()
    }

    /// formedOn + 20 working days: the legal publication deadline.
    async fn publish_due_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Date> {
        Ok(publish_due_on(self.0.content.formed_on, calendar(ctx).await.gql()?).into())
    }

    async fn published_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.published_at.map(in_china)
    }

    /// True when published after publishDueOn (or unpublished and past it).
    async fn published_late(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let due = publish_due_on(self.0.content.formed_on, calendar(ctx).await.gql()?);
        Ok(published_late(self.0.published_on, due, ctx.today()))
    }

    async fn withdrawn_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.withdrawn_at.map(in_china)
    }

    async fn withdrawal_reason(&self) -> Option<&str> {
        self.0.withdrawal_reason.as_deref()
    }

    async fn version(&self) -> i32 {
        self.0.version
    }
}

#[derive(SimpleObject)]
pub struct DisclosureEdge {
    pub cursor: String,
    pub node: Disclosure,
}

#[derive(SimpleObject)]
pub struct DisclosureConnection {
    pub edges: Vec<DisclosureEdge>,
    pub page_info: PageInfo,
    /// Exact up to 10,000; beyond that it stops counting at 10,000 and totalCountIsExact is false, so that a listing never scans millions of rows to count them.
    pub total_count: i32,
    pub total_count_is_exact: bool,
}

impl From<crate::service::disclosures::CataloguePage> for DisclosureConnection {
    fn from(page: crate::service::disclosures::CataloguePage) -> Self {
        let end_cursor = page.items.last().map(|(_, cursor)| cursor.clone());
        DisclosureConnection {
            edges: page
                .items
                .into_iter()
                .map(|(shown, cursor)| DisclosureEdge {
                    cursor,
                    node: Disclosure(shown.disclosure),
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
            // Counted when selected; otherwise these are never shown.
            total_count: page.total_count.map_or(0, |t| t.count as i32),
            total_count_is_exact: page.total_count.is_none_or(|t| t.is_exact),
        }
    }
}

#[derive(InputObject, Default)]
pub struct DisclosureFilter {
    pub organization_id: Option<ID>,
    /// Include disclosures of every organisation below organizationId too.
    pub include_descendants: Option<bool>,
    /// A category; a parent category includes its subcategories.
    pub category_id: Option<ID>,
    /// The year of publication (China Standard Time).
    pub year: Option<i32>,
    pub published_from: Option<Date>,
    pub published_to: Option<Date>,
    /// Full-text search over title and body; must work for Chinese text.
    pub search: Option<String>,
    /// Staff only; the public always sees PUBLISHED alone.
    pub status: Option<DisclosureStatus>,
}

#[derive(InputObject)]
pub struct DisclosureInput {
    pub organization_id: ID,
    pub category_id: ID,
    pub title: String,
    pub doc_number: Option<String>,
    pub body: String,
    pub formed_on: Date,
}
