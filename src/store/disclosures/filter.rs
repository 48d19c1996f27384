//! Which disclosures a listing shows: the caller's visibility and the
//! filter asked for, as one condition.

use chrono::{DateTime, NaiveDate, Utc};
use entity::disclosure::{Column, Entity};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ExprTrait};

use super::dialect::Dialect;
use super::search::{SearchPlan, search_condition};
use crate::domain::calendar::china_day_start;
use crate::domain::canonical::Canonical;
use crate::domain::disclosure::DisclosureStatus;
use crate::store::visibility::{OrgScope, Visibility};

#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Index terms that must all match (see domain::search_terms).
    pub terms: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct DisclosureFilter {
    pub visibility: Visibility,
    pub status: Option<DisclosureStatus>,
    pub organization: Option<OrgScope>,
    /// A category and its subcategories.
    pub category_ids: Option<Vec<i64>>,
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
    pub search: Option<Search>,
}

impl DisclosureFilter {
    /// What a public filter counted up to `cap` is remembered under (its
    /// digest; see `over_cap`); None for staff, whose listings include
    /// drafts that come and go. Every field is named: a new field is a new
    /// version of the text, whose old entries then never match again.
    pub(super) fn canonical(&self, cap: u64) -> Option<Canonical> {
        let Visibility::PublishedOnly = self.visibility else {
            return None;
        };
        let organization = self.organization.as_ref().map(|scope| match scope {
            OrgScope::One(id) => format!("one:{id}"),
            OrgScope::Subtree(path) => format!("below:{path}"),
        });
        let day = |day: Option<NaiveDate>| day.map(|d| d.to_string());
        let categories: Option<Vec<String>> = self
            .category_ids
            .as_ref()
            .map(|ids| ids.iter().map(i64::to_string).collect());
        Some(
            Canonical::new("catalogue count v1")
                .field("cap", &cap.to_string())
                .optional("status", self.status.map(|s| s.as_str()))
                .optional("organization", organization.as_deref())
                .optional_list("categories", categories.as_deref())
                .optional("publishedFrom", day(self.published_from).as_deref())
                .optional("publishedTo", day(self.published_to).as_deref())
                .optional_list("search", self.search.as_ref().map(|s| s.terms.as_slice())),
        )
    }
}

/// Where the previous page ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub title_hit: bool,
    pub listed_at: DateTime<Utc>,
    pub id: i64,
}

/// A status written into the statement, not bound. PostgreSQL plans a
/// bound status as if each held a third of the items, where PUBLISHED holds
/// 97%: the plan made without the values (the generic plan) of a page then
/// looked twice as dear as theirs, and every page was planned again on
/// every request. A status is one of the store's own words, never input.
fn status_is(status: DisclosureStatus) -> SimpleExpr {
    Expr::col((Entity, Column::Status)).eq(Expr::Constant(status.as_str().into()))
}

pub(super) fn filter_condition(
    dialect: Dialect,
    filter: &DisclosureFilter,
    plan: SearchPlan,
) -> Condition {
    let published = status_is(DisclosureStatus::Published);
    let mut condition = Condition::all().add(
        filter
            .visibility
            .condition(Column::OrganizationId, Some(published)),
    );
    // The public's own status filter is its visibility already (written
    // twice, the planner takes the two tests as independent and guesses the
    // matches too few).
    let shown_anyway = |status: &DisclosureStatus| {
        matches!(filter.visibility, Visibility::PublishedOnly)
            && *status == DisclosureStatus::Published
    };
    if let Some(status) = filter.status.filter(|s| !shown_anyway(s)) {
        condition = condition.add(status_is(status));
    }
    if let Some(scope) = &filter.organization {
        condition = condition.add(scope.condition(Column::OrganizationId));
    }
    if let Some(category_ids) = &filter.category_ids {
        condition = condition.add(Column::CategoryId.is_in(category_ids.iter().copied()));
    }
    // A published item is listed at its publication time, and publishedOn
    // is that instant's date in China (see `writes`): a range of days is a
    // range of the listing index, which counts without reading the rows.
    if filter.published_from.is_some() || filter.published_to.is_some() {
        condition = condition.add(status_is(DisclosureStatus::Draft).not());
    }
    if let Some(from) = filter.published_from {
        condition = condition.add(Column::ListedAt.gte(china_day_start(from)));
    }
    if let Some(to) = filter.published_to.and_then(|to| to.succ_opt()) {
        condition = condition.add(Column::ListedAt.lt(china_day_start(to)));
    }
    if let Some(search) = &filter.search {
        condition = condition.add(search_condition(dialect, &search.terms, false, plan));
    }
    condition
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(search: &[&str]) -> DisclosureFilter {
        DisclosureFilter {
            visibility: Visibility::PublishedOnly,
            status: Some(DisclosureStatus::Published),
            organization: Some(OrgScope::Subtree("/1/5/".into())),
            category_ids: Some(vec![3, 4]),
            published_from: NaiveDate::from_ymd_opt(2025, 1, 1),
            published_to: None,
            search: Some(Search {
                terms: search.iter().map(|t| t.to_string()).collect(),
            }),
        }
    }

    /// The memo key is the digest of this text, pinned here: a change of
    /// the text is a change of version.
    #[test]
    fn the_memo_text_of_a_filter_is_pinned() {
        let text = |filter: &DisclosureFilter| {
            filter
                .canonical(10_001)
                .map(|text| text.as_str().to_owned())
        };
        assert_eq!(
            text(&public(&["公开", "预算"])).as_deref(),
            Some(
                "catalogue count v1;cap=10001;status=PUBLISHED;organization=below:/1/5/;\
                 categories=[3,4];publishedFrom=2025-01-01;publishedTo;search=[公开,预算]"
            )
        );
        assert_ne!(text(&public(&["公开"])), text(&public(&["公开", "预算"])));
        let staff = DisclosureFilter {
            visibility: Visibility::Everything,
            ..public(&["公开"])
        };
        assert_eq!(text(&staff), None);
    }
}
