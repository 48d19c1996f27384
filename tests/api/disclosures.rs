use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::helpers::*;

const CREATE: &str =
    "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id status version indexNo } }";
const PUBLISH: &str =
    "mutation($id: ID!) { publishDisclosure(id: $id) { id status indexNo version publishedAt } }";
const WITHDRAW: &str = "mutation($id: ID!, $r: String!) { withdrawDisclosure(id: $id, reason: $r) { status indexNo withdrawalReason } }";
const UPDATE: &str = "mutation($id: ID!, $i: DisclosureInput!, $v: Int!) { updateDisclosure(id: $id, input: $i, expectedVersion: $v) { title version } }";
const LIST: &str = "query($f: DisclosureFilter, $o: DisclosureOrder, $first: Int, $after: String) {
    disclosures(filter: $f, orderBy: $o, first: $first, after: $after) {
        totalCount totalCountIsExact pageInfo { hasNextPage endCursor }
        edges { cursor node { id title status indexNo } } } }";
const BY_ID: &str =
    "query($id: ID, $no: String) { disclosure(id: $id, indexNo: $no) { id title status } }";

struct Catalogue {
    clerk: String,
    approver: String,
    nancun: String,
    category: String,
}

impl Catalogue {
    async fn new(app: &TestApp) -> Self {
        let categories = app
            .gql(None, "{ disclosureCategories { id code } }", json!({}))
            .await;
        let category = categories["data"]["disclosureCategories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "TZGG")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Catalogue {
            clerk: app.login(CLERK).await,
            approver: app.login(APPROVER).await,
            nancun: app.org_id("PYNC").await,
            category,
        }
    }

    fn input(&self, title: &str, body: &str, doc_number: Option<&str>) -> Value {
        json!({ "organizationId": self.nancun, "categoryId": self.category, "title": title,
                "docNumber": doc_number, "body": body, "formedOn": "2026-11-02" })
    }

