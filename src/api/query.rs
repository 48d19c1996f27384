use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::pagination::{
    PageInfo, decode_application_cursor, decode_cursor, encode_application_cursor, page_size,
};
use crate::api::types::application::{
    Application, ApplicationConnection, ApplicationEdge, ApplicationFilter, ApplicationOrder,
    ApplicationTracking,
};
use crate::api::types::calendar::CalendarDay;
use crate::api::types::disclosure::{
    Disclosure, DisclosureCategory, DisclosureConnection, DisclosureFilter, DisclosureOrder,
};
use crate::api::types::organization::Organization;
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::api::types::statistics::{AnnualReport, OrganizationStats};
use crate::api::types::user::User;
use crate::domain::calendar::working_days_argument;
use crate::error::AppError;
use crate::service::access::DisclosureKey;
use crate::service::accounts;
use crate::service::applications::{self, ApplicationQuery};
use crate::service::disclosures::{self, CatalogueQuery};
use crate::service::organizations;
use crate::service::statistics::{self, StatsParts};
use crate::store;
use crate::store::applications::{ApplicationOrder as StoreOrder, cursor_of};

pub struct Query;

#[Object]
impl Query {
    async fn organizations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let all = store::organizations::list(ctx.db()).await.gql()?;
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
            (Some(id), None) => organizations::get(ctx.db(), parse_id(&id, "机构").gql()?).await,
            (None, Some(code)) => store::organizations::find_by_code(ctx.db(), &code)
                .await
                .and_then(|org| org.ok_or(AppError::NotFound("机构"))),
            _ => Err(AppError::bad_input("id", "请提供 id 或 code 其中之一")),
        };
        found.map(|org| Some(Organization(org))).gql()
    }

    /// The catalogue's categories, parents before their children.
    async fn disclosure_categories(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DisclosureCategory>> {
        let categories = crate::api::context::categories(ctx).await.gql()?;
        Ok(categories.iter().cloned().map(DisclosureCategory).collect())
    }

    /// The disclosure catalogue. The public sees PUBLISHED items only.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity + 1")]
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
        filter: Option<DisclosureFilter>,
        order_by: Option<DisclosureOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<DisclosureConnection> {
        let first = page_size(first).gql()?;
        let after = after.as_deref().map(decode_cursor).transpose().gql()?;
        let filter = filter.unwrap_or_default();
        let id = |id: &Option<ID>, what| id.as_ref().map(|id| parse_id(id, what)).transpose();
        let query = CatalogueQuery {
            organization_id: id(&filter.organization_id, "机构").gql()?,
            include_descendants: filter.include_descendants.unwrap_or(false),
            category_id: id(&filter.category_id, "分类").gql()?,
            year: filter.year,
            published_from: filter.published_from.map(|d| d.0),
            published_to: filter.published_to.map(|d| d.0),
            search: filter.search,
            status: filter.status.map(Into::into),
        };
        let order = order_by.unwrap_or(DisclosureOrder::PublishedDesc).into();
        let page = disclosures::list(ctx.db(), ctx.caller(), query, order, after, first)
            .await
            .gql()?;
        crate::api::context::preload_organizations(
            ctx,
            page.items.iter().map(|i| i.model.organization_id),
        )
        .await
        .gql()?;
        Ok(page.into())
    }

    /// One disclosure by id or by index number; null with NOT_FOUND when it
    /// does not exist or the caller may not see it.
    async fn disclosure(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        index_no: Option<String>,
    ) -> async_graphql::Result<Option<Disclosure>> {
        let key = match (&id, &index_no) {
            (Some(id), None) => DisclosureKey::Id(parse_id(id, "公开信息").gql()?),
            (None, Some(index_no)) => DisclosureKey::IndexNo(index_no),
            _ => {
                return Err(AppError::bad_input("id", "请提供 id 或 indexNo 其中之一")).gql();
            }
        };
        disclosures::read(ctx.db(), ctx.caller(), key)
            .await
            .map(|model| Some(Disclosure(model)))
            .gql()
    }

    /// Tracking number + query code: the applicant's view. A wrong code answers like an unknown number.
    async fn track_application(
        &self,
        ctx: &Context<'_>,
        tracking_no: String,
        query_code: String,
    ) -> async_graphql::Result<Option<ApplicationTracking>> {
        let request = ctx.request();
        applications::track(
            ctx.services(),
            request.client_ip,
            &tracking_no,
            &query_code,
            request.now,
        )
        .await
        .map(|model| Some(ApplicationTracking(model)))
        .gql()
    }

    /// Applications the caller may read: its organisation's (OVERSIGHT: at or below its own, masked).
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity + 1")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        filter: Option<ApplicationFilter>,
        order_by: Option<ApplicationOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ApplicationConnection> {
        let first = page_size(first).gql()?;
        let after = after
            .as_deref()
            .map(decode_application_cursor)
            .transpose()
            .gql()?;
        let filter = filter.unwrap_or_default();
        let query = ApplicationQuery {
            tracking_no: filter.tracking_no,
            organization_id: filter
                .organization_id
                .as_ref()
                .map(|id| parse_id(id, "机构"))
                .transpose()
                .gql()?,
            include_descendants: filter.include_descendants.unwrap_or(false),
            status: filter.status.map(Into::into),
            overdue: filter.overdue,
            due_within_working_days: filter.due_within_working_days,
            as_of: filter.as_of.map_or_else(|| ctx.today(), |d| d.0),
            received_from: filter.received_from.map(|d| d.0),
            received_to: filter.received_to.map(|d| d.0),
        };
        let order = match order_by.unwrap_or(ApplicationOrder::ReceivedDesc) {
            ApplicationOrder::DueOnAsc => StoreOrder::DueOnAsc,
            ApplicationOrder::ReceivedDesc => StoreOrder::ReceivedDesc,
            ApplicationOrder::ReceivedAsc => StoreOrder::ReceivedAsc,
        };
        let page = applications::list(ctx.db(), ctx.caller(), query, order, after, first)
            .await
            .gql()?;
        crate::api::context::preload_organizations(
            ctx,
            page.items.iter().map(|a| a.organization_id),
        )
        .await
        .gql()?;
        let node = ctx.look_ahead().field("edges").field("node");
        if node.field("events").exists() || node.field("deadlineTrace").exists() {
            let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
            crate::api::context::preload_application_events(ctx, &ids)
                .await
                .gql()?;
        }
        let access = page.view;
        let end_cursor = page
            .items
            .last()
            .map(|m| encode_application_cursor(&cursor_of(m, order)));
        Ok(ApplicationConnection {
            edges: page
                .items
                .into_iter()
                .map(|model| ApplicationEdge {
                    cursor: encode_application_cursor(&cursor_of(&model, order)),
                    node: Application { model, access },
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
            total_count: page.total_count as i32,
        })
    }

    async fn application(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Application>> {
        let id = parse_id(&id, "申请").gql()?;
        let (model, access) = applications::read(ctx.db(), ctx.caller(), id).await.gql()?;
        Ok(Some(Application { model, access }))
    }

    /// OVERSIGHT (and ADMIN): one row per organisation at or below organizationId (default: its own). Staff: its own organisation.
    async fn completion_stats(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<OrganizationStats>> {
        let organization_id = organization_id
            .as_ref()
            .map(|id| parse_id(id, "机构"))
            .transpose()
            .gql()?;
        let stats = statistics::completion(
            ctx.db(),
            ctx.caller(),
            organization_id,
            from.0,
            to.0,
            stats_parts(ctx),
        )
        .await
        .gql()?;
        Ok(stats.into_iter().map(OrganizationStats).collect())
    }

    /// OVERSIGHT (and ADMIN): the organisations at or below organizationId (default: its own) added up into one row for it: counts and bands add up, rates and the median are recomputed over the whole.
    async fn completion_roll_up(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<OrganizationStats> {
        let organization_id = organization_id
            .as_ref()
            .map(|id| parse_id(id, "机构"))
            .transpose()
            .gql()?;
        statistics::completion_roll_up(
            ctx.db(),
            ctx.caller(),
            organization_id,
            from.0,
            to.0,
            stats_parts(ctx),
        )
        .await
        .map(OrganizationStats)
        .gql()
    }

    /// Public annual report of a year that has ended; staff and oversight may also ask for the current year. includeDescendants rolls up the organisation and everything below it.
    async fn annual_report(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        year: i32,
        include_descendants: Option<bool>,
    ) -> async_graphql::Result<AnnualReport> {
        let organization_id = parse_id(&organization_id, "机构").gql()?;
        statistics::annual_report(
            ctx.db(),
            ctx.caller(),
            organization_id,
            year,
            include_descendants.unwrap_or(false),
            ctx.today(),
        )
        .await
        .map(AnnualReport)
        .gql()
    }

    /// The announced holidays and 调休 workdays of a year.
    async fn working_calendar(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        if !(1949..=2200).contains(&year) {
            return Err(AppError::bad_input("year", "年份超出范围")).gql();
        }
        let calendar = store::calendar::load(ctx.db()).await.gql()?;
        Ok(calendar.days_of_year(year).map(CalendarDay::from).collect())
    }

    /// The date that lies the given number of working days after from (from itself not counted).
    async fn add_working_days(
        &self,
        ctx: &Context<'_>,
        from: Date,
        days: i32,
    ) -> async_graphql::Result<Date> {
        let days = working_days_argument(days).gql()?;
        let calendar = store::calendar::load(ctx.db()).await.gql()?;
        Ok(calendar.add_working_days(from.0, days).into())
    }

    /// The signed-in user; null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(accounts::me(ctx.db(), ctx.caller()).await.gql()?.map(User))
    }
}

/// The statistics a query selects that cost a query of their own.
fn stats_parts(ctx: &Context<'_>) -> StatsParts {
    let selected = ctx.look_ahead();
    StatsParts {
        outcomes: selected.field("outcomes").exists(),
        closing_days: [
            "medianWorkingDaysToClose",
            "meanWorkingDaysToClose",
            "closingTimeBands",
        ]
        .iter()
        .any(|field| selected.field(field).exists()),
    }
}
