//! Applications end to end over GraphQL. Expected dates were counted by
//! hand on the State Council's calendar (docs/DESIGN.md's worked examples and
//! more), not computed with the server's own code.

use serde_json::{Value, json};

use crate::helpers::*;

const SUBMIT: &str = "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) {
    queryCode application { id trackingNo dueOn version applicantName }
    tracking { trackingNo status receivedOn dueOn dueOnProvisional } } }";
const TRACK: &str = "query($n: String!, $c: String!) { trackApplication(trackingNo: $n, queryCode: $c) {
    trackingNo status dueOn outcome deadlineTrace { kind from to workingDays dueOnAfter skipped { date reason } }
    events { kind on actor { id } note } } }";
const VIEW: &str = "id trackingNo status dueOn clockRunning extended deadlineOverridden closedOn closedOnTime outcome version feeYuan
    applicantName idNumber phone email address
    deadlineTrace { kind from to workingDays dueOnAfter skipped { date reason } }
    events { kind on note actor { username } }";

fn online(client_request_id: &str, org: &str) -> Value {
    json!({ "clientRequestId": client_request_id, "organizationId": org, "applicantType": "NATURAL_PERSON",
            "applicantName": "张三丰", "idNumber": "11010519491231002X", "phone": "13812345678",
            "email": "zhang@example.cn", "address": "广州市番禺区南村镇兴业大道123号",
            "description": "请公开南村镇2025年部门预算。" })
}

fn paper(client_request_id: &str, org: &str, received_on: &str) -> Value {
    let mut input = online(client_request_id, org);
    input["channel"] = json!("LETTER");
    input["receivedOn"] = json!(received_on);
    input
}

pub(crate) struct Desk {
    pub(crate) clerk: String,
    approver: String,
    nancun: String,
}

impl Desk {
    pub(crate) async fn new(app: &TestApp) -> Self {
        Desk {
            clerk: app.login(CLERK).await,
            approver: app.login(APPROVER).await,
            nancun: app.org_id("PYNC").await,
        }
    }

    /// Registers a paper application received on `received_on`; returns its id.
    pub(crate) async fn register(&self, app: &TestApp, key: &str, received_on: &str) -> String {
        let answer = app
            .gql(
                Some(&self.clerk),
                SUBMIT,
                json!({ "i": paper(key, &self.nancun, received_on) }),
            )
            .await;
        answer["data"]["submitApplication"]["application"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned()
    }

    pub(crate) async fn view(&self, app: &TestApp, token: &str, id: &str) -> Value {
        let answer = app
            .gql(
                Some(token),
                &format!("query($id: ID!) {{ application(id: $id) {{ {VIEW} }} }}"),
                json!({ "id": id }),
            )
            .await;
        answer["data"]["application"].clone()
    }

    /// Runs a workflow mutation; returns the whole answer.
    async fn step(
        &self,
        app: &TestApp,
        token: &str,
        mutation: &str,
        args: &str,
        variables: Value,
    ) -> Value {
        let query = format!("mutation($id: ID!) {{ {mutation}(id: $id, {args}) {{ {VIEW} }} }}");
        let answer = app.gql(Some(token), &query, variables).await;
        if answer["errors"].is_null() {
            return answer["data"][mutation].clone();
        }
        answer
    }
}

#[tokio::test]
async fn the_public_submits_online_and_tracks_with_the_query_code() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let answer = app
        .gql(None, SUBMIT, json!({ "i": online("web-1", &nancun) }))
        .await;
    let payload = &answer["data"]["submitApplication"];
    assert_eq!(
        payload["application"],
        Value::Null,
        "the public gets the tracking view only: {answer}"
    );
    let tracking_no = payload["tracking"]["trackingNo"].as_str().unwrap();
    assert!(
        tracking_no.starts_with("PYNC-") && tracking_no.ends_with("-00001"),
        "{tracking_no}"
    );
    let code = payload["queryCode"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    assert_eq!(payload["tracking"]["status"], "RECEIVED");
    // Received today: dueOn is 20 working days later.
    let received_on = payload["tracking"]["receivedOn"].clone();
    let expected = app
        .gql(
            None,
            "query($f: Date!) { addWorkingDays(from: $f, days: 20) }",
            json!({ "f": received_on }),
        )
        .await;
    assert_eq!(
        payload["tracking"]["dueOn"],
        expected["data"]["addWorkingDays"]
    );

    let tracked = app
        .gql(
            None,
            TRACK,
            json!({ "n": tracking_no, "c": code.to_lowercase() }),
        )
        .await;
    let view = &tracked["data"]["trackApplication"];
    assert_eq!(view["trackingNo"], tracking_no, "{tracked}");
    assert_eq!(
        view["events"][0],
        json!({ "kind": "RECEIVED", "on": received_on, "actor": null, "note": null })
    );
    assert_eq!(view["deadlineTrace"][0]["workingDays"], 20);
    let text = tracked.to_string();
    for personal in [
        "张三丰",
        "1101051949",
        "13812345678",
        "zhang@example.cn",
        "兴业大道",
    ] {
        assert!(
            !text.contains(personal),
            "no personal data in the tracking view: {personal}"
        );
    }
}

#[tokio::test]
async fn the_online_form_refuses_incomplete_applications() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let without = |fields: &[&str]| {
        let mut input = online("web-x", &nancun);
        for field in fields {
            input.as_object_mut().unwrap().remove(*field);
        }
        input
    };
    let mut wrong_id = online("web-x", &nancun);
    wrong_id["idNumber"] = json!("110105194912310021");
    let mut letter = online("web-x", &nancun);
    letter["channel"] = json!("LETTER");
    let mut backdated = online("web-x", &nancun);
    backdated["receivedOn"] = json!("2025-01-02");
    let mut bad_mobile = online("web-x", &nancun);
    bad_mobile["phone"] = json!("12812345678");
    let cases = [
        (without(&["idNumber"]), "idNumber"),
        (without(&["phone", "email", "address"]), "phone"),
        (wrong_id, "idNumber"),
        (letter, "channel"),
        (backdated, "receivedOn"),
        (bad_mobile, "phone"),
    ];
    for (input, field) in cases {
        let answer = app.gql(None, SUBMIT, json!({ "i": input })).await;
        assert_error(&answer, "BAD_USER_INPUT");
        assert_eq!(
            answer["errors"][0]["extensions"]["field"], field,
            "{answer}"
        );
        assert!(
            !answer.to_string().contains("1101051949"),
            "no personal data in errors"
        );
    }
    // With only an e-mail as contact it is accepted.
    let answer = app
        .gql(None, SUBMIT, json!({ "i": without(&["phone", "address"]) }))
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
}

