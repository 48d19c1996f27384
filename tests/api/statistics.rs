//! Completion statistics and the annual report against a hand-built mix of
//! applications whose figures were counted by hand.

use chrono::Datelike;
use serde_json::{Value, json};

use crate::helpers::*;

const REGISTER: &str =
    "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }";
const STATS: &str = "query($org: ID, $from: Date!, $to: Date!) { completionStats(organizationId: $org, from: $from, to: $to) {
    organization { code } received carriedOver closed closedOnTime open overdue completionRate onTimeRate
    medianWorkingDaysToClose outcomes { outcome count } extended deadlineOverridden } }";
const REPORT: &str = "query($org: ID!, $year: Int!, $all: Boolean) { annualReport(organizationId: $org, year: $year, includeDescendants: $all) {
    year rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } markdown } }";

struct Office {
    clerk: String,
    nancun: String,
}

impl Office {
    async fn register(
        &self,
        app: &TestApp,
        key: &str,
        received_on: &str,
        applicant_type: &str,
    ) -> String {
        let input = json!({ "clientRequestId": key, "organizationId": self.nancun, "applicantType": applicant_type,
            "applicantName": "申请人", "description": "请公开相关信息", "channel": "IN_PERSON", "receivedOn": received_on });
        let answer = app
            .gql(Some(&self.clerk), REGISTER, json!({ "i": input }))
            .await;
        answer["data"]["submitApplication"]["application"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    }

    async fn close(&self, app: &TestApp, id: &str, outcome: &str, on: &str) {
        let query = format!(
            "mutation($id: ID!) {{ closeApplication(id: $id, input: {{ outcome: {outcome}, closedOn: \"{on}\", reply: \"已答复\" }}) {{ id }} }}"
        );
        let answer = app
            .gql(Some(&self.clerk), &query, json!({ "id": id }))
            .await;
        assert!(answer["errors"].is_null(), "{answer}");
    }
}

/// The mix, seen over March 2025:
/// A received 02-10, open, due 03-10: carried over, open, overdue
/// B received 02-17, closed 02-20: not counted
/// C received 03-03, third party consulted 03-04..03-06, closed 03-20 on time
///   (13 working days, 11 net of the 2 the clock stood still): received, closed
/// D received 01-20, due 02-21, closed 03-05 late (28 working days): carried over, closed
/// E received 03-25, closed 04-02: received, open at the end of March
/// F received 03-10, fee notice 03-12: received, open, clock stopped
/// G received 2024-12-20, closed 2025-01-10: carried into 2025, not into March
async fn the_mix(app: &TestApp) -> Office {
    let office = Office {
        clerk: app.login(CLERK).await,
        nancun: app.org_id("PYNC").await,
    };
    office
        .register(app, "A", "2025-02-10", "NATURAL_PERSON")
        .await;
    let b = office
        .register(app, "B", "2025-02-17", "NATURAL_PERSON")
        .await;
    office
        .close(app, &b, "NOT_PROCESSED_REPEATED", "2025-02-20")
        .await;
    let c = office
        .register(app, "C", "2025-03-03", "COMMERCIAL_ENTERPRISE")
        .await;
    for step in [
        "startConsultation(id: $id, on: \"2025-03-04\", note: \"征求第三方意见\")",
        "endConsultation(id: $id, on: \"2025-03-06\")",
    ] {
        let answer = app
            .gql(
                Some(&office.clerk),
                &format!("mutation($id: ID!) {{ {step} {{ id }} }}"),
                json!({ "id": c }),
            )
            .await;
        assert!(answer["errors"].is_null(), "{answer}");
    }
    office.close(app, &c, "DISCLOSED", "2025-03-20").await;
    let d = office
        .register(app, "D", "2025-01-20", "LEGAL_SERVICE_ORGANIZATION")
        .await;
    office
        .close(app, &d, "UNAVAILABLE_NOT_HELD", "2025-03-05")
        .await;
    let e = office
        .register(app, "E", "2025-03-25", "NATURAL_PERSON")
        .await;
    office.close(app, &e, "DISCLOSED", "2025-04-02").await;
    let f = office
        .register(app, "F", "2025-03-10", "RESEARCH_INSTITUTION")
        .await;
    let fee = app.gql(Some(&office.clerk), "mutation($id: ID!) { requestFee(id: $id, on: \"2025-03-12\", amountYuan: 100) { id } }", json!({ "id": f })).await;
    assert!(fee["errors"].is_null(), "{fee}");
    let g = office
        .register(app, "G", "2024-12-20", "NATURAL_PERSON")
        .await;
    office
        .close(app, &g, "PARTIALLY_DISCLOSED", "2025-01-10")
        .await;
    office
}

fn row<'a>(stats: &'a Value, code: &str) -> &'a Value {
    stats["data"]["completionStats"]
        .as_array()
        .unwrap_or_else(|| panic!("{stats}"))
        .iter()
        .find(|r| r["organization"]["code"] == code)
        .unwrap()
}

