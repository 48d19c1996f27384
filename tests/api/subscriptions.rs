//! The `notifications` subscription over graphql-transport-ws at
//! `GET /graphql/ws`, with a real WebSocket client.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::*;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const SUBMIT: &str = "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { trackingNo } tracking { trackingNo } } }";

fn online(key: &str, org: &str) -> Value {
    json!({ "clientRequestId": key, "organizationId": org, "applicantType": "NATURAL_PERSON",
            "applicantName": "张三丰", "idNumber": "11010519491231002X", "phone": "13812345678",
            "email": "zhang@example.cn", "address": "广州市番禺区南村镇兴业大道123号",
            "description": "请公开南村镇2025年部门预算。" })
}

/// Opens a socket and sends `connection_init` with this payload.
async fn open(app: &TestApp, payload: Value) -> Socket {
    let mut request = format!("ws://{}/graphql/ws", app.address)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade succeeds");
    let init = json!({ "type": "connection_init", "payload": payload });
    socket.send(Message::text(init.to_string())).await.unwrap();
    socket
}

/// The next protocol message (answering pings), or None once closed;
/// panics after `within`.
async fn next(socket: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("a message in time");
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] == "ping" {
                    let pong = json!({ "type": "pong" }).to_string();
                    socket.send(Message::text(pong)).await.unwrap();
                    continue;
                }
                return Some(value);
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => continue,
        }
    }
}

/// Signed in and subscribed to `notifications`.
async fn subscribe(app: &TestApp, who: (&str, &str)) -> Socket {
    let token = app.login(who).await;
    let mut socket = open(app, json!({ "authorization": format!("Bearer {token}") })).await;
    let ack = next(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(
        ack.map(|a| a["type"].clone()),
        Some(json!("connection_ack"))
    );
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription { notifications { kind message dueOn organization { code } application { trackingNo } } }" } });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .unwrap();
    // The subscription is registered with the hub when its stream starts.
    let mut waited = 0;
    while app.services.live.subscriber_count() == 0 && waited < 100 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += 1;
    }
    socket
}

#[tokio::test]
async fn a_connection_without_a_valid_token_is_refused() {
    let app = spawn_app().await;
    for payload in [json!({}), json!({ "authorization": "Bearer not-a-token" })] {
        let mut socket = open(&app, payload.clone()).await;
        let answer = next(&mut socket, Duration::from_secs(5)).await;
        assert_eq!(answer, None, "closed without connection_ack: {payload}");
    }
}

#[tokio::test]
async fn a_subscriber_hears_of_an_online_submission_within_two_seconds() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let mut clerk = subscribe(&app, CLERK).await;
    let mut oversight = subscribe(&app, OVERSIGHT).await;
    let started = Instant::now();
    let submitted = app
        .gql(None, SUBMIT, json!({ "i": online("live-1", &nancun) }))
        .await;
    let tracking_no = submitted["data"]["submitApplication"]["tracking"]["trackingNo"]
        .as_str()
        .unwrap_or_else(|| panic!("{submitted}"))
        .to_owned();
    let heard = next(&mut clerk, Duration::from_secs(2))
        .await
        .expect("a notification");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(heard["type"], "next", "{heard}");
    let notification = &heard["payload"]["data"]["notifications"];
    assert_eq!(notification["kind"], "APPLICATION_RECEIVED");
    assert_eq!(notification["organization"]["code"], "PYNC");
    assert_eq!(
        notification["application"]["trackingNo"],
        tracking_no.as_str()
    );
    let message = notification["message"].as_str().unwrap();
    assert!(message.contains(&tracking_no), "{message}");
    assert!(!message.contains("张三丰") && !message.contains("13812345678"));
    // OVERSIGHT hears of OVERDUE and ANNUAL_REPORT_DUE only.
    let nothing = tokio::time::timeout(
        Duration::from_millis(1500),
        next(&mut oversight, Duration::from_secs(5)),
    )
    .await;
    assert!(nothing.is_err(), "oversight heard {nothing:?}");
}

#[tokio::test]
async fn a_deactivated_users_subscription_ends() {
    let app = spawn_app().await;
    let clerk_id = app
        .gql(Some(&app.login(CLERK).await), "{ me { id } }", json!({}))
        .await["data"]["me"]["id"]
        .clone();
    let mut socket = subscribe(&app, CLERK).await;
    let admin = app.login(ADMIN).await;
    let deactivated = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { deactivateUser(id: $id) { id } }",
            json!({ "id": clerk_id }),
        )
        .await;
    assert!(deactivated["errors"].is_null(), "{deactivated}");
    let end = next(&mut socket, Duration::from_secs(3)).await;
    assert_eq!(end.map(|e| e["type"].clone()), Some(json!("complete")));
}

/// Instance A creates, a subscriber on instance B of the same database hears.
#[tokio::test]
async fn a_subscriber_on_another_instance_hears_what_this_one_created() {
    let a = spawn_app().await;
    let b = spawn_instance(&a, a.clock.now()).await;
    let nancun = a.org_id("PYNC").await;
    let mut on_b = subscribe(&b, CLERK).await;
    let started = Instant::now();
    a.gql(None, SUBMIT, json!({ "i": online("live-2", &nancun) }))
        .await;
    let heard = next(&mut on_b, Duration::from_secs(2))
        .await
        .expect("a notification");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        heard["payload"]["data"]["notifications"]["kind"],
        "APPLICATION_RECEIVED"
    );
}

/// The resident memory of this process, in KiB (Linux).
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// BENCHMARKS.md: 1,000 subscribers on one instance — the memory they
/// take and the delay of one notification to the last of them. Run with
/// `cargo test --release --test api thousand_subscribers -- --ignored --nocapture`
/// (bench/reminders.sh does); the figures include the test's own clients.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check: bench/reminders.sh runs it"]
async fn thousand_subscribers() {
    let subscribers: usize = std::env::var("GONGKAI_BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let token = app.login(CLERK).await;
    let before = resident_kib();
    let mut sockets = Vec::with_capacity(subscribers);
    for _ in 0..subscribers {
        let mut socket = open(&app, json!({ "authorization": format!("Bearer {token}") })).await;
        next(&mut socket, Duration::from_secs(10))
            .await
            .expect("connection_ack");
        let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription { notifications { kind message } }" } });
        socket
            .send(Message::text(subscribe.to_string()))
            .await
            .unwrap();
        sockets.push(socket);
    }
    while app.services.live.subscriber_count() < subscribers {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let subscribed = resident_kib();
    let started = Instant::now();
    app.gql(None, SUBMIT, json!({ "i": online("bench-1", &nancun) }))
        .await;
    let mut waiting: Vec<_> = sockets
        .into_iter()
        .map(|mut socket| {
            tokio::spawn(async move {
                let heard = next(&mut socket, Duration::from_secs(30)).await;
                (heard.map(|h| h["type"] == "next"), Instant::now(), socket)
            })
        })
        .collect();
    let mut last = started;
    let mut heard = 0;
    for task in waiting.drain(..) {
        let (got, at, _socket) = task.await.unwrap();
        if got == Some(true) {
            heard += 1;
            last = last.max(at);
        }
    }
    println!(
        "subscribers: {subscribers}; heard: {heard}; memory before {} MiB, subscribed {} MiB (+{:.1} KiB each, clients included); delay to the last: {} ms",
        before / 1024,
        subscribed / 1024,
        (subscribed.saturating_sub(before)) as f64 / subscribers as f64,
        (last - started).as_millis()
    );
    assert_eq!(heard, subscribers);
}
