//! The annual report's table 三 (国办公开办函〔2021〕30号) and the
//! completion statistics: pure arithmetic over counts the store supplies.

use std::collections::{BTreeMap, HashMap};

use super::applicant::ApplicantType;
use super::legal_challenge::ChallengeCounts;
use super::workflow::Outcome;

/// The printed label of each outcome row, in the template's order.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    use Outcome::*;
    match outcome {
        Disclosed => "（一）予以公开",
        PartiallyDisclosed => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        WithheldStateSecret => "（三）不予公开 1.属于国家秘密",
        WithheldProhibitedByLaw => "（三）不予公开 2.其他法律行政法规禁止公开",
        WithheldSecurityStability => "（三）不予公开 3.危及“三安全一稳定”",
        WithheldThirdPartyRights => "（三）不予公开 4.保护第三方合法权益",
        WithheldInternalAffairs => "（三）不予公开 5.属于三类内部事务信息",
        WithheldProcessInformation => "（三）不予公开 6.属于四类过程性信息",
        WithheldEnforcementCaseFile => "（三）不予公开 7.属于行政执法案卷",
        WithheldAdministrativeInquiry => "（三）不予公开 8.属于行政查询事项",
        UnavailableNotHeld => "（四）无法提供 1.本机关不掌握相关政府信息",
        UnavailableNeedsCreation => "（四）无法提供 2.没有现成信息需要另行制作",
        UnavailableStillUnclear => "（四）无法提供 3.补正后申请内容仍不明确",
        NotProcessedPetitionOrComplaint => "（五）不予处理 1.信访举报投诉类申请",
        NotProcessedRepeated => "（五）不予处理 2.重复申请",
        NotProcessedPublication => "（五）不予处理 3.要求提供公开出版物",
        NotProcessedExcessive => "（五）不予处理 4.无正当理由大量反复申请",
        NotProcessedConfirmation => "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        OtherCorrectionNotMade => {
            "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        }
        OtherFeeNotPaid => {
            "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
        }
        Other => "（六）其他处理 3.其他",
    }
}

pub const RECEIVED_LABEL: &str = "一、本年新收政府信息公开申请数量";
pub const CARRIED_OVER_LABEL: &str = "二、上年结转政府信息公开申请数量";
pub const CLOSED_TOTAL_LABEL: &str = "（七）总计";
pub const CARRIED_FORWARD_LABEL: &str = "四、结转下年度继续办理";

/// One row: a count per applicant type, in the template's column order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub label: &'static str,
    pub columns: [u64; 6],
}

impl ReportRow {
    pub fn total(&self) -> u64 {
        self.columns.iter().sum()
    }
}

/// What the store counts for a year: by applicant type (and outcome).
#[derive(Clone, Debug, Default)]
pub struct YearCounts {
    pub received: HashMap<ApplicantType, u64>,
    pub carried_over: HashMap<ApplicantType, u64>,
    pub closed: HashMap<(ApplicantType, Outcome), u64>,
    pub carried_forward: HashMap<ApplicantType, u64>,
}

fn row(label: &'static str, count: impl Fn(ApplicantType) -> u64) -> ReportRow {
    let mut columns = [0; 6];
    for (column, kind) in columns.iter_mut().zip(ApplicantType::ALL) {
        *column = count(*kind);
    }
    ReportRow { label, columns }
}

/// Table 三 in the template's order: 一, 二, the outcome rows of 三 with
/// （七）总计, and 四.
pub fn table_three(counts: &YearCounts) -> Vec<ReportRow> {
    let of = |map: &HashMap<ApplicantType, u64>, kind| map.get(&kind).copied().unwrap_or(0);
    let mut rows = vec![
        row(RECEIVED_LABEL, |k| of(&counts.received, k)),
        row(CARRIED_OVER_LABEL, |k| of(&counts.carried_over, k)),
    ];
    for outcome in Outcome::ALL {
        rows.push(row(outcome_label(*outcome), |k| {
            counts.closed.get(&(k, *outcome)).copied().unwrap_or(0)
        }));
    }
    rows.push(row(CLOSED_TOTAL_LABEL, |k| {
        Outcome::ALL
            .iter()
            .map(|o| counts.closed.get(&(k, *o)).copied().unwrap_or(0))
            .sum()
    }));
    rows.push(row(CARRIED_FORWARD_LABEL, |k| {
        of(&counts.carried_forward, k)
    }));
    rows
}

