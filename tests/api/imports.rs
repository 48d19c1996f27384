//! Importing a town's spreadsheets (issue 16) with the example files of
//! docs/examples (青石镇, code QSZ, under the demo district PY).

use gongkai::clock::Clock;
use gongkai::config::{DatabaseArgs, ImportArgs};
use gongkai::domain::import::cells::Cell;
use gongkai::domain::import::{Change, ImportKind};
use gongkai::domain::organization::{NewOrganization, OrganizationKind};
use gongkai::domain::policy::{Actor, Caller};
use gongkai::error::AppError;
use gongkai::service::imports::{ImportReport, ImportRequest, import};
use gongkai::service::progress::Silent;
use gongkai::spreadsheet::{self, Encoding};
use serde_json::{Value, json};

use crate::helpers::*;

pub(crate) const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples");

pub(crate) fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{EXAMPLES}/{name}")).expect("the example file is committed")
}

/// After every example date: the ledger's last closing is 2025-12-31.
pub(crate) async fn town() -> (TestApp, i64) {
    let app = spawn_app_at(instant("2026-02-02T02:00:00Z")).await;
    let db = &app.services.db;
    let district = gongkai::store::organizations::find_by_code(db, "PY")
        .await
        .unwrap()
        .unwrap();
    let new = NewOrganization {
        code: "QSZ".into(),
        name: "青石镇".into(),
        kind: OrganizationKind::Town,
        has_parent: true,
    };
    let town = gongkai::service::organizations::create(
        db,
        &Caller::Operator,
        new,
        Some(district.id),
        app.clock.now(),
    )
    .await
    .unwrap();
    (app, town.id)
}

pub(crate) async fn run(
    app: &TestApp,
    caller: &Caller,
    kind: ImportKind,
    bytes: &[u8],
    organization_id: i64,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let request = ImportRequest {
        kind,
        bytes,
        encoding: Encoding::Auto,
        organization_id: Some(organization_id),
        dry_run,
    };
    import(
        &app.services.db,
        &app.services.keys,
        caller,
        request,
        app.clock.now(),
        &Silent,
    )
    .await
}

pub(crate) async fn imported(
    app: &TestApp,
    kind: ImportKind,
    bytes: &[u8],
    org: i64,
) -> ImportReport {
    let report = run(app, &Caller::Operator, kind, bytes, org, false)
        .await
        .unwrap();
    assert!(report.applied, "{:?}", report.problems);
    report
}

const REPORT: &str = "query($org: ID!) { annualReport(organizationId: $org, year: 2025) {
    rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } } }";
const STATS: &str = "query($org: ID) { completionStats(organizationId: $org, from: \"2025-01-01\", to: \"2025-12-31\") {
    received carriedOver closed closedOnTime open overdue medianWorkingDaysToClose outcomes { outcome count } extended } }";
const LIST: &str = "query($f: ApplicationFilter) { applications(filter: $f, first: 50) { totalCount
    edges { node { trackingNo externalNo dueOn closedOnTime status } } } }";

async fn figures(app: &TestApp) -> (Value, Value) {
    let admin = app.login(ADMIN).await;
    let org = app.org_id("QSZ").await;
    let report = app.gql(Some(&admin), REPORT, json!({ "org": org })).await;
    let stats = app.gql(Some(&admin), STATS, json!({ "org": org })).await;
    assert!(report["errors"].is_null(), "{report}");
    assert!(stats["errors"].is_null(), "{stats}");
    (
        report["data"]["annualReport"]["rows"].clone(),
        stats["data"]["completionStats"].clone(),
    )
}

async fn listed(app: &TestApp, tracking_no: Option<&str>) -> Value {
    let admin = app.login(ADMIN).await;
    let org = app.org_id("QSZ").await;
    let answer = app
        .gql(
            Some(&admin),
            LIST,
            json!({ "f": { "organizationId": org, "trackingNo": tracking_no } }),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["applications"].clone()
}

fn row<'a>(rows: &'a Value, label: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"].as_str().unwrap().contains(label))
        .unwrap_or_else(|| panic!("no row {label}"))
}

