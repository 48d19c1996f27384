//! Export in the import templates (issue 16, §3): a town's catalogue and
//! ledger go out and come back — into a fresh database with the same
//! figures, into the same one as "unchanged".

use std::process::{Command, Output};

use gongkai::domain::import::ImportKind;
use gongkai::domain::import::cells::Cell;
use gongkai::domain::policy::Caller;
use gongkai::spreadsheet::{self, Encoding};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::imports::{example, imported, run, town};

/// Every figure of 2025 the town's report and statistics show.
const FIGURES: &str = "query($org: ID!) {
    annualReport(organizationId: $org, year: 2025) { year markdown
        rows { label naturalPerson commercialEnterprise researchInstitution socialWelfareOrganization legalServiceOrganization otherOrganization total } }
    completionStats(organizationId: $org, from: \"2025-01-01\", to: \"2025-12-31\") {
        from to received carriedOver closed closedOnTime open overdue completionRate onTimeRate
        medianWorkingDaysToClose meanWorkingDaysToClose extended deadlineOverridden
        outcomes { outcome count } closingTimeBands { label count } } }";

const CATALOGUE: &str = "query($org: ID!) {
    disclosures(filter: { organizationId: $org }, first: 50) { edges { node { indexNo title formedOn docNumber body category { code } } } } }";

async fn figures(app: &TestApp, token: &str) -> Value {
    let org = app.org_id("QSZ").await;
    let answer = app.gql(Some(token), FIGURES, json!({ "org": org })).await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"].clone()
}

async fn catalogue(app: &TestApp) -> Vec<Value> {
    let org = app.org_id("QSZ").await;
    let answer = app.gql(None, CATALOGUE, json!({ "org": org })).await;
    assert!(answer["errors"].is_null(), "{answer}");
    let mut nodes: Vec<Value> = answer["data"]["disclosures"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    nodes.sort_by_key(|n| n["indexNo"].to_string());
    nodes
}

/// Applications entered live in 青石镇 (as ADMIN), with the steps the
/// template has columns for: correction and fee; consultation and
/// extension; one still open at the end of 2025; one carried over from 2024.
async fn enter_live(app: &TestApp, token: &str) {
    let org = app.org_id("QSZ").await;
    let live: [(&str, &str, &[&str]); 4] = [
        (
            "2025-03-03",
            "COMMERCIAL_ENTERPRISE",
            &[
                "requestCorrection(id: $id, on: \"2025-03-04\", note: \"请补正\")",
                "receiveCorrection(id: $id, on: \"2025-03-10\")",
                "requestFee(id: $id, on: \"2025-03-12\", amountYuan: 50)",
                "recordFeePaid(id: $id, on: \"2025-03-14\")",
                "closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2025-03-28\", reply: \"已提供\" })",
            ],
        ),
        (
            "2025-05-06",
            "NATURAL_PERSON",
            &[
                "startConsultation(id: $id, on: \"2025-05-07\", note: \"征求第三方意见\")",
                "endConsultation(id: $id, on: \"2025-05-20\")",
                "extendDeadline(id: $id, on: \"2025-06-03\", reason: \"需调取档案\")",
                "closeApplication(id: $id, input: { outcome: WITHHELD_THIRD_PARTY_RIGHTS, closedOn: \"2025-06-30\", reply: \"涉及第三方\" })",
            ],
        ),
        ("2025-12-22", "LEGAL_SERVICE_ORGANIZATION", &[]),
        (
            "2024-12-16",
            "NATURAL_PERSON",
            &[
                "closeApplication(id: $id, input: { outcome: UNAVAILABLE_NOT_HELD, closedOn: \"2025-01-08\", reply: \"不掌握\" })",
            ],
        ),
    ];
    for (n, (received_on, applicant_type, steps)) in live.into_iter().enumerate() {
        let input = json!({ "clientRequestId": format!("live-{n}"), "organizationId": org,
            "applicantType": applicant_type, "applicantName": format!("现场申请人{n}"),
            "phone": "13812345678", "email": "shenqing@example.cn",
            "description": "请公开青石镇相关信息", "channel": "LETTER", "receivedOn": received_on });
        let answer = app
            .gql(
                Some(token),
                "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }",
                json!({ "i": input }),
            )
            .await;
        let id = answer["data"]["submitApplication"]["application"]["id"].clone();
        assert!(id.is_string(), "{answer}");
        for step in steps {
            let answer = app
                .gql(
                    Some(token),
                    &format!("mutation($id: ID!) {{ step: {step} {{ id }} }}"),
                    json!({ "id": id }),
                )
                .await;
            assert!(answer["errors"].is_null(), "{step}: {answer}");
        }
    }
}

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("the server answers")
}