pub const APPLICANT_TYPE_HEADERS: [&str; 6] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
];

/// The table as the template prints it, in Markdown.
pub fn table_three_markdown(rows: &[ReportRow]) -> String {
    let mut out = format!("| 项目 | {} | 总计 |\n", APPLICANT_TYPE_HEADERS.join(" | "));
    out.push_str(&"|---".repeat(APPLICANT_TYPE_HEADERS.len() + 2));
    out.push_str("|\n");
    for row in rows {
        if row.label == outcome_label(Outcome::Disclosed) {
            out.push_str(&format!(
                "| 三、本年度办理结果 |{}\n",
                " |".repeat(APPLICANT_TYPE_HEADERS.len() + 1)
            ));
        }
        let cells: Vec<String> = row.columns.iter().map(u64::to_string).collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.label,
            cells.join(" | "),
            row.total()
        ));
    }
    out
}

/// Table 二's figures of one organisation and year (entered from other systems).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProactiveFigures {
    /// 规章: 本年制发件数, 本年废止件数, 现行有效件数.
    pub regulations: [i32; 3],
    /// 行政规范性文件: the same three.
    pub normative_documents: [i32; 3],
    /// 行政许可: 本年处理决定数量.
    pub licensing_decisions: i32,
    /// 行政处罚 and 行政强制: 本年处理决定数量.
    pub penalty_decisions: i32,
    pub coercion_decisions: i32,
    /// 行政事业性收费, in yuan (printed in 万元).
    pub fees_yuan: i64,
}

impl ProactiveFigures {
    pub fn validate(self) -> crate::error::AppResult<Self> {
        let counts = self
            .regulations
            .iter()
            .chain(&self.normative_documents)
            .chain([
                &self.licensing_decisions,
                &self.penalty_decisions,
                &self.coercion_decisions,
            ]);
        if counts.copied().any(|n| n < 0) || self.fees_yuan < 0 {
            return Err(crate::error::AppError::bad_input(
                "input",
                "数量和金额不能为负数",
            ));
        }
        Ok(self)
    }
}

/// 万元 with four decimals, as the template prints amounts.
pub fn ten_thousand_yuan(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

/// Tables 二, 三 and 四 in Markdown: the statistical part of the annual report.
pub fn statistics_markdown(
    figures: &ProactiveFigures,
    rows: &[ReportRow],
    challenges: &ChallengeCounts,
) -> String {
    let [ri, rr, rf] = figures.regulations;
    let [ni, nr, nf] = figures.normative_documents;
    let table_two = format!(
        "二、主动公开政府信息情况\n\n\
         | 第二十条第（一）项 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n\
         | 规章 | {ri} | {rr} | {rf} |\n| 行政规范性文件 | {ni} | {nr} | {nf} |\n\n\
         | 第二十条第（五）项 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | {} |\n\n\
         | 第二十条第（六）项 | 本年处理决定数量 |\n|---|---|\n| 行政处罚 | {} |\n| 行政强制 | {} |\n\n\
         | 第二十条第（八）项 | 本年收费金额（单位：万元） |\n|---|---|\n| 行政事业性收费 | {} |\n",
        figures.licensing_decisions,
        figures.penalty_decisions,
        figures.coercion_decisions,
        ten_thousand_yuan(figures.fees_yuan),
    );
    let four: Vec<String> = challenges.row().iter().map(u64::to_string).collect();
    let block = "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计";
    let table_four = format!(
        "四、政府信息公开行政复议、行政诉讼情况\n\n\
         | 行政复议 ||||| 行政诉讼：未经复议直接起诉 ||||| 行政诉讼：复议后起诉 |||||\n\
         | {block} | {block} | {block} |\n{}|\n| {} |\n",
        "|---".repeat(15),
        four.join(" | ")
    );
    format!(
        "{table_two}\n三、收到和处理政府信息公开申请情况\n\n{}\n{table_four}",
        table_three_markdown(rows)
    )
}

/// Per organisation, over the applications due in a period [from, to]
/// (received in it, or received before and still open on `from`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    pub organization_id: i64,
    pub received: u64,
    pub carried_over: u64,
    pub closed: u64,
    pub closed_on_time: u64,
    /// Open at the end of `to` with a running clock and dueOn before `to`,
    /// as the clock stood then.
    pub overdue: u64,
    pub extended: u64,
    pub overridden: u64,
}

