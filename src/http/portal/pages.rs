//! The portal's page handlers: read the request, run one GraphQL document
//! in-process (`super::run`), render its answer.

use poem::http::{StatusCode, header};
use poem::web::{Data, Form, Path, Query};
use poem::{IntoResponse, Request, Response, handler};
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use super::render::{page, page_with};
use super::{HttpState, csrf_cookie, csrf_passes, csrf_set_cookie, html, random_token, run};

/// Results per catalogue page.
const PAGE_SIZE: i32 = 20;
/// Items in a feed.
const FEED_SIZE: i32 = 50;
/// The sitemap protocol's limit of URLs in one file.
const SITEMAP_LIMIT: usize = 50_000;

#[derive(Deserialize, Serialize, Default)]
pub struct CatalogueQuery {
    q: Option<String>,
    org: Option<String>,
    category: Option<String>,
    /// As typed: the form sends `year=` when the box is left empty.
    year: Option<String>,
    after: Option<String>,
}

/// The year filter, if one was typed, or the message for one that is not a year.
fn year_filter(typed: Option<&str>) -> Result<Option<i32>, &'static str> {
    match typed.map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(None),
        Some(year) => year
            .parse()
            .map(Some)
            .map_err(|_| "年份应为四位数字，例如 2026"),
    }
}

const HOME: &str = r#"
query Home($filter: DisclosureFilter, $after: String, $order: DisclosureOrder, $first: Int) {
  organizations { id name parent { id } }
  disclosureCategories { id name parent { id } }
  disclosures(filter: $filter, first: $first, after: $after, orderBy: $order) {
    totalCount
    totalCountIsExact
    pageInfo { hasNextPage endCursor }
    edges { node { id title indexNo docNumber publishedAt organization { name } category { name } } }
  }
}"#;

/// 目录 / 检索: the catalogue with its filters, search and keyset pages.
#[handler]
pub async fn home(
    req: &Request,
    Query(query): Query<CatalogueQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let org = query.org.as_deref().filter(|o| !o.is_empty());
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let year = year_filter(query.year.as_deref());
    let filter = json!({
        "search": search,
        "organizationId": org,
        "includeDescendants": org.map(|_| true),
        "categoryId": category,
        "year": year.unwrap_or_default(),
    });
    let variables = json!({
        "filter": filter,
        "after": query.after.as_deref().filter(|a| !a.is_empty()),
        "order": if search.is_some() { "RELEVANCE" } else { "PUBLISHED_DESC" },
        "first": PAGE_SIZE,
    });
    let mut answer = run(state, req, HOME, variables).await;
    if let Err(message) = year {
        answer.errors.insert("year".to_owned(), message.to_owned());
    }
    let status = if answer.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let organizations = tree(answer.data["organizations"].as_array());
    let categories = tree(answer.data["disclosureCategories"].as_array());
    let next = answer.data["disclosures"]["pageInfo"]["endCursor"]
        .as_str()
        .filter(|_| {
            answer.data["disclosures"]["pageInfo"]["hasNextPage"]
                .as_bool()
                .unwrap_or(false)
        })
        .map(|cursor| {
            let next = CatalogueQuery {
                after: Some(cursor.to_owned()),
                q: search.map(str::to_owned),
                org: org.map(str::to_owned),
                category: category.map(str::to_owned),
                year: query.year.clone(),
            };
            serde_urlencoded::to_string(next).unwrap_or_default()
        });
    let first_page = query.after.is_some().then(|| {
        let first = CatalogueQuery {
            after: None,
            ..query_without_after(&query)
        };
        serde_urlencoded::to_string(first).unwrap_or_default()
    });
    html(
        status,
        page(
            "home.html",
            minijinja::context! {
                nav => "home",
                q => search,
                org => org,
                category => category,
                year => query.year,
                organizations => organizations,
                categories => categories,
                results => minijinja::Value::from_serialize(&answer.data["disclosures"]),
                errors => answer.errors,
                next => next,
                first_page => first_page,
            },
        ),
    )
}