/// The command line as a subprocess, its standard error not a terminal.
fn command_line(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env("GONGKAI_JWT_SECRET", JWT_SECRET)
        .output()
        .expect("the command runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[tokio::test]
async fn a_town_goes_out_and_comes_back_with_the_same_figures() {
    let (app, qsz) = town().await;
    imported(
        &app,
        ImportKind::Disclosures,
        &example("qingshi-disclosures.xlsx"),
        qsz,
    )
    .await;
    imported(
        &app,
        ImportKind::Applications,
        &example("qingshi-applications.xlsx"),
        qsz,
    )
    .await;
    let admin = app.login(ADMIN).await;
    enter_live(&app, &admin).await;

    // The ledger over HTTP, the catalogue from the command line.
    let org = app.org_id("QSZ").await;
    let response = download(
        &app,
        Some(&admin),
        &format!("/export/applications.xlsx?organizationId={org}&year=2025"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"applications-QSZ-2025.xlsx\""
    );
    let ledger = response.bytes().await.unwrap().to_vec();
    let folder = TempFolder::new();
    let catalogue_file = folder.path().join("catalogue.xlsx");
    let out = command_line(&[
        "export",
        "disclosures",
        "--organization",
        "QSZ",
        "--year",
        "2025",
        "--out",
        catalogue_file.to_str().unwrap(),
        "--database-url",
        &app.database_url,
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("wrote 5 rows"),
        "{out:?}"
    );
    // Not a terminal: the plain progress line, with the rows done.
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(
        progress.contains("exporting disclosures: 5/5 rows"),
        "{progress}"
    );
    let catalogue_bytes = std::fs::read(&catalogue_file).unwrap();

    // Every application of the year's report, its procedure in the step columns.
    let table = spreadsheet::read(&ledger, Encoding::Auto).unwrap();
    assert_eq!(table.rows.len(), 10, "6 imported, 4 entered live");
    let column = |header: &str| {
        ImportKind::Applications
            .columns()
            .iter()
            .position(|c| c.header == header)
            .unwrap()
    };
    let fees: Vec<Option<String>> = table
        .rows
        .iter()
        .map(|r| r.get(column("收费金额（元）")).and_then(Cell::text))
        .collect();
    assert!(fees.contains(&Some("50".into())), "{fees:?}");
    let reasons: Vec<Option<String>> = table
        .rows
        .iter()
        .map(|r| r.get(column("延期理由")).and_then(Cell::text))
        .collect();
    assert!(reasons.contains(&Some("需调取档案".into())), "{reasons:?}");

    // Into a fresh database (the ledger from the command line too).
    let (fresh, fresh_qsz) = town().await;
    imported(&fresh, ImportKind::Disclosures, &catalogue_bytes, fresh_qsz).await;
    let ledger_file = folder.path().join("ledger.xlsx");
    std::fs::write(&ledger_file, &ledger).unwrap();
    let out = command_line(&[
        "import",
        "applications",
        ledger_file.to_str().unwrap(),
        "--organization",
        "QSZ",
        "--database-url",
        &fresh.database_url,
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("10 rows read, created 10"), "{printed}");
    let progress = String::from_utf8_lossy(&out.stderr);
    assert!(progress.contains("checking: 10/10 rows"), "{progress}");
    assert!(progress.contains("writing: 10/10 rows"), "{progress}");
    let fresh_admin = fresh.login(ADMIN).await;
    assert_eq!(
        figures(&fresh, &fresh_admin).await,
        figures(&app, &admin).await
    );
    assert_eq!(catalogue(&fresh).await, catalogue(&app).await);
    assert_eq!(catalogue(&app).await.len(), 5);

    // Into the database they came from: nothing to do, row by row.
    for (kind, bytes, rows) in [
        (ImportKind::Applications, &ledger, 10),
        (ImportKind::Disclosures, &catalogue_bytes, 5),
    ] {
        let again = run(&app, &Caller::Operator, kind, bytes, qsz, false)
            .await
            .unwrap();
        assert!(
            again.problems.iter().all(|p| !p.is_error()),
            "{:?}",
            again.problems
        );
        assert_eq!(
            (
                again.counts.unchanged,
                again.counts.created,
                again.counts.updated
            ),
            (rows, 0, 0),
            "{kind:?}"
        );
    }
}

#[tokio::test]
async fn the_ledger_goes_only_to_whoever_may_import_it() {
    let (app, qsz) = town().await;
    imported(
        &app,
        ImportKind::Applications,
        &example("qingshi-applications.xlsx"),
        qsz,
    )
    .await;
    let org = app.org_id("QSZ").await;
    let nancun = app.org_id("PYNC").await;
    let path =
        |org: &str, kind: &str| format!("/export/{kind}.xlsx?organizationId={org}&year=2025");
    let nancun_admin = app.login(ORG_ADMIN).await;
    let oversight = app.login(OVERSIGHT).await;
    let clerk = app.login(CLERK).await;
    // (caller, organisation, status)
    let cases = [
        (None, &org, 401),
        (Some(&oversight), &org, 403),
        (Some(&nancun_admin), &org, 403),
        (Some(&clerk), &nancun, 403),
        (Some(&nancun_admin), &nancun, 200),
    ];
    for (token, org, status) in cases {
        for kind in ["applications", "disclosures"] {
            let response = download(&app, token.map(String::as_str), &path(org, kind)).await;
            assert_eq!(response.status(), status, "{kind} of {org} by {token:?}");
        }
    }
    let admin = app.login(ADMIN).await;
    let response = download(
        &app,
        Some(&admin),
        &format!("/export/applications.xlsx?organizationId={org}&year=1900"),
    )
    .await;
    assert_eq!(response.status(), 400);
}