    async fn draft(
        &self,
        app: &TestApp,
        title: &str,
        body: &str,
        doc_number: Option<&str>,
    ) -> String {
        let answer = app
            .gql(
                Some(&self.clerk),
                CREATE,
                json!({ "i": self.input(title, body, doc_number) }),
            )
            .await;
        answer["data"]["createDisclosure"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    }

    async fn published(
        &self,
        app: &TestApp,
        title: &str,
        body: &str,
        doc_number: Option<&str>,
    ) -> Value {
        let id = self.draft(app, title, body, doc_number).await;
        let answer = app
            .gql(Some(&self.approver), PUBLISH, json!({ "id": id }))
            .await;
        assert_eq!(
            answer["data"]["publishDisclosure"]["status"], "PUBLISHED",
            "{answer}"
        );
        answer["data"]["publishDisclosure"].clone()
    }
}

fn titles(answer: &Value) -> Vec<String> {
    answer["data"]["disclosures"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_public_sees_published_items_only() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    let draft = c
        .draft(&app, "草稿：未定稿的通知", "内部讨论稿", None)
        .await;
    let published = c
        .published(
            &app,
            "关于春节期间安全生产的通知",
            "各村（社区）：做好安全生产工作。",
            None,
        )
        .await;
    let withdrawn = c.published(&app, "已撤回的公告", "内容有误", None).await;
    let answer = app
        .gql(
            Some(&c.approver),
            WITHDRAW,
            json!({ "id": withdrawn["id"], "r": "内容有误，重新发布" }),
        )
        .await;
    assert_eq!(answer["data"]["withdrawDisclosure"]["status"], "WITHDRAWN");
    assert_eq!(
        answer["data"]["withdrawDisclosure"]["indexNo"], withdrawn["indexNo"],
        "keeps its index number"
    );

    // Whatever the public asks for, only the published item.
    for filter in [
        json!(null),
        json!({ "status": "DRAFT" }),
        json!({ "status": "WITHDRAWN" }),
        json!({ "organizationId": c.nancun }),
    ] {
        let answer = app.gql(None, LIST, json!({ "f": filter })).await;
        assert_eq!(
            titles(&answer),
            vec!["关于春节期间安全生产的通知"],
            "{filter}"
        );
    }
    for (id, no) in [
        (json!(draft), json!(null)),
        (withdrawn["id"].clone(), json!(null)),
        (json!(null), withdrawn["indexNo"].clone()),
    ] {
        let answer = app.gql(None, BY_ID, json!({ "id": id, "no": no })).await;
        assert_eq!(answer["data"]["disclosure"], Value::Null);
        assert_error(&answer, "NOT_FOUND");
    }
    let by_no = app
        .gql(None, BY_ID, json!({ "no": published["indexNo"] }))
        .await;
    assert_eq!(
        by_no["data"]["disclosure"]["title"],
        "关于春节期间安全生产的通知"
    );

    // Staff of the organisation see all three.
    let staff = app.gql(Some(&c.clerk), LIST, json!({})).await;
    assert_eq!(titles(&staff).len(), 3);
    let drafts = app
        .gql(Some(&c.clerk), LIST, json!({ "f": { "status": "DRAFT" } }))
        .await;
    assert_eq!(titles(&drafts), vec!["草稿：未定稿的通知"]);
}

#[tokio::test]
async fn staff_of_another_organization_cannot_see_or_touch_a_draft() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    app.create_user("xinzao.approver", "APPROVER", "PYXZ", "xinzao-approver-1")
        .await;
    let stranger = app.login(("xinzao.approver", "xinzao-approver-1")).await;
    let draft = c.draft(&app, "南村镇内部草稿", "草稿正文", None).await;

    assert_error(
        &app.gql(Some(&stranger), BY_ID, json!({ "id": draft }))
            .await,
        "NOT_FOUND",
    );
    assert_error(
        &app.gql(Some(&stranger), PUBLISH, json!({ "id": draft }))
            .await,
        "NOT_FOUND",
    );
    let update = app
        .gql(
            Some(&stranger),
            UPDATE,
            json!({ "id": draft, "i": c.input("改", "改", None), "v": 1 }),
        )
        .await;
    assert_error(&update, "NOT_FOUND");
    assert!(titles(&app.gql(Some(&stranger), LIST, json!({})).await).is_empty());
    // Creating in another organisation is FORBIDDEN (organisations are public).
    let create = app
        .gql(
            Some(&stranger),
            CREATE,
            json!({ "i": c.input("越权", "越权", None) }),
        )
        .await;
    assert_error(&create, "FORBIDDEN");
    // District oversight reads it, but may not change it.
    let oversight = app.login(OVERSIGHT).await;
    assert_eq!(
        app.gql(Some(&oversight), BY_ID, json!({ "id": draft }))
            .await["data"]["disclosure"]["title"],
        "南村镇内部草稿"
    );
    assert_error(
        &app.gql(Some(&oversight), PUBLISH, json!({ "id": draft }))
            .await,
        "FORBIDDEN",
    );
}

#[tokio::test]
async fn only_an_approver_publishes_and_versions_guard_edits() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    let id = c.draft(&app, "原标题", "正文", None).await;
    assert_error(
        &app.gql(Some(&c.clerk), PUBLISH, json!({ "id": id })).await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(None, PUBLISH, json!({ "id": id })).await,
        "NOT_FOUND",
    );

    let edited = app
        .gql(
            Some(&c.clerk),
            UPDATE,
            json!({ "id": id, "i": c.input("新标题", "正文", None), "v": 1 }),
        )
        .await;
    assert_eq!(edited["data"]["updateDisclosure"]["version"], 2, "{edited}");
    let stale = app
        .gql(
            Some(&c.clerk),
            UPDATE,
            json!({ "id": id, "i": c.input("过期的修改", "正文", None), "v": 1 }),
        )
        .await;
    assert_error(&stale, "CONFLICT");
    let title = app.gql(Some(&c.clerk), BY_ID, json!({ "id": id })).await;
    assert_eq!(
        title["data"]["disclosure"]["title"], "新标题",
        "a stale edit changes nothing"
    );

