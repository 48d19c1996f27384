//! `gongkai seed synthetic`: realistic, deterministic data at province scale
//! for benchmarks. The same seed gives the same rows.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, Set};

use crate::demo::disclosures::{body, title};
use crate::domain::calendar::{china_date, china_standard_time};
use crate::domain::disclosure::DisclosureStatus;
use crate::domain::numbering::{index_no, index_no_scope};
use crate::domain::organization::{NewOrganization, OrganizationKind};
use crate::domain::search_terms::disclosure_terms;
use crate::error::{AppError, AppResult};
use crate::service::{Authority, organizations};
use crate::store;

/// The district every synthetic organisation lies below.
pub const DISTRICT_CODE: &str = "SYN";
const BATCH: usize = 1000;

pub struct SyntheticSize {
    pub organizations: usize,
    pub disclosures: usize,
    pub seed: u64,
}

/// One planned disclosure, small enough to hold a million of in memory.
struct Planned {
    published_on: NaiveDate,
    formed_on: NaiveDate,
    organization: usize,
    category: usize,
    status: DisclosureStatus,
    n: usize,
}

pub async fn synthetic(db: &DatabaseConnection, size: SyntheticSize) -> AppResult<()> {
    if store::organizations::find_by_code(db, DISTRICT_CODE)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(format!(
            "synthetic data is already loaded ({DISTRICT_CODE} exists)"
        )));
    }
    let mut rng = StdRng::seed_from_u64(size.seed);
    let orgs = create_organizations(db, size.organizations.max(1)).await?;
    let categories = store::categories::list(db).await?;
    let leaves: Vec<_> = categories
        .iter()
        .filter(|c| !categories.iter().any(|child| child.parent_id == Some(c.id)))
        .collect();

    let now = Utc::now();
    let today = china_date(now);
    let first_day = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a date");
    let span = (today - first_day).num_days() as u64;
    let mut plan: Vec<Planned> = (0..size.disclosures)
        .map(|n| {
            let formed_on = first_day + Days::new(rng.gen_range(0..span));
            let published_on = (formed_on + Days::new(rng.gen_range(1..30))).min(today);
            let status = match rng.gen_range(0..100) {
                0..=1 => DisclosureStatus::Draft,
                2 => DisclosureStatus::Withdrawn,
                _ => DisclosureStatus::Published,
            };
            // Towns differ in size: a skewed pick of the organisation.
            let organization = ((rng.gen_range(0.0f64..1.0).powi(2)) * orgs.len() as f64) as usize;
            Planned {
                published_on,
                formed_on,
                organization: organization.min(orgs.len() - 1),
                category: rng.gen_range(0..leaves.len()),
                status,
                n,
            }
        })
        .collect();
    // Index numbers follow the order of publication.
    plan.sort_by_key(|p| (p.published_on, p.n));

    store::bulk::suspend_search_index(db).await?;
    let mut sequences: HashMap<String, i32> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    for (loaded, planned) in plan.into_iter().enumerate() {
        let org = &orgs[planned.organization];
        let category = leaves[planned.category];
        let short_name = org
            .name
            .trim_end_matches("人民政府")
            .trim_end_matches("办事处");
        let (title, doc_number) = title(
            &category.code,
            short_name,
            planned.n,
            planned.formed_on.year(),
            planned.formed_on.month(),
        );
        let body = body(&title, short_name, planned.n);
        let (title_terms, body_terms) = disclosure_terms(&title, doc_number.as_deref(), &body);
        let created_at = planned
            .formed_on
            .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
            .and_local_timezone(china_standard_time())
            .single()
            .expect("UTC+8 is unambiguous")
            .to_utc();
        let published = planned.status != DisclosureStatus::Draft;
        let published_at = (created_at
            + (planned.published_on - planned.formed_on)
            + TimeDelta::seconds((planned.n % 28_800) as i64))
        .min(now);
        let index = published.then(|| {
            let year = planned.published_on.year();
            let last = sequences.entry(index_no_scope(org.id, year)).or_insert(0);
            *last += 1;
            index_no(&org.code, year, *last)
        });
        batch.push(entity::disclosure::ActiveModel {
            id: sea_orm::NotSet,
            organization_id: Set(org.id),
            category_id: Set(category.id),
            title_terms: Set(title_terms),
            body_terms: Set(body_terms),
            title: Set(title),
            doc_number: Set(doc_number),
            body: Set(body),
            status: Set(planned.status.as_str().to_owned()),
            formed_on: Set(planned.formed_on),
            index_no: Set(index),
            published_at: Set(published.then_some(published_at)),
            published_on: Set(published.then_some(planned.published_on)),
            withdrawn_at: Set((planned.status == DisclosureStatus::Withdrawn)
                .then_some(published_at + TimeDelta::days(30))),
            withdrawal_reason: Set((planned.status == DisclosureStatus::Withdrawn)
                .then(|| "内容已被新版本替代".to_owned())),
            listed_at: Set(if published { published_at } else { created_at }),
            version: Set(if published { 2 } else { 1 }),
            created_at: Set(created_at),
            updated_at: Set(published_at),
        });
        if batch.len() == BATCH {
            store::bulk::insert_disclosures(db, std::mem::take(&mut batch)).await?;
            if (loaded + 1) % 100_000 == 0 {
                tracing::info!(loaded = loaded + 1, "disclosures loaded");
            }
        }
    }
    store::bulk::insert_disclosures(db, batch).await?;
    store::bulk::set_sequences(db, sequences).await?;
    tracing::info!("building the search index");
    store::bulk::rebuild_search_index(db).await?;
    Ok(())
}

async fn create_organizations(
    db: &DatabaseConnection,
    count: usize,
) -> AppResult<Vec<entity::organization::Model>> {
    let district = organizations::create(
        db,
        Authority::Operator,
        NewOrganization {
            code: DISTRICT_CODE.to_owned(),
            name: "合成测试区人民政府".to_owned(),
            kind: OrganizationKind::District,
            has_parent: false,
        },
        None,
    )
    .await?;
    let mut all = vec![district.clone()];
    for n in 1..count {
        let (kind, name) = match n % 3 {
            0 => (OrganizationKind::Department, format!("合成测试区第{n}局")),
            1 => (OrganizationKind::Town, format!("合成{n}镇人民政府")),
            _ => (OrganizationKind::Street, format!("合成{n}街道办事处")),
        };
        let new = NewOrganization {
            code: format!("{DISTRICT_CODE}{n:04}"),
            name,
            kind,
            has_parent: true,
        };
        all.push(organizations::create(db, Authority::Operator, new, Some(district.id)).await?);
    }
    Ok(all)
}
