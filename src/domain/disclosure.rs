//! Proactive disclosures (主动公开, Art. 26): lifecycle and the publication deadline.

use chrono::{DateTime, NaiveDate, Utc};

use super::calendar::WorkingCalendar;
use super::organization::has_control_chars;
use super::problems::Problems;
use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

/// Art. 26: publish within 20 working days of the day the information was formed or changed.
pub const PUBLICATION_PERIOD_WORKING_DAYS: u32 = 20;
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 100_000;
const MAX_DOC_NUMBER_CHARS: usize = 50;
const MAX_REASON_CHARS: usize = 500;

stored_enum!(
    DisclosureStatus {
        Draft = "DRAFT",
        Published = "PUBLISHED",
        Withdrawn = "WITHDRAWN",
    }
);

impl DisclosureStatus {
    /// DRAFT and PUBLISHED items can be edited; WITHDRAWN is final.
    pub fn check_editable(self) -> AppResult<()> {
        match self {
            Self::Withdrawn => Err(AppError::InvalidTransition(
                "已撤回的公开信息不能再修改".into(),
            )),
            _ => Ok(()),
        }
    }

    pub fn check_publishable(self) -> AppResult<()> {
        match self {
            Self::Draft => Ok(()),
            Self::Published => Err(AppError::InvalidTransition("该信息已经发布".into())),
            Self::Withdrawn => Err(AppError::InvalidTransition(
                "已撤回的公开信息不能再发布".into(),
            )),
        }
    }

    pub fn check_withdrawable(self) -> AppResult<()> {
        match self {
            Self::Published => Ok(()),
            _ => Err(AppError::InvalidTransition(
                "只有已发布的信息可以撤回".into(),
            )),
        }
    }
}

/// A disclosure as stored (without the search terms derived from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disclosure {
    pub id: i64,
    pub organization_id: i64,
    pub category_id: i64,
    pub content: DisclosureContent,
    pub status: DisclosureStatus,
    /// 索引号, from the first publication on.
    pub index_no: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The publication day in China Standard Time.
    pub published_on: Option<NaiveDate>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawal_reason: Option<String>,
    /// Its place in listings: the publication time once published, the
    /// creation time before.
    pub listed_at: DateTime<Utc>,
    pub version: i32,
}

/// A category of the disclosure catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
}

/// The orders of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueOrder {
    PublishedDesc,
    PublishedAsc,
    /// Title matches first, then newest first.
    Relevance,
}

/// The content of a disclosure as entered by staff, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureContent {
    pub title: String,
    pub doc_number: Option<String>,
    pub body: String,
    pub formed_on: NaiveDate,
}

impl DisclosureContent {
    /// The content trimmed, or every invalid field at once.
    pub fn validate(mut self, today: NaiveDate) -> AppResult<Self> {
        let mut problems = Problems::default();
        self.title = self.title.trim().to_owned();
        if self.title.is_empty()
            || self.title.chars().count() > MAX_TITLE_CHARS
            || has_control_chars(&self.title)
        {
            problems.add(
                "title",
                format!("标题应为1到{MAX_TITLE_CHARS}个字，且不含控制字符"),
            );
        }
        self.doc_number = self
            .doc_number
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if self
            .doc_number
            .as_deref()
            .is_some_and(|n| n.chars().count() > MAX_DOC_NUMBER_CHARS || has_control_chars(n))
        {
            problems.add(
                "docNumber",
                format!("文号不能超过{MAX_DOC_NUMBER_CHARS}个字"),
            );
        }
        let body_chars = self.body.trim().chars().count();
        let bad_control = self
            .body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        if body_chars == 0 || body_chars > MAX_BODY_CHARS || bad_control {
            problems.add("body", format!("正文应为1到{MAX_BODY_CHARS}个字"));
        }
        if self.formed_on > today {
            problems.add("formedOn", "信息形成日期不能晚于今天");
        }
        problems.finish()?;
        Ok(self)
    }
}

