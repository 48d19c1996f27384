//! Webhooks and their outbox. A delivery row per (webhook, notification)
//! is written in the transaction that creates the notification; the worker
//! of any instance claims due rows (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), pushing `next_attempt_at` ahead by a lease so that no other
//! instance takes them while the POST runs.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult};

use crate::domain::reminder::{Notification, NotificationKind};
use crate::domain::webhook::{WebhookFormat, kinds_from_stored};
use crate::error::AppResult;
use crate::store::sql::Sql;
use crate::store::stored;

/// A webhook as stored (its secret stays in the store but for delivery).
#[derive(Clone, Debug)]
pub struct Webhook {
    pub id: i64,
    pub organization_id: i64,
    pub url: String,
    pub format: WebhookFormat,
    pub kinds: Vec<NotificationKind>,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, organization_id, url, format, kinds, created_at";

fn webhook(row: &QueryResult) -> AppResult<Webhook> {
    let id: i64 = row.try_get("", "id")?;
    let format: String = row.try_get("", "format")?;
    let kinds: String = row.try_get("", "kinds")?;
    Ok(Webhook {
        id,
        organization_id: row.try_get("", "organization_id")?,
        url: row.try_get("", "url")?,
        format: stored("webhook", id, "format", &format)?,
        kinds: kinds_from_stored(&kinds),
        created_at: row.try_get("", "created_at")?,
    })
}

pub struct NewWebhook {
    pub organization_id: i64,
    pub url: String,
    pub format: WebhookFormat,
    /// As `domain::webhook::kinds_to_stored` writes them.
    pub kinds: String,
    pub secret: String,
}

pub async fn create(
    db: &impl ConnectionTrait,
    new: NewWebhook,
    now: DateTime<Utc>,
) -> AppResult<Webhook> {
    let backend = db.get_database_backend();
    let sql = Sql::new(
        "INSERT INTO webhook (organization_id, url, format, kinds, secret, created_at) VALUES (",
    )
    .value(new.organization_id)
    .text(", ")
    .value(new.url)
    .text(", ")
    .value(new.format.as_str())
    .text(", ")
    .value(new.kinds)
    .text(", ")
    .value(new.secret)
    .text(", ")
    .value(now)
    .text(&format!(") RETURNING {COLUMNS}"));
    let row = db
        .query_one_raw(sql.statement(backend))
        .await?
        .ok_or_else(|| crate::error::AppError::internal("INSERT … RETURNING gave no row"))?;
    webhook(&row)
}

/// The webhooks of one organisation, or of all; oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    organization_id: Option<i64>,
) -> AppResult<Vec<Webhook>> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM webhook"));
    if let Some(id) = organization_id {
        sql = sql.text(" WHERE organization_id = ").value(id);
    }
    let rows = db
        .query_all_raw(sql.text(" ORDER BY id").statement(backend))
        .await?;
    rows.iter().map(webhook).collect()
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<Option<Webhook>> {
    let backend = db.get_database_backend();
    let sql = Sql::new(&format!("SELECT {COLUMNS} FROM webhook WHERE id = ")).value(id);
    db.query_one_raw(sql.statement(backend))
        .await?
        .as_ref()
        .map(webhook)
        .transpose()
}

/// Deletes a webhook and its outbox.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> AppResult<bool> {
    let backend = db.get_database_backend();
    db.execute_raw(
        Sql::new("DELETE FROM webhook_delivery WHERE webhook_id = ")
            .value(id)
            .statement(backend),
    )
    .await?;
    let deleted = db
        .execute_raw(
            Sql::new("DELETE FROM webhook WHERE id = ")
                .value(id)
                .statement(backend),
        )
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// Writes the outbox rows of new notifications: one per webhook of their
/// organisation that wants their kind, due at once.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    notification_ids: &[i64],
    now: DateTime<Utc>,
) -> AppResult<()> {
    if notification_ids.is_empty() {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    for chunk in notification_ids.chunks(500) {
        let mut sql = Sql::new(
            "INSERT INTO webhook_delivery (webhook_id, notification_id, attempts, delivered, \
             given_up, next_attempt_at, created_at) SELECT w.id, n.id, 0, ",
        )
        .value(false)
        .text(", ")
        .value(false)
        .text(", ")
        .value(now)
        .text(", ")
        .value(now)
        .text(
            " FROM notification n JOIN webhook w ON w.organization_id = n.organization_id \
             AND (w.kinds = '' OR w.kinds LIKE '%,' || n.kind || ',%') WHERE n.id IN (",
        );
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql = sql.text(", ");
            }
            sql = sql.value(*id);
        }
        let sql = sql.text(") ON CONFLICT (webhook_id, notification_id) DO NOTHING");
        conn.execute_raw(sql.statement(backend)).await?;
    }
    Ok(())
}

/// A delivery the worker claimed, with what it sends.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub id: i64,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub url: String,
    pub format: WebhookFormat,
    pub secret: String,
    pub kind: NotificationKind,
    pub organization_code: String,
    pub organization_name: String,
    pub tracking_no: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub message: String,
    pub notification_created_at: DateTime<Utc>,
}

