//! Completion statistics for oversight and the annual report.

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::api::types::statistics::{
    AnnualReport, OrganizationStats, ProactiveDisclosureFigures, ProactiveDisclosureFiguresInput,
};
use crate::service::Reading;
use crate::service::statistics::{self, StatsParts};

#[derive(Default)]
pub struct StatisticsQuery;

#[Object]
impl StatisticsQuery {
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
            &ctx.reads(Reading::Statistics),
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
            &ctx.reads(Reading::Statistics),
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
}

#[derive(Default)]
pub struct StatisticsMutation;

#[Object]
impl StatisticsMutation {
    /// Table 二's figures of an organisation and year (staff of the organisation, ADMIN); entering them again replaces them.
    async fn set_proactive_disclosure_figures(
        &self,
        ctx: &Context<'_>,
        input: ProactiveDisclosureFiguresInput,
    ) -> async_graphql::Result<ProactiveDisclosureFigures> {
        let organization_id = parse_id(&input.organization_id, "机构").gql()?;
        statistics::set_proactive_figures(
            ctx.db(),
            ctx.caller(),
            organization_id,
            input.year,
            (&input).into(),
            ctx.today(),
        )
        .await
        .map(Into::into)
        .gql()
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