#[tokio::test]
async fn the_example_town_imports_and_counts_as_live_entry() {
    let (app, qsz) = town().await;
    let report = imported(
        &app,
        ImportKind::Disclosures,
        &example("qingshi-disclosures.xlsx"),
        qsz,
    )
    .await;
    assert_eq!((report.counts.rows, report.counts.created), (5, 5));
    let report = imported(
        &app,
        ImportKind::Applications,
        &example("qingshi-applications.xlsx"),
        qsz,
    )
    .await;
    assert_eq!((report.counts.rows, report.counts.created), (6, 6));

    // Table 三 of 2025 by hand: received 1–6 = 6, none carried over;
    // closed 1 2 3 4 6 = 5; 5 (received 12-15) carried into 2026.
    // 予以公开: 1 (natural person), 4 (legal service); 部分公开: 2 (company);
    // 本机关不掌握: 3 (natural person); 重复申请: 6 (other organisation).
    let (rows, stats) = figures(&app).await;
    assert_eq!(row(&rows, "一、本年新收")["total"], 6);
    assert_eq!(row(&rows, "二、上年结转")["total"], 0);
    assert_eq!(row(&rows, "（七）总计")["total"], 5);
    assert_eq!(row(&rows, "四、结转下年度")["total"], 1);
    assert_eq!(row(&rows, "（一）予以公开")["naturalPerson"], 1);
    assert_eq!(row(&rows, "（一）予以公开")["legalServiceOrganization"], 1);
    assert_eq!(row(&rows, "（一）予以公开")["total"], 2);
    assert_eq!(row(&rows, "（二）部分公开")["commercialEnterprise"], 1);
    assert_eq!(row(&rows, "本机关不掌握")["naturalPerson"], 1);
    assert_eq!(row(&rows, "重复申请")["otherOrganization"], 1);
    assert_eq!(stats[0]["closedOnTime"], 4, "6 closed after its due day");

    // The same dates entered live (in PYNC, through the workflow) give
    // the same dueOn and closedOnTime: 2 (consultation), 3 (extension),
    // 4 (correction), 6 (late).
    let clerk = app.login(CLERK).await;
    let approver = app.login(APPROVER).await;
    let nancun = app.org_id("PYNC").await;
    let live: [(&str, &str, &[&str], &str); 4] = [
        (
            "青依申〔2025〕2号",
            "2025-04-07",
            &[
                "startConsultation(id: $id, on: \"2025-04-08\", note: \"征求第三方意见\")",
                "endConsultation(id: $id, on: \"2025-04-15\")",
            ],
            "closeApplication(id: $id, input: { outcome: PARTIALLY_DISCLOSED, closedOn: \"2025-05-06\", reply: \"已答复\" })",
        ),
        (
            "青依申〔2025〕3号",
            "2025-06-02",
            &["extendDeadline(id: $id, on: \"2025-06-20\", reason: \"需调取档案\")"],
            "closeApplication(id: $id, input: { outcome: UNAVAILABLE_NOT_HELD, closedOn: \"2025-07-10\", reply: \"已答复\" })",
        ),
        (
            "青依申〔2025〕4号",
            "2025-09-01",
            &[
                "requestCorrection(id: $id, on: \"2025-09-03\", note: \"请补正\")",
                "receiveCorrection(id: $id, on: \"2025-09-10\")",
            ],
            "closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2025-09-25\", reply: \"已答复\" })",
        ),
        (
            "青依申〔2025〕6号",
            "2025-11-03",
            &[],
            "closeApplication(id: $id, input: { outcome: NOT_PROCESSED_REPEATED, closedOn: \"2025-12-31\", reply: \"已答复\" })",
        ),
    ];
    for (external_no, received_on, steps, close) in live {
        let input = json!({ "clientRequestId": external_no, "organizationId": nancun, "applicantType": "NATURAL_PERSON",
            "applicantName": "申请人", "description": "请公开相关信息", "channel": "IN_PERSON", "receivedOn": received_on });
        let answer = app
            .gql(
                Some(&clerk),
                "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }",
                json!({ "i": input }),
            )
            .await;
        let id = answer["data"]["submitApplication"]["application"]["id"].clone();
        assert!(id.is_string(), "{answer}");
        let mut last = Value::Null;
        for step in steps.iter().chain([&close]) {
            // Extending the deadline is the approver's.
            let who = if step.starts_with("extend") {
                &approver
            } else {
                &clerk
            };
            last = app
                .gql(
                    Some(who),
                    &format!("mutation($id: ID!) {{ step: {step} {{ dueOn closedOnTime }} }}"),
                    json!({ "id": id }),
                )
                .await;
            assert!(last["errors"].is_null(), "{step}: {last}");
        }
        let imported = listed(&app, Some(external_no)).await;
        assert_eq!(imported["totalCount"], 1, "found by its old number");
        let node = &imported["edges"][0]["node"];
        assert_eq!(node["externalNo"], external_no);
        assert_eq!(
            node["dueOn"], last["data"]["step"]["dueOn"],
            "{external_no}"
        );
        assert_eq!(
            node["closedOnTime"], last["data"]["step"]["closedOnTime"],
            "{external_no}"
        );
    }
}

