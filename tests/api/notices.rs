//! The documents the organ issues: the reply notice (答复告知书) and the
//! published annual report.

use chrono::Datelike;
use serde_json::json;

use crate::applications::Desk;
use crate::helpers::*;

const NOTICE: &str = "query($id: ID!, $o: ApplicationOutcome, $r: String) {
    application(id: $id) { replyNoticeText(outcome: $o, reply: $r) } }";

async fn notice(app: &TestApp, token: &str, id: &str, outcome: Option<&str>) -> serde_json::Value {
    app.gql(
        Some(token),
        NOTICE,
        json!({ "id": id, "o": outcome, "r": "预算表见附件。" }),
    )
    .await
}

#[tokio::test]
async fn the_reply_notice_is_previewed_then_issued_with_its_article_and_remedies() {
    let app = spawn_app_at(instant("2026-03-02T02:00:00Z")).await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "notice-1", "2026-02-02").await;

    // Open, no outcome: nothing to preview.
    let answer = notice(&app, &desk.clerk, &id, None).await;
    assert_eq!(
        answer["data"]["application"]["replyNoticeText"],
        json!(null),
        "{answer}"
    );
    // A preview with the outcome the clerk is about to choose.
    let answer = notice(&app, &desk.clerk, &id, Some("WITHHELD_STATE_SECRET")).await;
    let preview = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    assert!(
        preview.contains("第三十六条第（三）项、第十四条"),
        "{preview}"
    );
    assert!(preview.contains("具体情况：预算表见附件。"), "{preview}");
    assert!(
        preview.ends_with("2026年3月2日"),
        "the preview closes today: {preview}"
    );

    let closed = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2026-02-27\", reply: \"现提供2025年部门预算。\" }) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        closed["data"]["closeApplication"]["status"], "CLOSED",
        "{closed}"
    );
    // Closed: the notice as issued; a preview's outcome no longer matters.
    let answer = notice(&app, &desk.clerk, &id, Some("OTHER")).await;
    let text = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    for part in [
        "南村镇人民政府\n\n政府信息公开申请答复告知书",
        "张三丰：",
        "PYNC-2026-00001",
        "本机关于2026年2月2日收到",
        "“请公开南村镇2025年部门预算”。",
        "具体情况：现提供2025年部门预算。",
        "依据：《中华人民共和国政府信息公开条例》第三十六条第（二）项。",
        "第五十一条",
        // The town's parent is the district: it hears the review.
        "60日内向广州市番禺区人民政府申请行政复议",
        "6个月内向有管辖权的人民法院提起行政诉讼",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(text.ends_with("南村镇人民政府\n\n2026年2月27日"), "{text}");

    // OVERSIGHT reads it with the name masked; the public must sign in.
    let oversight = app.login(OVERSIGHT).await;
    let answer = notice(&app, &oversight, &id, None).await;
    let masked = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    assert!(
        masked.contains("张**：") && !masked.contains("张三丰"),
        "{masked}"
    );
    let answer = app
        .gql(None, NOTICE, json!({ "id": id, "o": null, "r": null }))
        .await;
    assert_error(&answer, "UNAUTHENTICATED");
}

const PUBLISH: &str = "mutation($o: ID!, $y: Int!) {
    publishAnnualReport(organizationId: $o, year: $y, text: {
        overview: \"2025年，南村镇认真贯彻落实《中华人民共和国政府信息公开条例》。\",
        problemsAndImprovements: \"主动公开的及时性有待提高。\" }) {
    year dueOn publishedLate liveFiguresDiffer markdown
    organization { code }
    disclosure { id title indexNo status body category { code name } attachments { fileName contentType downloadUrl } }
    report { rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } sources { organization { code } frozen } } } }";

const REPORT: &str = "query($o: ID!, $y: Int!, $d: Boolean) {
    annualReport(organizationId: $o, year: $y, includeDescendants: $d) {
        rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total }
        sources { organization { code } frozen } } }";

fn received_in_year(report: &serde_json::Value) -> i64 {
    report["rows"][0]["total"].as_i64().unwrap()
}

