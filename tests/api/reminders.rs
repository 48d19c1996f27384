//! Reminders (docs/DESIGN.md, "Reminders"): created by the event or the
//! sweep exactly once, on the clock the test moves, over the fixture's
//! 2026 Spring Festival (02-14 and 02-28 are 调休 Saturdays, 02-15 to
//! 02-23 rest).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::applications::Desk;
use crate::helpers::*;

const LIST: &str = "query($u: Boolean, $f: Int, $a: String) {
    notifications(unreadOnly: $u, first: $f, after: $a) {
        totalCount unreadCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id kind dueOn message createdAt readAt organization { code } application { trackingNo } } } } }";

/// The personal data of the applicant `Desk::register` files.
const PERSONAL: [&str; 5] = [
    "张三丰",
    "11010519491231002X",
    "13812345678",
    "zhang@example.cn",
    "兴业大道",
];

/// Nine in the morning, China time, of `day`.
fn morning(day: &str) -> chrono::DateTime<chrono::Utc> {
    instant(&format!("{day}T09:00:00+08:00"))
}

/// Signs in anew: tokens expire by the server's clock, which the tests move by days.
async fn list(app: &TestApp, who: (&str, &str)) -> Value {
    let token = app.login(who).await;
    let answer = app.gql(Some(&token), LIST, json!({ "f": 100 })).await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["notifications"].clone()
}

/// (kind, dueOn, message, day created), oldest first.
async fn reminders(app: &TestApp, who: (&str, &str)) -> Vec<(String, String, String, String)> {
    let listed = list(app, who).await;
    let mut rows: Vec<_> = listed["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["kind"].as_str().unwrap().to_owned(),
                n["dueOn"].as_str().unwrap_or("").to_owned(),
                n["message"].as_str().unwrap().to_owned(),
                n["createdAt"].as_str().unwrap()[..10].to_owned(),
            )
        })
        .collect();
    rows.reverse();
    rows
}

fn row(kind: &str, due: &str, message: &str, created: &str) -> (String, String, String, String) {
    (kind.into(), due.into(), message.into(), created.into())
}

#[tokio::test]
async fn the_reply_deadline_reminds_once_each_over_the_spring_festival() {
    // Received 2026-01-22, due 2026-02-26; 15 working days later is 02-12.
    let app = spawn_app_at(morning("2026-02-12")).await;
    let desk = Desk::new(&app).await;
    desk.register(&app, "r1", "2026-01-22").await;
    let received = reminders(&app, CLERK).await;
    assert_eq!(
        received,
        vec![row(
            "APPLICATION_RECEIVED",
            "2026-02-26",
            "收到新申请 PYNC-2026-00001，答复期限 2026-02-26。",
            "2026-02-12"
        )],
        "created with the application, before any sweep"
    );
    // Every day to 03-02, the sweep run three times a day.
    let mut today = morning("2026-02-12");
    while today <= morning("2026-03-02") {
        app.clock.set(today);
        for _ in 0..3 {
            app.sweep().await;
        }
        today += TimeDelta::days(1);
    }
    let n = "PYNC-2026-00001";
    assert_eq!(
        reminders(&app, CLERK).await,
        vec![
            row(
                "APPLICATION_RECEIVED",
                "2026-02-26",
                &format!("收到新申请 {n}，答复期限 2026-02-26。"),
                "2026-02-12"
            ),
            row(
                "DUE_SOON",
                "2026-02-26",
                &format!("申请 {n} 将于 2026-02-26 到期，剩 5 个工作日。"),
                "2026-02-12"
            ),
            // Three working days later: 02-13, 02-14 (Saturday, 调休), 02-24.
            row(
                "DUE_SOON",
                "2026-02-26",
                &format!("申请 {n} 将于 2026-02-26 到期，剩 2 个工作日。"),
                "2026-02-24"
            ),
            row(
                "DUE_TODAY",
                "2026-02-26",
                &format!("申请 {n} 今天（2026-02-26）到期。"),
                "2026-02-26"
            ),
            row(
                "OVERDUE",
                "2026-02-26",
                &format!("申请 {n} 已于 2026-02-26 到期，已逾期 1 个工作日。"),
                "2026-02-27"
            ),
        ]
    );
    let listed = list(&app, CLERK).await;
    assert_eq!(listed["edges"][0]["node"]["application"]["trackingNo"], n);
    assert_eq!(listed["edges"][0]["node"]["organization"]["code"], "PYNC");
    for edge in listed["edges"].as_array().unwrap() {
        let message = edge["node"]["message"].as_str().unwrap();
        for personal in PERSONAL {
            assert!(!message.contains(personal), "{message}");
        }
    }
}