fn query_without_after(query: &CatalogueQuery) -> CatalogueQuery {
    CatalogueQuery {
        q: query.q.clone(),
        org: query.org.clone(),
        category: query.category.clone(),
        year: query.year.clone(),
        after: None,
    }
}

/// A flat list with parents before children, each with its depth, for an
/// indented `<select>` (organisations and categories alike).
pub(super) fn tree(nodes: Option<&Vec<Json>>) -> Vec<Json> {
    let nodes = nodes.cloned().unwrap_or_default();
    let mut out = Vec::new();
    fn visit(nodes: &[Json], parent: Option<&str>, depth: usize, out: &mut Vec<Json>) {
        for node in nodes {
            if node["parent"]["id"].as_str() == parent {
                let id = node["id"].as_str().unwrap_or_default();
                out.push(json!({ "id": id, "name": node["name"], "depth": depth }));
                // The tree is shallow (district, towns, departments).
                if depth < 8 {
                    visit(nodes, Some(id), depth + 1, out);
                }
            }
        }
    }
    visit(&nodes, None, 0, &mut out);
    out
}

const ITEM: &str = r#"
query Item($id: ID!) {
  disclosure(id: $id) {
    id title indexNo docNumber formedOn publishedAt body status
    organization { name code }
    category { name }
    attachments { fileName byteSize contentType downloadUrl }
  }
}"#;

/// One item: the metadata table, the body, the attachments, its permanent URL.
#[handler]
pub async fn item(
    req: &Request,
    Path(id): Path<String>,
    Data(state): Data<&HttpState>,
) -> Response {
    let answer = run(state, req, ITEM, json!({ "id": id })).await;
    let item = &answer.data["disclosure"];
    if item.is_null() {
        let message = answer
            .errors
            .values()
            .next()
            .cloned()
            .unwrap_or_else(|| "未找到该信息".to_owned());
        return message_page(StatusCode::NOT_FOUND, "未找到", &message);
    }
    html(
        StatusCode::OK,
        page(
            "item.html",
            minijinja::context! { nav => "home", item => minijinja::Value::from_serialize(item) },
        ),
    )
}

fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    html(
        status,
        page(
            "message.html",
            minijinja::context! { title => title, message => message },
        ),
    )
}

pub(super) const ORGANIZATIONS: &str = "query { organizations { id name parent { id } } }";

/// The browser's CSRF token, or a new one (true) to be set with the page.
pub(super) fn csrf_for(req: &Request) -> (String, bool) {
    match csrf_cookie(req) {
        Some(token) => (token, false),
        None => (random_token(), true),
    }
}

pub(super) fn with_csrf_cookie(mut response: Response, token: Option<&String>) -> Response {
    if let Some(token) = token
        && let Ok(value) = csrf_set_cookie(token).parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("a header value"),
    );
    response
}

pub(super) fn refused() -> Response {
    message_page(
        StatusCode::FORBIDDEN,
        "请求已过期",
        "表单已过期或来源不明，请返回重新打开页面后再提交。",
    )
}

/// 查询: the empty tracking form.
#[handler]
pub async fn track_form(req: &Request) -> Response {
    let (csrf, fresh) = csrf_for(req);
    let body = page_with("track.html", json!({ "nav": "track" }), &csrf);
    with_csrf_cookie(html(StatusCode::OK, body), fresh.then_some(&csrf))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    tracking_no: String,
    #[serde(default)]
    query_code: String,
}

const TRACK: &str = r#"
query Track($no: String!, $code: String!) {
  trackApplication(trackingNo: $no, queryCode: $code) {
    trackingNo status receivedOn dueOn dueOnProvisional workingDaysLeft extended outcome closedOn
    organization { name }
    deadlineTrace { kind from to workingDays dueOnAfter skipped { date reason } }
    replyNotice { fileName byteSize downloadUrl }
  }
}"#;

