//! Proactive disclosures: drafting, publishing, withdrawing and the catalogue.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::calendar::china_date;
use crate::domain::disclosure::{
    CatalogueOrder, Category, Disclosure, DisclosureContent, DisclosureStatus,
    check_withdrawal_reason,
};
use crate::domain::policy::{Caller, Listing, Operation};
use crate::domain::problems::Problems;
use crate::domain::search_terms::query_terms;
use crate::error::{AppError, AppResult};
use crate::service::access::{self, Concerning, DisclosureKey};
use crate::service::{cursor, files, organizations};
use crate::store;
pub use crate::store::disclosures::Shown;
use crate::store::disclosures::{DisclosureFilter, NewDisclosure, PageQuery, Search};
use crate::store::visibility::{OrgScope, Visibility};

/// Listings count exactly up to here, then stop (see `totalCountIsExact`).
pub const COUNT_CAP: u64 = 10_000;

pub struct DisclosureRequest {
    pub organization_id: i64,
    pub category_id: i64,
    pub content: DisclosureContent,
}

/// The request checked: `problems` holds what the caller already found
/// wrong, and every invalid field is answered at once.
async fn prepared(
    db: &DatabaseConnection,
    request: DisclosureRequest,
    today: NaiveDate,
    mut problems: Problems,
) -> AppResult<NewDisclosure> {
    store::categories::find(db, request.category_id)
        .await?
        .ok_or(AppError::NotFound("分类"))?;
    let content = problems.take(request.content.validate(today));
    problems.finish()?;
    let content = content.ok_or_else(|| AppError::internal("checked content lost"))?;
    Ok(NewDisclosure {
        organization_id: request.organization_id,
        category_id: request.category_id,
        content,
    })
}

/// Staff of the organisation draft a disclosure.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    request: DisclosureRequest,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    access::organization(
        db,
        caller,
        Operation::EditDisclosure,
        request.organization_id,
        Concerning::Itself,
    )
    .await?;
    let new = prepared(db, request, china_date(now), Problems::default()).await?;
    store::disclosures::insert(db, new, now).await
}

/// A disclosure the caller may read, with its organisation and category:
/// published ones for everybody, others for the staff of (or above, for
/// oversight) its organisation; NOT_FOUND otherwise.
pub async fn read(
    db: &impl ConnectionTrait,
    caller: &Caller,
    key: DisclosureKey<'_>,
) -> AppResult<Shown> {
    Ok(access::shown_disclosure(db, caller, Operation::Read, key)
        .await?
        .item)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    request: DisclosureRequest,
    expected_version: i32,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let current = access::disclosure(db, caller, Operation::EditDisclosure, DisclosureKey::Id(id))
        .await?
        .item;
    current.status.check_editable()?;
    if expected_version != current.version {
        return Err(AppError::Conflict(
            "该信息已被他人修改，请刷新后重试".into(),
        ));
    }
    let mut problems = Problems::default();
    if request.organization_id != current.organization_id {
        problems.add("organizationId", "公开信息的发布机构不能更改");
    }
    let new = prepared(db, request, china_date(now), problems).await?;
    store::disclosures::update_content(db, id, expected_version, new, now).await
}

/// An APPROVER publishes; the first publication assigns the index number.
/// The body and the documents' text are checked for personal data first
/// (`files::check_personal_data`): a finding refuses unless acknowledged.
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    acknowledge_personal_data: bool,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let permitted = access::disclosure(
        db,
        caller,
        Operation::PublishDisclosure,
        DisclosureKey::Id(id),
    )
    .await?;
    permitted.item.status.check_publishable()?;
    let mut findings = files::body_findings(&permitted.item);
    for (name, text) in store::files::named_document_texts(db, id).await? {
        findings.extend(files::text_findings(&name, &text));
    }
    files::check_personal_data(db, caller, id, findings, acknowledge_personal_data, now).await?;
    store::disclosures::publish(db, id, &permitted.organization.code, now).await
}

/// An APPROVER withdraws a published item, with a reason; it is final.
pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<Disclosure> {
    let current = access::disclosure(
        db,
        caller,
        Operation::PublishDisclosure,
        DisclosureKey::Id(id),
    )
    .await?
    .item;
    current.status.check_withdrawable()?;
    let reason = check_withdrawal_reason(reason)?;
    store::disclosures::withdraw(db, id, reason, now).await
}