const EXTEND: &str = "mutation($id: ID!, $on: Date!) { extendDeadline(id: $id, on: $on, reason: \"情况复杂\") { dueOn version } }";
const CLOSE: &str =
    "mutation($id: ID!, $v: Int!, $on: Date!) { closeApplication(id: $id, expectedVersion: $v,
    input: { outcome: DISCLOSED, closedOn: $on, reply: \"予以公开\" }) { status } }";
const VERSION: &str = "query($id: ID!) { application(id: $id) { dueOn version } }";

#[tokio::test]
async fn extensions_and_calendar_changes_move_the_reminders_and_closing_stops_them() {
    let app = spawn_app_at(morning("2026-02-24")).await;
    let desk = Desk::new(&app).await;
    let approver = app.login(APPROVER).await;
    let id = desk.register(&app, "r2", "2026-01-22").await;
    app.sweep().await;
    // 02-26 + 20 working days: 02-27, 02-28 (调休), 03-02 … 03-25.
    let extended = app
        .gql(
            Some(&approver),
            EXTEND,
            json!({ "id": id, "on": "2026-02-24" }),
        )
        .await;
    assert_eq!(
        extended["data"]["extendDeadline"]["dueOn"], "2026-03-25",
        "{extended}"
    );
    app.clock.set(morning("2026-02-26"));
    app.sweep().await;
    app.clock.set(morning("2026-03-18"));
    app.sweep().await;
    // A holiday on Monday 03-23 moves dueOn to 03-26; the sweep follows it.
    let admin = app.login(ADMIN).await;
    let clerk = app.login(CLERK).await;
    let set = app
        .gql(
            Some(&admin),
            "mutation($d: [CalendarDayInput!]!) { setCalendarDays(days: $d) { date } }",
            json!({ "d": [{ "date": "2026-03-23", "kind": "HOLIDAY", "note": "测试" }] }),
        )
        .await;
    assert!(set["errors"].is_null(), "{set}");
    let moved = app.gql(Some(&clerk), VERSION, json!({ "id": id })).await;
    assert_eq!(moved["data"]["application"]["dueOn"], "2026-03-26");
    app.sweep().await;
    app.clock.set(morning("2026-03-26"));
    app.sweep().await;
    let clerk = app.login(CLERK).await;
    let version = app.gql(Some(&clerk), VERSION, json!({ "id": id })).await["data"]["application"]
        ["version"]
        .clone();
    let closed = app
        .gql(
            Some(&clerk),
            CLOSE,
            json!({ "id": id, "v": version, "on": "2026-03-26" }),
        )
        .await;
    assert_eq!(
        closed["data"]["closeApplication"]["status"], "CLOSED",
        "{closed}"
    );
    for day in ["2026-03-27", "2026-03-30", "2026-04-10"] {
        app.clock.set(morning(day));
        app.sweep().await;
    }
    let all = reminders(&app, CLERK).await;
    // In the season of Art. 49 too: the town's 2025 report, once.
    let report: Vec<_> = all
        .iter()
        .filter(|r| r.0 == "ANNUAL_REPORT_DUE")
        .cloned()
        .collect();
    assert_eq!(
        report,
        vec![row(
            "ANNUAL_REPORT_DUE",
            "2026-03-31",
            "南村镇人民政府2025年政府信息公开工作年度报告应于 2026-03-31 前公布，剩 9 个工作日。",
            "2026-03-18"
        )]
    );
    let got: Vec<_> = all
        .into_iter()
        .filter(|r| r.0 != "ANNUAL_REPORT_DUE")
        .map(|(kind, due, message, created)| (kind, due, message.contains("剩 5 个"), created))
        .collect();
    let r = |kind: &str, due: &str, five: bool, created: &str| {
        (kind.to_owned(), due.to_owned(), five, created.to_owned())
    };
    assert_eq!(
        got,
        vec![
            r("APPLICATION_RECEIVED", "2026-02-26", false, "2026-02-24"),
            r("DUE_SOON", "2026-02-26", false, "2026-02-24"),
            // Nothing on 02-26: the deadline had moved.
            r("DUE_SOON", "2026-03-25", true, "2026-03-18"),
            r("DUE_SOON", "2026-03-26", true, "2026-03-18"),
            r("DUE_TODAY", "2026-03-26", false, "2026-03-26"),
            // Closed on its due day: no OVERDUE.
        ]
    );
}

#[tokio::test]
async fn a_server_down_for_days_catches_up_once() {
    let app = spawn_app_at(morning("2026-02-12")).await;
    let desk = Desk::new(&app).await;
    desk.register(&app, "r3", "2026-01-22").await;
    app.sweep().await;
    assert_eq!(reminders(&app, CLERK).await.len(), 2);
    // Down from 02-12 to 02-26 (DUE_SOON(2) of 02-24 lay in the gap): the
    // instance started then sweeps at start-up, and says what applies today.
    let restarted = spawn_instance(&app, morning("2026-02-26")).await;
    let mut waited = 0;
    while reminders(&restarted, CLERK).await.len() < 3 && waited < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    for _ in 0..5 {
        restarted.sweep().await;
    }
    let kinds: Vec<_> = reminders(&restarted, CLERK)
        .await
        .into_iter()
        .map(|r| (r.0, r.3))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("APPLICATION_RECEIVED".to_owned(), "2026-02-12".to_owned()),
            ("DUE_SOON".to_owned(), "2026-02-12".to_owned()),
            ("DUE_TODAY".to_owned(), "2026-02-26".to_owned()),
        ]
    );
}

