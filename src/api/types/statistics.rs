use async_graphql::{ID, InputObject, Object, SimpleObject};

use crate::api::types::application::ApplicationOutcome;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::domain::report::{
    CLOSING_BANDS, ProactiveFigures, statistics_markdown, ten_thousand_yuan,
};
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
        self.0.counts.open() as i32
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

    /// Median working days to close over the applications closed in [from, to], net of paused time: the working days after receivedOn up to and including closedOn, less those on which the clock stood still (waiting for a correction, a third party's opinion or a fee); null when none. Medians do not add up across organisations: the roll-up computes its own.
    async fn median_working_days_to_close(&self) -> Option<f64> {
        self.0.closing_days.median()
    }

    /// Mean working days to close, net of paused time (as medianWorkingDaysToClose); null when none.
    async fn mean_working_days_to_close(&self) -> Option<f64> {
        self.0.closing_days.mean()
    }

    /// The applications closed in [from, to] counted by working days to close, net of paused time (as medianWorkingDaysToClose), in bands 0–5 (a same-day reply counts 0), 6–10, 11–15, 16–20, 21–40 and over 40; bands add up across organisations.
    async fn closing_time_bands(&self) -> Vec<ClosingTimeBand> {
        let counts = self.0.closing_days.band_counts();
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

/// Table 二 (主动公开政府信息情况): figures entered per organisation and year from other systems; summed over organisations in a roll-up.
#[derive(SimpleObject)]
pub struct ProactiveDisclosureFigures {
    /// 第二十条第（一）项 规章: 本年制发件数
    pub regulations_issued: i32,
    /// 规章: 本年废止件数
    pub regulations_repealed: i32,
    /// 规章: 现行有效件数
    pub regulations_in_force: i32,
    /// 行政规范性文件: 本年制发件数
    pub normative_documents_issued: i32,
    /// 行政规范性文件: 本年废止件数
    pub normative_documents_repealed: i32,
    /// 行政规范性文件: 现行有效件数
    pub normative_documents_in_force: i32,
    /// 第二十条第（五）项 行政许可: 本年处理决定数量
    pub licensing_decisions: i32,
    /// 第二十条第（六）项 行政处罚: 本年处理决定数量
    pub penalty_decisions: i32,
    /// 第二十条第（六）项 行政强制: 本年处理决定数量
    pub coercion_decisions: i32,
    /// 第二十条第（八）项 行政事业性收费: 本年收费金额, in yuan
    pub fees_yuan: i64,
    /// The same amount in 万元 with four decimals, as the template prints it.
    pub fees_ten_thousand_yuan: String,
}

impl From<ProactiveFigures> for ProactiveDisclosureFigures {
    fn from(f: ProactiveFigures) -> Self {
        ProactiveDisclosureFigures {
            regulations_issued: f.regulations[0],
            regulations_repealed: f.regulations[1],
            regulations_in_force: f.regulations[2],
            normative_documents_issued: f.normative_documents[0],
            normative_documents_repealed: f.normative_documents[1],
            normative_documents_in_force: f.normative_documents[2],
            licensing_decisions: f.licensing_decisions,
            penalty_decisions: f.penalty_decisions,
            coercion_decisions: f.coercion_decisions,
            fees_yuan: f.fees_yuan,
            fees_ten_thousand_yuan: ten_thousand_yuan(f.fees_yuan),
        }
    }
}

#[derive(InputObject)]
pub struct ProactiveDisclosureFiguresInput {
    pub organization_id: ID,
    pub year: i32,
    pub regulations_issued: i32,
    pub regulations_repealed: i32,
    pub regulations_in_force: i32,
    pub normative_documents_issued: i32,
    pub normative_documents_repealed: i32,
    pub normative_documents_in_force: i32,
    pub licensing_decisions: i32,
    pub penalty_decisions: i32,
    pub coercion_decisions: i32,
    pub fees_yuan: i64,
}

impl From<&ProactiveDisclosureFiguresInput> for ProactiveFigures {
    fn from(i: &ProactiveDisclosureFiguresInput) -> Self {
        ProactiveFigures {
            regulations: [
                i.regulations_issued,
                i.regulations_repealed,
                i.regulations_in_force,
            ],
            normative_documents: [
                i.normative_documents_issued,
                i.normative_documents_repealed,
                i.normative_documents_in_force,
            ],
            licensing_decisions: i.licensing_decisions,
            penalty_decisions: i.penalty_decisions,
            coercion_decisions: i.coercion_decisions,
            fees_yuan: i.fees_yuan,
        }
    }
}

/// One block of table 四: cases by result.
#[derive(SimpleObject)]
pub struct ChallengeBlock {
    /// 结果维持
    pub upheld: i32,
    /// 结果纠正
    pub corrected: i32,
    /// 其他结果
    pub other: i32,
    /// 尚未审结
    pub pending: i32,
    /// 总计
    pub total: i32,
}

impl From<&[u64]> for ChallengeBlock {
    fn from(block: &[u64]) -> Self {
        ChallengeBlock {
            upheld: block[0] as i32,
            corrected: block[1] as i32,
            other: block[2] as i32,
            pending: block[3] as i32,
            total: block[4] as i32,
        }
    }
}

/// Table 四 (行政复议、行政诉讼情况): the reviews and lawsuits filed in the year about the organisation's applications, each by its result as it stood on 31 December.
#[derive(SimpleObject)]
pub struct ReviewsAndLawsuits {
    /// 行政复议
    pub review: ChallengeBlock,
    /// 行政诉讼：未经复议直接起诉
    pub direct_lawsuit: ChallengeBlock,
    /// 行政诉讼：复议后起诉
    pub lawsuit_after_review: ChallengeBlock,
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

    /// Table 二, as entered (added up over the organisations of a roll-up).
    async fn proactive_disclosure(&self) -> ProactiveDisclosureFigures {
        self.0.figures.into()
    }

    /// Table 四, computed from the reviews and lawsuits recorded on applications.
    async fn reviews_and_lawsuits(&self) -> ReviewsAndLawsuits {
        let row = self.0.challenges.row();
        ReviewsAndLawsuits {
            review: row[0..5].into(),
            direct_lawsuit: row[5..10].into(),
            lawsuit_after_review: row[10..15].into(),
        }
    }

    /// The organisations added up, each with whether its figures are the ones frozen when its report of the year was published (`frozen: true`) or computed live from the data.
    async fn sources(&self) -> Vec<crate::api::types::annual_report::AnnualReportSource> {
        self.0
            .sources
            .iter()
            .map(|(org, frozen)| {
                crate::api::types::annual_report::AnnualReportSource(org.clone(), *frozen)
            })
            .collect()
    }

    /// Tables 二, 三 and 四 rendered as Markdown, as the template prints them: the whole statistical part of the report, ready to paste.
    async fn markdown(&self) -> String {
        statistics_markdown(&self.0.figures, &self.0.rows, &self.0.challenges)
    }
}
