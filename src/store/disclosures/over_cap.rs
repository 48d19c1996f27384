//! Counting a listing up to a cap, and the memo of public filters known to
//! match more (table catalogue_over_cap): counting the first 10,001 matches
//! of a common word reads that many rows, every time it is asked.

use chrono::{DateTime, Utc};
use entity::catalogue_over_cap;
use entity::disclosure::{Column, Entity};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set};

use super::dialect::Dialect;
use super::filter::{DisclosureFilter, filter_condition};
use super::search::{FEW_TITLE_MATCHES, SearchPlan};
use crate::domain::canonical::Canonical;
use crate::error::{AppError, AppResult};
use crate::store::visibility::{OrgScope, Visibility};

/// How many items match, counting no further than `cap`.
///
/// A public filter that once matched `cap` items or more is remembered and
/// answered without counting. The public sees PUBLISHED items only, whose
/// number under a fixed filter only grows as items are published; it can
/// shrink only when a published item is withdrawn or edited, and both
/// `forget` every remembered filter in their transaction. (A count already
/// under way when that happens may still remember its filter: then the
/// answer says "more than 10,000" for a filter that now matches exactly the
/// cap.)
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    cap: u64,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let remembered = filter_text(filter, cap).map(|text| text.digest());
    if let Some(key) = &remembered
        && is_remembered(db, key).await?
    {
        return Ok(cap);
    }
    let capped = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(filter_condition(
            Dialect::of(db),
            filter,
            SearchPlan::FromIndex,
        ))
        .limit(cap)
        .into_query();
    let count = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_subquery(capped, "capped")
        .to_owned();
    let row = db
        .query_one(&count)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let count = row.try_get::<i64>("", "n")? as u64;
    if let Some(key) = remembered.filter(|_| count >= cap) {
        remember(db, key, now).await?;
    }
    Ok(count)
}

/// What a public filter is remembered under (its digest); None for staff,
/// whose listings include drafts that come and go. Every field of the
/// filter is named: a new field is a new version of the text, whose old
/// entries then never match again (and go with the next `forget`).
fn filter_text(filter: &DisclosureFilter, cap: u64) -> Option<Canonical> {
    let Visibility::PublishedOnly = filter.visibility else {
        return None;
    };
    let organization = filter.organization.as_ref().map(|scope| match scope {
        OrgScope::One(id) => format!("one:{id}"),
        OrgScope::Subtree(path) => format!("below:{path}"),
    });
    let days = |day: Option<chrono::NaiveDate>| day.map(|d| d.to_string());
    let categories: Option<Vec<String>> = filter
        .category_ids
        .as_ref()
        .map(|ids| ids.iter().map(i64::to_string).collect());
    let text = Canonical::new("catalogue count v1")
        .field("cap", &cap.to_string())
        .optional("status", filter.status.map(|s| s.as_str()))
        .optional("organization", organization.as_deref())
        .optional_list("categories", categories.as_deref())
        .optional("publishedFrom", days(filter.published_from).as_deref())
        .optional("publishedTo", days(filter.published_to).as_deref())
        .optional_list("search", filter.search.as_ref().map(|s| s.terms.as_slice()));
    Some(text)
}

/// What "more than FEW_TITLE_MATCHES titles hold all these terms" is
/// remembered under (its digest).
fn title_probe_text(terms: &[&String]) -> Canonical {
    Canonical::new("title matches v1")
        .field("over", &FEW_TITLE_MATCHES.to_string())
        .list("terms", terms.iter().map(|t| t.as_str()))
}

pub(super) fn title_probe_key(terms: &[&String]) -> String {
    title_probe_text(terms).digest()
}

pub(super) async fn is_remembered(db: &impl ConnectionTrait, key: &str) -> AppResult<bool> {
    Ok(catalogue_over_cap::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .is_some())
}

pub(super) async fn remember(
    db: &impl ConnectionTrait,
    key: String,
    now: DateTime<Utc>,
) -> AppResult<()> {
    catalogue_over_cap::Entity::insert(catalogue_over_cap::ActiveModel {
        filter_key: Set(key),
        recorded_at: Set(now),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    Ok(())
}

/// After a published item was withdrawn or edited, public filters may
/// match fewer items than when they were remembered.
pub(super) async fn forget(db: &impl ConnectionTrait) -> AppResult<()> {
    catalogue_over_cap::Entity::delete_many().exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::disclosure::DisclosureStatus;
    use crate::store::disclosures::Search;

    fn public(search: &[&str]) -> DisclosureFilter {
        DisclosureFilter {
            visibility: Visibility::PublishedOnly,
            status: Some(DisclosureStatus::Published),
            organization: Some(OrgScope::Subtree("/1/5/".into())),
            category_ids: Some(vec![3, 4]),
            published_from: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
            published_to: None,
            search: Some(Search {
                terms: search.iter().map(|t| t.to_string()).collect(),
            }),
        }
    }

    /// The keys are digests of explicit texts, pinned here: a change of
    /// either text is a change of version.
    #[test]
    fn memo_texts_are_pinned() {
        let text =
            |filter: &DisclosureFilter| filter_text(filter, 10_001).map(|t| t.as_str().to_owned());
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
        let terms = ["公开".to_string(), "预算".to_string()];
        assert_eq!(
            title_probe_text(&terms.iter().collect::<Vec<_>>()).as_str(),
            "title matches v1;over=5000;terms=[公开,预算]"
        );
    }
}
