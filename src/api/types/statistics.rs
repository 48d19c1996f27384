use async_graphql::{Object, SimpleObject};

use crate::api::types::application::ApplicationOutcome;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::domain::report::{CLOSING_BANDS, band_counts, mean, median, table_three_markdown};
use crate::service::statistics;

#[derive(SimpleObject)]
pub struct OutcomeCount {
    pub outcome: ApplicationOutcome,
    pub count: i32,
}

pub struct OrganizationStats(pub statistics::OrganizationStats);

#[Object]
impl OrganizationStats {
    async fn organization(&self) -> Organization {
        Organization(self.0.organization.clone())
    }

    async fn from(&self) -> Date {
        self.0.from.into()
    }

    async fn to(&self) -> Date {
        self.0.to.into()
    }

    /// Applications received in [from, to].
    async fn received(&self) -> i32 {
        self.0.counts.received as i32
    }

    /// Applications received before from and still open on from.
    async fn carried_over(&self) -> i32 {
        self.0.counts.carried_over as i32
    }

    /// Of received + carriedOver, closed by to.
    async fn closed(&self) -> i32 {
        self.0.counts.closed as i32
    }

    /// Of closed, those closed on or before their dueOn.
    async fn closed_on_time(&self) -> i32 {
        self.0.counts.closed_on_time as i32
    }

    /// Still open at the end of to (an application closed after to counts as open).
    async fn open(&self) -> i32 {
        self.0.open as i32
    }

    /// Open at the end of to with a running clock and dueOn before to, as the clock stood at the end of to.
    async fn overdue(&self) -> i32 {
        self.0.counts.overdue as i32
    }

    /// closed / (received + carriedOver); 1.0 when there is nothing to do.
    async fn completion_rate(&self) -> f64 {
        self.0.completion_rate
    }

    /// closedOnTime / closed; 1.0 when nothing was closed.
    async fn on_time_rate(&self) -> f64 {
        self.0.on_time_rate
    }

    /// Median working days from receivedOn to closedOn (working days after receivedOn up to and including closedOn) over the applications closed in [from, to]; null when none.
    async fn median_working_days_to_close(&self) -> Option<f64> {
        median(self.0.working_days_to_close.clone())
    }

    /// Mean working days from receivedOn to closedOn over the applications closed in [from, to] (gross: paused days included); null when none.
    async fn mean_working_days_to_close(&self) -> Option<f64> {
        mean(&self.0.working_days_to_close)
    }

    /// The applications closed in [from, to] counted by working days to close, in bands 0–5, 6–10, 11–15, 16–20, 21–40 and over 40 (gross, as medianWorkingDaysToClose); bands add up across organisations, medians do not.
    async fn closing_time_bands(&self) -> Vec<ClosingTimeBand> {
        let counts = band_counts(&self.0.working_days_to_close);
        CLOSING_BANDS
            .iter()
            .zip(counts)
            .map(|((label, ..), count)| ClosingTimeBand {
                label: (*label).to_owned(),
                count: count as i32,
            })
            .collect()
    }

    /// Applications closed in [from, to], by outcome (table 三's rows), in the template's order; outcomes with none are left out.
    async fn outcomes(&self) -> Vec<OutcomeCount> {
        self.0
            .outcomes
            .iter()
            .map(|(outcome, count)| OutcomeCount {
                outcome: (*outcome).into(),
                count: *count as i32,
            })
            .collect()
    }

    /// Of received + carriedOver, those whose deadline was extended once (Art. 33).
    async fn extended(&self) -> i32 {
        self.0.counts.extended as i32
    }

    /// Of received + carriedOver, those whose deadline an APPROVER set under Art. 35.
    async fn deadline_overridden(&self) -> i32 {
        self.0.counts.overridden as i32
    }
}

/// How many closings took a number of working days within a band.
#[derive(SimpleObject)]
pub struct ClosingTimeBand {
    /// e.g. 0–5, 21–40, 40以上
    pub label: String,
    pub count: i32,
}

#[derive(SimpleObject)]
pub struct AnnualReportRow {
    /// Row label as printed in the State Council template, e.g. （三）不予公开 1.属于国家秘密.
    pub label: String,
    pub natural_person: i32,
    pub commercial_enterprise: i32,
    pub research_institution: i32,
    pub social_welfare_organization: i32,
    pub legal_service_organization: i32,
    pub other_organization: i32,
    pub total: i32,
}

/// The annual report (政府信息公开工作年度报告) table 三 for one organisation and year, computed from the data.
pub struct AnnualReport(pub statistics::AnnualReport);

#[Object]
impl AnnualReport {
    async fn organization(&self) -> Organization {
        Organization(self.0.organization.clone())
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    /// 一, 二, the outcome rows of 三 with （七）总计, and 四, in the template's order.
    async fn rows(&self) -> Vec<AnnualReportRow> {
        self.0
            .rows
            .iter()
            .map(|row| {
                let [natural, commercial, research, welfare, legal, other] =
                    row.columns.map(|n| n as i32);
                AnnualReportRow {
                    label: row.label.to_owned(),
                    natural_person: natural,
                    commercial_enterprise: commercial,
                    research_institution: research,
                    social_welfare_organization: welfare,
                    legal_service_organization: legal,
                    other_organization: other,
                    total: row.total() as i32,
                }
            })
            .collect()
    }

    /// The same table rendered as Markdown, ready to paste into the report.
    async fn markdown(&self) -> String {
        table_three_markdown(&self.0.rows)
    }
}