#[tokio::test]
async fn a_file_with_errors_writes_nothing_and_names_every_cell() {
    let (app, _) = town().await;
    let mut out = Vec::new();
    let file = format!("{EXAMPLES}/qingshi-applications-with-errors.xlsx");
    let args = ImportArgs {
        database: DatabaseArgs {
            database_url: app.database_url.clone(),
        },
        file: file.into(),
        organization: Some("QSZ".into()),
        dry_run: false,
        encoding: Encoding::Auto,
        jwt_secret: None,
    };
    let failed = gongkai::commands::import_command(
        ImportKind::Applications,
        args,
        app.clock.as_ref(),
        &Silent,
        &mut out,
    )
    .await;
    let printed = String::from_utf8(out).unwrap();
    let message = failed.expect_err("errors fail the command").to_string();
    assert!(message.contains("errors 3"), "{message}");
    for expected in [
        "第3行 “收到日期”：错误",
        "第5行 “办理结果”：错误",
        "第7行 “办结日期”：错误",
    ] {
        assert!(printed.contains(expected), "{expected} in {printed}");
    }
    assert_eq!(printed.lines().count(), 3, "{printed}");
    assert_eq!(listed(&app, None).await["totalCount"], 0, "nothing written");

    let qsz = gongkai::store::organizations::find_by_code(&app.services.db, "QSZ")
        .await
        .unwrap()
        .unwrap()
        .id;
    let report = run(
        &app,
        &Caller::Operator,
        ImportKind::Disclosures,
        &example("qingshi-disclosures-with-errors.xlsx"),
        qsz,
        false,
    )
    .await
    .unwrap();
    let cells: Vec<(usize, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(cells, [(3, Some("主题分类")), (5, Some("发布日期"))]);
    assert!(!report.applied);
    let public = app
        .gql(
            None,
            "{ disclosure(indexNo: \"QSZ-旧-2025-001\") { id } }",
            json!({}),
        )
        .await;
    assert!(public["data"]["disclosure"].is_null(), "{public}");
}

/// `bytes` (an example in the template's column order) with one cell replaced.
fn corrected(bytes: &[u8], kind: ImportKind, row: usize, column: usize, cell: Cell) -> Vec<u8> {
    let mut table = spreadsheet::read(bytes, Encoding::Auto).unwrap();
    let cells = &mut table.rows[row];
    cells.resize(kind.columns().len(), Cell::Empty);
    cells[column] = cell;
    spreadsheet::write(kind, &table.rows).unwrap()
}

fn day(on: &str) -> Cell {
    let day = gongkai::domain::import::cells::parse_date(on).unwrap();
    Cell::Date(gongkai::domain::import::cells::excel_serial_of(day))
}

#[tokio::test]
async fn the_same_file_again_changes_nothing_and_a_corrected_cell_one_row() {
    let (app, qsz) = town().await;
    let ledger = example("qingshi-applications.xlsx");
    let catalogue = example("qingshi-disclosures.xlsx");
    imported(&app, ImportKind::Applications, &ledger, qsz).await;
    imported(&app, ImportKind::Disclosures, &catalogue, qsz).await;
    for (kind, bytes, rows) in [
        (ImportKind::Applications, &ledger, 6),
        (ImportKind::Disclosures, &catalogue, 5),
    ] {
        let again = imported(&app, kind, bytes, qsz).await;
        assert_eq!(again.counts.unchanged, rows, "{kind:?}");
        assert!(again.rows.iter().all(|r| r.change == Change::Unchanged));
    }

    // Application 5 (row 6) was open; the corrected ledger closes it.
    let mut fixed = corrected(&ledger, ImportKind::Applications, 4, 20, day("2026-01-05"));
    fixed = corrected(
        &fixed,
        ImportKind::Applications,
        4,
        21,
        Cell::Text("予以公开".into()),
    );
    fixed = corrected(
        &fixed,
        ImportKind::Applications,
        4,
        22,
        Cell::Text("已提供".into()),
    );
    let report = imported(&app, ImportKind::Applications, &fixed, qsz).await;
    let changed: Vec<(usize, Change)> = report
        .rows
        .iter()
        .filter(|r| r.change != Change::Unchanged)
        .map(|r| (r.row, r.change))
        .collect();
    assert_eq!(changed, [(6, Change::Update)]);
    let five = listed(&app, Some("青依申〔2025〕5号")).await;
    assert_eq!(five["edges"][0]["node"]["status"], "CLOSED", "{five}");
    assert_eq!(five["edges"][0]["node"]["closedOnTime"], true);
    assert_eq!(
        listed(&app, None).await["totalCount"],
        6,
        "no new application"
    );

    // A recorded step cannot be taken back: the first ledger again, with
    // application 1's closing cleared, is refused for it and for 5 (whose
    // closing the corrected ledger recorded); nothing written.
    let undone = corrected(&ledger, ImportKind::Applications, 0, 20, Cell::Empty);
    let undone = corrected(&undone, ImportKind::Applications, 0, 21, Cell::Empty);
    let refused = run(
        &app,
        &Caller::Operator,
        ImportKind::Applications,
        &undone,
        qsz,
        false,
    )
    .await
    .unwrap();
    assert!(!refused.applied);
    let cells: Vec<(usize, Option<&str>)> = refused
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(cells, [(2, Some("办结日期")), (6, Some("办结日期"))]);

    // A corrected body: that disclosure alone.
    let body = corrected(
        &catalogue,
        ImportKind::Disclosures,
        0,
        7,
        Cell::Text("青石镇2025年部门预算全文（更正）。".into()),
    );
    let report = imported(&app, ImportKind::Disclosures, &body, qsz).await;
    assert_eq!((report.counts.updated, report.counts.unchanged), (1, 4));
    let shown = app
        .gql(
            None,
            "{ disclosure(indexNo: \"QSZ-旧-2025-001\") { body } }",
            json!({}),
        )
        .await;
    assert_eq!(
        shown["data"]["disclosure"]["body"],
        "青石镇2025年部门预算全文（更正）。"
    );
}

/// The sheet as a CSV of the clerk's Excel on Chinese Windows: GB18030,
/// dates written as text.
fn gb18030_csv(bytes: &[u8]) -> Vec<u8> {
    encoding_rs::GB18030.encode(&utf8_csv(bytes)).0.into_owned()
}

fn utf8_csv(bytes: &[u8]) -> String {
    let table = spreadsheet::read(bytes, Encoding::Auto).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for cells in std::iter::once(&table.headers).chain(&table.rows) {
        let fields: Vec<String> = cells
            .iter()
            .map(|cell| match cell {
                Cell::Date(_) => cell
                    .date()
                    .unwrap()
                    .unwrap()
                    .format("%Y/%-m/%-d")
                    .to_string(),
                other => other.text().unwrap_or_default(),
            })
            .collect();
        writer.write_record(&fields).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[tokio::test]
async fn a_gb18030_csv_imports_as_the_xlsx() {
    let (from_xlsx, qsz) = town().await;
    imported(
        &from_xlsx,
        ImportKind::Applications,
        &example("qingshi-applications.xlsx"),
        qsz,
    )
    .await;
    let (from_csv, qsz_csv) = town().await;
    let csv = gb18030_csv(&example("qingshi-applications.xlsx"));
    assert!(std::str::from_utf8(&csv).is_err(), "not UTF-8");
    let report = imported(&from_csv, ImportKind::Applications, &csv, qsz_csv).await;
    assert_eq!(report.counts.created, 6);
    assert_eq!(figures(&from_csv).await, figures(&from_xlsx).await);
    let strip = |list: Value| -> Vec<Value> {
        list["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .map(|n| json!([n["externalNo"], n["dueOn"], n["closedOnTime"], n["status"]]))
            .collect()
    };
    let mut a = strip(listed(&from_csv, None).await);
    let mut b = strip(listed(&from_xlsx, None).await);
    a.sort_by_key(Value::to_string);
    b.sort_by_key(Value::to_string);
    assert_eq!(a, b);
}

#[tokio::test]
async fn old_index_numbers_are_kept_and_the_sequence_continues_past_them() {
    // In 2025, so that the next publication numbers in the same year.
    let (app, qsz) = town().await;
    app.clock.set(instant("2025-12-01T02:00:00Z"));
    imported(
        &app,
        ImportKind::Disclosures,
        &example("qingshi-disclosures.xlsx"),
        qsz,
    )
    .await;
    for (index_no, title) in [
        ("QSZ-旧-2025-001", "青石镇2025年部门预算"),
        ("QSZ/2025-00007", "青石镇2024年部门决算"),
        // The row without one got the organisation's next number.
        ("QSZ/2025-00008", "青石镇人民政府机构职能"),
    ] {
        let shown = app
            .gql(
                None,
                "query($n: String) { disclosure(indexNo: $n) { title } }",
                json!({ "n": index_no }),
            )
            .await;
        assert_eq!(shown["data"]["disclosure"]["title"], title, "{shown}");
    }
    let searched = app
        .gql(
            None,
            "{ disclosures(filter: { search: \"部门预算\" }) { edges { node { indexNo } } } }",
            json!({}),
        )
        .await;
    assert!(
        searched.to_string().contains("QSZ-旧-2025-001"),
        "{searched}"
    );
    let db = &app.services.db;
    let now = app.clock.now();
    let category = gongkai::store::categories::find_by_code(db, "BMYS")
        .await
        .unwrap()
        .unwrap();
    let draft = gongkai::store::disclosures::insert(
        db,
        gongkai::store::disclosures::NewDisclosure {
            organization_id: qsz,
            category_id: category.id,
            content: gongkai::domain::disclosure::DisclosureContent {
                title: "青石镇2026年部门预算".into(),
                doc_number: None,
                body: "全文".into(),
                formed_on: chrono::NaiveDate::from_ymd_opt(2025, 11, 30).unwrap(),
            },
        },
        now,
    )
    .await
    .unwrap();
    let published = gongkai::store::disclosures::publish(db, draft.id, "QSZ", now)
        .await
        .unwrap();
    assert_eq!(published.index_no.as_deref(), Some("QSZ/2025-00009"));
}

async fn signed_in(app: &TestApp, username: &str) -> Caller {
    let user = gongkai::store::users::find_by_username(&app.services.db, username)
        .await
        .unwrap()
        .unwrap()
        .user;
    Caller::SignedIn(Actor {
        user_id: user.id,
        role: user.role,
        organization_id: user.organization_id,
    })
}

#[tokio::test]
async fn org_admins_import_for_their_own_organisation_only() {
    let (app, qsz) = town().await;
    let ledger = example("qingshi-applications.xlsx");
    let nancun_admin = signed_in(&app, ORG_ADMIN.0).await;
    let oversight = signed_in(&app, OVERSIGHT.0).await;
    let admin = signed_in(&app, ADMIN.0).await;
    for caller in [&nancun_admin, &oversight] {
        let refused = run(&app, caller, ImportKind::Applications, &ledger, qsz, true).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden)),
            "{:?}",
            refused.map(|r| r.counts)
        );
    }
    let nancun = gongkai::store::organizations::find_by_code(&app.services.db, "PYNC")
        .await
        .unwrap()
        .unwrap()
        .id;
    let own = run(
        &app,
        &nancun_admin,
        ImportKind::Applications,
        &ledger,
        nancun,
        true,
    )
    .await
    .unwrap();
    assert_eq!(own.counts.created, 6, "a dry run into its own organisation");
    let report = run(&app, &admin, ImportKind::Applications, &ledger, qsz, false)
        .await
        .unwrap();
    assert!(report.applied);
    // The disclosures' rows name their organisation: one the caller may
    // not import into is refused too.
    let refused = run(
        &app,
        &nancun_admin,
        ImportKind::Disclosures,
        &example("qingshi-disclosures.xlsx"),
        nancun,
        true,
    )
    .await;
    assert!(matches!(refused, Err(AppError::Forbidden)));
}

const IMPORT: &str = "mutation($f: ID!, $k: ImportKind!, $o: ID!, $d: Boolean!) {
    importSpreadsheet(fileId: $f, kind: $k, organizationId: $o, dryRun: $d) {
        applied rowsRead created updated unchanged errors warnings
        problems { row column severity message } rows { row key change } } }";