#[tokio::test]
async fn completion_stats_equal_the_hand_count() {
    let app = spawn_app().await;
    let office = the_mix(&app).await;
    let expected = json!({
        "organization": { "code": "PYNC" }, "received": 3, "carriedOver": 2, "closed": 2, "closedOnTime": 1,
        "open": 3, "overdue": 1, "completionRate": 0.4, "onTimeRate": 0.5, "medianWorkingDaysToClose": 19.5,
        "outcomes": [{ "outcome": "DISCLOSED", "count": 1 }, { "outcome": "UNAVAILABLE_NOT_HELD", "count": 1 }],
        "extended": 0, "deadlineOverridden": 0,
    });
    let own = app
        .gql(
            Some(&office.clerk),
            STATS,
            json!({ "from": "2025-03-01", "to": "2025-03-31" }),
        )
        .await;
    assert_eq!(own["data"]["completionStats"], json!([expected]), "{own}");

    // District oversight: a row for every organisation at or below the district.
    let oversight = app.login(OVERSIGHT).await;
    let district = app
        .gql(
            Some(&oversight),
            STATS,
            json!({ "from": "2025-03-01", "to": "2025-03-31" }),
        )
        .await;
    let rows = district["data"]["completionStats"].as_array().unwrap();
    assert_eq!(rows.len(), 8, "{district}");
    assert_eq!(row(&district, "PYNC"), &expected);
    assert_eq!(row(&district, "PYXZ")["received"], 0);
    assert_eq!(
        row(&district, "PYXZ")["completionRate"],
        1.0,
        "nothing to do is complete"
    );

    // The district's roll-up adds the rows up; bands count C (11 net) and D (28).
    let roll_up = app
        .gql(
            Some(&oversight),
            "{ completionRollUp(from: \"2025-03-01\", to: \"2025-03-31\") { organization { code } received carriedOver closed open overdue
                completionRate medianWorkingDaysToClose meanWorkingDaysToClose closingTimeBands { label count } } }",
            json!({}),
        )
        .await;
    let bands: Vec<i64> = roll_up["data"]["completionRollUp"]["closingTimeBands"]
        .as_array()
        .unwrap_or_else(|| panic!("{roll_up}"))
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .collect();
    assert_eq!(bands, vec![0, 0, 1, 0, 1, 0]);
    let total = &roll_up["data"]["completionRollUp"];
    assert_eq!(total["organization"]["code"], "PY");
    assert_eq!(
        (
            total["received"].clone(),
            total["carriedOver"].clone(),
            total["closed"].clone()
        ),
        (json!(3), json!(2), json!(2))
    );
    assert_eq!(
        (
            total["open"].clone(),
            total["overdue"].clone(),
            total["meanWorkingDaysToClose"].clone()
        ),
        (json!(3), json!(1), json!(19.5))
    );

    // Historical: E was still open at the end of March although closed since.
    let april = app
        .gql(
            Some(&office.clerk),
            STATS,
            json!({ "from": "2025-04-01", "to": "2025-04-30" }),
        )
        .await;
    assert_eq!(
        april["data"]["completionStats"][0]["carriedOver"], 3,
        "A, E, F: {april}"
    );
    assert_error(
        &app.gql(
            Some(&office.clerk),
            STATS,
            json!({ "from": "2025-04-01", "to": "2025-03-01" }),
        )
        .await,
        "BAD_USER_INPUT",
    );
}