impl PeriodCounts {
    /// Adds another organisation's counts (a roll-up keeps its own id).
    pub fn add(&mut self, other: &PeriodCounts) {
        self.received += other.received;
        self.carried_over += other.carried_over;
        self.closed += other.closed;
        self.closed_on_time += other.closed_on_time;
        self.overdue += other.overdue;
        self.extended += other.extended;
        self.overridden += other.overridden;
    }

    /// Still open at the end of the period.
    pub fn open(&self) -> u64 {
        self.received + self.carried_over - self.closed
    }
}

/// closed / (received + carried over); 1.0 when there is nothing to do.
pub fn completion_rate(received: u64, carried_over: u64, closed: u64) -> f64 {
    let due = received + carried_over;
    if due == 0 {
        1.0
    } else {
        closed as f64 / due as f64
    }
}

/// closed on time / closed; 1.0 when nothing was closed.
pub fn on_time_rate(closed: u64, closed_on_time: u64) -> f64 {
    if closed == 0 {
        1.0
    } else {
        closed_on_time as f64 / closed as f64
    }
}

/// The bands oversight counts closings in, by working days to close; they
/// add up across organisations (medians do not). A reply on the day of
/// receipt took 0 working days and falls in the first band.
pub const CLOSING_BANDS: [(&str, u32, u32); 6] = [
    ("0–5", 0, 5),
    ("6–10", 6, 10),
    ("11–15", 11, 15),
    ("16–20", 16, 20),
    ("21–40", 21, 40),
    ("40以上", 41, u32::MAX),
];

/// How many applications closed after how many working days (net of the
/// stopped clock, see `Deadline::working_days_to_close`): a histogram, so
/// that organisations add up and the database sends one row per distinct
/// value rather than one per application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClosingDays(BTreeMap<u32, u64>);

impl ClosingDays {
    pub fn add(&mut self, working_days: u32, applications: u64) {
        *self.0.entry(working_days).or_default() += applications;
    }

    pub fn merge(&mut self, other: &ClosingDays) {
        for (days, n) in &other.0 {
            self.add(*days, *n);
        }
    }

    fn total(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn band_counts(&self) -> [u64; 6] {
        let mut counts = [0; 6];
        for (days, n) in &self.0 {
            if let Some(band) = CLOSING_BANDS
                .iter()
                .position(|(_, low, high)| (low..=high).contains(&days))
            {
                counts[band] += n;
            }
        }
        counts
    }

    pub fn mean(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| {
            let sum: f64 = self.0.iter().map(|(d, n)| f64::from(*d) * *n as f64).sum();
            sum / total as f64
        })
    }

    /// The middle value (the mean of the two middle ones for an even count).
    pub fn median(&self) -> Option<f64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        // The k-th smallest value, k counted from 0.
        let nth = |k: u64| {
            let mut seen = 0;
            self.0
                .iter()
                .find(|(_, n)| {
                    seen += **n;
                    seen > k
                })
                .map(|(d, _)| f64::from(*d))
                .unwrap_or_default()
        };
        Some(if total % 2 == 1 {
            nth(total / 2)
        } else {
            (nth(total / 2 - 1) + nth(total / 2)) / 2.0
        })
    }
}