/// Claims up to `limit` deliveries due at `now`, holding them until `lease_until`.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<Claimed>> {
    let backend = db.get_database_backend();
    let lock = match backend {
        DatabaseBackend::Postgres => " FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let sql = Sql::new("UPDATE webhook_delivery SET next_attempt_at = ")
        .value(lease_until)
        .text(" WHERE id IN (SELECT id FROM webhook_delivery WHERE next_attempt_at <= ")
        .value(now)
        .text(" ORDER BY next_attempt_at LIMIT ")
        .value(limit as i64)
        .text(&format!("{lock}) RETURNING id"));
    let ids: Vec<i64> = db
        .query_all_raw(sql.statement(backend))
        .await?
        .iter()
        .map(|row| row.try_get::<i64>("", "id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "SELECT d.id, d.attempts, d.created_at, w.url, w.format, w.secret, n.kind, \
         o.code AS organization_code, o.name AS organization_name, a.tracking_no, n.due_on, \
         n.message, n.created_at AS notification_created_at \
         FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id \
         JOIN notification n ON n.id = d.notification_id \
         JOIN organization o ON o.id = n.organization_id \
         LEFT JOIN application a ON a.id = n.application_id WHERE d.id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql = sql.text(", ");
        }
        sql = sql.value(*id);
    }
    let rows = db.query_all_raw(sql.text(")").statement(backend)).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let format: String = row.try_get("", "format")?;
            let kind: String = row.try_get("", "kind")?;
            Ok(Claimed {
                id,
                attempts: row.try_get::<i32>("", "attempts")?.max(0) as u32,
                created_at: row.try_get("", "created_at")?,
                url: row.try_get("", "url")?,
                format: stored("webhook", id, "format", &format)?,
                secret: row.try_get("", "secret")?,
                kind: stored("notification", id, "kind", &kind)?,
                organization_code: row.try_get("", "organization_code")?,
                organization_name: row.try_get("", "organization_name")?,
                tracking_no: row.try_get("", "tracking_no")?,
                due_on: row.try_get("", "due_on")?,
                message: row.try_get("", "message")?,
                notification_created_at: row.try_get("", "notification_created_at")?,
            })
        })
        .collect()
}

/// What an attempt came to.
#[derive(Clone, Copy, Debug)]
pub struct Attempt {
    /// The HTTP status; None when it did not connect or timed out.
    pub status: Option<u16>,
    pub delivered: bool,
    pub given_up: bool,
    /// When to try again (None once delivered or given up).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Whether a request was sent (a delivery given up at the end of its
    /// window without a last try keeps its count).
    pub attempted: bool,
}

pub async fn record(
    db: &impl ConnectionTrait,
    id: i64,
    attempt: Attempt,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new("UPDATE webhook_delivery SET delivered = ")
        .value(attempt.delivered)
        .text(", given_up = ")
        .value(attempt.given_up)
        .text(", next_attempt_at = ")
        .value(attempt.next_attempt_at);
    if attempt.attempted {
        sql = sql
            .text(", attempts = attempts + 1, last_attempt_at = ")
            .value(now)
            .text(", last_status = ")
            .value(attempt.status.map(i32::from));
    }
    db.execute_raw(sql.text(" WHERE id = ").value(id).statement(backend))
        .await?;
    Ok(())
}

/// One delivery as `Webhook.deliveries` shows it.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub notification: Notification,
    pub attempts: i32,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub delivered: bool,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// A webhook's deliveries, most recent first.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    limit: u64,
) -> AppResult<Vec<Delivery>> {
    let backend = db.get_database_backend();
    let sql = Sql::new(
        "SELECT d.attempts, d.last_attempt_at, d.last_status, d.delivered, d.next_attempt_at, \
         n.id, n.organization_id, n.kind, n.application_id, n.disclosure_id, n.due_on, n.message, \
         n.created_at FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id \
         WHERE d.webhook_id = ",
    )
    .value(webhook_id)
    .text(" ORDER BY d.id DESC LIMIT ")
    .value(limit as i64);
    let rows = db.query_all_raw(sql.statement(backend)).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let kind: String = row.try_get("", "kind")?;
            Ok(Delivery {
                notification: Notification {
                    id,
                    organization_id: row.try_get("", "organization_id")?,
                    kind: stored("notification", id, "kind", &kind)?,
                    application_id: row.try_get("", "application_id")?,
                    disclosure_id: row.try_get("", "disclosure_id")?,
                    due_on: row.try_get("", "due_on")?,
                    message: row.try_get("", "message")?,
                    created_at: row.try_get("", "created_at")?,
                    read_at: None,
                },
                attempts: row.try_get("", "attempts")?,
                last_attempt_at: row.try_get("", "last_attempt_at")?,
                last_status: row.try_get("", "last_status")?,
                delivered: row.try_get("", "delivered")?,
                next_attempt_at: row.try_get("", "next_attempt_at")?,
            })
        })
        .collect()
}