    let published = app
        .gql(Some(&c.approver), PUBLISH, json!({ "id": id }))
        .await;
    assert_error(
        &app.gql(Some(&c.approver), PUBLISH, json!({ "id": id }))
            .await,
        "INVALID_TRANSITION",
    );
    // A published item stays editable and keeps its index number.
    let version = published["data"]["publishDisclosure"]["version"]
        .as_i64()
        .unwrap();
    let edited = app
        .gql(
            Some(&c.clerk),
            UPDATE,
            json!({ "id": id, "i": c.input("发布后更正", "正文", None), "v": version }),
        )
        .await;
    assert_eq!(
        edited["data"]["updateDisclosure"]["title"], "发布后更正",
        "{edited}"
    );
    let moved = json!({ "organizationId": app.org_id("PYXZ").await, "categoryId": c.category, "title": "t", "body": "b", "formedOn": "2026-11-02" });
    let answer = app
        .gql(
            Some(&c.clerk),
            UPDATE,
            json!({ "id": id, "i": moved, "v": version + 1 }),
        )
        .await;
    assert_ne!(
        error_code(&answer),
        None,
        "the organisation never changes: {answer}"
    );

    app.gql(
        Some(&c.approver),
        WITHDRAW,
        json!({ "id": id, "r": "过时" }),
    )
    .await;
    let after = app
        .gql(
            Some(&c.clerk),
            UPDATE,
            json!({ "id": id, "i": c.input("撤回后修改", "正文", None), "v": version + 2 }),
        )
        .await;
    assert_error(&after, "INVALID_TRANSITION");
    assert_error(
        &app.gql(Some(&c.approver), PUBLISH, json!({ "id": id }))
            .await,
        "INVALID_TRANSITION",
    );
}

#[tokio::test]
async fn index_numbers_are_gapless_when_publishes_race() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(
            c.draft(&app, &format!("并发发布测试{n}"), "正文", None)
                .await,
        );
    }
    let publishes = ids
        .iter()
        .map(|id| app.gql(Some(&c.approver), PUBLISH, json!({ "id": id })));
    let answers = futures_util::future::join_all(publishes).await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|a| {
            a["data"]["publishDisclosure"]["indexNo"]
                .as_str()
                .unwrap_or_else(|| panic!("{a}"))
                .to_owned()
        })
        .collect();
    numbers.sort();
    let year = numbers[0][5..9].to_owned();
    let expected: Vec<String> = (1..=20).map(|n| format!("PYNC/{year}-{n:05}")).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn pagination_returns_each_item_once_in_order() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    for n in 0..25 {
        c.published(&app, &format!("分页测试第{n:02}号"), "正文", None)
            .await;
    }
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let answer = app
            .gql(None, LIST, json!({ "first": 10, "after": after }))
            .await;
        let page = &answer["data"]["disclosures"];
        assert_eq!(page["totalCount"], 25, "{answer}");
        assert_eq!(page["totalCountIsExact"], true);
        seen.extend(titles(&answer));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    // A page past the end (which has no row to carry the count) counts on its own.
    let last = &app
        .gql(None, LIST, json!({ "first": 5, "after": after }))
        .await["data"]["disclosures"]["pageInfo"]["endCursor"];
    let beyond = app
        .gql(None, LIST, json!({ "first": 10, "after": last }))
        .await;
    assert_eq!(titles(&beyond), Vec::<String>::new(), "{beyond}");
    assert_eq!(beyond["data"]["disclosures"]["totalCount"], 25, "{beyond}");
    let expected: Vec<String> = (0..25)
        .rev()
        .map(|n| format!("分页测试第{n:02}号"))
        .collect();
    assert_eq!(seen, expected, "newest first, each once");

    let ascending = app
        .gql(None, LIST, json!({ "first": 3, "o": "PUBLISHED_ASC" }))
        .await;
    assert_eq!(
        titles(&ascending),
        vec!["分页测试第00号", "分页测试第01号", "分页测试第02号"]
    );
    assert_error(
        &app.gql(None, LIST, json!({ "first": 101 })).await,
        "BAD_USER_INPUT",
    );
    assert_error(
        &app.gql(None, LIST, json!({ "after": "garbage" })).await,
        "BAD_USER_INPUT",
    );
}

