//! Webhooks of an organisation (ORG_ADMIN of it, ADMIN) and the delivery
//! worker every instance runs.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use rand::{Rng, RngCore};
use sea_orm::DatabaseConnection;

use crate::domain::calendar::china_standard_time;
use crate::domain::policy::{Caller, Operation};
use crate::domain::reminder::NotificationKind;
use crate::domain::webhook::{self, Payload, WebhookFormat};
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::access::{self, Concerning};
use crate::store;
use crate::store::webhooks::{Attempt, Claimed, Delivery, NewWebhook, Webhook};

/// Deliveries claimed per round; each is sent on its own task.
const CLAIM: u64 = 20;
/// How long a claimed delivery is held while its POST runs.
const LEASE: TimeDelta = TimeDelta::seconds(60);
/// How often the worker looks for due deliveries.
pub const WORKER_INTERVAL: Duration = Duration::from_millis(500);
/// POSTs in flight at once on one instance.
const IN_FLIGHT: usize = 32;

pub struct NewWebhookRequest {
    pub organization_id: i64,
    pub url: String,
    pub format: WebhookFormat,
    pub kinds: Vec<NotificationKind>,
}

/// Creates a webhook; answers it with its signing secret, shown this once.
pub async fn create(
    services: &Services,
    caller: &Caller,
    request: NewWebhookRequest,
    now: DateTime<Utc>,
) -> AppResult<(Webhook, String)> {
    let db = &services.db;
    access::organization(
        db,
        caller,
        Operation::ManageReminders,
        request.organization_id,
        Concerning::Itself,
    )
    .await?;
    let target = webhook::check_url(request.url.trim())?;
    if !services.allow_private_webhooks {
        check_public(&target).await?;
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let secret = URL_SAFE_NO_PAD.encode(key);
    let new = NewWebhook {
        organization_id: request.organization_id,
        url: request.url.trim().to_owned(),
        format: request.format,
        kinds: webhook::kinds_to_stored(&request.kinds),
        secret: secret.clone(),
    };
    Ok((store::webhooks::create(db, new, now).await?, secret))
}

/// Refuses a host that resolves to an address off the public internet
/// (SSRF: loopback, private, link-local and metadata addresses).
async fn check_public(target: &webhook::Target) -> AppResult<()> {
    let refuse = || AppError::bad_input("url", "该地址指向内网或本机，服务器未允许");
    let addresses: Vec<IpAddr> = match target.host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((target.host.as_str(), target.port))
            .await
            .map_err(|_| AppError::bad_input("url", "无法解析该地址的主机名"))?
            .map(|a| a.ip())
            .collect(),
    };
    if addresses.is_empty() || !addresses.into_iter().all(webhook::is_public) {
        return Err(refuse());
    }
    Ok(())
}

/// The webhooks of an organisation (ORG_ADMIN of it, ADMIN), or without
/// one: every webhook for whoever manages the deployment, the caller's own
/// organisation's for the others.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    organization_id: Option<i64>,
) -> AppResult<Vec<Webhook>> {
    let organization_id = match organization_id {
        Some(id) => Some(id),
        None if access::deployment(caller, Operation::ManageOrganizations).is_ok() => None,
        None => Some(
            caller
                .actor()
                .map(|a| a.organization_id)
                .ok_or(AppError::Unauthenticated)?,
        ),
    };
    if let Some(id) = organization_id {
        access::organization(
            db,
            caller,
            Operation::ManageReminders,
            id,
            Concerning::Itself,
        )
        .await?;
    }
    store::webhooks::list(db, organization_id).await
}

