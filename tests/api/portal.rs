//! The public portal: server-rendered pages that reach the data only
//! through the GraphQL schema, their security headers, forms and feeds.

use serde_json::json;

use crate::helpers::*;

const PAGES: [&str; 7] = [
    "/",
    "/?q=%E9%80%9A%E7%9F%A5",
    "/apply",
    "/track",
    "/annual-reports",
    "/guide",
    "/static/portal.css",
];

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

/// A published disclosure of 南村镇 with this title; its id.
async fn published(app: &TestApp, title: &str) -> String {
    let clerk = app.login(CLERK).await;
    let approver = app.login(APPROVER).await;
    let categories = app
        .gql(None, "{ disclosureCategories { id code } }", json!({}))
        .await;
    let category = categories["data"]["disclosureCategories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "TZGG")
        .unwrap()["id"]
        .clone();
    let input = json!({ "organizationId": app.org_id("PYNC").await, "categoryId": category,
        "title": title, "body": "第一段\n第二段", "formedOn": "2026-11-02" });
    let created = app
        .gql(
            Some(&clerk),
            "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
    let id = created["data"]["createDisclosure"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let answer = app
        .gql(
            Some(&approver),
            "mutation($id: ID!) { publishDisclosure(id: $id) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        answer["data"]["publishDisclosure"]["status"], "PUBLISHED",
        "{answer}"
    );
    id
}

#[tokio::test]
async fn pages_answer_in_chinese_with_the_page_security_headers() {
    let app = spawn_app().await;
    for path in PAGES {
        let response = get(&app, path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let body = response.text().await.unwrap();
        if path != "/static/portal.css" {
            assert!(body.contains(r#"<html lang="zh-CN">"#), "{path}");
            // Nothing in a page points outside the server.
            assert!(
                !body.contains("http://") && !body.contains("https://"),
                "{path}"
            );
            assert!(
                !body.contains("<script>") && !body.contains("style="),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn a_hostile_title_is_text_in_the_catalogue_item_and_feed() {
    let app = spawn_app().await;
    let title = "<img src=x onerror=alert(1)>";
    let id = published(&app, title).await;
    let escaped = "&lt;img src=x onerror=alert(1)&gt;";
    for path in [
        "/".to_owned(),
        format!("/disclosures/{id}"),
        "/feed.xml".into(),
    ] {
        let body = get(&app, &path).await.text().await.unwrap();
        assert!(!body.contains("<img"), "{path}: {body}");
        assert!(body.contains(escaped), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_item_page_shows_the_metadata_table_and_a_search_marks_its_words() {
    let app = spawn_app().await;
    let id = published(&app, "关于安全生产检查的通知").await;
    let page = get(&app, &format!("/disclosures/{id}"))
        .await
        .text()
        .await
        .unwrap();
    for label in [
        "索引号",
        "发布机构",
        "主题分类",
        "成文日期",
        "发布日期",
        "文号",
    ] {
        assert!(page.contains(&format!(">{label}</th>")), "{label}");
    }
    assert!(page.contains("<p>第一段</p>") && page.contains("<p>第二段</p>"));
    assert!(page.contains("2026-11-02"));
    let found = get(&app, "/?q=%E5%AE%89%E5%85%A8%20%E9%80%9A%E7%9F%A5")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("关于<mark>安全</mark>生产检查的<mark>通知</mark>"),
        "{found}"
    );
    assert!(found.contains("共 1 条"), "{found}");
    let missing = get(&app, "/disclosures/999999").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_search_form_as_a_browser_sends_it_with_its_empty_boxes() {
    let app = spawn_app().await;
    published(&app, "关于安全生产检查的通知").await;
    // A browser sends every box of a GET form, the empty ones as `name=`.
    let found = get(&app, "/?q=%E5%AE%89%E5%85%A8&org=&category=&year=").await;
    assert_eq!(found.status(), 200);
    let found = found.text().await.unwrap();
    assert!(found.contains("共 1 条"), "{found}");
    let typed = get(&app, "/?q=%E5%AE%89%E5%85%A8&year=2026").await;
    assert_eq!(typed.status(), 200);
    let wrong = get(&app, "/?q=%E5%AE%89%E5%85%A8&year=abc").await;
    assert_eq!(wrong.status(), 400);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("年份应为四位数字"), "{wrong}");
    assert!(wrong.contains(r#"<html lang="zh-CN">"#), "{wrong}");
}

/// The CSRF token and clientRequestId of a freshly served form, and the
/// cookie that came with it.
async fn form_tokens(app: &TestApp, path: &str) -> (String, Option<String>, String) {
    let response = get(app, path).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"));
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let page = response.text().await.unwrap();
    let hidden = |name: &str| {
        let marker = format!(r#"name="{name}" value=""#);
        page.split_once(&marker)
            .map(|(_, rest)| rest.split('"').next().unwrap().to_owned())
    };
    (hidden("csrf").unwrap(), hidden("clientRequestId"), cookie)
}

fn application(csrf: &str, request: &str, id_number: &str, org: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf),
        ("clientRequestId", request),
        ("organizationId", org),
        ("applicantType", "NATURAL_PERSON"),
        ("applicantName", "张三"),
        ("idType", "RESIDENT_ID"),
        ("idNumber", id_number),
        ("phone", "13800138000"),
        ("description", "请公开2026年燃气安全检查记录"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn between<'a>(page: &'a str, start: &str) -> &'a str {
    page.split_once(start)
        .map(|(_, rest)| rest.split('<').next().unwrap())
        .unwrap_or_else(|| panic!("no {start} in {page}"))
}

#[tokio::test]
async fn an_application_by_form_is_made_once_and_tracked_by_post() {
    let app = spawn_app().await;
    let org = app.org_id("PYNC").await;
    let (csrf, request, cookie) = form_tokens(&app, "/apply").await;
    let request = request.unwrap();
    let post = |form: Vec<(String, String)>, cookie: Option<&str>| {
        let mut builder = app.client.post(app.url("/apply")).form(&form);
        if let Some(cookie) = cookie {
            builder = builder.header("cookie", cookie);
        }
        builder.send()
    };

    // A broken ID number: the form again, the error beside its field.
    let broken = post(
        application(&csrf, &request, "11010519491231002X1", &org),
        Some(&cookie),
    )
    .await
    .unwrap();
    assert_eq!(broken.status(), 422);
    let page = broken.text().await.unwrap();
    assert!(
        page.contains(r#"id="idNumber-error""#) && page.contains("居民身份证号码有误"),
        "{page}"
    );
    assert!(page.contains(r#"value="张三""#), "what was typed stays");

    // Without the cookie's token: refused, nothing made.
    let forged = post(
        application(
            "0".repeat(36).as_str(),
            "forged",
            "11010519491231002X",
            &org,
        ),
        Some(&cookie),
    )
    .await
    .unwrap();
    assert_eq!(forged.status(), 403);
    let no_cookie = post(
        application(&csrf, "forged", "11010519491231002X", &org),
        None,
    )
    .await
    .unwrap();
    assert_eq!(no_cookie.status(), 403);

    // Posted twice (double click, reload): one application, same number.
    let mut numbers = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..2 {
        let done = post(
            application(&csrf, &request, "11010519491231002X", &org),
            Some(&cookie),
        )
        .await
        .unwrap();
        assert_eq!(done.status(), 200);
        assert_eq!(done.headers()["cache-control"], "no-store");
        let page = done.text().await.unwrap();
        numbers.push(between(&page, r#"id="tracking-no">"#).to_owned());
        codes.push(between(&page, r#"id="query-code">"#).to_owned());
    }
    assert_eq!(numbers[0], numbers[1]);
    assert_eq!(codes[0], codes[1]);
    let clerk = app.login(CLERK).await;
    let listed = app
        .gql(Some(&clerk), "{ applications { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["data"]["applications"]["totalCount"], 1, "{listed}");

    // Tracking: by POST with the token; a wrong code reads like an unknown number.
    let (csrf, _, cookie) = form_tokens(&app, "/track").await;
    let track = |no: &str, code: &str, token: &str| {
        app.client
            .post(app.url("/track"))
            .header("cookie", cookie.clone())
            .form(&[("csrf", token), ("trackingNo", no), ("queryCode", code)])
            .send()
    };
    let found = track(&numbers[0], &codes[0], &csrf).await.unwrap();
    assert_eq!(found.status(), 200);
    let page = found.text().await.unwrap();
    assert_eq!(between(&page, r#"id="status">"#), "已受理，正在办理");
    assert!(
        between(&page, r#"id="days-left">"#).contains("个工作日"),
        "{page}"
    );
    assert!(page.contains("<ol class=\"trace\">"), "{page}");
    let wrong = track(&numbers[0], "WRONG000", &csrf).await.unwrap();
    assert_eq!(wrong.status(), 404);
    let wrong = wrong.text().await.unwrap();
    let unknown = track("PYNC-2099-09999", "WRONG000", &csrf)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        between(&wrong, r#"id="track-error">"#),
        between(&unknown, r#"id="track-error">"#)
    );
    let forged = track(&numbers[0], &codes[0], "forged").await.unwrap();
    assert_eq!(forged.status(), 403);
    // The tracking page takes no query string: the code is never in a URL.
    let by_get = get(
        &app,
        &format!("/track?trackingNo={}&queryCode={}", numbers[0], codes[0]),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(!by_get.contains(r#"id="status""#));
}

#[tokio::test]
async fn the_feeds_and_sitemap_are_well_formed_xml() {
    let app = spawn_app().await;
    let id = published(&app, "环境 & 安全 <通知>").await;
    for (path, root) in [
        ("/feed.xml", "feed"),
        ("/organizations/PYNC/feed.xml", "feed"),
        ("/sitemap.xml", "urlset"),
    ] {
        let response = get(&app, path).await;
        assert_eq!(response.status(), 200, "{path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.contains("xml"), "{path}: {content_type}");
        let body = response.text().await.unwrap();
        let mut reader = quick_xml::Reader::from_str(&body);
        let mut first = None;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(start)) if first.is_none() => {
                    first = Some(String::from_utf8(start.name().as_ref().to_vec()).unwrap());
                }
                Ok(_) => {}
                Err(err) => panic!("{path} is not well-formed: {err}\n{body}"),
            }
        }
        assert_eq!(first.as_deref(), Some(root), "{path}");
        assert!(
            body.contains(&format!("/disclosures/{id}<"))
                || body.contains(&format!("/disclosures/{id}\"")),
            "{path}: {body}"
        );
    }
    assert_eq!(
        get(&app, "/organizations/NOPE/feed.xml").await.status(),
        404
    );
}

#[tokio::test]
async fn the_explorer_and_its_assets_come_from_the_server_only() {
    let app = spawn_app().await;
    let page = get(&app, "/explorer").await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in [
        "default-src 'self'",
        "script-src 'self';",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    // The subscriptions' WebSocket, named for browsers whose 'self' does
    // not cover ws: — and only this server's.
    let host = app.url("");
    let host = host.trim_start_matches("http://").trim_end_matches('/');
    assert!(
        csp.contains(&format!("connect-src 'self' ws://{host} wss://{host};")),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"));
    let scripts: Vec<&str> = html
        .split("<script src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(scripts.len(), 4, "{html}");
    assert!(!html.contains("<script>"), "no inline script");
    for script in scripts {
        let asset = get(&app, script).await;
        assert_eq!(asset.status(), 200, "{script}");
        assert!(
            asset.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("javascript")
        );
        assert!(
            !asset.text().await.unwrap().contains("sourceMappingURL"),
            "{script}"
        );
    }
    let start = get(&app, "/explorer/explorer.js")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        start.contains("subscriptionUrl") && start.contains("/graphql/ws"),
        "{start}"
    );
    assert_eq!(get(&app, "/explorer/nope.js").await.status(), 404);
}

#[tokio::test]
async fn the_guide_shows_the_contact_details_escaped() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let org_admin = app.login(ORG_ADMIN).await;
    let contact = json!({ "officeName": "<script>alert(1)</script>党政办",
        "officeAddress": "兴南大道368号 & 2楼", "officeHours": "工作日 9:00-12:00",
        "phone": "020-34820000转801", "fax": "020-34820001", "email": "gk\"<b>@pync.gov.example" });
    let answer = app
        .gql(
            Some(&org_admin),
            "mutation($id: ID!, $c: OrganizationContactInput!) { setOrganizationContact(organizationId: $id, input: $c) { id } }",
            json!({ "id": nancun, "c": contact }),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    let page = get(&app, &format!("/guide?org={nancun}"))
        .await
        .text()
        .await
        .unwrap();
    for (label, shown) in [
        (
            "受理机构",
            "&lt;script&gt;alert(1)&lt;&#x2f;script&gt;党政办",
        ),
        ("办公地址", "兴南大道368号 &amp; 2楼"),
        ("办公时间", "工作日 9:00-12:00"),
        ("联系电话", "020-34820000转801"),
        ("传真", "020-34820001"),
    ] {
        assert!(
            page.contains(&format!("<dt>{label}</dt><dd>{shown}</dd>")),
            "{label}: {page}"
        );
    }
    assert!(
        page.contains("href=\"mailto:gk&quot;&lt;b&gt;@pync.gov.example\""),
        "{page}"
    );
    assert!(
        !page.contains("<script>") && !page.contains("<b>"),
        "{page}"
    );

    // An organisation with none kept says so instead of an empty list.
    let admin = app.login(ADMIN).await;
    let xinzao = app.org_id("PYXZ").await;
    app.gql(
        Some(&admin),
        "mutation($id: ID!) { setOrganizationContact(organizationId: $id, input: {}) { id } }",
        json!({ "id": xinzao }),
    )
    .await;
    let page = get(&app, &format!("/guide?org={xinzao}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("尚未登记受理机构的联系方式"), "{page}");
    assert!(!page.contains("<dt>联系电话</dt>"), "{page}");
}

/// The form as a browser posts it with a file input: the text fields in
/// order, then the file part (empty, with an empty name, when none is chosen).
fn with_file(
    fields: Vec<(String, String)>,
    file: Option<(&str, &[u8])>,
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name, value);
    }
    let (name, bytes) = file.unwrap_or(("", b""));
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_owned())
        .mime_str("application/octet-stream")
        .unwrap();
    form.part("identityProof", part)
}

#[tokio::test]
async fn an_id_proof_goes_with_the_form_once_and_a_refused_one_is_named_beside_its_field() {
    let app = spawn_app().await;
    let org = app.org_id("PYNC").await;
    let (csrf, request, cookie) = form_tokens(&app, "/apply").await;
    let request = request.unwrap();
    let form_page = get(&app, "/apply").await.text().await.unwrap();
    assert!(
        form_page.contains(r#"enctype="multipart/form-data""#)
            && form_page.contains(r#"<label for="identityProof">"#),
        "{form_page}"
    );
    let post = |form: reqwest::multipart::Form, cookie: &str| {
        app.client
            .post(app.url("/apply"))
            .header("cookie", cookie)
            .multipart(form)
            .send()
    };
    let valid = "11010519491231002X";

    // A page is not an ID proof: refused beside the file field, nothing made.
    let html = b"<html><script>alert(1)</script></html>";
    let refused = post(
        with_file(
            application(&csrf, &request, valid, &org),
            Some(("证件.html", html)),
        ),
        &cookie,
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(r#"id="identityProof-error""#) && page.contains("不接受此类文件"),
        "{page}"
    );
    assert!(page.contains(r#"value="张三""#), "what was typed stays");

    // A broken ID number with a good file: the number's error, and the file
    // kept for the next post so that it need not be chosen again.
    let broken = post(
        with_file(
            application(&csrf, &request, "11010519491231002X1", &org),
            Some(("身份证.jpg", crate::files::JPEG)),
        ),
        &cookie,
    )
    .await
    .unwrap();
    assert_eq!(broken.status(), 422);
    let page = broken.text().await.unwrap();
    assert!(page.contains(r#"id="idNumber-error""#), "{page}");
    assert!(page.contains(r#"id="identityProof-kept""#), "{page}");
    let kept = page
        .split_once(r#"name="identityProofFileId" value=""#)
        .map(|(_, rest)| rest.split('"').next().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{page}"));

    // Corrected, no file chosen: the kept one goes with the application.
    let mut corrected = application(&csrf, &request, valid, &org);
    corrected.push(("identityProofFileId".into(), kept.clone()));
    corrected.push(("identityProofName".into(), "身份证.jpg".into()));
    let done = post(with_file(corrected, None), &cookie).await.unwrap();
    assert_eq!(done.status(), 200);
    let first = between(&done.text().await.unwrap(), r#"id="tracking-no">"#).to_owned();

    // Reloaded, the browser posting the file again: the same application,
    // still with one ID proof (the second upload is left to the sweep).
    let again = post(
        with_file(
            application(&csrf, &request, valid, &org),
            Some(("身份证.jpg", crate::files::JPEG)),
        ),
        &cookie,
    )
    .await
    .unwrap();
    assert_eq!(again.status(), 200);
    let page = again.text().await.unwrap();
    assert_eq!(between(&page, r#"id="tracking-no">"#), first);

    let clerk = app.login(CLERK).await;
    let listed = app
        .gql(
            Some(&clerk),
            "{ applications { totalCount edges { node { trackingNo attachments { kind fileName contentType } } } } }",
            json!({}),
        )
        .await;
    let applications = &listed["data"]["applications"];
    assert_eq!(applications["totalCount"], 1, "{listed}");
    let node = &applications["edges"][0]["node"];
    assert_eq!(node["trackingNo"], first.as_str());
    assert_eq!(
        node["attachments"],
        json!([{ "kind": "IDENTITY_PROOF", "fileName": "身份证.jpg", "contentType": "image/jpeg" }]),
        "{listed}"
    );

    // A forged post carrying a file is refused before the file is read.
    let forged = post(
        with_file(
            application(&"0".repeat(36), "forged", valid, &org),
            Some(("身份证.jpg", crate::files::JPEG)),
        ),
        &cookie,
    )
    .await
    .unwrap();
    assert_eq!(forged.status(), 403);
}