#[tokio::test]
async fn chinese_full_text_search() {
    let app = spawn_app().await;
    let c = Catalogue::new(&app).await;
    c.published(
        &app,
        "南村镇2022年法治政府建设年度报告",
        "本镇全面推进依法行政。",
        None,
    )
    .await;
    c.published(
        &app,
        "关于印发农村人居环境整治方案的通知",
        "为推进乡村振兴，现将方案印发。",
        Some("番府办〔2024〕12号"),
    )
    .await;
    c.published(
        &app,
        "行政处罚决定书",
        "当事人违反安全生产规定，依法予以处罚。",
        None,
    )
    .await;
    c.published(
        &app,
        "安全生产专项检查情况通报",
        "检查发现隐患十二处。",
        None,
    )
    .await;
    let search = |q: &str, order: &str| {
        let q = q.to_owned();
        let order = order.to_owned();
        let app = &app;
        async move {
            titles(
                &app.gql(None, LIST, json!({ "f": { "search": q }, "o": order }))
                    .await,
            )
        }
    };
    // A two-character substring of a title.
    assert_eq!(
        search("法治", "PUBLISHED_DESC").await,
        vec!["南村镇2022年法治政府建设年度报告"]
    );
    assert_eq!(
        search("南村", "PUBLISHED_DESC").await,
        vec!["南村镇2022年法治政府建设年度报告"]
    );
    // A word of the body only.
    assert_eq!(
        search("乡村振兴", "PUBLISHED_DESC").await,
        vec!["关于印发农村人居环境整治方案的通知"]
    );
    // The 文号, whole or by its number.
    for q in ["番府办〔2024〕12号", "番府办", "2024"] {
        assert_eq!(
            search(q, "PUBLISHED_DESC").await,
            vec!["关于印发农村人居环境整治方案的通知"],
            "{q}"
        );
    }
    // A title match ranks above a body-only match, whatever their dates.
    assert_eq!(
        search("安全生产", "RELEVANCE").await,
        vec!["安全生产专项检查情况通报", "行政处罚决定书"]
    );
    // The older title match still ranks first.
    c.published(&app, "应急管理工作动态", "开展安全生产宣传。", None)
        .await;
    assert_eq!(
        search("安全生产", "RELEVANCE").await[0],
        "安全生产专项检查情况通报"
    );
    // Nothing for an absent word; nothing leaks for query syntax.
    assert!(search("地铁", "RELEVANCE").await.is_empty());
    assert!(
        search("\"安全\" OR *", "RELEVANCE")
            .await
            .iter()
            .all(|t| t.contains("安全"))
    );
}

#[tokio::test]
async fn a_page_of_100_costs_a_constant_number_of_queries() {
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    let app = spawn_app_with(move |db| {
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
    })
    .await;
    let c = Catalogue::new(&app).await;
    let page = "query($first: Int) { disclosures(first: $first) { totalCount edges { node {
        title publishDueOn publishedLate organization { code name } category { code name parent { code } } } } } }";
    let mut counts = Vec::new();
    for items in [1, 100] {
        while
            app.gql(None, page, json!({ "first": 100 })).await["data"]["disclosures"]["totalCount"]
                .as_i64()
                .unwrap()
                < items
        {
            c.published(&app, "计数测试", "正文", None).await;
        }
        let before = queries.load(Ordering::SeqCst);
        let answer = app.gql(None, page, json!({ "first": 100 })).await;
        assert_eq!(
            answer["data"]["disclosures"]["edges"]
                .as_array()
                .unwrap()
                .len() as i64,
            items
        );
        counts.push(queries.load(Ordering::SeqCst) - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "queries for 1 item and for 100 items: {counts:?}"
    );
}