/// 总计 is the sum of the columns; each column: 一 + 二 = 三（七） + 四.
fn assert_identities(report: &serde_json::Value) {
    let rows = report["rows"].as_array().unwrap();
    let columns = [
        "naturalPerson",
        "commercialEnterprise",
        "researchInstitution",
        "socialWelfareOrganization",
        "legalServiceOrganization",
        "otherOrganization",
        "total",
    ];
    for row in rows {
        let sum: i64 = columns[..6].iter().map(|c| row[c].as_i64().unwrap()).sum();
        assert_eq!(sum, row["total"].as_i64().unwrap(), "{row}");
    }
    let label = |l: &str| rows.iter().find(|r| r["label"] == l).unwrap();
    for column in columns {
        let of = |l: &str| label(l)[column].as_i64().unwrap();
        assert_eq!(
            of("一、本年新收政府信息公开申请数量") + of("二、上年结转政府信息公开申请数量"),
            of("（七）总计") + of("四、结转下年度继续办理"),
            "{column}"
        );
    }
}

#[tokio::test]
async fn publishing_the_annual_report_freezes_it_in_the_catalogue() {
    let app = spawn_app_at(instant("2026-01-20T02:00:00Z")).await;
    let desk = Desk::new(&app).await;
    let nancun = app.org_id("PYNC").await;
    // 2025: three received, one closed in the year, two carried forward.
    let first = desk.register(&app, "y-1", "2025-03-03").await;
    desk.register(&app, "y-2", "2025-11-03").await;
    desk.register(&app, "y-3", "2025-12-01").await;
    let closed = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2025-03-20\", reply: \"予以公开\" }) { status } }",
            json!({ "id": first }),
        )
        .await;
    assert_eq!(
        closed["data"]["closeApplication"]["status"], "CLOSED",
        "{closed}"
    );

    // Who may publish: the town's APPROVER and ADMIN, not its clerk nor oversight.
    let oversight = app.login(OVERSIGHT).await;
    for token in [&desk.clerk, &oversight] {
        let answer = app
            .gql(Some(token), PUBLISH, json!({ "o": nancun, "y": 2025 }))
            .await;
        assert_error(&answer, "FORBIDDEN");
    }
    let anonymous = app
        .gql(None, PUBLISH, json!({ "o": nancun, "y": 2025 }))
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED");
    let approver = app.login(APPROVER).await;
    // Not a year that has not ended.
    let current = app
        .gql(Some(&approver), PUBLISH, json!({ "o": nancun, "y": 2026 }))
        .await;
    assert_error(&current, "BAD_USER_INPUT");

    let answer = app
        .gql(Some(&approver), PUBLISH, json!({ "o": nancun, "y": 2025 }))
        .await;
    let published = &answer["data"]["publishAnnualReport"];
    assert_eq!(published["dueOn"], "2026-01-31", "{answer}");
    assert_eq!(published["publishedLate"], false);
    assert_eq!(published["liveFiguresDiffer"], false);
    let disclosure = &published["disclosure"];
    assert_eq!(
        disclosure["title"],
        "南村镇人民政府2025年政府信息公开工作年度报告"
    );
    assert_eq!(disclosure["status"], "PUBLISHED");
    assert_eq!(disclosure["category"]["name"], "政府信息公开工作年度报告");
    assert!(
        disclosure["indexNo"]
            .as_str()
            .unwrap()
            .starts_with("PYNC/2026-"),
        "{disclosure}"
    );
    let markdown = published["markdown"].as_str().unwrap();
    for section in [
        "一、总体情况",
        "2025年，南村镇认真贯彻落实",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "本年度未收取政府信息公开信息处理费。",
    ] {
        assert!(markdown.contains(section), "{section}");
    }
    assert_eq!(disclosure["body"], published["markdown"]);
    assert_eq!(received_in_year(&published["report"]), 3);
    assert_identities(&published["report"]);

    // The public catalogue lists it under its category.
    let category = disclosure["category"]["code"].as_str().unwrap();
    let categories = app
        .gql(None, "{ disclosureCategories { id code } }", json!({}))
        .await;
    let category_id = categories["data"]["disclosureCategories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == category)
        .unwrap()["id"]
        .clone();
    let listed = app
        .gql(
            None,
            "query($f: DisclosureFilter) { disclosures(filter: $f) { edges { node { id title } } } }",
            json!({ "f": { "categoryId": category_id, "organizationId": nancun } }),
        )
        .await;
    let edges = listed["data"]["disclosures"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{listed}");
    assert_eq!(edges[0]["node"]["id"], disclosure["id"]);

    // Both documents are attached and download for the public.
    let attachments = disclosure["attachments"].as_array().unwrap();
    let named = |suffix: &str| {
        attachments
            .iter()
            .find(|a| a["fileName"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} in {attachments:?}"))
    };
    let docx = named(".docx");
    assert_eq!(
        docx["fileName"],
        "南村镇人民政府2025年政府信息公开工作年度报告.docx"
    );
    let got = app
        .client
        .get(app.url(docx["downloadUrl"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let mut zipped =
        zip::ZipArchive::new(std::io::Cursor::new(got.bytes().await.unwrap().to_vec())).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut zipped.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    for part in [
        "三、收到和处理政府信息公开申请情况",
        "2025年，南村镇认真贯彻落实",
    ] {
        assert!(document.contains(part), "{part} in the DOCX");
    }
    let md = named(".md");
    assert_eq!(md["contentType"], "text/markdown; charset=utf-8");
    let got = app
        .client
        .get(app.url(md["downloadUrl"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.text().await.unwrap(), markdown);

    // Publishing twice: CONFLICT.
    let again = app
        .gql(Some(&approver), PUBLISH, json!({ "o": nancun, "y": 2025 }))
        .await;
    assert_error(&again, "CONFLICT");

    // A back-dated application received in 2025, registered now: the
    // published figures stay, the live ones move.
    desk.register(&app, "y-late", "2025-12-30").await;
    let report = app
        .gql(None, REPORT, json!({ "o": nancun, "y": 2025 }))
        .await;
    let report = &report["data"]["annualReport"];
    assert_eq!(received_in_year(report), 3, "frozen: {report}");
    assert_eq!(
        report["sources"],
        json!([{ "organization": { "code": "PYNC" }, "frozen": true }])
    );
    assert_identities(report);
    let listed = app
        .gql(
            None,
            "query($o: ID!) { publishedAnnualReports(organizationId: $o) { year liveFiguresDiffer report { rows { total } } } }",
            json!({ "o": nancun }),
        )
        .await;
    let reports = listed["data"]["publishedAnnualReports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{listed}");
    assert_eq!(reports[0]["liveFiguresDiffer"], true);
    assert_eq!(reports[0]["report"]["rows"][0]["total"], 3);

    // The district's roll-up: Nancun's frozen figures, the others live.
    let district = app.org_id("PY").await;
    let rolled = app
        .gql(None, REPORT, json!({ "o": district, "y": 2025, "d": true }))
        .await;
    let rolled = &rolled["data"]["annualReport"];
    assert_eq!(received_in_year(rolled), 3, "{rolled}");
    let sources = rolled["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 8);
    for source in sources {
        let frozen = source["organization"]["code"] == "PYNC";
        assert_eq!(source["frozen"], frozen, "{source}");
    }
}

#[tokio::test]
async fn the_reporting_season_shows_published_late_and_pending() {
    let app = spawn_app_at(instant("2026-01-20T02:00:00Z")).await;
    let approver = app.login(APPROVER).await;
    let nancun = app.org_id("PYNC").await;
    let xinzao = app.org_id("PYXZ").await;
    let district = app.org_id("PY").await;
    let on_time = app
        .gql(Some(&approver), PUBLISH, json!({ "o": nancun, "y": 2025 }))
        .await;
    assert!(on_time["errors"].is_null(), "{on_time}");
    // 2 February: Xinzao publishes late; the district's own is due 31 March.
    app.clock.set(instant("2026-02-02T02:00:00Z"));
    let admin = app.login(ADMIN).await;
    let approver = app.login(APPROVER).await;
    let late = app
        .gql(Some(&admin), PUBLISH, json!({ "o": xinzao, "y": 2025 }))
        .await;
    assert_eq!(
        late["data"]["publishAnnualReport"]["publishedLate"], true,
        "{late}"
    );

    let oversight = app.login(OVERSIGHT).await;
    let season = app
        .gql(
            Some(&oversight),
            "query($o: ID, $y: Int!) { annualReportStatus(organizationId: $o, year: $y) { organization { code } dueOn filing publishedAt } }",
            json!({ "o": district, "y": 2025 }),
        )
        .await;
    let rows = season["data"]["annualReportStatus"].as_array().unwrap();
    let of = |code: &str| {
        rows.iter()
            .find(|r| r["organization"]["code"] == code)
            .unwrap()
    };
    assert_eq!(rows.len(), 8, "{season}");
    assert_eq!(of("PYNC")["filing"], "PUBLISHED");
    assert_eq!(of("PYXZ")["filing"], "PUBLISHED_LATE");
    assert_eq!(of("PYHL")["filing"], "OVERDUE");
    assert_eq!(of("PYHL")["dueOn"], "2026-01-31");
    assert_eq!(of("PYHL")["publishedAt"], json!(null));
    assert_eq!(of("PY")["filing"], "PENDING");
    assert_eq!(of("PY")["dueOn"], "2026-03-31");

    // The same as CSV for the spreadsheet.
    let csv = app
        .client
        .get(app.url(&format!(
            "/export/annual-report-status.csv?organizationId={district}&year=2025"
        )))
        .bearer_auth(&oversight)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0], "机构代码,机构名称,年度,截止日期,状态,发布日期",
        "{text}"
    );
    assert_eq!(lines.len(), 9, "{text}");
    for line in [
        "PY,广州市番禺区人民政府,2025,2026-03-31,未发布（未到期）,",
        "PYNC,南村镇人民政府,2025,2026-01-31,已按时发布,2026-01-20",
        "PYXZ,新造镇人民政府,2025,2026-01-31,逾期发布,2026-02-02",
        "PYHL,化龙镇人民政府,2025,2026-01-31,逾期未发布,",
    ] {
        assert!(lines.contains(&line), "{line} in {text}");
    }
    let anonymous = app
        .client
        .get(app.url(&format!(
            "/export/annual-report-status.csv?organizationId={district}&year=2025"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    // The public may not see who has not reported; staff see their own.
    let anonymous = app
        .gql(None, "query($o: ID, $y: Int!) { annualReportStatus(organizationId: $o, year: $y) { filing } }", json!({ "o": district, "y": 2025 }))
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED");
    let own = app
        .gql(
            Some(&approver),
            "query($y: Int!) { annualReportStatus(year: $y) { organization { code } filing } }",
            json!({ "y": 2025 }),
        )
        .await;
    assert_eq!(
        own["data"]["annualReportStatus"],
        json!([{ "organization": { "code": "PYNC" }, "filing": "PUBLISHED" }]),
        "{own}"
    );
}

const APPLICANT: (&str, &str, &str) = ("欧阳明华", "440113198506123450", "13987654321");

#[tokio::test]
async fn closing_issues_the_reply_notice_as_docx_for_the_applicant() {
    let app = spawn_app_at(instant("2026-03-02T02:00:00Z")).await;
    let clerk = app.login(CLERK).await;
    let nancun = app.org_id("PYNC").await;
    let (name, id_number, phone) = APPLICANT;
    let submitted = app
        .gql(
            Some(&clerk),
            "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) {
                queryCode application { id trackingNo } } }",
            json!({ "i": { "clientRequestId": "issue-1", "organizationId": nancun,
                "applicantType": "NATURAL_PERSON", "applicantName": name, "idNumber": id_number,
                "phone": phone, "description": "请公开南村镇2025年部门预算。",
                "channel": "LETTER", "receivedOn": "2026-02-02" } }),
        )
        .await;
    let submitted = &submitted["data"]["submitApplication"];
    let id = submitted["application"]["id"].as_str().unwrap().to_owned();
    let tracking_no = submitted["application"]["trackingNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = submitted["queryCode"].as_str().unwrap().to_owned();

    let closed = app
        .gql(
            Some(&clerk),
            "mutation($id: ID!) { closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2026-02-27\", reply: \"现提供2025年部门预算。\" }) { status attachments { kind fileName contentType downloadUrl } } }",
            json!({ "id": id }),
        )
        .await;
    let closed = &closed["data"]["closeApplication"];
    assert_eq!(closed["status"], "CLOSED", "{closed}");
    let notices: Vec<&serde_json::Value> = closed["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "REPLY_NOTICE")
        .collect();
    assert_eq!(notices.len(), 1, "{closed}");
    assert_eq!(
        notices[0]["contentType"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        notices[0]["fileName"],
        format!("答复告知书-{tracking_no}.docx")
    );

    // The applicant downloads it from the tracking view.
    let tracked = app
        .gql(
            None,
            "query($n: String!, $c: String!) { trackApplication(trackingNo: $n, queryCode: $c) {
                replyNotice { kind downloadUrl } } }",
            json!({ "n": tracking_no, "c": code }),
        )
        .await;
    let link = tracked["data"]["trackApplication"]["replyNotice"]["downloadUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("{tracked}"))
        .to_owned();
    let got = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    let bytes = got.bytes().await.unwrap().to_vec();
    let mut docx = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip");
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut docx
            .by_name("word/document.xml")
            .expect("word/document.xml"),
        &mut document,
    )
    .unwrap();
    assert!(document.contains(name), "{document}");
    assert!(document.contains(&tracking_no), "{document}");
    assert!(document.contains("第三十六条第（二）项"), "{document}");

    // An altered token, then an expired one: 404.
    let altered = link.replacen("?token=", "?token=9", 1);
    let got = app.client.get(app.url(&altered)).send().await.unwrap();
    assert_eq!(got.status(), 404);
    app.clock.advance(chrono::TimeDelta::minutes(16));
    let got = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(got.status(), 404);

    // Nothing of the applicant's person reached the log (this applicant is
    // in no other test, whose servers log into the same capture).
    let written = server_log();
    assert!(
        written.contains("reply notice issued"),
        "the log was captured: {written}"
    );
    for personal in [name, id_number, phone] {
        assert!(!written.contains(personal), "{personal} in the log");
    }
}

#[tokio::test]
async fn the_demo_publishes_nancuns_report_of_last_year_and_not_the_others() {
    let app = spawn_demo_app().await;
    let year = gongkai::domain::calendar::china_date(app.clock.now()).year() - 1;
    let nancun = app.org_id("PYNC").await;
    let listed = app
        .gql(
            None,
            "query($o: ID!) { publishedAnnualReports(organizationId: $o) { year publishedLate liveFiguresDiffer
                disclosure { title attachments { fileName } }
                report { rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } } } }",
            json!({ "o": nancun }),
        )
        .await;
    let reports = listed["data"]["publishedAnnualReports"]
        .as_array()
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(reports.len(), 1, "{listed}");
    let published = &reports[0];
    assert_eq!(published["year"], year);
    assert_eq!(published["publishedLate"], false);
    assert_eq!(
        published["disclosure"]["title"],
        format!("南村镇人民政府{year}年政府信息公开工作年度报告")
    );
    assert_eq!(
        published["disclosure"]["attachments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Table 三 is the demo applications of that year, as computed now.
    assert_eq!(published["liveFiguresDiffer"], false, "{published}");
    let report = &published["report"];
    assert!(received_in_year(report) >= 4, "{report}");
    assert_identities(report);
    let row = |label: &str| {
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .unwrap_or_else(|| panic!("{label} in {report}"))["total"]
            .as_i64()
            .unwrap()
    };
    assert!(row("（一）予以公开") >= 1, "{report}");
    assert!(
        row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") >= 1,
        "{report}"
    );

    // The reporting season: Nancun has published, Xinzao not.
    let oversight = app.login(OVERSIGHT).await;
    let season = app
        .gql(
            Some(&oversight),
            "query($y: Int!) { annualReportStatus(year: $y) { organization { code } filing } }",
            json!({ "y": year }),
        )
        .await;
    let rows = season["data"]["annualReportStatus"]
        .as_array()
        .unwrap_or_else(|| panic!("{season}"));
    let filing = |code: &str| {
        rows.iter()
            .find(|r| r["organization"]["code"] == code)
            .unwrap()["filing"]
            .clone()
    };
    assert_eq!(filing("PYNC"), "PUBLISHED");
    assert!(
        ["PENDING", "OVERDUE"].contains(&filing("PYXZ").as_str().unwrap()),
        "{season}"
    );
}
