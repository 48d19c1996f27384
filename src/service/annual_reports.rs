//! Publishing the annual report (Art. 49) and the reporting season: who
//! has published, who is late, who has not yet.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::annual_report::{self, Filing, ReportText};
use crate::domain::calendar::china_date;
use crate::domain::disclosure::{Disclosure, DisclosureContent};
use crate::domain::files::{DOCX, MARKDOWN};
use crate::domain::organization::Organization;
use crate::domain::policy::{Caller, Listing, Operation, reach};
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning};
use crate::service::statistics::{self, AnnualReport};
use crate::service::{Services, files};
use crate::store;
use crate::store::annual_reports::{NewPublication, PublishedReport};
use crate::store::disclosures::NewDisclosure;

/// A published report with its organisation.
pub struct Published {
    pub organization: Organization,
    pub report: PublishedReport,
}

impl Published {
    pub fn published_on(&self) -> NaiveDate {
        china_date(self.report.published_at)
    }

    pub fn published_late(&self) -> bool {
        self.published_on() > self.report.due_on
    }

    /// The frozen figures as an annual report.
    pub fn annual_report(&self) -> AnnualReport {
        AnnualReport::new(
            self.organization.clone(),
            self.report.year,
            self.report.figures.clone(),
            vec![(self.organization.clone(), true)],
        )
    }

    /// The whole report in Markdown (sections 一 to 六).
    pub fn markdown(&self) -> String {
        annual_report::markdown(
            &self.organization.name,
            self.report.year,
            &self.report.text,
            &self.report.figures,
            self.report.fees_yuan,
        )
    }
}

/// Freezes the year's tables, renders the report and publishes it as a
/// disclosure of the category 政府信息公开工作年度报告: APPROVER of the
/// organisation or ADMIN, once per organisation and year, for a year that
/// has ended.
pub async fn publish(
    services: &Services,
    caller: &Caller,
    organization_id: i64,
    year: i32,
    text: ReportText,
    now: DateTime<Utc>,
) -> AppResult<(Published, Disclosure)> {
    let db = &services.db;
    let today = china_date(now);
    let (organization, _) = access::organization(
        db,
        caller,
        Operation::PublishAnnualReport,
        organization_id,
        Concerning::AnnualReport {
            year_ended: year < today.year(),
        },
    )
    .await?;
    annual_report::check_year_ended(year, today.year())?;
    let text = text.validate()?;
    let category = store::categories::find_by_code(db, annual_report::CATEGORY_CODE)
        .await?
        .ok_or_else(|| AppError::internal("the annual report category is missing"))?;
    let figures = statistics::live_figures(db, &[organization.id], year).await?;
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
    let fees_yuan =
        store::annual_reports::fees_collected(db, &[organization.id], first_day, last_day).await?;
    let body = annual_report::markdown(&organization.name, year, &text, &figures, fees_yuan);
    let content = DisclosureContent {
        title: annual_report::title(&organization.name, year),
        doc_number: None,
        body,
        formed_on: today,
    }
    .validate(today)?;
    let title = annual_report::title(&organization.name, year);
    let parts = annual_report::parts(&organization.name, year, &text, &figures, fees_yuan);
    let docx = crate::render::docx::render(&crate::render::report_blocks(&parts))?;
    let documents = vec![
        files::keep_generated(
            services,
            &format!("{title}.docx"),
            DOCX,
            docx,
            caller.user_id(),
        )
        .await?,
        files::keep_generated(
            services,
            &format!("{title}.md"),
            MARKDOWN,
            content.body.clone().into_bytes(),
            caller.user_id(),
        )
        .await?,
    ];
    let new = NewPublication {
        organization_id: organization.id,
        org_code: organization.code.clone(),
        year,
        figures,
        text,
        fees_yuan,
        due_on: annual_report::due_on(organization.kind, year),
        published_by: caller.user_id(),
        disclosure: NewDisclosure {
            organization_id: organization.id,
            category_id: category.id,
            content,
        },
        documents,
    };
    let (report, disclosure) = store::annual_reports::publish(db, new, now).await?;
    tracing::info!(
        organization = organization.id,
        year,
        disclosure = disclosure.id,
        "annual report published"
    );
    Ok((
        Published {
            organization,
            report,
        },
        disclosure,
    ))
}

/// The published reports of an organisation (and those below it); public.
pub async fn published(
    db: &impl ConnectionTrait,
    caller: &Caller,
    organization_id: i64,
    include_descendants: bool,
) -> AppResult<Vec<Published>> {
    let (organization, _) = access::organization(
        db,
        caller,
        Operation::Read,
        organization_id,
        Concerning::Itself,
    )
    .await?;
    let organizations = if include_descendants {
        store::organizations::subtree(db, &organization.place).await?
    } else {
        vec![organization]
    };
    let ids: Vec<i64> = organizations.iter().map(|o| o.id).collect();
    let reports = store::annual_reports::of_organizations(db, &ids, None).await?;
    Ok(reports
        .into_iter()
        .filter_map(|report| {
            let organization = organizations
                .iter()
                .find(|o| o.id == report.organization_id)?
                .clone();
            Some(Published {
                organization,
                report,
            })
        })
        .collect())
}

/// True when the live computation now differs from the frozen figures.
pub async fn live_figures_differ(
    db: &impl ConnectionTrait,
    published: &Published,
) -> AppResult<bool> {
    let live =
        statistics::live_figures(db, &[published.organization.id], published.report.year).await?;
    Ok(live != published.report.figures)
}

/// One organisation in the reporting season.
pub struct SeasonRow {
    pub organization: Organization,
    pub due_on: NaiveDate,
    pub filing: Filing,
    pub published: Option<Published>,
}

/// Every organisation at or below `organization_id` that the caller's
/// statistics reach, with its report of `year`: published, late, pending
/// or overdue.
pub async fn season(
    db: &DatabaseConnection,
    caller: &Caller,
    organization_id: Option<i64>,
    year: i32,
    today: NaiveDate,
) -> AppResult<Vec<SeasonRow>> {
    let scope = reach(caller, Listing::Statistics)?.scope;
    let id = organization_id
        .or(caller.actor().map(|actor| actor.organization_id))
        .ok_or_else(|| AppError::bad_input("organizationId", "请指定机构"))?;
    annual_report::check_year_ended(year, today.year() + 1)?;
    let (organization, _) =
        access::organization(db, caller, Operation::Read, id, Concerning::Statistics).await?;
    let organizations: Vec<Organization> = store::organizations::subtree(db, &organization.place)
        .await?
        .into_iter()
        .filter(|org| scope.includes(&org.place))
        .collect();
    let ids: Vec<i64> = organizations.iter().map(|o| o.id).collect();
    let mut reports = store::annual_reports::of_organizations(db, &ids, Some(year)).await?;
    Ok(organizations
        .into_iter()
        .map(|organization| {
            let due_on = annual_report::due_on(organization.kind, year);
            let published = reports
                .iter()
                .position(|r| r.organization_id == organization.id)
                .map(|at| Published {
                    organization: organization.clone(),
                    report: reports.swap_remove(at),
                });
            let filing = annual_report::filing(
                published.as_ref().map(Published::published_on),
                due_on,
                today,
            );
            SeasonRow {
                organization,
                due_on,
                filing,
                published,
            }
        })
        .collect())
}