/// What a public read costs in statements, whatever the page holds: a
/// listing reads its page (with the organisations' and categories' names)
/// in one statement, counts only when totalCount is selected, and looks the
/// organisation up only when the page is empty.
#[tokio::test]
async fn public_reads_send_only_the_statements_they_need() {
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    let app = spawn_app_with(move |db| {
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
    })
    .await;
    let c = Catalogue::new(&app).await;
    let mut index_no = String::new();
    for n in 0..3 {
        let published = c
            .published(&app, &format!("第{n}号通知"), &format!("正文{n}"), None)
            .await;
        index_no = published["indexNo"].as_str().unwrap().to_owned();
    }
    let page = "query($f: DisclosureFilter) { disclosures(first: 20, filter: $f) {
        edges { node { id title indexNo publishedAt category { name } organization { name } } } } }";
    let counted = "query($f: DisclosureFilter) { disclosures(first: 20, filter: $f) { totalCount
        edges { node { id title category { name } organization { name } } } } }";
    let bodies = "query($f: DisclosureFilter) { disclosures(first: 20, filter: $f) {
        edges { node { title body } } } }";
    let one = "query($no: String) { disclosure(indexNo: $no) {
        id title body category { name } organization { name } } }";
    let sent = |query: &'static str, variables: Value| {
        let app = &app;
        let queries = queries.clone();
        async move {
            let before = queries.load(Ordering::SeqCst);
            let answer = app.gql(None, query, variables).await;
            (queries.load(Ordering::SeqCst) - before, answer)
        }
    };
    let org = json!({ "f": { "organizationId": c.nancun } });
    let (n, answer) = sent(page, org.clone()).await;
    let edges = &answer["data"]["disclosures"]["edges"];
    assert_eq!(edges.as_array().map(Vec::len), Some(3), "{answer}");
    assert_eq!(
        edges[0]["node"]["organization"]["name"], "南村镇人民政府",
        "{answer}"
    );
    assert!(edges[0]["node"]["category"]["name"].is_string(), "{answer}");
    assert_eq!(n, 1, "a listing: {answer}");
    let year: i32 = edges[0]["node"]["publishedAt"].as_str().unwrap()[..4]
        .parse()
        .unwrap();
    let (n, answer) = sent(
        page,
        json!({ "f": { "organizationId": c.nancun, "categoryId": c.category, "year": year } }),
    )
    .await;
    assert_eq!(
        answer["data"]["disclosures"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{answer}"
    );
    assert_eq!(n, 2, "with a category (the tree) and a year: {answer}");
    let (n, answer) = sent(counted, org.clone()).await;
    assert_eq!(answer["data"]["disclosures"]["totalCount"], 3, "{answer}");
    assert_eq!(n, 1, "with totalCount, counted in the page's statement");
    let search = "query($s: String!, $o: DisclosureOrder) {
        disclosures(first: 20, filter: { search: $s }, orderBy: $o) { edges { node { title } } } }";
    let (n, answer) = sent(search, json!({ "s": "通知", "o": "PUBLISHED_DESC" })).await;
    assert_eq!(titles(&answer).len(), 3, "{answer}");
    assert_eq!(n, 2, "a search: its plan's count, then the page: {answer}");
    let (n, answer) = sent(search, json!({ "s": "通知", "o": "RELEVANCE" })).await;
    assert_eq!(titles(&answer).len(), 3, "{answer}");
    assert_eq!(
        n, 3,
        "RELEVANCE: one statement for both plans' counts, then titles and the rest: {answer}"
    );
    let (n, answer) = sent(bodies, org.clone()).await;
    assert_eq!(
        answer["data"]["disclosures"]["edges"][2]["node"]["body"], "正文0",
        "{answer}"
    );
    assert_eq!(n, 1, "with bodies");
    let (n, answer) = sent(one, json!({ "no": index_no })).await;
    assert_eq!(answer["data"]["disclosure"]["body"], "正文2", "{answer}");
    assert_eq!(
        answer["data"]["disclosure"]["organization"]["name"], "南村镇人民政府",
        "{answer}"
    );
    assert_eq!(n, 1, "one disclosure by index number: {answer}");
    let district = app.org_id("PY").await;
    let (n, answer) = sent(page, json!({ "f": { "organizationId": district } })).await;
    assert_eq!(
        answer["data"]["disclosures"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "{answer}"
    );
    assert_eq!(n, 2, "an empty page asks whether the organisation exists");
    let (_, answer) = sent(page, json!({ "f": { "organizationId": "999999" } })).await;
    assert_error(&answer, "NOT_FOUND");
    let (_, answer) = sent(
        page,
        json!({ "f": { "organizationId": "999999", "categoryId": "999999" } }),
    )
    .await;
    assert_error(&answer, "NOT_FOUND");
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("机构"),
        "an unknown organisation is named first: {answer}"
    );
}