#[tokio::test]
async fn a_retried_submission_returns_the_first_result() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let first = app
        .gql(None, SUBMIT, json!({ "i": online("phone-retry", &nancun) }))
        .await;
    let mut spaced = online("phone-retry", &nancun);
    spaced["phone"] = json!("+86 138-1234-5678");
    let again = app.gql(None, SUBMIT, json!({ "i": spaced })).await;
    assert_eq!(
        again["data"]["submitApplication"]["tracking"]["trackingNo"],
        first["data"]["submitApplication"]["tracking"]["trackingNo"]
    );
    let code = &first["data"]["submitApplication"]["queryCode"];
    assert!(code.is_string(), "{first}");
    assert_eq!(
        &again["data"]["submitApplication"]["queryCode"], code,
        "the citizen whose first answer was lost learns the code"
    );

    let mut different = online("phone-retry", &nancun);
    different["description"] = json!("另一份申请");
    assert_error(
        &app.gql(None, SUBMIT, json!({ "i": different })).await,
        "CONFLICT",
    );

    // Two racing submissions with one key make one application.
    let racing = [
        app.gql(None, SUBMIT, json!({ "i": online("race", &nancun) })),
        app.gql(None, SUBMIT, json!({ "i": online("race", &nancun) })),
    ];
    let answers = futures_util::future::join_all(racing).await;
    let numbers: Vec<_> = answers
        .iter()
        .map(|a| a["data"]["submitApplication"]["tracking"]["trackingNo"].clone())
        .collect();
    assert_eq!(numbers[0], numbers[1], "{answers:?}");
    let codes: Vec<_> = answers
        .iter()
        .map(|a| a["data"]["submitApplication"]["queryCode"].clone())
        .collect();
    assert!(codes[0].is_string(), "{answers:?}");
    assert_eq!(
        codes[0], codes[1],
        "the loser answers with the winner's code"
    );
    let desk = Desk::new(&app).await;
    let listed = app
        .gql(
            Some(&desk.clerk),
            "{ applications { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["data"]["applications"]["totalCount"], 2, "{listed}");
}

