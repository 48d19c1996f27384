//! Webhooks with real receivers on loopback ports: retried with backoff,
//! given up after 24 h, signed, in each robot's format, and kept off
//! private addresses unless the server allows them.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use hmac::{Hmac, Mac};
use poem::listener::{Acceptor, Listener};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::applications::Desk;
use crate::helpers::*;

#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: String,
}

/// An HTTP receiver on a loopback port that answers the given statuses in
/// turn (then 200); `/redirect` answers 302 to `redirect_to`.
struct Receiver {
    address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(statuses: Vec<u16>, redirect_to: Option<String>) -> Receiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let script = Arc::new(Mutex::new(statuses.into_iter()));
        let endpoint = poem::endpoint::make(move |mut req: poem::Request| {
            let log = log.clone();
            let script = script.clone();
            let redirect_to = redirect_to.clone();
            async move {
                let body = req.take_body().into_string().await.unwrap_or_default();
                let headers = req
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                    .collect();
                let path = req.uri().path().to_owned();
                log.lock().unwrap().push(Received {
                    path: path.clone(),
                    headers,
                    body,
                });
                if path == "/redirect" {
                    return poem::Response::builder()
                        .status(poem::http::StatusCode::FOUND)
                        .header("location", redirect_to.unwrap_or_default())
                        .finish();
                }
                let status = script.lock().unwrap().next().unwrap_or(200);
                poem::Response::builder()
                    .status(poem::http::StatusCode::from_u16(status).unwrap())
                    .body("{\"errcode\":0}")
            }
        });
        let acceptor = poem::listener::TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let address = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(endpoint));
        Receiver { address, received }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    fn all(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) {
        let started = Instant::now();
        while self.count() < n {
            assert!(
                started.elapsed() < Duration::from_secs(8),
                "{} of {n} requests",
                self.count()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A receiver that accepts connections and never answers.
async fn dead_receiver() -> (SocketAddr, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(Mutex::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            *count.lock().unwrap() += 1;
            held.push(socket);
        }
    });
    (address, accepted)
}

const CREATE: &str = "mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id url format kinds organization { code } } } }";
const DELIVERIES: &str = "query { webhooks { id format deliveries(first: 10) { attempts lastStatus delivered lastAttemptAt nextAttemptAt notification { kind } } } }";

fn morning(day: &str) -> chrono::DateTime<chrono::Utc> {
    instant(&format!("{day}T09:00:00+08:00"))
}

async fn create(app: &TestApp, url: &str, format: &str, kinds: Value) -> Value {
    let org_admin = app.login(ORG_ADMIN).await;
    let nancun = app.org_id("PYNC").await;
    app.gql(
        Some(&org_admin),
        CREATE,
        json!({ "i": { "organizationId": nancun, "url": url, "format": format, "kinds": kinds } }),
    )
    .await
}

async fn deliveries(app: &TestApp) -> Value {
    let org_admin = app.login(ORG_ADMIN).await;
    let answer = app.gql(Some(&org_admin), DELIVERIES, json!({})).await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["webhooks"].clone()
}

/// Waits until the first webhook's latest delivery satisfies `done`.
async fn wait_delivery(app: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let hooks = deliveries(app).await;
        let latest = hooks[0]["deliveries"][0].clone();
        if done(&latest) {
            return latest;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{latest}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What a receiver does with the signed JSON: recompute the HMAC.
fn signature_verifies(secret: &str, request: &Received) -> bool {
    let timestamp = &request.headers["x-gongkai-timestamp"];
    let signature = &request.headers["x-gongkai-signature"];
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", request.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    signature == &format!("sha256={expected}")
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_until_it_succeeds() {
    let app = spawn_app_with_private_webhooks(morning("2026-02-12")).await;
    let receiver = Receiver::start(vec![500, 500], None).await;
    let created = create(&app, &receiver.url("/hook"), "JSON", json!([])).await;
    let secret = created["data"]["createWebhook"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    assert!(secret.len() >= 32);
    // Shown once: the webhook itself has no secret field to ask for.
    let desk = Desk::new(&app).await;
    desk.register(&app, "w1", "2026-02-11").await;
    receiver.wait_for(1).await;
    let first = wait_delivery(&app, |d| d["attempts"] == 1).await;
    assert_eq!(
        (first["lastStatus"].clone(), first["delivered"].clone()),
        (json!(500), json!(false))
    );
    assert!(first["nextAttemptAt"].is_string(), "{first}");
    // Not before the backoff (about 30 s) has passed.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.count(), 1, "waits for the backoff");
    app.clock.advance(TimeDelta::seconds(40));
    receiver.wait_for(2).await;
    wait_delivery(&app, |d| d["attempts"] == 2).await;
    app.clock.advance(TimeDelta::seconds(80));
    receiver.wait_for(3).await;
    let done = wait_delivery(&app, |d| d["delivered"] == true).await;
    assert_eq!(
        (
            done["attempts"].clone(),
            done["lastStatus"].clone(),
            done["nextAttemptAt"].clone()
        ),
        (json!(3), json!(200), Value::Null)
    );
    assert_eq!(done["notification"]["kind"], "APPLICATION_RECEIVED");
    for request in receiver.all() {
        assert!(signature_verifies(&secret, &request), "{request:?}");
        let body: Value = serde_json::from_str(&request.body).unwrap();
        assert_eq!(body["kind"], "APPLICATION_RECEIVED");
        assert_eq!(body["organizationCode"], "PYNC");
        assert_eq!(body["trackingNo"], "PYNC-2026-00001");
        assert_eq!(body["dueOn"], "2026-03-17");
        for personal in [
            "张三丰",
            "11010519491231002X",
            "13812345678",
            "zhang@example.cn",
            "兴业大道",
        ] {
            assert!(!request.body.contains(personal), "{}", request.body);
        }
    }
    // A tampered body does not verify.
    let mut forged = receiver.all()[0].clone();
    forged.body = forged.body.replace("PYNC-2026-00001", "PYNC-2026-00002");
    assert!(!signature_verifies(&secret, &forged));
    // Sent once: no more requests after delivery.
    app.clock.advance(TimeDelta::hours(2));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.count(), 3);
}

#[tokio::test]
async fn a_dead_receiver_is_given_up_after_a_day_and_never_holds_up_a_request() {
    let app = spawn_app_with_private_webhooks(morning("2026-02-12")).await;
    let (dead, accepted) = dead_receiver().await;
    let created = create(&app, &format!("http://{dead}/robot"), "WECOM", json!([])).await;
    assert!(created["errors"].is_null(), "{created}");
    let desk = Desk::new(&app).await;
    desk.register(&app, "w2", "2026-02-11").await;
    // While the delivery hangs, requests answer at once.
    let started = Instant::now();
    while *accepted.lock().unwrap() == 0 {
        assert!(started.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let asked = Instant::now();
    desk.register(&app, "w3", "2026-02-11").await;
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    // The 5 s timeout: no status.
    let first = wait_delivery(&app, |d| d["attempts"].as_i64() >= Some(1)).await;
    assert_eq!(first["lastStatus"], Value::Null);
    assert_eq!(first["delivered"], false);
    // A day later it is given up: nothing more is due.
    app.clock.advance(TimeDelta::hours(25));
    let gone = wait_delivery(&app, |d| d["nextAttemptAt"].is_null()).await;
    assert_eq!(gone["delivered"], false);
    let hooks = deliveries(&app).await;
    for delivery in hooks[0]["deliveries"].as_array().unwrap() {
        assert_eq!(delivery["delivered"], false);
    }
}

#[tokio::test]
async fn robot_bodies_kinds_and_management() {
    let app = spawn_app_with_private_webhooks(morning("2026-02-12")).await;
    let receiver = Receiver::start(vec![], None).await;
    for (path, format) in [
        ("/wecom", "WECOM"),
        ("/dingtalk", "DINGTALK"),
        ("/feishu", "FEISHU"),
    ] {
        let created = create(&app, &receiver.url(path), format, json!([])).await;
        assert_eq!(
            created["data"]["createWebhook"]["webhook"]["format"], format,
            "{created}"
        );
    }
    let overdue_only = create(&app, &receiver.url("/overdue"), "JSON", json!(["OVERDUE"])).await;
    assert_eq!(
        overdue_only["data"]["createWebhook"]["webhook"]["kinds"],
        json!(["OVERDUE"])
    );
    let desk = Desk::new(&app).await;
    desk.register(&app, "w4", "2026-02-11").await;
    receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let by_path: HashMap<String, Value> = receiver
        .all()
        .into_iter()
        .map(|r| (r.path.clone(), serde_json::from_str(&r.body).unwrap()))
        .collect();
    assert_eq!(
        by_path.len(),
        3,
        "the OVERDUE-only webhook heard nothing: {by_path:?}"
    );
    let text = "【南村镇人民政府】收到新申请 PYNC-2026-00001，答复期限 2026-03-17。";
    assert_eq!(
        by_path["/wecom"],
        json!({ "msgtype": "text", "text": { "content": text } })
    );
    assert_eq!(
        by_path["/dingtalk"],
        json!({ "msgtype": "text", "text": { "content": text } })
    );
    assert_eq!(
        by_path["/feishu"],
        json!({ "msg_type": "text", "content": { "text": text } })
    );
    // Listing and deleting: ORG_ADMIN of the organisation; a clerk may not.
    let clerk = app.login(CLERK).await;
    assert_error(
        &app.gql(Some(&clerk), "{ webhooks { id } }", json!({}))
            .await,
        "FORBIDDEN",
    );
    let admin = app.login(ADMIN).await;
    let all = app
        .gql(Some(&admin), "{ webhooks { id url } }", json!({}))
        .await;
    assert_eq!(
        all["data"]["webhooks"].as_array().map(Vec::len),
        Some(4),
        "{all}"
    );
    let id = overdue_only["data"]["createWebhook"]["webhook"]["id"].clone();
    const DELETE: &str = "mutation($id: ID!) { deleteWebhook(id: $id) }";
    assert_error(
        &app.gql(Some(&clerk), DELETE, json!({ "id": id })).await,
        "NOT_FOUND",
    );
    let org_admin = app.login(ORG_ADMIN).await;
    let deleted = app.gql(Some(&org_admin), DELETE, json!({ "id": id })).await;
    assert_eq!(deleted["data"]["deleteWebhook"], true, "{deleted}");
    let left = app
        .gql(Some(&org_admin), "{ webhooks { id } }", json!({}))
        .await;
    assert_eq!(left["data"]["webhooks"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn private_addresses_are_refused_without_the_flag() {
    let app = spawn_app().await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "http://[::1]:9/",
        "ftp://example.cn/hook",
    ] {
        let answer = create(&app, url, "JSON", json!([])).await;
        assert_error(&answer, "BAD_USER_INPUT");
        assert_eq!(answer["errors"][0]["extensions"]["field"], "url", "{url}");
    }
    let clerk = app.login(CLERK).await;
    let nancun = app.org_id("PYNC").await;
    let by_clerk = app
        .gql(
            Some(&clerk),
            CREATE,
            json!({ "i": { "organizationId": nancun, "url": "https://example.cn/hook", "format": "JSON" } }),
        )
        .await;
    assert_error(&by_clerk, "FORBIDDEN");
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let app = spawn_app_with_private_webhooks(morning("2026-02-12")).await;
    let target = Receiver::start(vec![], None).await;
    let redirecting = Receiver::start(vec![], Some(target.url("/metadata"))).await;
    create(&app, &redirecting.url("/redirect"), "JSON", json!([])).await;
    let desk = Desk::new(&app).await;
    desk.register(&app, "w5", "2026-02-11").await;
    redirecting.wait_for(1).await;
    let first = wait_delivery(&app, |d| d["attempts"] == 1).await;
    assert_eq!(
        (first["lastStatus"].clone(), first["delivered"].clone()),
        (json!(302), json!(false))
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(target.count(), 0, "the redirect's target was never asked");
}
