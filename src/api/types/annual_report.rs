//! The published annual report (Art. 49) and the reporting season.

use async_graphql::{Context, Enum, InputObject, Object};
use chrono::{DateTime, FixedOffset};

use crate::api::context::{ContextExt, remember_shown};
use crate::api::error::GqlResult;
use crate::api::types::disclosure::Disclosure;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::api::types::statistics::AnnualReport;
use crate::domain::annual_report::{Filing, ReportText};
use crate::domain::calendar::china_standard_time;
use crate::service::Reading;
use crate::service::access::DisclosureKey;
use crate::service::annual_reports::{self, Published, SeasonRow};
use crate::service::disclosures;

/// The parts of the annual report that people write; the tables are computed.
#[derive(InputObject)]
pub struct AnnualReportTextInput {
    /// 一、总体情况
    pub overview: String,
    /// 五、存在的主要问题及改进情况
    pub problems_and_improvements: String,
    /// 六、其他需要报告的事项 (fees collected are reported here)
    pub other_matters: Option<String>,
}

impl From<AnnualReportTextInput> for ReportText {
    fn from(input: AnnualReportTextInput) -> Self {
        ReportText {
            overview: input.overview,
            problems_and_improvements: input.problems_and_improvements,
            other_matters: input.other_matters,
        }
    }
}

pub struct PublishedAnnualReport(pub Published);

#[Object]
impl PublishedAnnualReport {
    async fn organization(&self) -> Organization {
        Organization(self.0.organization.clone())
    }

    async fn year(&self) -> i32 {
        self.0.report.year
    }

    /// The disclosure that carries the report in the catalogue (category 政府信息公开工作年度报告).
    async fn disclosure(&self, ctx: &Context<'_>) -> async_graphql::Result<Disclosure> {
        let shown = disclosures::read(
            &ctx.reads(Reading::Catalogue),
            ctx.caller(),
            DisclosureKey::Id(self.0.report.disclosure_id),
        )
        .await
        .gql()?;
        remember_shown(ctx, [&shown]);
        Ok(Disclosure(shown.disclosure))
    }

    /// The figures as frozen at publication.
    async fn report(&self) -> AnnualReport {
        AnnualReport(self.0.annual_report())
    }

    /// True when the live figures now differ from the frozen ones (e.g. a back-dated receipt).
    async fn live_figures_differ(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        annual_reports::live_figures_differ(&ctx.reads(Reading::Catalogue), &self.0)
            .await
            .gql()
    }

    async fn published_at(&self) -> DateTime<FixedOffset> {
        self.0
            .report
            .published_at
            .with_timezone(&china_standard_time())
    }

    /// Art. 49: 31 January for departments, towns and streets; 31 March for a district government.
    async fn due_on(&self) -> Date {
        Date(self.0.report.due_on)
    }

    async fn published_late(&self) -> bool {
        self.0.published_late()
    }

    /// The whole report as published (sections 一 to 六, the tables in the template's layout), in Markdown; also the disclosure's body.
    async fn markdown(&self) -> String {
        self.0.markdown()
    }
}

/// Where an organisation stands in the reporting season of a year.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum AnnualReportFiling {
    /// Published by its due day.
    Published,
    /// Published after its due day.
    PublishedLate,
    /// Not published; not yet due.
    Pending,
    /// Not published, and its due day has passed.
    Overdue,
}

impl From<Filing> for AnnualReportFiling {
    fn from(filing: Filing) -> Self {
        match filing {
            Filing::Published => AnnualReportFiling::Published,
            Filing::PublishedLate => AnnualReportFiling::PublishedLate,
            Filing::Pending => AnnualReportFiling::Pending,
            Filing::Overdue => AnnualReportFiling::Overdue,
        }
    }
}

/// One organisation in the reporting season.
pub struct AnnualReportStatus(pub SeasonRow);

#[Object]
impl AnnualReportStatus {
    async fn organization(&self) -> Organization {
        Organization(self.0.organization.clone())
    }

    /// Art. 49: 31 January of the next year; 31 March for a district government.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }

    async fn filing(&self) -> AnnualReportFiling {
        self.0.filing.into()
    }

    /// Null until published.
    async fn published_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0
            .published
            .as_ref()
            .map(|p| p.report.published_at.with_timezone(&china_standard_time()))
    }
}

/// Whether one organisation of a roll-up counts with frozen or live figures.
pub struct AnnualReportSource(pub crate::domain::organization::Organization, pub bool);

#[Object]
impl AnnualReportSource {
    async fn organization(&self) -> Organization {
        Organization(self.0.clone())
    }

    /// True: the figures frozen when its report was published; false: computed live.
    async fn frozen(&self) -> bool {
        self.1
    }
}