#[tokio::test]
async fn the_demo_catalogue() {
    let app = spawn_demo_app().await;
    let nancun = app.org_id("PYNC").await;
    let public = app
        .gql(
            None,
            LIST,
            json!({ "f": { "organizationId": nancun }, "first": 1 }),
        )
        .await;
    assert_eq!(
        public["data"]["disclosures"]["totalCount"], 402,
        "400 published, one withdrawn, two carrying the demo documents, last year's annual report: {public}"
    );
    let clerk = app.login(CLERK).await;
    for (status, count) in [("DRAFT", 5), ("WITHDRAWN", 1)] {
        let answer = app
            .gql(
                Some(&clerk),
                LIST,
                json!({ "f": { "organizationId": nancun, "status": status } }),
            )
            .await;
        assert_eq!(
            answer["data"]["disclosures"]["totalCount"], count,
            "{status}"
        );
    }
    let district = app.gql(None, LIST, json!({ "f": { "organizationId": app.org_id("PY").await, "includeDescendants": true }, "first": 1 })).await;
    assert_eq!(district["data"]["disclosures"]["totalCount"], 402 + 7 * 8);
    let reports = app
        .gql(
            None,
            LIST,
            json!({ "f": { "search": "法治政府建设年度报告", "organizationId": nancun } }),
        )
        .await;
    assert!(
        titles(&reports)
            .iter()
            .any(|t| t.starts_with("南村镇") && t.ends_with("年法治政府建设年度报告")),
        "{reports}"
    );
}

/// Year and date filters select by the day of publication in China, the
/// same day publishedAt shows there (they are answered from the listing
/// time, so this checks the two agree).
#[tokio::test]
async fn date_filters_follow_the_day_of_publication_in_china() {
    let app = spawn_demo_app().await;
    let nancun = app.org_id("PYNC").await;
    let query = "query($f: DisclosureFilter, $after: String) { disclosures(filter: $f, first: 100, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { publishedAt } } } }";
    let china = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let mut published_days = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .gql(
                None,
                query,
                json!({ "f": { "organizationId": nancun }, "after": after }),
            )
            .await;
        let connection = &page["data"]["disclosures"];
        for edge in connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{page}"))
        {
            let at =
                chrono::DateTime::parse_from_rfc3339(edge["node"]["publishedAt"].as_str().unwrap())
                    .unwrap();
            published_days.push(at.with_timezone(&china).date_naive());
        }
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(
        published_days.len(),
        402,
        "with the two demo documents and last year's annual report"
    );
    let count = |from: &str, to: &str| {
        let (from, to) = (from.parse().unwrap(), to.parse().unwrap());
        published_days
            .iter()
            .filter(|d| (from..=to).contains(*d))
            .count()
    };
    // (filter, expected count)
    let cases = [
        (json!({ "year": 2024 }), count("2024-01-01", "2024-12-31")),
        (json!({ "year": 2023 }), count("2023-01-01", "2023-12-31")),
        (
            json!({ "publishedFrom": "2024-03-01", "publishedTo": "2024-03-31" }),
            count("2024-03-01", "2024-03-31"),
        ),
        (
            json!({ "year": 2024, "publishedFrom": "2024-06-15" }),
            count("2024-06-15", "2024-12-31"),
        ),
        (
            json!({ "publishedFrom": "2025-02-10", "publishedTo": "2025-02-10" }),
            count("2025-02-10", "2025-02-10"),
        ),
    ];
    for (mut filter, expected) in cases {
        assert!(
            expected > 0 || filter.get("publishedTo").is_some(),
            "{filter}"
        );
        filter["organizationId"] = json!(nancun);
        let answer = app
            .gql(None, LIST, json!({ "f": filter, "first": 1 }))
            .await;
        assert_eq!(
            answer["data"]["disclosures"]["totalCount"], expected,
            "{filter}: {answer}"
        );
    }
    // Drafts have no day of publication.
    let clerk = app.login(CLERK).await;
    let drafts = app
        .gql(
            Some(&clerk),
            LIST,
            json!({ "f": { "organizationId": nancun, "status": "DRAFT", "year": 2026 } }),
        )
        .await;
    assert_eq!(drafts["data"]["disclosures"]["totalCount"], 0, "{drafts}");
}