#[tokio::test]
async fn who_sees_which_notifications_and_the_read_state_per_user() {
    let app = spawn_app_at(morning("2026-02-27")).await;
    let desk = Desk::new(&app).await;
    let oversight = app.login(OVERSIGHT).await;
    desk.register(&app, "r4", "2026-01-22").await;
    app.sweep().await;
    let clerk_view = list(&app, CLERK).await;
    assert_eq!(
        (
            clerk_view["totalCount"].clone(),
            clerk_view["unreadCount"].clone()
        ),
        (json!(2), json!(2))
    );
    // OVERSIGHT of the district: OVERDUE (and ANNUAL_REPORT_DUE) only.
    let oversight_view = list(&app, OVERSIGHT).await;
    assert_eq!(oversight_view["totalCount"], 1, "{oversight_view}");
    assert_eq!(oversight_view["edges"][0]["node"]["kind"], "OVERDUE");
    let ids: Vec<Value> = clerk_view["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    const MARK: &str = "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }";
    // What OVERSIGHT does not see it cannot mark: only the OVERDUE changes.
    let by_oversight = app.gql(Some(&oversight), MARK, json!({ "ids": ids })).await;
    assert_eq!(
        by_oversight["data"]["markNotificationsRead"], 1,
        "{by_oversight}"
    );
    let marked = app
        .gql(Some(&desk.clerk), MARK, json!({ "ids": ids }))
        .await;
    assert_eq!(marked["data"]["markNotificationsRead"], 2, "{marked}");
    let again = app
        .gql(Some(&desk.clerk), MARK, json!({ "ids": ids }))
        .await;
    assert_eq!(again["data"]["markNotificationsRead"], 0);
    let read = list(&app, CLERK).await;
    assert_eq!(read["unreadCount"], 0);
    assert!(read["edges"][0]["node"]["readAt"].is_string());
    let unread_only = app.gql(Some(&desk.clerk), LIST, json!({ "u": true })).await;
    assert_eq!(unread_only["data"]["notifications"]["totalCount"], 0);
    // Pages, newest first.
    let first = app.gql(Some(&desk.clerk), LIST, json!({ "f": 1 })).await;
    let page = &first["data"]["notifications"];
    assert_eq!(page["edges"][0]["node"]["kind"], "OVERDUE");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = app
        .gql(
            Some(&desk.clerk),
            LIST,
            json!({ "f": 1, "a": page["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(
        next["data"]["notifications"]["edges"][0]["node"]["kind"],
        "APPLICATION_RECEIVED"
    );
    // The public hears nothing.
    assert_error(&app.gql(None, LIST, json!({})).await, "UNAUTHENTICATED");
    assert_error(
        &app.gql(Some(&desk.clerk), LIST, json!({ "f": 101 })).await,
        "BAD_USER_INPUT",
    );
}

const THRESHOLDS: &str = "mutation($o: ID!, $d: [Int!]!) { setReminderThresholds(organizationId: $o, days: $d) { code reminderThresholds } }";

#[tokio::test]
async fn an_organisation_sets_its_thresholds() {
    let app = spawn_app_at(morning("2026-02-13")).await;
    let desk = Desk::new(&app).await;
    let org_admin = app.login(ORG_ADMIN).await;
    let nancun = app.org_id("PYNC").await;
    let default = app
        .gql(
            None,
            "query($c: String) { organization(code: $c) { reminderThresholds } }",
            json!({ "c": "PYNC" }),
        )
        .await;
    assert_eq!(
        default["data"]["organization"]["reminderThresholds"],
        json!([5, 2])
    );
    desk.register(&app, "r5", "2026-01-22").await;
    assert_error(
        &app.gql(
            Some(&desk.clerk),
            THRESHOLDS,
            json!({ "o": nancun, "d": [10, 3] }),
        )
        .await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(
            Some(&org_admin),
            THRESHOLDS,
            json!({ "o": nancun, "d": [0] }),
        )
        .await,
        "BAD_USER_INPUT",
    );
    let set = app
        .gql(
            Some(&org_admin),
            THRESHOLDS,
            json!({ "o": nancun, "d": [3, 10] }),
        )
        .await;
    assert_eq!(
        set["data"]["setReminderThresholds"]["reminderThresholds"],
        json!([10, 3]),
        "{set}"
    );
    // 02-13: 4 working days left, within 10; 02-14 (调休): 3 left.
    app.sweep().await;
    app.clock.set(morning("2026-02-14"));
    app.sweep().await;
    let messages: Vec<_> = reminders(&app, CLERK)
        .await
        .into_iter()
        .map(|r| r.2)
        .collect();
    assert_eq!(
        messages[1..],
        [
            "申请 PYNC-2026-00001 将于 2026-02-26 到期，剩 4 个工作日。",
            "申请 PYNC-2026-00001 将于 2026-02-26 到期，剩 3 个工作日。",
        ]
    );
}

/// A sweep when nothing is due reads an empty index range: the same
/// statements with 1 application as with 40.
#[tokio::test]
async fn an_idle_sweep_costs_the_same_statements_however_many_applications() {
    // 02-04: no annual report is in season.
    let app = spawn_app_at(morning("2026-02-04")).await;
    let desk = Desk::new(&app).await;
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    let mut db = gongkai::startup::open_database(&app.database_url)
        .await
        .expect("the database opens");
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let now = app.clock.now();
    let mut counts = Vec::new();
    for (from, to) in [(0, 1), (1, 40)] {
        for n in from..to {
            desk.register(&app, &format!("idle{n}"), "2026-02-03").await;
        }
        let busy = gongkai::service::reminders::sweep(&db, now).await.unwrap();
        assert_eq!(busy.applications, to - from);
        let before = statements.load(Ordering::SeqCst);
        let idle = gongkai::service::reminders::sweep(&db, now).await.unwrap();
        assert_eq!(idle.applications, 0);
        assert!(idle.created.is_empty());
        counts.push(statements.load(Ordering::SeqCst) - before);
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
    assert!(counts[0] <= 5, "{counts:?}");
}

/// Two instances on one database, sweeping at the same moments and both
/// running a webhook worker: each reminder exists once, each delivery is
/// made once.
#[tokio::test]
async fn two_instances_make_each_reminder_and_each_delivery_once() {
    let a = spawn_app_with_private_webhooks(morning("2026-02-27")).await;
    let b = spawn_instance(&a, morning("2026-02-27")).await;
    let received = Arc::new(AtomicUsize::new(0));
    let count = received.clone();
    let endpoint = poem::endpoint::make(move |_req: poem::Request| {
        let count = count.clone();
        async move {
            count.fetch_add(1, Ordering::SeqCst);
            "ok"
        }
    });
    use poem::listener::{Acceptor, Listener};
    let acceptor = poem::listener::TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let receiver = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(endpoint));
    let org_admin = a.login(ORG_ADMIN).await;
    let nancun = a.org_id("PYNC").await;
    let created = a
        .gql(
            Some(&org_admin),
            "mutation($i: WebhookInput!) { createWebhook(input: $i) { secret } }",
            json!({ "i": { "organizationId": nancun, "url": format!("http://{receiver}/hook"), "format": "WECOM" } }),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let desk = Desk::new(&a).await;
    for n in 0..12 {
        desk.register(&a, &format!("two{n}"), "2026-01-22").await;
    }
    for _ in 0..3 {
        let (on_a, on_b) = tokio::join!(a.sweep(), b.sweep());
        assert!(on_a.created.iter().all(|id| !on_b.created.contains(id)));
    }
    let listed = list(&b, CLERK).await;
    // 12 received and 12 overdue, each once.
    assert_eq!(listed["totalCount"], 24, "{listed}");
    let started = std::time::Instant::now();
    while received.load(Ordering::SeqCst) < 24
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(received.load(Ordering::SeqCst), 24, "each delivery once");
}

/// `serve --demo` yields reminders at start: due soon, overdue, a draft
/// nearing its publication deadline.
#[tokio::test]
async fn the_demo_yields_reminders() {
    let app = spawn_demo_app().await;
    app.sweep().await;
    let admin = app.login(ADMIN).await;
    let answer = app.gql(Some(&admin), LIST, json!({ "f": 100 })).await;
    let kinds: std::collections::BTreeSet<String> = answer["data"]["notifications"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect();
    for kind in ["DUE_SOON", "OVERDUE", "PUBLICATION_DUE_SOON"] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
    // The demo applicants' names, ID numbers and phones appear in no message.
    let people = app
        .gql(
            Some(&admin),
            "{ applications(first: 100) { edges { node { applicantName idNumber phone email } } } }",
            json!({}),
        )
        .await;
    let mut personal: Vec<String> = Vec::new();
    for edge in people["data"]["applications"]["edges"].as_array().unwrap() {
        for field in ["applicantName", "idNumber", "phone", "email"] {
            if let Some(value) = edge["node"][field].as_str() {
                personal.push(value.to_owned());
            }
        }
    }
    assert!(personal.len() > 10, "{people}");
    for edge in answer["data"]["notifications"]["edges"].as_array().unwrap() {
        let message = edge["node"]["message"].as_str().unwrap();
        for value in &personal {
            assert!(
                !message.contains(value.as_str()),
                "{message} contains {value}"
            );
        }
    }
}