impl FromIterator<u32> for ClosingDays {
    fn from_iter<I: IntoIterator<Item = u32>>(values: I) -> Self {
        let mut days = ClosingDays::default();
        for value in values {
            days.add(value, 1);
        }
        days
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    #[test]
    fn labels_and_order() {
        let rows = table_three(&YearCounts::default());
        assert_eq!(rows.len(), 2 + 21 + 2);
        assert_eq!(rows[0].label, "一、本年新收政府信息公开申请数量");
        assert_eq!(rows[2].label, "（一）予以公开");
        assert_eq!(rows[4].label, "（三）不予公开 1.属于国家秘密");
        assert_eq!(rows[23].label, "（七）总计");
        assert_eq!(rows[24].label, "四、结转下年度继续办理");
        let markdown = table_three_markdown(&rows);
        assert!(markdown.starts_with(
            "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"
        ));
        assert!(markdown.contains("| 三、本年度办理结果 |"));
        assert_eq!(markdown.lines().count(), 2 + 1 + 25);
    }

    /// Random years of applications: every row's 总计 is its columns' sum,
    /// and each column's 一 + 二 = 三（七） + 四.
    #[test]
    fn identities_hold_on_random_data() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..50 {
            let mut counts = YearCounts::default();
            for kind in ApplicantType::ALL {
                let received = rng.gen_range(0..40);
                let carried_over = rng.gen_range(0..10);
                let mut open = received + carried_over;
                counts.received.insert(*kind, received);
                counts.carried_over.insert(*kind, carried_over);
                for outcome in Outcome::ALL {
                    let closed = rng.gen_range(0..=open.min(5));
                    open -= closed;
                    counts.closed.insert((*kind, *outcome), closed);
                }
                counts.carried_forward.insert(*kind, open);
            }
            let rows = table_three(&counts);
            let total = &rows[23];
            for column in 0..6 {
                assert_eq!(
                    rows[0].columns[column] + rows[1].columns[column],
                    total.columns[column] + rows[24].columns[column]
                );
                let outcomes: u64 = rows[2..23].iter().map(|r| r.columns[column]).sum();
                assert_eq!(outcomes, total.columns[column]);
            }
            for row in &rows {
                assert_eq!(row.total(), row.columns.iter().sum::<u64>());
            }
        }
    }

    #[test]
    fn tables_two_and_four_in_markdown() {
        let counts = crate::domain::legal_challenge::tests::sample();
        assert_eq!(ten_thousand_yuan(123_456), "12.3456");
        assert_eq!(ten_thousand_yuan(500), "0.0500");
        let markdown = statistics_markdown(
            &ProactiveFigures::default(),
            &table_three(&YearCounts::default()),
            &counts,
        );
        assert!(markdown.contains("| 行政事业性收费 | 0.0000 |"));
        assert!(markdown.contains("| 1 | 0 | 0 | 1 | 2 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1 |"));
        assert!(
            ProactiveFigures {
                penalty_decisions: -1,
                ..Default::default()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn rates_and_medians() {
        assert_eq!(completion_rate(0, 0, 0), 1.0);
        assert_eq!(completion_rate(3, 1, 2), 0.5);
        assert_eq!(on_time_rate(0, 0), 1.0);
        assert_eq!(on_time_rate(4, 3), 0.75);
        let days = |values: &[u32]| values.iter().copied().collect::<ClosingDays>();
        // (values, median, mean)
        let cases: [(&[u32], Option<f64>, Option<f64>); 5] = [
            (&[], None, None),
            (&[5, 1, 3], Some(3.0), Some(3.0)),
            (&[4, 1, 3, 2], Some(2.5), Some(2.5)),
            (&[1, 2, 6], Some(2.0), Some(3.0)),
            (&[7, 7, 7, 1], Some(7.0), Some(5.5)),
        ];
        for (values, median, mean) in cases {
            assert_eq!(days(values).median(), median, "{values:?}");
            assert_eq!(days(values).mean(), mean, "{values:?}");
        }
        assert_eq!(
            days(&[0, 5, 6, 20, 21, 40, 41, 300]).band_counts(),
            [2, 1, 0, 1, 2, 2]
        );
        // Two organisations add up to the histogram of all their closings.
        let mut both = days(&[1, 9]);
        both.merge(&days(&[9, 30, 2]));
        assert_eq!(both, days(&[1, 2, 9, 9, 30]));
        assert_eq!(both.median(), Some(9.0));
    }
}