/// The catalogue's categories, parents before their children.
pub async fn categories(db: &impl ConnectionTrait) -> AppResult<Vec<Category>> {
    store::categories::list(db).await
}

#[derive(Default)]
pub struct CatalogueQuery {
    pub organization_id: Option<i64>,
    pub include_descendants: bool,
    pub category_id: Option<i64>,
    pub year: Option<i32>,
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
    pub search: Option<String>,
    pub status: Option<DisclosureStatus>,
}

/// What a query selects of a catalogue page, beyond the items' short fields:
/// what is not selected is not read.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selected {
    /// totalCount or totalCountIsExact.
    pub total_count: bool,
    /// The items' bodies.
    pub body: bool,
}

/// The number of items, counted up to COUNT_CAP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TotalCount {
    pub count: u64,
    pub is_exact: bool,
}

pub struct CataloguePage {
    /// Each item (with its organisation and category) with the cursor that
    /// continues after it. Bodies are empty unless selected.
    pub items: Vec<(Shown, String)>,
    pub has_next_page: bool,
    /// Counted only when selected.
    pub total_count: Option<TotalCount>,
}

/// One page of the catalogue after the opaque cursor `after`, reading only
/// what `selected` asks for.
///
/// An organisation asked for without its descendants is not looked up
/// first: the page's own statement filters on its id, and only an empty
/// page asks whether it exists (NOT_FOUND as before when it does not).
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    query: CatalogueQuery,
    order: CatalogueOrder,
    after: Option<&str>,
    first: u64,
    selected: Selected,
    now: DateTime<Utc>,
) -> AppResult<CataloguePage> {
    let after = after.map(cursor::decode_disclosure).transpose()?;
    let (organization, unchecked_organization) = match query.organization_id {
        Some(id) if !query.include_descendants => (Some(OrgScope::One(id)), Some(id)),
        Some(id) => (Some(organizations::scope(db, id, true).await?), None),
        None => (None, None),
    };
    // An unknown organisation answers NOT_FOUND before anything else does.
    let check_organization = || async {
        match unchecked_organization {
            Some(id) => organizations::get(db, id).await.map(|_| ()),
            None => Ok(()),
        }
    };
    let category_ids = match query.category_id {
        Some(id) => {
            let all = store::categories::list(db).await?;
            if !all.iter().any(|c| c.id == id) {
                check_organization().await?;
                return Err(AppError::NotFound("分类"));
            }
            // A parent category lists its subcategories' items too.
            Some(
                all.iter()
                    .filter(|c| c.id == id || c.parent_id == Some(id))
                    .map(|c| c.id)
                    .collect(),
            )
        }
        None => None,
    };
    let year_range = query.year.map(|year| {
        (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        )
    });
    let published_from = [query.published_from, year_range.and_then(|r| r.0)]
        .into_iter()
        .flatten()
        .max();
    let published_to = [query.published_to, year_range.and_then(|r| r.1)]
        .into_iter()
        .flatten()
        .min();
    let search = query
        .search
        .as_deref()
        .map(query_terms)
        .filter(|terms| !terms.is_empty())
        .map(|terms| Search { terms });
    let order = if search.is_none() && order == CatalogueOrder::Relevance {
        CatalogueOrder::PublishedDesc
    } else {
        order
    };
    let (visibility, _) = access::visibility(db, caller, Listing::Disclosures).await?;
    let status = match visibility {
        Visibility::PublishedOnly => Some(DisclosureStatus::Published),
        _ => query.status,
    };
    let filter = DisclosureFilter {
        visibility,
        status,
        organization,
        category_ids,
        published_from,
        published_to,
        search,
    };
    let page = store::disclosures::list(
        db,
        &filter,
        PageQuery {
            order,
            after,
            limit: first + 1,
            with_body: selected.body,
            count_cap: selected.total_count.then_some(COUNT_CAP + 1),
        },
        now,
    )
    .await?;
    let mut items = page.items;
    if items.is_empty() {
        check_organization().await?;
    }
    let has_next_page = items.len() as u64 > first;
    items.truncate(first as usize);
    Ok(CataloguePage {
        items: items
            .into_iter()
            .map(|listed| (listed.shown, cursor::encode_disclosure(&listed.cursor)))
            .collect(),
        has_next_page,
        total_count: page.count.map(|n| TotalCount {
            count: n.min(COUNT_CAP),
            is_exact: n <= COUNT_CAP,
        }),
    })
}