/// A public filter once over the count cap is answered without counting
/// again; withdrawing published items must make it count again, so that
/// the total is exact as soon as it falls back to the cap.
#[tokio::test]
async fn a_remembered_count_over_the_cap_is_forgotten_on_withdrawal() {
    let size = gongkai::seed::SyntheticSize {
        organizations: 3,
        disclosures: 10_500,
        applications: 0,
        seed: 7,
    };
    let app = spawn_synthetic_app(size).await;
    let total = |answer: &Value| {
        let connection = &answer["data"]["disclosures"];
        (
            connection["totalCount"]
                .as_u64()
                .unwrap_or_else(|| panic!("{answer}")),
            connection["totalCountIsExact"] == true,
        )
    };
    let everything = app.gql(None, LIST, json!({ "first": 1 })).await;
    assert_eq!(total(&everything), (10_000, false));
    // Each year holds fewer than the cap: their exact counts add up.
    let mut published = 0;
    for year in 2021..=2026 {
        let answer = app
            .gql(None, LIST, json!({ "f": { "year": year }, "first": 1 }))
            .await;
        let (count, exact) = total(&answer);
        assert!(exact, "{year}");
        published += count;
    }
    assert!(published > 10_000, "{published}");

    app.create_user("syn.approver", "APPROVER", "SYN", "approver-password-1")
        .await;
    let approver = app.login(("syn.approver", "approver-password-1")).await;
    let district = app.org_id("SYN").await;
    let mut withdraw = published - 10_000;
    while withdraw > 0 {
        let page = app
            .gql(
                None,
                LIST,
                json!({ "f": { "organizationId": district }, "first": 100 }),
            )
            .await;
        for edge in page["data"]["disclosures"]["edges"].as_array().unwrap() {
            if withdraw == 0 {
                break;
            }
            let answer = app
                .gql(
                    Some(&approver),
                    WITHDRAW,
                    json!({ "id": edge["node"]["id"], "r": "测试撤回" }),
                )
                .await;
            assert!(answer["errors"].is_null(), "{answer}");
            withdraw -= 1;
        }
    }
    let at_the_cap = app.gql(None, LIST, json!({ "first": 1 })).await;
    assert_eq!(total(&at_the_cap), (10_000, true), "counted again");
}

