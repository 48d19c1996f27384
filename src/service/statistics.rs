//! Completion statistics for oversight and the annual report's tables.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::annual_report::Figures;
use crate::domain::legal_challenge::ChallengeCounts;
use crate::domain::organization::Organization;
use crate::domain::policy::{Caller, Listing, Operation, Scope, reach};
use crate::domain::report::{self, ClosingDays, PeriodCounts, ProactiveFigures, ReportRow};
use crate::domain::workflow::Outcome;
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::store;

pub struct OrganizationStats {
    pub organization: Organization,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub counts: PeriodCounts,
    pub completion_rate: f64,
    pub on_time_rate: f64,
    /// The applications closed in the period by working days to close.
    pub closing_days: ClosingDays,
    pub outcomes: Vec<(Outcome, u64)>,
}

impl OrganizationStats {
    fn new(
        organization: Organization,
        from: NaiveDate,
        to: NaiveDate,
        counts: PeriodCounts,
        closing_days: ClosingDays,
        mut outcomes: Vec<(Outcome, u64)>,
    ) -> Self {
        outcomes.sort_by_key(|(outcome, _)| Outcome::ALL.iter().position(|o| o == outcome));
        OrganizationStats {
            completion_rate: report::completion_rate(
                counts.received,
                counts.carried_over,
                counts.closed,
            ),
            on_time_rate: report::on_time_rate(counts.closed, counts.closed_on_time),
            closing_days,
            outcomes,
            from,
            to,
            counts,
            organization,
        }
    }
}

/// The rows of organisations added up into one for `organization` (a
/// district's roll-up): counts and bands add up, rates and medians are
/// recomputed over the whole.
pub fn roll_up(
    organization: Organization,
    rows: &[OrganizationStats],
    from: NaiveDate,
    to: NaiveDate,
) -> OrganizationStats {
    let mut counts = PeriodCounts {
        organization_id: organization.id,
        ..Default::default()
    };
    let mut outcomes: HashMap<Outcome, u64> = HashMap::new();
    let mut closing_days = ClosingDays::default();
    for row in rows {
        counts.add(&row.counts);
        closing_days.merge(&row.closing_days);
        for (outcome, n) in &row.outcomes {
            *outcomes.entry(*outcome).or_default() += n;
        }
    }
    OrganizationStats::new(
        organization,
        from,
        to,
        counts,
        closing_days,
        outcomes.into_iter().collect(),
    )
}

/// The organisation a statistics request asks about (default: the
/// caller's own) and the organisations it covers: those at or below it
/// that the caller reaches (its own alone for the staff of an organisation).
async fn covered(
    db: &impl ConnectionTrait,
    caller: &Caller,
    scope: Scope,
    organization_id: Option<i64>,
) -> AppResult<(Organization, Vec<Organization>)> {
    let id = organization_id
        .or(caller.actor().map(|actor| actor.organization_id))
        .ok_or_else(|| AppError::bad_input("organizationId", "请指定机构"))?;
    let (organization, _) =
        access::organization(db, caller, Operation::Read, id, Concerning::Statistics).await?;
    let covered = store::organizations::subtree(db, &organization.place)
        .await?
        .into_iter()
        .filter(|org| scope.includes(&org.place))
        .collect();
    Ok((organization, covered))
}

/// Which of the figures that need a query of their own a caller reads.
#[derive(Clone, Copy, Debug)]
pub struct StatsParts {
    pub outcomes: bool,
    /// Medians, means and bands of the working days to close.
    pub closing_days: bool,
}

impl StatsParts {
    pub const ALL: StatsParts = StatsParts {
        outcomes: true,
        closing_days: true,
    };
}

/// Completion figures per organisation; the parts not asked for are left
/// empty.
pub async fn completion(
    db: &impl ConnectionTrait,
    caller: &Caller,
    organization_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    parts: StatsParts,
) -> AppResult<Vec<OrganizationStats>> {
    Ok(completion_of(db, caller, organization_id, from, to, parts)
        .await?
        .1)
}

async fn completion_of(
    db: &impl ConnectionTrait,
    caller: &Caller,
    organization_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    parts: StatsParts,
) -> AppResult<(Organization, Vec<OrganizationStats>)> {
    let scope = reach(caller, Listing::Statistics)?.scope;
    if from > to {
        return Err(AppError::bad_input("from", "开始日期不能晚于结束日期"));
    }
    let (asked, orgs) = covered(db, caller, scope, organization_id).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let mut counts: HashMap<i64, PeriodCounts> =
        store::statistics::period_counts(db, &ids, from, to)
            .await?
            .into_iter()
            .map(|c| (c.organization_id, c))
            .collect();
    let mut outcomes: HashMap<i64, Vec<(Outcome, u64)>> = HashMap::new();
    if parts.outcomes {
        for (org, outcome, n) in store::statistics::outcomes(db, &ids, from, to).await? {
            outcomes.entry(org).or_default().push((outcome, n));
        }
    }
    let mut closing_days: HashMap<i64, ClosingDays> = HashMap::new();
    if parts.closing_days {
        for (org, days, n) in store::statistics::closing_days(db, &ids, from, to).await? {
            closing_days.entry(org).or_default().add(days, n);
        }
    }
    let rows = orgs
        .into_iter()
        .map(|organization| {
            let counts = counts.remove(&organization.id).unwrap_or(PeriodCounts {
                organization_id: organization.id,
                ..Default::default()
            });
            let days = closing_days.remove(&organization.id).unwrap_or_default();
            let outcomes = outcomes.remove(&organization.id).unwrap_or_default();
            OrganizationStats::new(organization, from, to, counts, days, outcomes)
        })
        .collect();
    Ok((asked, rows))
}

