//! Search planning: how a query finds the items that match a search, from
//! the full-text index or tested in place along the listing index, and
//! which way a title search goes.

use chrono::{DateTime, Utc};
use entity::disclosure::Column;
use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};

use super::dialect::Dialect;
use super::filter::DisclosureFilter;
use super::listing::CappedCount;
use super::over_cap;
use crate::domain::canonical::Canonical;
use crate::domain::search_terms::is_indexed;
use crate::error::{AppError, AppResult};
use crate::store::sql::with_literal_limits;

/// How a query finds the items that match a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SearchPlan {
    /// The full-text index lists the matches, which are then sorted: for
    /// words that match few items.
    FromIndex,
    /// The full-text index lists the matches, to be counted. The words are
    /// not shown to PostgreSQL's planner: a capped count has one plan
    /// whatever they are (`Dialect::index_match`).
    Counting,
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
            SearchPlan::FromIndex => dialect.index_match(&indexed, title_only, true),
            SearchPlan::Counting => dialect.index_match(&indexed, title_only, false),
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

/// A search matching at most this many items collects them from the
/// full-text index and sorts them (cost ∝ matches); one matching more walks
/// the listing index and tests each item in place, meeting 20 matches
/// within about 20 × items ÷ matches rows. At ~1 µs a test in place and
/// ~2–3 µs a match collected (a word of 6,000 matches cost 21–42 ms counted
/// and collected), the two cost the same near 2.6 × √items matches: about
/// 800 at 100k items, 2,600 at 1M.
const FEW_MATCHES: u64 = 1_000;

/// Title matches found by the full-text index count no further than this
/// before walking the listing becomes the cheaper way to find them: the
/// same balance as FEW_MATCHES. At 5,000, a word in 3,000 titles was
/// counted, and its 3,000 matches collected and sorted, on every request.
const FEW_TITLE_MATCHES: u64 = 1_000;

/// What "more than FEW_TITLE_MATCHES titles hold all these terms" is
/// remembered under (its digest).
fn title_probe(terms: &[&String]) -> Canonical {
    Canonical::new("title matches v1")
        .field("over", &FEW_TITLE_MATCHES.to_string())
        .list("terms", terms.iter().map(|t| t.as_str()))
}

/// How a search finds its matches, and RELEVANCE its title matches.
#[derive(Clone, Copy, Debug)]
pub(super) struct SearchChoice {
    pub(super) plan: SearchPlan,
    pub(super) title_plan: SearchPlan,
}

/// The plans for a search whose matches were `counted` (up to the
/// listing's cap) or are to be counted here, up to FEW_MATCHES; for
/// RELEVANCE also from the titles that hold every term (of any status),
/// counted from the title's own full-text index up to FEW_TITLE_MATCHES.
/// Both counts are one statement, and each reads first the memo of what
/// was found over its cap (`over_cap`). A title count's answer only
/// chooses a plan, and either plan lists the same items, so a remembered
/// answer that has gone stale costs time, never correctness.
pub(super) async fn choose_plan(
    db: &impl ConnectionTrait,
    filter: &DisclosureFilter,
    terms: &[String],
    relevance: bool,
    counted: Option<u64>,
    now: DateTime<Utc>,
) -> AppResult<SearchChoice> {
    let dialect = Dialect::of(db);
    let matches = match counted {
        Some(_) => None,
        None => Some(CappedCount::of(dialect, filter, FEW_MATCHES + 1)),
    };
    let indexed: Vec<&String> = terms.iter().filter(|t| is_indexed(t)).collect();
    // Few matches anywhere are few in titles.
    let probe_titles = relevance && !indexed.is_empty() && counted.is_none_or(|n| n > FEW_MATCHES);
    let title_key = probe_titles.then(|| title_probe(&indexed).digest());
    let mut statement = Query::select();
    if let Some(matches) = &matches {
        statement.expr_as(matches.expr(), "n");
    }
    if let Some(key) = &title_key {
        let titles = dialect.title_match_count(&indexed, FEW_TITLE_MATCHES + 1);
        statement.expr_as(over_cap::unless_remembered(key, titles), "titles");
    }
    let row = match (&matches, &title_key) {
        (None, None) => None,
        _ => {
            db.query_one_raw(with_literal_limits(db.get_database_backend(), &statement))
                .await?
        }
    };
    let value = |column| match &row {
        Some(row) => row.try_get::<i64>("", column).map_err(AppError::from),
        None => Err(AppError::internal("COUNT returned no row")),
    };
    let matched = match matches {
        Some(matches) => matches.settle(db, value("n")?, now).await?,
        None => counted.unwrap_or_default(),
    };
    let plan = if matched <= FEW_MATCHES {
        SearchPlan::FromIndex
    } else {
        SearchPlan::InPlace
    };
    let few_titles = match title_key {
        Some(key) => {
            let titles = value("titles")?;
            let few = (0..=FEW_TITLE_MATCHES as i64).contains(&titles);
            if !few && titles >= 0 {
                over_cap::remember(db, key, now).await?;
            }
            few
        }
        None => false,
    };
    let title_plan = if few_titles {
        SearchPlan::FromIndex
    } else {
        plan
    };
    Ok(SearchChoice { plan, title_plan })
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