#[tokio::test]
async fn the_staff_app_imports_an_uploaded_file() {
    let (app, _) = town().await;
    let admin = app.login(ADMIN).await;
    let org = app.org_id("QSZ").await;
    // The XLSX as written (its zip entries carry data descriptors).
    let upload = |name: &'static str| {
        let app = &app;
        let admin = &admin;
        async move {
            crate::files::upload(app, admin, name, example(name))
                .await
                .id()
        }
    };
    let broken = upload("qingshi-applications-with-errors.xlsx").await;
    let answer = app
        .gql(
            Some(&admin),
            IMPORT,
            json!({ "f": broken, "k": "APPLICATIONS", "o": org, "d": false }),
        )
        .await;
    let report = &answer["data"]["importSpreadsheet"];
    assert_eq!(report["applied"], false, "{answer}");
    assert_eq!(report["errors"], 3);
    assert_eq!(
        report["problems"][0],
        json!({ "row": 3, "column": "收到日期", "severity": "ERROR",
            "message": "日期格式有误，应为 2025-03-04、2025/3/4 或 2025年3月4日" })
    );
    let file = upload("qingshi-applications.xlsx").await;
    for (dry_run, applied, created) in [(true, false, 6), (false, true, 6), (false, true, 0)] {
        let answer = app
            .gql(
                Some(&admin),
                IMPORT,
                json!({ "f": file, "k": "APPLICATIONS", "o": org, "d": dry_run }),
            )
            .await;
        let report = &answer["data"]["importSpreadsheet"];
        assert_eq!(report["applied"], applied, "{answer}");
        assert_eq!(report["created"], created, "{answer}");
    }
    assert_eq!(listed(&app, None).await["totalCount"], 6);
    let oversight = app.login(OVERSIGHT).await;
    let refused = app
        .gql(
            Some(&oversight),
            IMPORT,
            json!({ "f": file, "k": "APPLICATIONS", "o": org, "d": true }),
        )
        .await;
    assert_error(&refused, "FORBIDDEN");
}
