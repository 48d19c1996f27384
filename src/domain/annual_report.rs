//! Publishing the annual report (Art. 49): when it is due, what the
//! published document says (sections 一 to 六 around the computed tables),
//! and the arithmetic of frozen figures.

use chrono::NaiveDate;

use super::legal_challenge::ChallengeCounts;
use super::organization::OrganizationKind;
use super::report::{ProactiveFigures, ReportRow, statistics_markdown, ten_thousand_yuan};
use crate::error::{AppError, AppResult};

/// The category the reports are published in (created by a migration).
pub const CATEGORY_CODE: &str = "GKNB";

/// Art. 49: departments, towns and streets publish by 31 January, a
/// district government by 31 March, of the year after the report's.
pub fn due_on(kind: OrganizationKind, year: i32) -> NaiveDate {
    let month = match kind {
        OrganizationKind::District => 3,
        OrganizationKind::Town | OrganizationKind::Street | OrganizationKind::Department => 1,
    };
    NaiveDate::from_ymd_opt(year + 1, month, 31).expect("31 January and 31 March exist")
}

/// Where an organisation stands in the reporting season.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filing {
    Published,
    PublishedLate,
    /// Not published, not yet due.
    Pending,
    /// Not published and past its due day.
    Overdue,
}

impl Filing {
    /// As the reporting-season export names it.
    pub fn label(self) -> &'static str {
        match self {
            Filing::Published => "已按时发布",
            Filing::PublishedLate => "逾期发布",
            Filing::Pending => "未发布（未到期）",
            Filing::Overdue => "逾期未发布",
        }
    }
}

pub fn filing(published_on: Option<NaiveDate>, due_on: NaiveDate, today: NaiveDate) -> Filing {
    match published_on {
        Some(day) if day <= due_on => Filing::Published,
        Some(_) => Filing::PublishedLate,
        None if today <= due_on => Filing::Pending,
        None => Filing::Overdue,
    }
}

/// Only a year that has ended can be reported on.
pub fn check_year_ended(year: i32, today_year: i32) -> AppResult<()> {
    if (2008..today_year).contains(&year) {
        Ok(())
    } else {
        Err(AppError::bad_input(
            "year",
            "只能发布已经结束的年度的年度报告",
        ))
    }
}

/// Tables 二 to 四 of one organisation and year, as computed or as frozen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    pub proactive: ProactiveFigures,
    pub rows: Vec<ReportRow>,
    pub challenges: ChallengeCounts,
}

impl Figures {
    /// Adds another organisation's figures (a roll-up).
    pub fn add(&mut self, other: &Figures) {
        let p = &mut self.proactive;
        let o = &other.proactive;
        for (a, b) in p.regulations.iter_mut().zip(o.regulations) {
            *a += b;
        }
        for (a, b) in p.normative_documents.iter_mut().zip(o.normative_documents) {
            *a += b;
        }
        p.licensing_decisions += o.licensing_decisions;
        p.penalty_decisions += o.penalty_decisions;
        p.coercion_decisions += o.coercion_decisions;
        p.fees_yuan += o.fees_yuan;
        for (row, theirs) in self.rows.iter_mut().zip(&other.rows) {
            debug_assert_eq!(row.label, theirs.label);
            for (a, b) in row.columns.iter_mut().zip(theirs.columns) {
                *a += b;
            }
        }
        let c = &mut self.challenges;
        for (mine, theirs) in [
            (&mut c.review, other.challenges.review),
            (&mut c.direct_suit, other.challenges.direct_suit),
            (&mut c.suit_after_review, other.challenges.suit_after_review),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}

/// The parts people write (一, 五, 六).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportText {
    pub overview: String,
    pub problems_and_improvements: String,
    pub other_matters: Option<String>,
}

impl ReportText {
    pub fn validate(mut self) -> AppResult<Self> {
        self.overview = self.overview.trim().to_owned();
        self.problems_and_improvements = self.problems_and_improvements.trim().to_owned();
        self.other_matters = self
            .other_matters
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        for (field, value) in [
            ("overview", Some(&self.overview)),
            (
                "problemsAndImprovements",
                Some(&self.problems_and_improvements),
            ),
            ("otherMatters", self.other_matters.as_ref()),
        ] {
            let Some(value) = value else { continue };
            if value.chars().count() > 20_000 {
                return Err(AppError::bad_input(field, "每部分不超过20000字"));
            }
            if value.is_empty() {
                return Err(AppError::bad_input(field, "请填写这一部分"));
            }
        }
        Ok(self)
    }
}

/// `{organisation}{year}年政府信息公开工作年度报告`
pub fn title(organization: &str, year: i32) -> String {
    format!("{organization}{year}年政府信息公开工作年度报告")
}

/// Section 六: the text given, then the fees collected in the year (国办函〔2020〕109号).
fn other_matters(text: &ReportText, fees_yuan: i64) -> String {
    let fees = if fees_yuan == 0 {
        "本年度未收取政府信息公开信息处理费。".to_owned()
    } else {
        format!(
            "本年度收取政府信息公开信息处理费{}万元。",
            ten_thousand_yuan(fees_yuan)
        )
    };
    match &text.other_matters {
        Some(other) => format!("{other}\n\n{fees}"),
        None => fees,
    }
}

/// The whole report in Markdown: 一 (text), 二 to 四 (the tables as
/// `annualReport.markdown` prints them), 五 and 六 (texts; 六 with the fees).
pub fn markdown(
    organization: &str,
    year: i32,
    text: &ReportText,
    figures: &Figures,
    fees_yuan: i64,
) -> String {
    format!(
        "# {}\n\n一、总体情况\n\n{}\n\n{}\n五、存在的主要问题及改进情况\n\n{}\n\n六、其他需要报告的事项\n\n{}\n",
        title(organization, year),
        text.overview,
        statistics_markdown(&figures.proactive, &figures.rows, &figures.challenges),
        text.problems_and_improvements,
        other_matters(text, fees_yuan),
    )
}

/// One block of the report for a document writer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Title(String),
    Heading(String),
    Text(String),
    /// Rows of cells, the first the header.
    Table(Vec<Vec<String>>),
}

