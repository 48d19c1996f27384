//! Publishing annual reports and the reporting season.

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::annual_report::{
    AnnualReportStatus, AnnualReportTextInput, PublishedAnnualReport,
};
use crate::api::types::parse_id;
use crate::service::Reading;
use crate::service::annual_reports;

#[derive(Default)]
pub struct AnnualReportsQuery;

#[Object]
impl AnnualReportsQuery {
    /// Published annual reports of an organisation (and, with includeDescendants, of those below it); public.
    async fn published_annual_reports(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        include_descendants: Option<bool>,
    ) -> async_graphql::Result<Vec<PublishedAnnualReport>> {
        let organization_id = parse_id(&organization_id, "机构").gql()?;
        let reports = annual_reports::published(
            &ctx.reads(Reading::Catalogue),
            ctx.caller(),
            organization_id,
            include_descendants.unwrap_or(false),
        )
        .await
        .gql()?;
        Ok(reports.into_iter().map(PublishedAnnualReport).collect())
    }

    /// The reporting season (Art. 49) for OVERSIGHT (and ADMIN): every organisation at or below organizationId (default: its own) with its report of `year` published, published late, pending or overdue, and its due day. Staff: their own organisation.
    async fn annual_report_status(
        &self,
        ctx: &Context<'_>,
        organization_id: Option<ID>,
        year: i32,
    ) -> async_graphql::Result<Vec<AnnualReportStatus>> {
        let organization_id = organization_id
            .as_ref()
            .map(|id| parse_id(id, "机构"))
            .transpose()
            .gql()?;
        let rows =
            annual_reports::season(ctx.db(), ctx.caller(), organization_id, year, ctx.today())
                .await
                .gql()?;
        Ok(rows.into_iter().map(AnnualReportStatus).collect())
    }
}

#[derive(Default)]
pub struct AnnualReportsMutation;

#[Object]
impl AnnualReportsMutation {
    /// Freeze the year's figures, render the whole report and publish it as a disclosure; APPROVER of the organisation or ADMIN; once per organisation and year.
    async fn publish_annual_report(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        year: i32,
        text: AnnualReportTextInput,
    ) -> async_graphql::Result<PublishedAnnualReport> {
        let organization_id = parse_id(&organization_id, "机构").gql()?;
        let (published, _) = annual_reports::publish(
            ctx.services(),
            ctx.caller(),
            organization_id,
            year,
            text.into(),
            ctx.request().now,
        )
        .await
        .gql()?;
        Ok(PublishedAnnualReport(published))
    }
}