/// The tracking number and query code posted (never in a URL): the
/// applicant's view, or the API's one message for a wrong pair.
#[handler]
pub async fn track(
    req: &Request,
    Form(form): Form<TrackingForm>,
    Data(state): Data<&HttpState>,
) -> Response {
    if !csrf_passes(req, &form.csrf) {
        return refused();
    }
    let variables = json!({ "no": form.tracking_no.trim(), "code": form.query_code.trim() });
    let answer = run(state, req, TRACK, variables).await;
    let tracking = &answer.data["trackApplication"];
    let status = if tracking.is_null() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let body = page_with(
        "track.html",
        json!({
            "nav": "track",
            "trackingNo": form.tracking_no.trim(),
            "tracking": tracking,
            "error": answer.errors.values().next(),
        }),
        form.csrf.as_str(),
    );
    with_csrf_cookie(html(status, body), None)
}

#[derive(Deserialize)]
pub struct OrgQuery {
    org: Option<String>,
}

const REPORTS: &str = r#"
query Reports($org: ID!) {
  organizations { id name parent { id } }
  publishedAnnualReports(organizationId: $org, includeDescendants: true) {
    year publishedAt markdown organization { name } disclosure { id }
  }
}"#;

/// 年度报告: the published annual reports at and below an organisation
/// (the root district by default), tables rendered.
#[handler]
pub async fn annual_reports(
    req: &Request,
    Query(query): Query<OrgQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    let shown = match organization_page(state, req, query.org, REPORTS).await {
        Ok(shown) => shown,
        Err(missing) => return missing,
    };
    let answer = &shown.answer;
    html(
        if answer.has_errors() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        page(
            "annual_reports.html",
            minijinja::context! {
                nav => "reports",
                org => shown.org,
                organizations => shown.organizations,
                reports => minijinja::Value::from_serialize(&answer.data["publishedAnnualReports"]),
                errors => answer.errors,
            },
        ),
    )
}

/// What an organisation's page (年度报告, 公开指南) shows beside its own data.
struct OrganizationPage {
    /// The organisation's id.
    org: String,
    /// The page's document's answer; it asks for `organizations` too.
    answer: super::Answer,
    /// The tree of every organisation, for the page's chooser.
    organizations: Vec<Json>,
}

/// Runs an organisation's page's `document` for the organisation asked
/// for, or for the first root of the tree; the not-found page when there
/// is none.
async fn organization_page(
    state: &HttpState,
    req: &Request,
    asked: Option<String>,
    document: &str,
) -> Result<OrganizationPage, Response> {
    let org = match asked.filter(|o| !o.is_empty()) {
        Some(org) => org,
        None => {
            let answer = run(state, req, ORGANIZATIONS, Json::Null).await;
            tree(answer.data["organizations"].as_array())
                .first()
                .and_then(|o| o["id"].as_str().map(str::to_owned))
                .ok_or_else(|| message_page(StatusCode::NOT_FOUND, "未找到", "暂无机构"))?
        }
    };
    let answer = run(state, req, document, json!({ "org": org })).await;
    let organizations = tree(answer.data["organizations"].as_array());
    Ok(OrganizationPage {
        org,
        answer,
        organizations,
    })
}

const GUIDE: &str = r#"
query Guide($org: ID!) {
  organizations { id name parent { id } }
  organization(id: $org) {
    id code name kind parent { name } children { id name }
    contact { officeName officeAddress officeHours phone fax email }
  }
  disclosureCategories { id name parent { id } }
}"#;

/// 公开指南 (Art. 12): how an organisation's information is organised,
/// how to apply to it, and its office's contact details.
#[handler]
pub async fn guide(
    req: &Request,
    Query(query): Query<OrgQuery>,
    Data(state): Data<&HttpState>,
) -> Response {
    let shown = match organization_page(state, req, query.org, GUIDE).await {
        Ok(shown) => shown,
        Err(missing) => return missing,
    };
    let data = &shown.answer.data;
    if data["organization"].is_null() {
        return message_page(StatusCode::NOT_FOUND, "未找到", "未找到该机构");
    }
    html(
        StatusCode::OK,
        page(
            "guide.html",
            minijinja::context! {
                nav => "guide",
                org => shown.org,
                organizations => shown.organizations,
                organization => minijinja::Value::from_serialize(&data["organization"]),
                categories => tree(data["disclosureCategories"].as_array()),
            },
        ),
    )
}