/// The roll-up of `completion` for the organisation asked about.
pub async fn completion_roll_up(
    db: &impl ConnectionTrait,
    caller: &Caller,
    organization_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    parts: StatsParts,
) -> AppResult<OrganizationStats> {
    let (organization, rows) = completion_of(db, caller, organization_id, from, to, parts).await?;
    Ok(roll_up(organization, &rows, from, to))
}

pub struct AnnualReport {
    pub organization: Organization,
    pub year: i32,
    /// Table 二.
    pub figures: ProactiveFigures,
    /// Table 三.
    pub rows: Vec<ReportRow>,
    /// Table 四.
    pub challenges: ChallengeCounts,
    /// The organisations added up, each with whether its figures are the
    /// ones frozen at publication (true) or computed live (false).
    pub sources: Vec<(Organization, bool)>,
}

impl AnnualReport {
    pub fn new(
        organization: Organization,
        year: i32,
        figures: Figures,
        sources: Vec<(Organization, bool)>,
    ) -> Self {
        AnnualReport {
            organization,
            year,
            figures: figures.proactive,
            rows: figures.rows,
            challenges: figures.challenges,
            sources,
        }
    }
}

/// Tables 二 to 四 of these organisations added up, computed from the
/// data as it stands.
pub async fn live_figures(db: &impl ConnectionTrait, ids: &[i64], year: i32) -> AppResult<Figures> {
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
    let counts = store::statistics::year_counts(db, ids, first_day, last_day).await?;
    let proactive = store::annual_inputs::figures(db, ids, year).await?;
    // Table 四: the cases filed in the year, each with its result as it
    // stood on 31 December (尚未审结 when undecided then).
    let mut challenges = ChallengeCounts::default();
    for case in store::legal_challenges::filed(db, ids, first_day, last_day).await? {
        let result = case
            .result
            .filter(|_| case.decided_on.is_some_and(|d| d <= last_day));
        challenges.add(case.kind, case.after_review, result);
    }
    Ok(Figures {
        proactive,
        rows: report::table_three(&counts),
        challenges,
    })
}

/// Tables 二 to 四 of an organisation (or, with `include_descendants`, of
/// it and everything below it). Years that have ended are public; the
/// current year is for staff of the organisation and oversight above it,
/// and rolls up only the organisations the caller reaches. An organisation
/// whose report of the year is published counts with its frozen figures.
pub async fn annual_report(
    db: &DatabaseConnection,
    caller: &Caller,
    organization_id: i64,
    year: i32,
    include_descendants: bool,
    today: NaiveDate,
) -> AppResult<AnnualReport> {
    check_year(year, today)?;
    let year_ended = year < today.year();
    let (organization, _) = access::organization(
        db,
        caller,
        Operation::Read,
        organization_id,
        Concerning::AnnualReport { year_ended },
    )
    .await?;
    let mut rolled_up = if include_descendants {
        store::organizations::subtree(db, &organization.place).await?
    } else {
        vec![organization.clone()]
    };
    if !year_ended {
        let scope = reach(caller, Listing::Statistics)?.scope;
        rolled_up.retain(|org| scope.includes(&org.place));
    }
    let ids: Vec<i64> = rolled_up.iter().map(|o| o.id).collect();
    let published = store::annual_reports::of_organizations(db, &ids, Some(year)).await?;
    let live_ids: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !published.iter().any(|p| p.organization_id == *id))
        .collect();
    let mut figures = live_figures(db, &live_ids, year).await?;
    for report in &published {
        figures.add(&report.figures);
    }
    let sources = rolled_up
        .into_iter()
        .map(|org| {
            let frozen = published.iter().any(|p| p.organization_id == org.id);
            (org, frozen)
        })
        .collect();
    Ok(AnnualReport::new(organization, year, figures, sources))
}

pub(crate) fn check_year(year: i32, today: NaiveDate) -> AppResult<()> {
    if (2008..=today.year()).contains(&year) {
        Ok(())
    } else {
        Err(AppError::bad_input("year", "年份应在2008年至今年之间"))
    }
}

/// Table 二's figures of an organisation and year, entered by its staff.
pub async fn set_proactive_figures(
    db: &DatabaseConnection,
    caller: &Caller,
    organization_id: i64,
    year: i32,
    figures: ProactiveFigures,
    today: NaiveDate,
) -> AppResult<ProactiveFigures> {
    let (org, _) = access::organization(
        db,
        caller,
        Operation::EnterFigures,
        organization_id,
        Concerning::Itself,
    )
    .await?;
    check_year(year, today)?;
    let figures = figures.validate()?;
    store::annual_inputs::set_figures(db, org.id, year, figures).await?;
    Ok(figures)
}