async fn permitted(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<Webhook> {
    let found = store::webhooks::find(db, id)
        .await?
        .ok_or(AppError::NotFound("Webhook"))?;
    access::organization(
        db,
        caller,
        Operation::ManageReminders,
        found.organization_id,
        Concerning::Itself,
    )
    .await
    .map_err(|err| match err {
        AppError::Forbidden => AppError::NotFound("Webhook"),
        other => other,
    })?;
    Ok(found)
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<bool> {
    permitted(db, caller, id).await?;
    store::webhooks::delete(db, id).await
}

/// A webhook's deliveries, most recent first (its reader was allowed the webhook).
pub async fn deliveries(
    db: &DatabaseConnection,
    webhook_id: i64,
    first: u64,
) -> AppResult<Vec<Delivery>> {
    store::webhooks::deliveries(db, webhook_id, first).await
}

/// The delivery worker: claims due deliveries and sends each on its own
/// task, so that a dead receiver (5 s timeout) delays neither a request
/// nor another receiver.
pub async fn run_worker(services: Services) {
    let client = match reqwest::Client::builder()
        .timeout(webhook::DELIVERY_TIMEOUT)
        .connect_timeout(webhook::DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "the webhook client cannot be built");
            return;
        }
    };
    let in_flight = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut ticks = tokio::time::interval(WORKER_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let free = in_flight.available_permits() as u64;
        if free == 0 {
            continue;
        }
        let now = services.clock.now();
        let claimed =
            match store::webhooks::claim(&services.db, now, now + LEASE, CLAIM.min(free)).await {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::error!(error = %err, "claiming webhook deliveries failed");
                    continue;
                }
            };
        for delivery in claimed {
            let Ok(permit) = in_flight.clone().acquire_owned().await else {
                return;
            };
            let services = services.clone();
            let client = client.clone();
            tokio::spawn(async move {
                let id = delivery.id;
                if let Err(err) = deliver(&services, &client, delivery).await {
                    tracing::error!(error = %err, delivery = id, "recording a webhook delivery failed");
                }
                drop(permit);
            });
        }
    }
}

async fn deliver(
    services: &Services,
    client: &reqwest::Client,
    delivery: Claimed,
) -> AppResult<()> {
    let now = services.clock.now();
    if now - delivery.created_at >= webhook::RETRY_WINDOW {
        let gave_up = Attempt {
            status: None,
            delivered: false,
            given_up: true,
            next_attempt_at: None,
            attempted: false,
        };
        tracing::warn!(
            delivery = delivery.id,
            "webhook delivery given up after 24 h"
        );
        crate::telemetry::webhook_delivery("given_up");
        return store::webhooks::record(&services.db, delivery.id, gave_up, now).await;
    }
    let status = send(services, client, &delivery).await;
    let delivered = status.is_some_and(|s| (200..300).contains(&s));
    crate::telemetry::webhook_delivery(match status {
        _ if delivered => "delivered",
        Some(_) => "refused",
        None => "unanswered",
    });
    let attempts = delivery.attempts + 1;
    let next = (!delivered).then(|| {
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        now + webhook::backoff(attempts, jitter)
    });
    let attempt = Attempt {
        status,
        delivered,
        given_up: false,
        next_attempt_at: next,
        attempted: true,
    };
    store::webhooks::record(&services.db, delivery.id, attempt, now).await
}

/// POSTs the body; the HTTP status, or None when no answer came.
async fn send(services: &Services, client: &reqwest::Client, delivery: &Claimed) -> Option<u16> {
    if !services.allow_private_webhooks {
        // Checked again at delivery: the name may resolve elsewhere now.
        let target = webhook::check_url(&delivery.url).ok()?;
        if check_public(&target).await.is_err() {
            tracing::warn!(
                delivery = delivery.id,
                "webhook address is not public; not sent"
            );
            return None;
        }
    }
    let created_at = delivery
        .notification_created_at
        .with_timezone(&china_standard_time())
        .to_rfc3339();
    let payload = Payload {
        kind: delivery.kind,
        organization_code: &delivery.organization_code,
        organization_name: &delivery.organization_name,
        tracking_no: delivery.tracking_no.as_deref(),
        due_on: delivery.due_on,
        message: &delivery.message,
        created_at: &created_at,
    };
    let body = webhook::body(delivery.format, &payload);
    let mut request = client
        .post(&delivery.url)
        .header("content-type", "application/json; charset=utf-8");
    if delivery.format == WebhookFormat::Json {
        let timestamp = services.clock.now().timestamp();
        request = request
            .header("x-gongkai-timestamp", timestamp.to_string())
            .header(
                "x-gongkai-signature",
                webhook::signature(&delivery.secret, timestamp, &body),
            );
    }
    match request.body(body).send().await {
        Ok(response) => Some(response.status().as_u16()),
        Err(err) => {
            tracing::info!(
                delivery = delivery.id,
                timeout = err.is_timeout(),
                "webhook receiver did not answer"
            );
            None
        }
    }
}
