//! Search planning: how a query finds the items that match a search, from
//! the full-text index or tested in place along the listing index, and
//! which way a title search goes.

use chrono::{DateTime, Utc};
use entity::disclosure::Column;
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};

use super::dialect::Dialect;
use super::over_cap;
use crate::domain::canonical::Canonical;
use crate::domain::search_terms::is_indexed;
use crate::error::{AppError, AppResult};

/// How a query finds the items that match a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SearchPlan {
    /// The full-text index lists the matches, which are then sorted: for
    /// counting, and for words that match few items.
    FromIndex,
    /// Items are tested where they lie along the listing index: for common
    /// words, whose first matches come after a few rows. Looking each one up
    /// in the full-text index would cost more than reading its terms.
    InPlace,
}

/// All terms match (in the title alone when `title_only`). Bigram and word
/// terms are answered as `plan` says; a lone CJK character has no bigram
/// to look up and falls back to a substring match.
pub(super) fn search_condition(
    dialect: Dialect,
    terms: &[String],
    title_only: bool,
    plan: SearchPlan,
) -> SimpleExpr {
    let (indexed, single): (Vec<&String>, Vec<&String>) = terms.iter().partition(|t| is_indexed(t));
    let mut condition = Condition::all();
    if !indexed.is_empty() {
        condition = condition.add(match plan {
            SearchPlan::FromIndex => dialect.index_match(&indexed, title_only),
            SearchPlan::InPlace => dialect.in_place_match(&indexed, title_only),
        });
    }
    for term in single {
        let pattern = format!("%{term}%");
        let in_title = Column::Title.like(pattern.clone());
        condition = condition.add(if title_only {
            in_title
        } else {
            Condition::any()
                .add(in_title)
                .add(Column::DocNumber.like(pattern.clone()))
                .add(Column::Body.like(pattern))
                .into()
        });
    }
    condition.into()
}

/// Title matches found by the full-text index count no further than this
/// before walking the listing becomes the cheaper way to find them: the
/// same balance as the service's FEW_MATCHES (collecting and sorting costs
/// ∝ matches, walking ∝ items ÷ matches; equal near 800 at 100k items and
/// 2,600 at 1M). At 5,000, a word in 3,000 titles was counted, and its
/// 3,000 matches collected and sorted, on every request.
const FEW_TITLE_MATCHES: u64 = 1_000;

/// What "more than FEW_TITLE_MATCHES titles hold all these terms" is
/// remembered under (its digest).
fn title_probe(terms: &[&String]) -> Canonical {
    Canonical::new("title matches v1")
        .field("over", &FEW_TITLE_MATCHES.to_string())
        .list("terms", terms.iter().map(|t| t.as_str()))
}

/// Whether at most FEW_TITLE_MATCHES items (of any status) have every term
/// in their title, counted from the title's own full-text index. Words
/// found over that number are remembered with the counts over the cap
/// (`over_cap`): the answer only chooses a plan, and either plan lists the
/// same items, so a remembered answer that has gone stale costs time, never
/// correctness.
pub(super) async fn few_title_matches(
    db: &impl ConnectionTrait,
    terms: &[String],
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let indexed: Vec<&String> = terms.iter().filter(|t| is_indexed(t)).collect();
    if indexed.is_empty() {
        return Ok(false);
    }
    let key = title_probe(&indexed).digest();
    if over_cap::is_remembered(db, &key).await? {
        return Ok(false);
    }
    let statement = Dialect::of(db).count_title_matches(&indexed, FEW_TITLE_MATCHES + 1);
    let row = db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let few = row.try_get::<i64>("", "n")? as u64 <= FEW_TITLE_MATCHES;
    if !few {
        over_cap::remember(db, key, now).await?;
    }
    Ok(few)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_text_of_a_title_probe_is_pinned() {
        let terms = ["公开".to_string(), "预算".to_string()];
        assert_eq!(
            title_probe(&terms.iter().collect::<Vec<_>>()).as_str(),
            "title matches v1;over=1000;terms=[公开,预算]"
        );
    }
}