/// The report as parts: the Markdown's headings, texts and tables.
pub fn parts(
    organization: &str,
    year: i32,
    text: &ReportText,
    figures: &Figures,
    fees_yuan: i64,
) -> Vec<Part> {
    let whole = markdown(organization, year, text, figures, fees_yuan);
    let mut parts = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush = |table: &mut Vec<Vec<String>>, parts: &mut Vec<Part>| {
        if !table.is_empty() {
            parts.push(Part::Table(std::mem::take(table)));
        }
    };
    for line in whole.lines() {
        let line = line.trim();
        if let Some(cells) = line.strip_prefix('|') {
            if cells.starts_with("---") {
                continue;
            }
            table.push(
                cells
                    .trim_end_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_owned())
                    .collect(),
            );
            continue;
        }
        flush(&mut table, &mut parts);
        if line.is_empty() {
            continue;
        }
        if let Some(title) = line.strip_prefix("# ") {
            parts.push(Part::Title(title.to_owned()));
        } else if is_section_heading(line) {
            parts.push(Part::Heading(line.to_owned()));
        } else {
            parts.push(Part::Text(line.to_owned()));
        }
    }
    flush(&mut table, &mut parts);
    parts
}

fn is_section_heading(line: &str) -> bool {
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    .contains(&line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{YearCounts, table_three};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn due_days_and_filing() {
        use OrganizationKind::*;
        assert_eq!(due_on(Town, 2025), day(2026, 1, 31));
        assert_eq!(due_on(Street, 2025), day(2026, 1, 31));
        assert_eq!(due_on(Department, 2025), day(2026, 1, 31));
        assert_eq!(due_on(District, 2025), day(2026, 3, 31));
        let due = day(2026, 1, 31);
        // (published on, today, filing)
        let table = [
            (Some(day(2026, 1, 20)), day(2026, 2, 1), Filing::Published),
            (Some(day(2026, 1, 31)), day(2026, 2, 1), Filing::Published),
            (
                Some(day(2026, 2, 1)),
                day(2026, 2, 1),
                Filing::PublishedLate,
            ),
            (None, day(2026, 1, 31), Filing::Pending),
            (None, day(2026, 2, 1), Filing::Overdue),
        ];
        for (published, today, want) in table {
            assert_eq!(filing(published, due, today), want, "{published:?} {today}");
        }
    }

    #[test]
    fn only_an_ended_year() {
        assert!(check_year_ended(2025, 2026).is_ok());
        assert!(check_year_ended(2026, 2026).is_err());
        assert!(check_year_ended(2027, 2026).is_err());
        assert!(check_year_ended(2007, 2026).is_err());
    }

    fn figures(received: u64) -> Figures {
        let mut counts = YearCounts::default();
        counts.received.insert(
            crate::domain::applicant::ApplicantType::NaturalPerson,
            received,
        );
        Figures {
            proactive: ProactiveFigures {
                fees_yuan: 12_500,
                ..Default::default()
            },
            rows: table_three(&counts),
            challenges: ChallengeCounts::default(),
        }
    }

    #[test]
    fn figures_add_up() {
        let mut total = figures(2);
        total.add(&figures(3));
        assert_eq!(total.rows[0].columns[0], 5);
        assert_eq!(total.proactive.fees_yuan, 25_000);
    }

    #[test]
    fn the_whole_report() {
        let text = ReportText {
            overview: "本年度……".into(),
            problems_and_improvements: "存在问题……".into(),
            other_matters: None,
        };
        let md = markdown("南村镇人民政府", 2025, &text, &figures(3), 300);
        let order = [
            "# 南村镇人民政府2025年政府信息公开工作年度报告",
            "一、总体情况",
            "本年度……",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "| 一、本年新收政府信息公开申请数量 | 3 |",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "存在问题……",
            "六、其他需要报告的事项",
            "本年度收取政府信息公开信息处理费0.0300万元。",
        ];
        let mut from = 0;
        for part in order {
            from += md[from..]
                .find(part)
                .unwrap_or_else(|| panic!("{part} in {md}"))
                + part.len();
        }
        let parts = parts("南村镇人民政府", 2025, &text, &figures(3), 0);
        assert_eq!(
            parts[0],
            Part::Title("南村镇人民政府2025年政府信息公开工作年度报告".into())
        );
        assert_eq!(
            parts
                .iter()
                .filter(|p| matches!(p, Part::Heading(_)))
                .count(),
            6
        );
        // Table 二's four blocks, 三 and 四.
        assert_eq!(
            parts.iter().filter(|p| matches!(p, Part::Table(_))).count(),
            6
        );
        assert!(parts.contains(&Part::Text("本年度未收取政府信息公开信息处理费。".into())));
    }
}