#[tokio::test]
async fn who_may_read_statistics() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let created = app
        .gql(Some(&admin), "mutation { createOrganization(input: { code: \"HZ\", name: \"海珠区人民政府\", kind: DISTRICT }) { id } }", json!({}))
        .await;
    let haizhu = created["data"]["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create_user("haizhu.oversight", "OVERSIGHT", "HZ", "haizhu-oversight-1")
        .await;
    let other_district = app.login(("haizhu.oversight", "haizhu-oversight-1")).await;
    let nancun = app.org_id("PYNC").await;
    let period = |org: &str| json!({ "org": org, "from": "2025-01-01", "to": "2025-12-31" });

    assert_error(
        &app.gql(Some(&other_district), STATS, period(&nancun)).await,
        "NOT_FOUND",
    );
    assert_eq!(
        app.gql(Some(&other_district), STATS, period(&haizhu)).await["data"]["completionStats"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_error(
        &app.gql(None, STATS, period(&nancun)).await,
        "UNAUTHENTICATED",
    );
    let clerk = app.login(CLERK).await;
    assert_error(
        &app.gql(Some(&clerk), STATS, period(&app.org_id("PY").await))
            .await,
        "NOT_FOUND",
    );

    // Annual reports: ended years are public, the current one is not.
    let ended = app
        .gql(None, REPORT, json!({ "org": nancun, "year": 2025 }))
        .await;
    assert!(ended["errors"].is_null(), "{ended}");
    let this_year = gongkai::domain::calendar::china_date(app.clock.now()).year();
    let current = json!({ "org": nancun, "year": this_year });
    assert_error(
        &app.gql(None, REPORT, current.clone()).await,
        "UNAUTHENTICATED",
    );
    assert!(app.gql(Some(&clerk), REPORT, current.clone()).await["errors"].is_null());
    assert_error(
        &app.gql(Some(&other_district), REPORT, current).await,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn the_annual_report_adds_up() {
    let app = spawn_app().await;
    let office = the_mix(&app).await;
    let report = |year: i32, org: String| {
        let app = &app;
        async move {
            app.gql(
                None,
                REPORT,
                json!({ "org": org, "year": year, "all": true }),
            )
            .await
        }
    };
    let r2025 = report(2025, app.org_id("PY").await).await;
    let rows = r2025["data"]["annualReport"]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{r2025}"))
        .clone();
    let r2024 = report(2024, office.nancun.clone()).await;
    let rows_2024 = r2024["data"]["annualReport"]["rows"]
        .as_array()
        .unwrap()
        .clone();
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels[0], "一、本年新收政府信息公开申请数量");
    assert_eq!(labels[1], "二、上年结转政府信息公开申请数量");
    assert_eq!(labels[2], "（一）予以公开");
    assert_eq!(labels[13], "（四）无法提供 2.没有现成信息需要另行制作");
    assert_eq!(labels[23], "（七）总计");
    assert_eq!(labels[24], "四、结转下年度继续办理");

    // 2025 by hand: received A B C D E F = 6; carried over G = 1; closed B C D E G = 5; open A F = 2.
    let totals: Vec<i64> = rows.iter().map(|r| r["total"].as_i64().unwrap()).collect();
    assert_eq!((totals[0], totals[1], totals[23], totals[24]), (6, 1, 5, 2));
    assert_eq!(
        rows[2]["commercialEnterprise"], 1,
        "C, a company, disclosed"
    );
    let columns = [
        "naturalPerson",
        "commercialEnterprise",
        "researchInstitution",
        "socialWelfareOrganization",
        "legalServiceOrganization",
        "otherOrganization",
    ];
    for row in &rows {
        let sum: i64 = columns.iter().map(|c| row[c].as_i64().unwrap()).sum();
        assert_eq!(row["total"].as_i64().unwrap(), sum, "{}", row["label"]);
    }
    for column in columns.iter().chain(["total"].iter()) {
        let get = |i: usize| rows[i][column].as_i64().unwrap();
        assert_eq!(
            get(0) + get(1),
            get(23) + get(24),
            "一 + 二 = 三（七） + 四 for {column}"
        );
        let outcomes: i64 = (2..23).map(get).sum();
        assert_eq!(outcomes, get(23), "（七）总计 for {column}");
        assert_eq!(
            get(1),
            rows_2024[24][column].as_i64().unwrap(),
            "this year's 二 is last year's 四 for {column}"
        );
    }
    let markdown = r2025["data"]["annualReport"]["markdown"].as_str().unwrap();
    assert!(
        markdown.contains("| 一、本年新收政府信息公开申请数量 | 3 | 1 | 1 | 0 | 1 | 0 | 6 |"),
        "{markdown}"
    );
}

#[tokio::test]
async fn annual_report_identities_on_generated_data() {
    let size = gongkai::seed::SyntheticSize {
        organizations: 6,
        disclosures: 50,
        applications: 1500,
        seed: 11,
    };
    let app = spawn_synthetic_app(size).await;
    let district = app
        .gql(
            None,
            "{ organization(code: \"SYN\") { id children { id } } }",
            json!({}),
        )
        .await;
    let district_id = district["data"]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut previous: Option<Vec<Value>> = None;
    for year in 2021..=2025 {
        let answer = app
            .gql(
                None,
                REPORT,
                json!({ "org": district_id, "year": year, "all": true }),
            )
            .await;
        let rows = answer["data"]["annualReport"]["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("{answer}"))
            .clone();
        for column in [
            "naturalPerson",
            "commercialEnterprise",
            "researchInstitution",
            "socialWelfareOrganization",
            "legalServiceOrganization",
            "otherOrganization",
            "total",
        ] {
            let get = |i: usize| rows[i][column].as_i64().unwrap();
            assert_eq!(
                get(0) + get(1),
                get(23) + get(24),
                "{year} {column}: 一 + 二 = 三（七） + 四"
            );
            assert_eq!(
                (2..23).map(get).sum::<i64>(),
                get(23),
                "{year} {column}: （七）总计"
            );
            if let Some(last) = &previous {
                assert_eq!(
                    get(1),
                    last[24][column].as_i64().unwrap(),
                    "{year} {column}: 二 = last year's 四"
                );
            }
        }
        for row in &rows {
            let columns = [
                "naturalPerson",
                "commercialEnterprise",
                "researchInstitution",
                "socialWelfareOrganization",
                "legalServiceOrganization",
                "otherOrganization",
            ];
            assert_eq!(
                row["total"].as_i64().unwrap(),
                columns
                    .iter()
                    .map(|c| row[c].as_i64().unwrap())
                    .sum::<i64>()
            );
        }
        assert!(
            rows[0]["total"].as_i64().unwrap() > 100,
            "{year}: generated data fills the year"
        );
        previous = Some(rows);
    }
}

#[tokio::test]
async fn csv_exports_for_spreadsheets() {
    let app = spawn_app().await;
    the_mix(&app).await;
    let oversight = app.login(OVERSIGHT).await;
    let stats_url = app.url("/export/completion-stats.csv?from=2025-03-01&to=2025-03-31");
    let response = app
        .client
        .get(&stats_url)
        .bearer_auth(&oversight)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let body = response.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with(
        "机构代码,机构名称,开始日期,结束日期,新收,上期结转,已办结,按期办结,未办结,逾期"
    ));
    assert_eq!(lines.len(), 1 + 8, "a row per organisation of the district");
    let nancun = lines.iter().find(|l| l.starts_with("PYNC,")).unwrap();
    assert!(
        nancun.starts_with(
            "PYNC,南村镇人民政府,2025-03-01,2025-03-31,3,2,2,1,3,1,0.4000,0.5000,19.5,19.5,0,0"
        ),
        "{nancun}"
    );

    let anonymous = app.client.get(&stats_url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let clerk = app.login(CLERK).await;
    let district = app.org_id("PY").await;
    let above = app
        .client
        .get(format!("{stats_url}&organizationId={district}"))
        .bearer_auth(&clerk)
        .send()
        .await
        .unwrap();
    assert_eq!(above.status(), 404);

    let nancun_id = app.org_id("PYNC").await;
    let report = app
        .client
        .get(app.url(&format!(
            "/export/annual-report.csv?organizationId={nancun_id}&year=2025"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200, "ended years are public");
    let text = report.text().await.unwrap();
    assert!(
        text.lines().any(|line| line.trim_start_matches('\u{feff}')
            == "项目,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计"),
        "{text}"
    );
    assert!(
        text.contains("一、本年新收政府信息公开申请数量,3,1,1,0,1,0,6"),
        "{text}"
    );
    assert!(text.contains("四、结转下年度继续办理,"));
}

#[tokio::test]
async fn tables_two_and_four_complete_the_report() {
    let app = spawn_app().await;
    let office = the_mix(&app).await;
    let figures = json!({ "organizationId": office.nancun, "year": 2025, "regulationsIssued": 0, "regulationsRepealed": 0,
        "regulationsInForce": 0, "normativeDocumentsIssued": 3, "normativeDocumentsRepealed": 1, "normativeDocumentsInForce": 12,
        "licensingDecisions": 45, "penaltyDecisions": 743, "coercionDecisions": 2, "feesYuan": 123456 });
    let set = "mutation($i: ProactiveDisclosureFiguresInput!) { setProactiveDisclosureFigures(input: $i) { penaltyDecisions feesTenThousandYuan } }";
    let answer = app
        .gql(Some(&office.clerk), set, json!({ "i": figures }))
        .await;
    assert_eq!(
        answer["data"]["setProactiveDisclosureFigures"],
        json!({ "penaltyDecisions": 743, "feesTenThousandYuan": "12.3456" }),
        "{answer}"
    );
    assert_error(
        &app.gql(
            Some(&app.login(OVERSIGHT).await),
            set,
            json!({ "i": figures }),
        )
        .await,
        "FORBIDDEN",
    );

    let listed = app
        .gql(
            Some(&office.clerk),
            "{ applications(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let ids: Vec<String> = listed["data"]["applications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect();
    let record = "mutation($a: ID!, $k: LegalChallengeKind!, $r: Boolean, $f: Date!) { recordLegalChallenge(applicationId: $a, kind: $k, afterReview: $r, filedOn: $f) { id } }";
    let decide = "mutation($id: ID!, $r: LegalChallengeResult!, $d: Date!) { decideLegalChallenge(id: $id, result: $r, decidedOn: $d) { result } }";
    // (kind, after review, filed, result and decision day)
    let cases = [
        (
            "REVIEW",
            false,
            "2025-04-01",
            Some(("UPHELD", "2025-05-01")),
        ),
        ("REVIEW", false, "2025-06-01", None),
        (
            "LITIGATION",
            false,
            "2025-07-01",
            Some(("CORRECTED", "2025-09-01")),
        ),
        (
            "LITIGATION",
            true,
            "2025-10-01",
            Some(("OTHER", "2026-01-10")),
        ), // decided after 31 December: pending in 2025
    ];
    for (kind, after_review, filed, decision) in cases {
        let answer = app
            .gql(
                Some(&office.clerk),
                record,
                json!({ "a": ids[0], "k": kind, "r": after_review, "f": filed }),
            )
            .await;
        let id = answer["data"]["recordLegalChallenge"]["id"].clone();
        assert!(id.is_string(), "{answer}");
        if let Some((result, day)) = decision {
            let decided = app
                .gql(
                    Some(&office.clerk),
                    decide,
                    json!({ "id": id, "r": result, "d": day }),
                )
                .await;
            assert_eq!(
                decided["data"]["decideLegalChallenge"]["result"], result,
                "{decided}"
            );
        }
    }
    let review_after_review = app
        .gql(
            Some(&office.clerk),
            record,
            json!({ "a": ids[0], "k": "REVIEW", "r": true, "f": "2025-04-01" }),
        )
        .await;
    assert_error(&review_after_review, "BAD_USER_INPUT");
    app.create_user("xinzao.clerk", "CLERK", "PYXZ", "xinzao-clerk-2026")
        .await;
    let stranger = app.login(("xinzao.clerk", "xinzao-clerk-2026")).await;
    assert_error(
        &app.gql(
            Some(&stranger),
            record,
            json!({ "a": ids[0], "k": "REVIEW", "f": "2025-04-01" }),
        )
        .await,
        "NOT_FOUND",
    );

    let report = app
        .gql(None, "query($org: ID!) { annualReport(organizationId: $org, year: 2025) { proactiveDisclosure { normativeDocumentsInForce penaltyDecisions feesTenThousandYuan }
            reviewsAndLawsuits { review { upheld corrected other pending total } directLawsuit { corrected total } lawsuitAfterReview { other pending total } } markdown } }", json!({ "org": office.nancun }))
        .await;
    let data = &report["data"]["annualReport"];
    assert_eq!(
        data["proactiveDisclosure"],
        json!({ "normativeDocumentsInForce": 12, "penaltyDecisions": 743, "feesTenThousandYuan": "12.3456" }),
        "{report}"
    );
    assert_eq!(
        data["reviewsAndLawsuits"]["review"],
        json!({ "upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2 })
    );
    assert_eq!(
        data["reviewsAndLawsuits"]["directLawsuit"],
        json!({ "corrected": 1, "total": 1 })
    );
    assert_eq!(
        data["reviewsAndLawsuits"]["lawsuitAfterReview"],
        json!({ "other": 0, "pending": 1, "total": 1 })
    );
    let markdown = data["markdown"].as_str().unwrap();
    for part in [
        "二、主动公开政府信息情况",
        "| 行政处罚 | 743 |",
        "| 行政事业性收费 | 12.3456 |",
        "三、收到和处理政府信息公开申请情况",
        "（七）总计",
        "四、政府信息公开行政复议、行政诉讼情况",
        "| 1 | 0 | 0 | 1 | 2 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 1 | 1 |",
    ] {
        assert!(markdown.contains(part), "{part} in\n{markdown}");
    }
}

/// Figures that cost a query of their own are loaded when selected, also
/// through a fragment.
#[tokio::test]
async fn figures_selected_through_fragments_are_loaded() {
    let app = spawn_app().await;
    let office = the_mix(&app).await;
    let query = "query { completionStats(from: \"2025-03-01\", to: \"2025-03-31\") { ...Figures } }
        fragment Figures on OrganizationStats { ... on OrganizationStats { outcomes { outcome count } } closingTimeBands { count } medianWorkingDaysToClose }";
    let answer = app.gql(Some(&office.clerk), query, json!({})).await;
    let row = &answer["data"]["completionStats"][0];
    assert_eq!(
        row["outcomes"].as_array().map(Vec::len),
        Some(2),
        "{answer}"
    );
    assert_eq!(row["medianWorkingDaysToClose"], 19.5, "{answer}");
}

/// The year under way is not public: its roll-up counts only the
/// organisations the caller reaches (a district's clerk its own district
/// alone, oversight everything below it).
#[tokio::test]
async fn a_roll_up_of_the_year_under_way_stays_within_reach() {
    let app = spawn_app().await;
    let office = Office {
        clerk: app.login(CLERK).await,
        nancun: app.org_id("PYNC").await,
    };
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    office
        .register(
            &app,
            "now",
            &today.format("%Y-%m-%d").to_string(),
            "NATURAL_PERSON",
        )
        .await;
    app.create_user("panyu.clerk", "CLERK", "PY", "panyu-clerk-2026")
        .await;
    let district_clerk = app.login(("panyu.clerk", "panyu-clerk-2026")).await;
    let oversight = app.login(OVERSIGHT).await;
    let year: i32 = today.format("%Y").to_string().parse().unwrap();
    let query = json!({ "org": app.org_id("PY").await, "year": year, "all": true });
    let received = |answer: Value| answer["data"]["annualReport"]["rows"][0]["total"].clone();
    assert_eq!(
        received(app.gql(Some(&oversight), REPORT, query.clone()).await),
        1
    );
    assert_eq!(
        received(app.gql(Some(&district_clerk), REPORT, query).await),
        0
    );
}
