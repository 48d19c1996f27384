//! What resolvers find in the GraphQL context: the process-wide services and
//! the request's caller, clock and client address.

use std::net::IpAddr;

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

use sea_orm::DatabaseConnection;
use tokio::sync::OnceCell;

use crate::domain::application::Event;
use crate::domain::calendar::{WorkingCalendar, china_date};
use crate::domain::disclosure::Category;
use crate::domain::organization::Organization;
use crate::domain::policy::Caller;
use crate::error::{AppError, AppResult};
use crate::service::disclosures::Shown;
use crate::service::{self, Reading, Services};
use crate::store::replicas::Reader;

/// Who is asking, and when; and what one request loads at most once.
pub struct RequestContext {
    pub caller: Caller,
    pub now: DateTime<Utc>,
    pub client_ip: IpAddr,
    pub calendar: OnceCell<WorkingCalendar>,
    pub categories: OnceCell<Vec<Category>>,
    /// Categories already read by this request (with the items that show
    /// them), by id.
    pub known_categories: Mutex<HashMap<i64, Category>>,
    /// Organisations already loaded by this request, by id.
    pub organizations: Mutex<HashMap<i64, Organization>>,
    /// Application events already loaded by this request, by application.
    pub application_events: Mutex<HashMap<i64, Vec<Event>>>,
}

impl RequestContext {
    pub fn new(caller: Caller, now: DateTime<Utc>, client_ip: IpAddr) -> Self {
        Self {
            caller,
            now,
            client_ip,
            calendar: OnceCell::new(),
            categories: OnceCell::new(),
            known_categories: Mutex::default(),
            organizations: Mutex::default(),
            application_events: Mutex::default(),
        }
    }
}

pub trait ContextExt {
    fn services(&self) -> &Services;
    fn request(&self) -> &RequestContext;

    fn db(&self) -> &DatabaseConnection {
        &self.services().db
    }

    fn caller(&self) -> &Caller {
        &self.request().caller
    }

    /// Where this request's caller reads `reading` (a replica for the
    /// public's catalogue; see `Services::reads`).
    fn reads(&self, reading: Reading) -> Reader<'_> {
        self.services().reads(self.caller(), reading)
    }

    fn today(&self) -> NaiveDate {
        china_date(self.request().now)
    }
}

impl ContextExt for Context<'_> {
    fn services(&self) -> &Services {
        self.data_unchecked::<Services>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }
}

/// The working calendar, loaded at most once per request.
pub async fn calendar<'a>(ctx: &'a Context<'_>) -> AppResult<&'a WorkingCalendar> {
    let db = &ctx.reads(Reading::Catalogue);
    ctx.request()
        .calendar
        .get_or_try_init(|| service::calendar::load(db))
        .await
}

/// The disclosure catalogue's categories, loaded at most once per request.
pub async fn categories<'a>(ctx: &'a Context<'_>) -> AppResult<&'a [Category]> {
    let db = &ctx.reads(Reading::Catalogue);
    ctx.request()
        .categories
        .get_or_try_init(|| service::disclosures::categories(db))
        .await
        .map(Vec::as_slice)
}

/// Loads the organisations of a page of items in one query (those not yet
/// loaded by this request), so that each item's `organization` costs none.
pub async fn preload_organizations(
    ctx: &Context<'_>,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<()> {
    let missing: Vec<i64> = {
        let loaded = ctx.request().organizations.lock().expect("not poisoned");
        let mut missing: Vec<i64> = ids
            .into_iter()
            .filter(|id| !loaded.contains_key(id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        missing
    };
    if missing.is_empty() {
        return Ok(());
    }
    let found = service::organizations::many(&ctx.reads(Reading::Catalogue), &missing).await?;
    let mut loaded = ctx.request().organizations.lock().expect("not poisoned");
    loaded.extend(found.into_iter().map(|org| (org.id, org)));
    Ok(())
}

/// Keeps the organisations and categories that items were read with, so
/// that showing them costs no statement.
pub fn remember_shown<'a>(ctx: &Context<'_>, shown: impl IntoIterator<Item = &'a Shown>) {
    let request = ctx.request();
    let mut organizations = request.organizations.lock().expect("not poisoned");
    let mut categories = request.known_categories.lock().expect("not poisoned");
    for shown in shown {
        organizations
            .entry(shown.organization.id)
            .or_insert_with(|| shown.organization.clone());
        categories
            .entry(shown.category.id)
            .or_insert_with(|| shown.category.clone());
    }
}

/// A category by id: the one an item was read with, else from the whole
/// list (loaded at most once per request).
pub async fn category(ctx: &Context<'_>, id: i64) -> AppResult<Category> {
    let known = ctx
        .request()
        .known_categories
        .lock()
        .expect("not poisoned")
        .get(&id)
        .cloned();
    if let Some(category) = known {
        return Ok(category);
    }
    categories(ctx)
        .await?
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or(AppError::NotFound("分类"))
}

/// An organisation by id, from this request's cache when it is there.
pub async fn organization(ctx: &Context<'_>, id: i64) -> AppResult<Organization> {
    preload_organizations(ctx, [id]).await?;
    let loaded = ctx.request().organizations.lock().expect("not poisoned");
    loaded.get(&id).cloned().ok_or(AppError::NotFound("机构"))
}

/// Loads the events of a page of applications in one query, so that each
/// item's `events` and `deadlineTrace` cost none.
pub async fn preload_application_events(ctx: &Context<'_>, ids: &[i64]) -> AppResult<()> {
    let mut loaded = service::applications::events_of_many(ctx.db(), ids).await?;
    let mut cache = ctx
        .request()
        .application_events
        .lock()
        .expect("not poisoned");
    for id in ids {
        cache.insert(*id, loaded.remove(id).unwrap_or_default());
    }
    Ok(())
}

/// The events of one application, from this request's cache when there.
pub async fn application_events(ctx: &Context<'_>, id: i64) -> AppResult<Vec<Event>> {
    if let Some(events) = ctx
        .request()
        .application_events
        .lock()
        .expect("not poisoned")
        .get(&id)
    {
        return Ok(events.clone());
    }
    service::applications::events(ctx.db(), id).await
}