#[tokio::test]
async fn a_replay_keeps_the_query_code_for_a_day_until_it_is_reissued() {
    let app = spawn_app_at(instant("2026-12-01T08:00:00+08:00")).await;
    let nancun = app.org_id("PYNC").await;
    let submit = || app.gql(None, SUBMIT, json!({ "i": online("lost-answer", &nancun) }));
    let first = submit().await;
    let number = first["data"]["submitApplication"]["tracking"]["trackingNo"].clone();
    let code = first["data"]["submitApplication"]["queryCode"].clone();
    assert!(code.is_string(), "{first}");

    app.clock.advance(chrono::TimeDelta::hours(23));
    let replay = submit().await;
    assert_eq!(
        replay["data"]["submitApplication"]["queryCode"], code,
        "{replay}"
    );
    let tracked = app
        .gql(
            None,
            TRACK,
            json!({ "n": number, "c": replay["data"]["submitApplication"]["queryCode"] }),
        )
        .await;
    assert_eq!(
        tracked["data"]["trackApplication"]["trackingNo"], number,
        "{tracked}"
    );

    // Another submission's code is its own.
    let other = app
        .gql(None, SUBMIT, json!({ "i": online("another", &nancun) }))
        .await;
    assert_ne!(
        other["data"]["submitApplication"]["queryCode"], code,
        "{other}"
    );

    // A reissued code replaces it: the replay no longer shows the old one.
    let desk = Desk::new(&app).await;
    let listed = app.gql(Some(&desk.clerk), "query($n: String) { applications(filter: { trackingNo: $n }) { edges { node { id } } } }", json!({ "n": number })).await;
    let id = listed["data"]["applications"]["edges"][0]["node"]["id"].clone();
    let reissued = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { reissueQueryCode(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert!(
        reissued["data"]["reissueQueryCode"].is_string(),
        "{reissued}"
    );
    let after_reissue = submit().await;
    assert_eq!(
        after_reissue["data"]["submitApplication"]["tracking"]["trackingNo"],
        number
    );
    assert_eq!(
        after_reissue["data"]["submitApplication"]["queryCode"],
        Value::Null,
        "{after_reissue}"
    );

    // After 24 hours a replay answers without a code.
    let late = app
        .gql(None, SUBMIT, json!({ "i": online("late", &nancun) }))
        .await;
    assert!(
        late["data"]["submitApplication"]["queryCode"].is_string(),
        "{late}"
    );
    app.clock.advance(chrono::TimeDelta::hours(24));
    let late_replay = app
        .gql(None, SUBMIT, json!({ "i": online("late", &nancun) }))
        .await;
    assert_eq!(
        late_replay["data"]["submitApplication"]["tracking"]["trackingNo"],
        late["data"]["submitApplication"]["tracking"]["trackingNo"]
    );
    assert_eq!(
        late_replay["data"]["submitApplication"]["queryCode"],
        Value::Null,
        "{late_replay}"
    );
}

#[tokio::test]
async fn staff_register_paper_with_its_legal_receipt_date() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    // DESIGN.md's worked example: received 2025-09-26, due 2025-10-30 across National Day.
    let id = desk.register(&app, "paper-1", "2025-09-26").await;
    let view = desk.view(&app, &desk.clerk, &id).await;
    assert_eq!(view["dueOn"], "2025-10-30");
    let trace = &view["deadlineTrace"][0];
    assert_eq!(
        (
            trace["kind"].clone(),
            trace["from"].clone(),
            trace["to"].clone()
        ),
        (json!("RECEIVED"), json!("2025-09-26"), json!("2025-10-30"))
    );
    let skipped = trace["skipped"].as_array().unwrap();
    assert!(skipped.contains(&json!({ "date": "2025-10-01", "reason": "国庆节、中秋节" })));
    assert!(skipped.contains(&json!({ "date": "2025-09-27", "reason": "周末" })));
    assert!(
        !skipped.iter().any(|d| d["date"] == "2025-09-28"),
        "the 调休 Sunday is a working day"
    );
    assert_eq!(
        view["applicantName"], "张三丰",
        "full personal data for the organisation's staff"
    );

    // What arrived incomplete is registered as it is.
    let mut incomplete = paper("paper-2", &desk.nancun, "2025-09-26");
    for field in ["idNumber", "phone", "email", "address"] {
        incomplete.as_object_mut().unwrap().remove(field);
    }
    let answer = app
        .gql(Some(&desk.clerk), SUBMIT, json!({ "i": incomplete }))
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    let mut future = paper("paper-3", &desk.nancun, "2099-01-01");
    future["receivedOn"] = json!("2099-01-01");
    assert_error(
        &app.gql(Some(&desk.clerk), SUBMIT, json!({ "i": future }))
            .await,
        "BAD_USER_INPUT",
    );
}

#[tokio::test]
async fn correction_restarts_the_clock_in_full() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    // Received 2025-01-24: the correction notice is due by 2025-02-10.
    let id = desk.register(&app, "c1", "2025-01-24").await;
    let late = desk
        .step(
            &app,
            &desk.clerk,
            "requestCorrection",
            "on: \"2025-02-11\", note: \"请补充身份证明\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&late, "BAD_USER_INPUT");
    let asked = desk
        .step(
            &app,
            &desk.clerk,
            "requestCorrection",
            "on: \"2025-02-10\", note: \"请补充身份证明\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        (asked["status"].clone(), asked["clockRunning"].clone()),
        (json!("AWAITING_CORRECTION"), json!(false)),
        "{asked}"
    );
    let again = desk
        .step(
            &app,
            &desk.clerk,
            "requestCorrection",
            "on: \"2025-02-10\", note: \"再次补正\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&again, "INVALID_TRANSITION");
    let corrected = desk
        .step(
            &app,
            &desk.clerk,
            "receiveCorrection",
            "on: \"2025-02-10\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        corrected["dueOn"], "2025-03-10",
        "20 working days from the corrected application: {corrected}"
    );
    assert_eq!(corrected["deadlineTrace"][1]["kind"], "CORRECTION_RECEIVED");
    let second_notice = desk
        .step(
            &app,
            &desk.clerk,
            "requestCorrection",
            "on: \"2025-02-11\", note: \"第二次\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&second_notice, "INVALID_TRANSITION");
}

#[tokio::test]
async fn pauses_extension_override_and_closing() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    // Received 2025-11-03: due 2025-12-01.
    let id = desk.register(&app, "p1", "2025-11-03").await;
    let started = desk
        .step(
            &app,
            &desk.clerk,
            "startConsultation",
            "on: \"2025-11-10\", note: \"征求第三方意见\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(started["status"], "CONSULTING_THIRD_PARTY", "{started}");
    let too_early = desk
        .step(
            &app,
            &desk.clerk,
            "endConsultation",
            "on: \"2025-11-07\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&too_early, "BAD_USER_INPUT");
    let ended = desk
        .step(
            &app,
            &desk.clerk,
            "endConsultation",
            "on: \"2025-11-14\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        ended["dueOn"], "2025-12-05",
        "4 paused working days: {ended}"
    );
    let pause = &ended["deadlineTrace"][1];
    assert_eq!(
        (pause["kind"].clone(), pause["workingDays"].clone()),
        (json!("CONSULTATION_STARTED"), json!(4))
    );

    // Only an APPROVER extends, once, and not after dueOn.
    let by_clerk = desk
        .step(
            &app,
            &desk.clerk,
            "extendDeadline",
            "on: \"2025-12-01\", reason: \"情况复杂\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&by_clerk, "FORBIDDEN");
    let after_due = desk
        .step(
            &app,
            &desk.approver,
            "extendDeadline",
            "on: \"2025-12-08\", reason: \"情况复杂\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&after_due, "INVALID_TRANSITION");
    let extended = desk
        .step(
            &app,
            &desk.approver,
            "extendDeadline",
            "on: \"2025-12-05\", reason: \"情况复杂\"",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        (extended["dueOn"].clone(), extended["extended"].clone()),
        (json!("2026-01-05"), json!(true)),
        "{extended}"
    );
    let twice = desk
        .step(
            &app,
            &desk.approver,
            "extendDeadline",
            "on: \"2025-12-05\", reason: \"再延\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&twice, "INVALID_TRANSITION");

    let version = extended["version"].as_i64().unwrap();
    let stale = desk.step(&app, &desk.clerk, "closeApplication", "input: { outcome: DISCLOSED, closedOn: \"2025-12-10\", reply: \"予以公开\" }, expectedVersion: 1", json!({ "id": id })).await;
    assert_error(&stale, "CONFLICT");
    let closed = desk
        .step(&app, &desk.clerk, "closeApplication", &format!("input: {{ outcome: DISCLOSED, closedOn: \"2025-12-10\", reply: \"予以公开\" }}, expectedVersion: {version}"), json!({ "id": id }))
        .await;
    assert_eq!(
        (closed["status"].clone(), closed["closedOnTime"].clone()),
        (json!("CLOSED"), json!(true)),
        "{closed}"
    );
    let kinds: Vec<_> = closed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "RECEIVED",
            "CONSULTATION_STARTED",
            "CONSULTATION_ENDED",
            "EXTENDED",
            "CLOSED"
        ]
    );
    assert_eq!(closed["events"][3]["actor"]["username"], "nancun.approver");
    let reopened = desk
        .step(
            &app,
            &desk.clerk,
            "startConsultation",
            "on: \"2025-12-11\", note: \"x\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&reopened, "INVALID_TRANSITION");

    // Late closing, fee pause and an override on a second application.
    let other = desk.register(&app, "p2", "2025-12-01").await;
    let fee = desk
        .step(
            &app,
            &desk.clerk,
            "requestFee",
            "on: \"2025-12-02\", amountYuan: 100",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(
        (fee["status"].clone(), fee["feeYuan"].clone()),
        (json!("AWAITING_FEE"), json!(100)),
        "{fee}"
    );
    let paid = desk
        .step(
            &app,
            &desk.clerk,
            "recordFeePaid",
            "on: \"2025-12-02\"",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(paid["dueOn"], "2025-12-29", "no working day paused: {paid}");
    let not_later = desk
        .step(
            &app,
            &desk.approver,
            "overrideDeadline",
            "on: \"2025-12-03\", dueOn: \"2025-12-29\", reason: \"数量过大\"",
            json!({ "id": other }),
        )
        .await;
    assert_error(&not_later, "BAD_USER_INPUT");
    let overridden = desk
        .step(
            &app,
            &desk.approver,
            "overrideDeadline",
            "on: \"2025-12-03\", dueOn: \"2026-01-30\", reason: \"申请数量过大\"",
            json!({ "id": other }),
        )
        .await;
    assert_eq!(
        (
            overridden["dueOn"].clone(),
            overridden["deadlineOverridden"].clone()
        ),
        (json!("2026-01-30"), json!(true))
    );
    let extend = desk
        .step(
            &app,
            &desk.approver,
            "extendDeadline",
            "on: \"2025-12-04\", reason: \"x\"",
            json!({ "id": other }),
        )
        .await;
    assert_error(&extend, "INVALID_TRANSITION");
    let late = desk.step(&app, &desk.clerk, "closeApplication", "input: { outcome: UNAVAILABLE_NOT_HELD, closedOn: \"2026-02-02\", reply: \"本机关不掌握\" }", json!({ "id": other })).await;
    assert_eq!(late["closedOnTime"], false, "{late}");
    let future = desk.register(&app, "p3", "2025-12-01").await;
    let tomorrow = desk
        .step(
            &app,
            &desk.clerk,
            "startConsultation",
            "on: \"2099-01-01\", note: \"x\"",
            json!({ "id": future }),
        )
        .await;
    assert_error(&tomorrow, "BAD_USER_INPUT");
}

#[tokio::test]
async fn two_clerks_closing_at_once_close_it_once() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "race-close", "2025-11-03").await;
    let close = |reply: &str| {
        let query = format!(
            "mutation($id: ID!) {{ closeApplication(id: $id, input: {{ outcome: DISCLOSED, closedOn: \"2025-11-20\", reply: \"{reply}\" }}, expectedVersion: 1) {{ version }} }}"
        );
        let app = &app;
        let token = desk.clerk.clone();
        let id = id.clone();
        async move { app.gql(Some(&token), &query, json!({ "id": id })).await }
    };
    let answers = futures_util::future::join_all([close("甲"), close("乙")]).await;
    let succeeded = answers.iter().filter(|a| a["errors"].is_null()).count();
    assert_eq!(succeeded, 1, "{answers:?}");
    let loser = answers.iter().find(|a| !a["errors"].is_null()).unwrap();
    assert!(
        matches!(error_code(loser), Some("CONFLICT" | "INVALID_TRANSITION")),
        "{loser}"
    );
    let view = desk.view(&app, &desk.clerk, &id).await;
    assert_eq!(
        view["events"].as_array().unwrap().len(),
        2,
        "one CLOSED event: {view}"
    );
}

#[tokio::test]
async fn who_may_read_and_change_an_application() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "roles", "2025-11-03").await;
    app.create_user("xinzao.clerk", "CLERK", "PYXZ", "xinzao-clerk-2026")
        .await;
    let stranger = app.login(("xinzao.clerk", "xinzao-clerk-2026")).await;
    let oversight = app.login(OVERSIGHT).await;

    assert_error(
        &app.gql(
            Some(&stranger),
            "query($id: ID!) { application(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await,
        "NOT_FOUND",
    );
    let step = desk
        .step(
            &app,
            &stranger,
            "startConsultation",
            "on: \"2025-11-10\", note: \"x\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&step, "NOT_FOUND");
    assert_eq!(
        app.gql(
            Some(&stranger),
            "{ applications { totalCount } }",
            json!({})
        )
        .await["data"]["applications"]["totalCount"],
        0
    );
    assert_error(
        &app.gql(None, "{ applications { totalCount } }", json!({}))
            .await,
        "UNAUTHENTICATED",
    );
    assert_error(
        &app.gql(
            None,
            "query($id: ID!) { application(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await,
        "UNAUTHENTICATED",
    );

    // District oversight reads it masked, and may not act on it.
    let masked = desk.view(&app, &oversight, &id).await;
    assert_eq!(masked["applicantName"], "张**");
    assert_eq!(masked["idNumber"], "110105********002X");
    assert_eq!(masked["phone"], "138****5678");
    assert_eq!(masked["email"], "z***@example.cn");
    assert_eq!(masked["address"], "广州市番禺区****");
    let listed = app
        .gql(
            Some(&oversight),
            "{ applications { edges { node { applicantName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["applications"]["edges"][0]["node"]["applicantName"],
        "张**"
    );
    let step = desk
        .step(
            &app,
            &oversight,
            "startConsultation",
            "on: \"2025-11-10\", note: \"x\"",
            json!({ "id": id }),
        )
        .await;
    assert_error(&step, "FORBIDDEN");
    let submit = app
        .gql(
            Some(&oversight),
            SUBMIT,
            json!({ "i": paper("o1", &desk.nancun, "2025-11-03") }),
        )
        .await;
    assert_error(&submit, "FORBIDDEN");
    let elsewhere = app
        .gql(
            Some(&stranger),
            SUBMIT,
            json!({ "i": paper("o2", &desk.nancun, "2025-11-03") }),
        )
        .await;
    assert_error(&elsewhere, "FORBIDDEN");
}

#[tokio::test]
async fn wrong_query_codes_are_throttled_per_client() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let answer = app
        .gql(None, SUBMIT, json!({ "i": online("t1", &nancun) }))
        .await;
    let number = answer["data"]["submitApplication"]["tracking"]["trackingNo"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = answer["data"]["submitApplication"]["queryCode"]
        .as_str()
        .unwrap()
        .to_owned();

    let unknown = app
        .gql(None, TRACK, json!({ "n": "PYNC-2020-99999", "c": code }))
        .await;
    let wrong = app
        .gql(None, TRACK, json!({ "n": number, "c": "ABCDEFGH" }))
        .await;
    assert_error(&unknown, "NOT_FOUND");
    assert_error(&wrong, "NOT_FOUND");
    assert_eq!(
        unknown["errors"][0]["message"], wrong["errors"][0]["message"],
        "a wrong code looks like an unknown number"
    );
    for _ in 0..4 {
        assert_error(
            &app.gql(None, TRACK, json!({ "n": number, "c": "ABCDEFGH" }))
                .await,
            "NOT_FOUND",
        );
    }
    assert_error(
        &app.gql(None, TRACK, json!({ "n": number, "c": code }))
            .await,
        "RATE_LIMITED",
    );

    // Staff reissue a code for an applicant who lost theirs.
    let desk = Desk::new(&app).await;
    let listed = app.gql(Some(&desk.clerk), "query($n: String) { applications(filter: { trackingNo: $n }) { edges { node { id } } } }", json!({ "n": number })).await;
    let id = listed["data"]["applications"]["edges"][0]["node"]["id"].clone();
    let reissued = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { reissueQueryCode(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    let new_code = reissued["data"]["reissueQueryCode"].as_str().unwrap();
    assert_ne!(new_code, code);
    assert_error(
        &app.gql(
            None,
            "mutation($id: ID!) { reissueQueryCode(id: $id) }",
            json!({ "id": id }),
        )
        .await,
        "UNAUTHENTICATED",
    );
}

#[tokio::test]
async fn the_work_list_and_its_filters() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let early = desk.register(&app, "w1", "2025-11-03").await; // due 2025-12-01
    let late = desk.register(&app, "w2", "2025-12-01").await; // due 2025-12-29
    let paused = desk.register(&app, "w3", "2025-11-03").await;
    desk.step(
        &app,
        &desk.clerk,
        "requestFee",
        "on: \"2025-11-04\", amountYuan: 100",
        json!({ "id": paused }),
    )
    .await;
    let list = |filter: Value| {
        let app = &app;
        let token = desk.clerk.clone();
        async move {
            let answer = app
                .gql(Some(&token), "query($f: ApplicationFilter) { applications(filter: $f, orderBy: DUE_ON_ASC) { totalCount edges { node { id workingDaysLeft(asOf: \"2025-11-28\") overdue(asOf: \"2025-12-02\") } } } }", json!({ "f": filter }))
                .await;
            let ids: Vec<String> = answer["data"]["applications"]["edges"]
                .as_array()
                .unwrap_or_else(|| panic!("{answer}"))
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
                .collect();
            (ids, answer)
        }
    };
    let (all, answer) = list(json!({ "status": "RECEIVED" })).await;
    assert_eq!(
        all,
        vec![early.clone(), late.clone()],
        "soonest deadline first"
    );
    assert_eq!(
        answer["data"]["applications"]["edges"][0]["node"]["workingDaysLeft"],
        1
    );
    assert_eq!(
        answer["data"]["applications"]["edges"][0]["node"]["overdue"],
        true
    );
    assert_eq!(
        list(json!({ "overdue": true, "asOf": "2025-12-02" }))
            .await
            .0,
        vec![early.clone()],
        "a stopped clock is never overdue"
    );
    assert_eq!(
        list(json!({ "overdue": false, "asOf": "2025-12-02" }))
            .await
            .0
            .len(),
        2
    );
    // On 2025-11-28 the first is due within 1 working day, the second within 21.
    assert_eq!(
        list(json!({ "dueWithinWorkingDays": 1, "asOf": "2025-11-28" }))
            .await
            .0,
        vec![early.clone()]
    );
    assert_eq!(
        list(json!({ "dueWithinWorkingDays": 0, "asOf": "2025-11-28" }))
            .await
            .0,
        Vec::<String>::new()
    );
    assert_eq!(
        list(json!({ "dueWithinWorkingDays": 21, "asOf": "2025-11-28" }))
            .await
            .0,
        vec![early.clone(), late.clone()]
    );
    assert_eq!(
        list(json!({ "receivedFrom": "2025-12-01", "receivedTo": "2025-12-01" }))
            .await
            .0,
        vec![late.clone()]
    );
    let first_page = app.gql(Some(&desk.clerk), "{ applications(first: 2, orderBy: RECEIVED_ASC) { pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({})).await;
    let cursor = first_page["data"]["applications"]["pageInfo"]["endCursor"].clone();
    let second = app.gql(Some(&desk.clerk), "query($a: String) { applications(first: 2, after: $a, orderBy: RECEIVED_ASC) { pageInfo { hasNextPage } edges { node { id } } } }", json!({ "a": cursor })).await;
    assert_eq!(
        second["data"]["applications"]["edges"][0]["node"]["id"],
        json!(late),
        "{second}"
    );
    assert_eq!(
        second["data"]["applications"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test]
async fn a_calendar_change_moves_open_deadlines() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let open = desk.register(&app, "cal-1", "2025-11-03").await; // due 2025-12-01
    let closed = desk.register(&app, "cal-2", "2025-11-03").await;
    desk.step(
        &app,
        &desk.clerk,
        "closeApplication",
        "input: { outcome: DISCLOSED, closedOn: \"2025-11-05\", reply: \"已公开\" }",
        json!({ "id": closed }),
    )
    .await;
    let admin = app.login(ADMIN).await;
    let set = app.gql(Some(&admin), "mutation { setCalendarDays(days: [{ date: \"2025-11-20\", kind: HOLIDAY, note: \"测试假日\" }]) { date } }", json!({})).await;
    assert!(set["errors"].is_null(), "{set}");
    let moved = desk.view(&app, &desk.clerk, &open).await;
    assert_eq!(moved["dueOn"], "2025-12-02", "{moved}");
    let last = moved["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "DEADLINE_RECALCULATED");
    assert!(
        moved["deadlineTrace"][0]["skipped"]
            .as_array()
            .unwrap()
            .contains(&json!({ "date": "2025-11-20", "reason": "测试假日" }))
    );
    let untouched = desk.view(&app, &desk.clerk, &closed).await;
    assert_eq!(
        untouched["events"].as_array().unwrap().len(),
        2,
        "closed applications are not recomputed"
    );

    let cleared = app
        .gql(
            Some(&admin),
            "mutation { clearCalendarDays(dates: [\"2025-11-20\"]) }",
            json!({}),
        )
        .await;
    assert_eq!(cleared["data"]["clearCalendarDays"], 1);
    assert_eq!(
        desk.view(&app, &desk.clerk, &open).await["dueOn"],
        "2025-12-01"
    );
}

#[tokio::test]
async fn the_demo_applications_show_every_status_today() {
    let app = spawn_demo_app().await;
    let clerk = app.login(CLERK).await;
    let count = |filter: Value| {
        let app = &app;
        let clerk = clerk.clone();
        async move {
            let answer = app
                .gql(
                    Some(&clerk),
                    "query($f: ApplicationFilter) { applications(filter: $f) { totalCount } }",
                    json!({ "f": filter }),
                )
                .await;
            answer["data"]["applications"]["totalCount"]
                .as_i64()
                .unwrap_or_else(|| panic!("{answer}"))
        }
    };
    for status in [
        "RECEIVED",
        "AWAITING_CORRECTION",
        "CONSULTING_THIRD_PARTY",
        "AWAITING_FEE",
        "CLOSED",
    ] {
        assert!(count(json!({ "status": status })).await > 0, "{status}");
    }
    assert!(count(json!({ "overdue": true })).await > 0, "one overdue");
    assert!(
        count(json!({ "dueWithinWorkingDays": 5 })).await > 0,
        "some due soon"
    );
    let closed = app.gql(Some(&clerk), "{ applications(filter: { status: CLOSED }, first: 10) { edges { node { closedOnTime extended } } } }", json!({})).await;
    let on_time: Vec<_> = closed["data"]["applications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["closedOnTime"].clone())
        .collect();
    assert!(
        on_time.contains(&json!(true)) && on_time.contains(&json!(false)),
        "{closed}"
    );
}

#[tokio::test]
async fn the_clerk_sees_matching_disclosures_and_the_applicants_month() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let categories = app
        .gql(None, "{ disclosureCategories { id } }", json!({}))
        .await;
    let category = categories["data"]["disclosureCategories"][0]["id"].clone();
    for title in [
        "南村镇2025年部门预算",
        "关于开展森林防火检查的通知",
        "南村镇2024年部门决算",
    ] {
        let input = json!({ "organizationId": desk.nancun, "categoryId": category, "title": title, "body": format!("{title}全文。"), "formedOn": "2025-03-01" });
        let created = app
            .gql(
                Some(&desk.clerk),
                "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        let id = created["data"]["createDisclosure"]["id"].clone();
        app.gql(
            Some(&desk.approver),
            "mutation($id: ID!) { publishDisclosure(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    }
    // Received today, twice by the same applicant (the ID number normalised).
    let first = app
        .gql(
            Some(&desk.clerk),
            SUBMIT,
            json!({ "i": online("m1", &desk.nancun) }),
        )
        .await;
    let mut again = online("m2", &desk.nancun);
    again["idNumber"] = json!("11010519491231002x");
    app.gql(Some(&desk.clerk), SUBMIT, json!({ "i": again }))
        .await;
    let id = first["data"]["submitApplication"]["application"]["id"].clone();
    let answer = app
        .gql(Some(&desk.clerk), "query($id: ID!) { application(id: $id) { applicantApplicationsThisMonth matchingDisclosures { title } } }", json!({ "id": id }))
        .await;
    let view = &answer["data"]["application"];
    assert_eq!(view["applicantApplicationsThisMonth"], 2, "{answer}");
    let titles: Vec<_> = view["matchingDisclosures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        titles.first().map(String::as_str),
        Some("南村镇2025年部门预算"),
        "{titles:?}"
    );
    assert!(!titles.iter().any(|t| t.contains("森林防火")), "{titles:?}");
}

#[tokio::test]
async fn throttles_count_per_client_address() {
    let app = spawn_app_behind_proxy().await;
    let nancun = app.org_id("PYNC").await;
    // The public form: 20 submissions an hour from one address.
    let mut first = Value::Null;
    for n in 0..20 {
        let answer = app
            .gql_from(
                "203.0.113.7",
                SUBMIT,
                json!({ "i": online(&format!("flood-{n}"), &nancun) }),
            )
            .await;
        assert!(answer["errors"].is_null(), "{n}: {answer}");
        if n == 0 {
            first = answer;
        }
    }
    let refused = app
        .gql_from(
            "203.0.113.7",
            SUBMIT,
            json!({ "i": online("flood-20", &nancun) }),
        )
        .await;
    assert_error(&refused, "RATE_LIMITED");
    let elsewhere = app
        .gql_from(
            "198.51.100.9",
            SUBMIT,
            json!({ "i": online("neighbour", &nancun) }),
        )
        .await;
    assert!(
        elsewhere["errors"].is_null(),
        "another address is not affected: {elsewhere}"
    );

    // A stranger guessing at a tracking number locks only himself out.
    let number = first["data"]["submitApplication"]["tracking"]["trackingNo"].clone();
    let code = first["data"]["submitApplication"]["queryCode"].clone();
    for _ in 0..5 {
        assert_error(
            &app.gql_from("192.0.2.66", TRACK, json!({ "n": number, "c": "WRONG234" }))
                .await,
            "NOT_FOUND",
        );
    }
    assert_error(
        &app.gql_from("192.0.2.66", TRACK, json!({ "n": number, "c": code }))
            .await,
        "RATE_LIMITED",
    );
    let applicant = app
        .gql_from("203.0.113.7", TRACK, json!({ "n": number, "c": code }))
        .await;
    assert_eq!(
        applicant["data"]["trackApplication"]["trackingNo"], number,
        "{applicant}"
    );
}

#[tokio::test]
async fn a_work_list_page_costs_a_constant_number_of_queries() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    let app = spawn_app_with(move |db| {
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        })
    })
    .await;
    let desk = Desk::new(&app).await;
    let page = "{ applications(first: 100, orderBy: DUE_ON_ASC) { totalCount edges { node {
        trackingNo dueOn organization { code } deadlineTrace { kind skipped { reason } } events { kind } } } } }";
    let mut counts = Vec::new();
    for (items, from) in [(1, 0), (20, 1)] {
        for n in from..items {
            desk.register(&app, &format!("q{n}"), "2025-11-03").await;
        }
        let before = queries.load(Ordering::SeqCst);
        let answer = app.gql(Some(&desk.clerk), page, json!({})).await;
        assert_eq!(
            answer["data"]["applications"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(items),
            "{answer}"
        );
        counts.push(queries.load(Ordering::SeqCst) - before);
    }
    assert_eq!(
        counts[0], counts[1],
        "queries for 1 and for 20 applications: {counts:?}"
    );
}

#[tokio::test]
async fn deadlines_beyond_the_announced_years_are_provisional() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "prov-1", "2025-12-15").await;
    let query = "query($id: ID!) { application(id: $id) { dueOn dueOnProvisional } }";
    let firm = app.gql(Some(&desk.clerk), query, json!({ "id": id })).await;
    let expected = json!({ "dueOn": "2026-01-13", "dueOnProvisional": false });
    assert_eq!(
        firm["data"]["application"], expected,
        "元旦 2026-01-01 rests"
    );

    // Without any 2026 entry the year counts as not announced: only weekends rest there.
    let admin = app.login(ADMIN).await;
    let year = app
        .gql(None, "{ workingCalendar(year: 2026) { date } }", json!({}))
        .await;
    let dates: Vec<Value> = year["data"]["workingCalendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].clone())
        .collect();
    let cleared = app
        .gql(
            Some(&admin),
            "mutation($d: [Date!]!) { clearCalendarDays(dates: $d) }",
            json!({ "d": dates }),
        )
        .await;
    assert!(cleared["errors"].is_null(), "{cleared}");
    let provisional = app.gql(Some(&desk.clerk), query, json!({ "id": id })).await;
    let expected = json!({ "dueOn": "2026-01-12", "dueOnProvisional": true });
    assert_eq!(
        provisional["data"]["application"], expected,
        "2026-01-01 now counts; the date may still move"
    );
}

#[tokio::test]
async fn today_is_the_servers_clock_and_moves_with_it() {
    // Monday 2026-03-02, 09:00 in China; March 2026 has no holiday.
    let app = spawn_app_at(instant("2026-03-02T09:00:00+08:00")).await;
    let nancun = app.org_id("PYNC").await;
    let submit = |key: &str| app.gql(None, SUBMIT, json!({ "i": online(key, &nancun) }));
    let first = submit("clock-1").await;
    let tracking = &first["data"]["submitApplication"]["tracking"];
    assert_eq!(tracking["receivedOn"], "2026-03-02", "{first}");
    assert_eq!(tracking["dueOn"], "2026-03-30");
    let number = tracking["trackingNo"].as_str().unwrap().to_owned();
    const STANDING: &str = "query($n: String) {
        open: applications(filter: { trackingNo: $n }) { edges { node { overdue workingDaysLeft } } }
        overdue: applications(filter: { overdue: true }) { totalCount } }";
    let standing = |token: String| {
        let number = number.clone();
        let app = &app;
        async move {
            let answer = app
                .gql(Some(&token), STANDING, json!({ "n": number }))
                .await;
            let node = &answer["data"]["open"]["edges"][0]["node"];
            (
                node["overdue"].clone(),
                node["workingDaysLeft"].clone(),
                answer["data"]["overdue"]["totalCount"].clone(),
            )
        }
    };
    let clerk = app.login(CLERK).await;
    assert_eq!(
        standing(clerk.clone()).await,
        (json!(false), json!(20), json!(0))
    );

    // The day after dueOn: overdue by one working day, in the list's SQL too.
    app.clock.set(instant("2026-03-31T09:00:00+08:00"));
    assert_error(
        &app.gql(Some(&clerk), "{ me { id } }", json!({})).await,
        "UNAUTHENTICATED",
    );
    let clerk = app.login(CLERK).await;
    assert_eq!(
        standing(clerk.clone()).await,
        (json!(true), json!(-1), json!(1))
    );

    // Four days on, Saturday 2026-04-04 (清明节): four working days late; a
    // submission is received on the server's day, rest day or not.
    app.clock.advance(chrono::TimeDelta::days(4));
    let clerk = app.login(CLERK).await;
    assert_eq!(standing(clerk).await, (json!(true), json!(-4), json!(1)));
    let later = submit("clock-2").await;
    assert_eq!(
        later["data"]["submitApplication"]["tracking"]["receivedOn"], "2026-04-04",
        "{later}"
    );
}

#[tokio::test]
async fn the_open_work_list_puts_running_clocks_first_and_pages_stably() {
    let app = spawn_app().await;
    let desk = Desk::new(&app).await;
    let closed = desk.register(&app, "o-closed", "2025-10-09").await;
    let closing = desk
        .step(
            &app,
            &desk.clerk,
            "closeApplication",
            "input: { outcome: DISCLOSED, closedOn: \"2025-10-20\", reply: \"予以公开\" }",
            json!({ "id": closed }),
        )
        .await;
    assert_eq!(closing["status"], "CLOSED", "{closing}");
    let paused = desk.register(&app, "o-paused", "2025-10-20").await;
    let fee = desk
        .step(
            &app,
            &desk.clerk,
            "requestFee",
            "on: \"2025-10-21\", amountYuan: 100",
            json!({ "id": paused }),
        )
        .await;
    assert_eq!(fee["clockRunning"], false, "{fee}");
    let early = desk.register(&app, "o-early", "2025-11-03").await; // due 2025-12-01
    let late = desk.register(&app, "o-late", "2025-12-01").await; // due 2025-12-29
    let tied = desk.register(&app, "o-tied", "2025-11-03").await; // due 2025-12-01, a later id

    let page = |open: Value, first: i32, after: Value| {
        let app = &app;
        let token = desk.clerk.clone();
        async move {
            let answer = app
                .gql(Some(&token), "query($f: ApplicationFilter, $first: Int, $after: String) { applications(filter: $f, orderBy: DUE_ON_ASC, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({ "f": { "open": open }, "first": first, "after": after }))
                .await;
            let listing = &answer["data"]["applications"];
            let ids: Vec<String> = listing["edges"]
                .as_array()
                .unwrap_or_else(|| panic!("{answer}"))
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
                .collect();
            (ids, listing.clone())
        }
    };
    let work_list = vec![early.clone(), tied.clone(), late.clone(), paused.clone()];
    let (ids, listing) = page(json!(true), 20, Value::Null).await;
    assert_eq!(
        ids, work_list,
        "running clocks by deadline, then paused ones"
    );
    assert_eq!(listing["totalCount"], 4);

    // Page by page, across the running/paused boundary, the same order.
    for size in [1, 2, 3] {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let (ids, listing) = page(json!(true), size, after).await;
            seen.extend(ids);
            if listing["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = listing["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, work_list, "pages of {size}");
    }

    let (ids, _) = page(json!(false), 20, Value::Null).await;
    assert_eq!(ids, vec![closed.clone()]);
    // Without the filter, DUE_ON_ASC is the plain order: the closed one's
    // old due date first.
    let (ids, listing) = page(Value::Null, 20, Value::Null).await;
    assert_eq!(ids.first(), Some(&closed), "{listing}");
    assert_eq!(listing["totalCount"], 5);
}

/// The README's work list, as written there, on the demo data.
#[tokio::test]
async fn the_readme_work_list_on_the_demo_shows_work() {
    let app = spawn_demo_app().await;
    let clerk = app.login(CLERK).await;
    let readme = include_str!("../../README.md");
    let query = readme
        .lines()
        .find(|line| line.contains("applications(filter: { open: true }"))
        .and_then(|line| line.split_once(r#"-d '{"query":""#))
        .and_then(|(_, rest)| rest.strip_suffix(r#""}'"#))
        .expect("the README shows the work list");
    let answer = app.gql(Some(&clerk), query, json!({})).await;
    let nodes = answer["data"]["applications"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"));
    assert!(!nodes.is_empty(), "{answer}");
    let running: Vec<bool> = nodes
        .iter()
        .map(|e| e["node"]["clockRunning"].as_bool().unwrap())
        .collect();
    assert!(running[0], "work first: {answer}");
    assert!(
        running.windows(2).all(|w| w[0] || !w[1]),
        "paused ones last: {answer}"
    );
    assert!(
        running.contains(&false),
        "the demo has paused ones: {answer}"
    );
    assert!(
        nodes.iter().all(|e| e["node"]["status"] != "CLOSED"),
        "{answer}"
    );
}