const FEED: &str = r#"
query Feed($filter: DisclosureFilter, $first: Int) {
  disclosures(filter: $filter, first: $first, orderBy: PUBLISHED_DESC) {
    edges { node { id title publishedAt organization { name } category { name } } }
  }
}"#;

/// The Atom feed of new disclosures, all organisations.
#[handler]
pub async fn feed(req: &Request, Data(state): Data<&HttpState>) -> Response {
    let filter = json!({});
    atom(req, state, filter, "政府信息公开", "/feed.xml").await
}

const ORGANIZATION_BY_CODE: &str =
    "query ($code: String!) { organization(code: $code) { id name } }";

/// The Atom feed of one organisation (and those below it).
#[handler]
pub async fn organization_feed(
    req: &Request,
    Path(code): Path<String>,
    Data(state): Data<&HttpState>,
) -> Response {
    let answer = run(state, req, ORGANIZATION_BY_CODE, json!({ "code": code })).await;
    let org = &answer.data["organization"];
    let (Some(id), Some(name)) = (org["id"].as_str(), org["name"].as_str()) else {
        return message_page(StatusCode::NOT_FOUND, "未找到", "未找到该机构");
    };
    let filter = json!({ "organizationId": id, "includeDescendants": true });
    let title = format!("{name} 政府信息公开");
    let path = format!("/organizations/{code}/feed.xml");
    atom(req, state, filter, &title, &path).await
}

async fn atom(req: &Request, state: &HttpState, filter: Json, title: &str, path: &str) -> Response {
    let answer = run(
        state,
        req,
        FEED,
        json!({ "filter": filter, "first": FEED_SIZE }),
    )
    .await;
    let edges = &answer.data["disclosures"]["edges"];
    let updated = edges[0]["node"]["publishedAt"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| state.services.clock.now().to_rfc3339());
    xml(
        "application/atom+xml; charset=utf-8",
        page(
            "feed.xml",
            minijinja::context! {
                base => base_url(req),
                title => title,
                path => path,
                updated => updated,
                entries => minijinja::Value::from_serialize(edges),
            },
        ),
    )
}

const SITEMAP: &str = r#"
query Sitemap($after: String) {
  disclosures(first: 100, after: $after, orderBy: PUBLISHED_DESC) {
    pageInfo { hasNextPage endCursor }
    edges { node { id publishedAt } }
  }
}"#;

/// sitemap.xml: every published item, newest first, up to the protocol's limit.
#[handler]
pub async fn sitemap(req: &Request, Data(state): Data<&HttpState>) -> Response {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let answer = run(state, req, SITEMAP, json!({ "after": after })).await;
        let connection = &answer.data["disclosures"];
        if let Some(edges) = connection["edges"].as_array() {
            items.extend(edges.iter().map(|edge| edge["node"].clone()));
        }
        let more = connection["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap_or(false);
        after = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
        if !more || after.is_none() || items.len() >= SITEMAP_LIMIT {
            break;
        }
    }
    items.truncate(SITEMAP_LIMIT);
    xml(
        "application/xml; charset=utf-8",
        page(
            "sitemap.xml",
            minijinja::context! { base => base_url(req), items => items },
        ),
    )
}

/// The absolute address feeds and sitemaps need, from the Host the client used.
fn base_url(req: &Request) -> String {
    let host = super::request_host(req).unwrap_or("127.0.0.1:8000");
    format!("http://{host}")
}

fn xml(content_type: &str, body: Result<String, minijinja::Error>) -> Response {
    let mut response = html(StatusCode::OK, body);
    if response.status() == StatusCode::OK
        && let Ok(value) = content_type.parse()
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The portal's stylesheet (embedded; no inline styles, so the CSP can
/// refuse them).
#[handler]
pub fn stylesheet() -> impl IntoResponse {
    include_str!("../../../static/portal.css")
        .with_content_type("text/css; charset=utf-8")
        .with_header(header::CACHE_CONTROL, "public, max-age=3600")
}
