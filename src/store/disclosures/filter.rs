//! Which disclosures a listing shows: the caller's visibility and the
//! filter asked for, as one condition.

use chrono::{DateTime, NaiveDate, Utc};
use entity::disclosure::Column;
use sea_orm::{ColumnTrait, Condition};

use super::dialect::Dialect;
use super::search::{SearchPlan, search_condition};
use crate::domain::calendar::china_day_start;
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

/// Where the previous page ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub title_hit: bool,
    pub listed_at: DateTime<Utc>,
    pub id: i64,
}

pub(super) fn filter_condition(
    dialect: Dialect,
    filter: &DisclosureFilter,
    plan: SearchPlan,
) -> Condition {
    let published = Column::Status.eq(DisclosureStatus::Published.as_str());
    let mut condition = Condition::all().add(
        filter
            .visibility
            .condition(Column::OrganizationId, Some(published)),
    );
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.as_str()));
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
        condition = condition.add(Column::Status.ne(DisclosureStatus::Draft.as_str()));
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