pub fn check_withdrawal_reason(reason: &str) -> AppResult<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS || has_control_chars(reason) {
        return Err(AppError::bad_input(
            "reason",
            format!("撤回理由应为1到{MAX_REASON_CHARS}个字"),
        ));
    }
    Ok(reason.to_owned())
}

/// `formedOn + 20 working days`: the legal publication deadline.
pub fn publish_due_on(formed_on: NaiveDate, calendar: &WorkingCalendar) -> NaiveDate {
    calendar.add_working_days(formed_on, PUBLICATION_PERIOD_WORKING_DAYS)
}

/// Published after the deadline, or not published and already past it.
pub fn published_late(
    published_on: Option<NaiveDate>,
    publish_due_on: NaiveDate,
    today: NaiveDate,
) -> bool {
    published_on.unwrap_or(today) > publish_due_on
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{announced, day};

    #[test]
    fn lifecycle() {
        use DisclosureStatus::*;
        // (status, editable, publishable, withdrawable)
        let cases = [
            (Draft, true, true, false),
            (Published, true, false, true),
            (Withdrawn, false, false, false),
        ];
        for (status, editable, publishable, withdrawable) in cases {
            assert_eq!(status.check_editable().is_ok(), editable, "{status:?}");
            assert_eq!(
                status.check_publishable().is_ok(),
                publishable,
                "{status:?}"
            );
            assert_eq!(
                status.check_withdrawable().is_ok(),
                withdrawable,
                "{status:?}"
            );
        }
        crate::domain::workflow::tests::round_trips::<DisclosureStatus>();
    }

    #[test]
    fn publication_deadline() {
        let calendar = announced();
        // (formedOn, publishDueOn): 20 working days, across the 2025 Spring Festival.
        for (formed, due) in [("2025-01-24", "2025-02-27"), ("2026-02-13", "2026-03-19")] {
            assert_eq!(publish_due_on(day(formed), &calendar), day(due));
        }
        let due = day("2025-02-27");
        // (published on, today, late)
        let cases = [
            (Some("2025-02-27"), "2025-03-10", false),
            (Some("2025-02-28"), "2025-03-10", true),
            (None, "2025-02-27", false),
            (None, "2025-02-28", true),
        ];
        for (published, today, late) in cases {
            assert_eq!(
                published_late(published.map(day), due, day(today)),
                late,
                "{published:?} {today}"
            );
        }
    }

    #[test]
    fn content_validation() {
        let today = day("2026-11-26");
        let content =
            |title: &str, body: &str, doc: Option<&str>, formed: &str| DisclosureContent {
                title: title.into(),
                doc_number: doc.map(Into::into),
                body: body.into(),
                formed_on: day(formed),
            };
        // (content, refused field)
        let cases = [
            (
                content(
                    " 关于开展安全生产检查的通知 ",
                    "正文\n第二段",
                    Some("番府办〔2024〕12号"),
                    "2026-11-26",
                ),
                None,
            ),
            (content("", "正文", None, "2026-11-01"), Some("title")),
            (
                content(&"长".repeat(201), "正文", None, "2026-11-01"),
                Some("title"),
            ),
            (content("标题", "  ", None, "2026-11-01"), Some("body")),
            (
                content("标题", "正文\u{0}", None, "2026-11-01"),
                Some("body"),
            ),
            (
                content("标题", "正文", Some(&"号".repeat(51)), "2026-11-01"),
                Some("docNumber"),
            ),
            (
                content("标题", "正文", None, "2026-11-27"),
                Some("formedOn"),
            ),
        ];
        for (content, refused) in cases {
            let field = match content.validate(today) {
                Ok(checked) => {
                    assert_eq!(checked.title.trim(), checked.title);
                    None
                }
                Err(AppError::BadUserInput { field, .. }) => Some(field),
                Err(other) => panic!("{other:?}"),
            };
            assert_eq!(field.as_deref(), refused);
        }
        // Every invalid field at once.
        let all_wrong = content("", "", Some(&"号".repeat(51)), "2026-11-27");
        let err = all_wrong.validate(today).unwrap_err();
        assert_eq!(
            crate::domain::problems::fields_of(&err),
            ["title", "docNumber", "body", "formedOn"]
        );
    }
}