/// Words matching more than 10,000 items are found along the listing, each
/// item tested where it lies; a word common in bodies but rare in titles
/// takes its title matches from the index. Either way the answer is what
/// the newest items, read one by one, say it must be.
#[tokio::test]
async fn common_words_list_as_the_newest_items_say() {
    let size = gongkai::seed::SyntheticSize {
        organizations: 3,
        disclosures: 12_000,
        applications: 0,
        seed: 5,
    };
    let app = spawn_synthetic_app(size).await;
    let read = "query($after: String) { disclosures(first: 100, after: $after) {
        pageInfo { endCursor } edges { node { id title body } } } }";
    let mut newest: Vec<(String, String, String)> = Vec::new();
    let mut after = Value::Null;
    for _ in 0..3 {
        let page = app.gql(None, read, json!({ "after": after })).await;
        let connection = &page["data"]["disclosures"];
        for edge in connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{page}"))
        {
            let node = &edge["node"];
            let text = |field: &str| node[field].as_str().unwrap().to_owned();
            newest.push((text("id"), text("title"), text("body")));
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    // (word, expected share of titles among the newest): 合成 is in most
    // titles, 工作 in some, 条例 in none but in every body.
    for word in ["合成", "工作", "条例"] {
        let matching: Vec<&(String, String, String)> = newest
            .iter()
            .filter(|(_, title, body)| title.contains(word) || body.contains(word))
            .collect();
        let in_titles: Vec<&String> = matching
            .iter()
            .filter(|(_, title, _)| title.contains(word))
            .map(|(id, ..)| id)
            .collect();
        let ids = |answer: &Value| -> Vec<String> {
            answer["data"]["disclosures"]["edges"]
                .as_array()
                .unwrap_or_else(|| panic!("{answer}"))
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
                .collect()
        };
        let newest_first = app
            .gql(None, LIST, json!({ "f": { "search": word }, "first": 20 }))
            .await;
        assert_eq!(
            newest_first["data"]["disclosures"]["totalCountIsExact"], false,
            "{word} matches more than 10,000 items"
        );
        let expected: Vec<String> = matching
            .iter()
            .take(20)
            .map(|(id, ..)| id.clone())
            .collect();
        assert_eq!(ids(&newest_first), expected, "{word}, newest first");

        let relevance = app
            .gql(
                None,
                LIST,
                json!({ "f": { "search": word }, "o": "RELEVANCE", "first": 20 }),
            )
            .await;
        let expected: Vec<String> = if in_titles.is_empty() {
            matching
                .iter()
                .take(20)
                .map(|(id, ..)| id.clone())
                .collect()
        } else {
            assert!(in_titles.len() >= 20, "{word}: {}", in_titles.len());
            in_titles.iter().take(20).map(|id| (*id).clone()).collect()
        };
        assert_eq!(ids(&relevance), expected, "{word}, title matches first");
    }
}

/// PostgreSQL plans a prepared statement once per connection only when the
/// plan it makes without the values looks as cheap as theirs. A listing, a
/// capped count and the counts that choose a search's plan have one plan
/// whatever their values (LIMITs written as numbers, words hidden from the
/// planner), so none of them is planned again on every request; only a
/// page collected from the full-text index is, with its words. (At this
/// size PostgreSQL keeps the counts' generic plans even with their words
/// shown; BENCHMARKS.md has the 1M figures that show why they are hidden.)
#[tokio::test]
async fn postgres_plans_listings_and_counts_once_per_connection() {
    use gongkai::domain::disclosure::{CatalogueOrder, DisclosureStatus};
    use gongkai::domain::search_terms::query_terms;
    use gongkai::store::disclosures::{DisclosureFilter, PageQuery, Search, list};
    use gongkai::store::visibility::Visibility;
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

    if std::env::var("GONGKAI_TEST_POSTGRES_URL").is_err() {
        eprintln!("skipped: prepared statements' plans are PostgreSQL's");
        return;
    }
    let (database_url, _folder) = fresh_database().await;
    // One connection, which prepares every statement below.
    let db = gongkai::startup::open_database_pool(&database_url, Some(1))
        .await
        .expect("the database opens");
    let size = gongkai::seed::SyntheticSize {
        organizations: 3,
        disclosures: 12_000,
        applications: 0,
        seed: 5,
    };
    let now = chrono::Utc::now();
    gongkai::seed::synthetic(&db, size, now, &gongkai::service::progress::Silent)
        .await
        .expect("the synthetic data loads");
    db.execute_unprepared("ANALYZE").await.unwrap();
    // 合成 is in most titles, 工作 in some, 条例 in none but in every body,
    // 通知书 in few items.
    for search in [
        None,
        Some("合成"),
        Some("工作"),
        Some("条例"),
        Some("通知书"),
    ] {
        for order in [CatalogueOrder::PublishedDesc, CatalogueOrder::Relevance] {
            for count_cap in [None, Some(10_001)] {
                let filter = DisclosureFilter {
                    visibility: Visibility::PublishedOnly,
                    status: Some(DisclosureStatus::Published),
                    organization: None,
                    category_ids: None,
                    published_from: None,
                    published_to: None,
                    search: search.map(|words| Search {
                        terms: query_terms(words),
                    }),
                };
                let page = PageQuery {
                    order,
                    after: None,
                    limit: 21,
                    with_body: false,
                    count_cap,
                };
                for _ in 0..8 {
                    list(&db, &filter, page, now).await.expect("a page");
                }
            }
        }
    }
    let prepared = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements",
        ))
        .await
        .unwrap();
    let mut counts = 0;
    let mut replanned = Vec::new();
    for row in prepared {
        let statement: String = row.try_get("", "statement").unwrap();
        let custom: i64 = row.try_get("", "custom_plans").unwrap();
        let generic: i64 = row.try_get("", "generic_plans").unwrap();
        let counting = statement.contains("COUNT(*)");
        let page_from_the_index = !counting && statement.contains("@@ to_tsquery(");
        if custom + generic < 8 || page_from_the_index {
            continue;
        }
        counts += usize::from(counting);
        // PostgreSQL tries the values' own plans five times before it
        // compares them with the generic one.
        if custom > 5 {
            replanned.push(format!("{custom} of {}: {statement}", custom + generic));
        }
    }
    assert!(
        replanned.is_empty(),
        "planned with their values on every execution:\n{}",
        replanned.join("\n")
    );
    assert!(counts >= 2, "the counts ran as prepared statements");
}
