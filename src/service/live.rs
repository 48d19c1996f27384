//! Live delivery of notifications (the `notifications` subscription).
//!
//! Every instance polls the notification table (every 500 ms, one indexed
//! statement when nothing is new) and hands what it finds to a broadcast
//! channel that each subscriber filters by the policy's reach. So a
//! notification that any instance created (its sweep, a submission it
//! served) reaches the subscribers of every instance within about a
//! second, on SQLite and PostgreSQL alike, with no channel between the
//! instances besides the database. A slow subscriber falls behind on its
//! own: the channel drops what it has not taken (it misses those) and
//! never holds up the poller or the others.
//!
//! The same poll asks, in one statement, whether any subscribed user was
//! deactivated; such a user's streams end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;

use crate::domain::organization::OrgPlace;
use crate::domain::reminder::Notification;
use crate::error::AppResult;
use crate::store;

/// How often each instance looks for new notifications.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Notifications a subscriber may fall behind by before it misses some.
const CHANNEL_CAPACITY: usize = 1024;
/// PostgreSQL hands out ids before commit: a lower id can appear after a
/// higher one. Ids skipped over are looked for again for this long.
const GAP_RETENTION: Duration = Duration::from_secs(10);
const MAX_GAPS: usize = 500;

#[derive(Clone, Debug)]
pub enum LiveEvent {
    Created(Arc<(Notification, OrgPlace)>),
    /// The user can no longer be signed in: its streams end.
    Revoked(i64),
}

/// One per instance: the poller's channel and who listens.
#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
    subscribers: Arc<Mutex<HashMap<i64, usize>>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(CHANNEL_CAPACITY);
        LiveHub {
            sender,
            subscribers: Arc::default(),
        }
    }
}

/// A subscription of `user_id`; it stops counting when dropped.
pub struct Subscribed {
    pub events: broadcast::Receiver<LiveEvent>,
    hub: LiveHub,
    user_id: i64,
}

impl Drop for Subscribed {
    fn drop(&mut self) {
        let mut subscribers = self.hub.subscribers.lock().expect("not poisoned");
        if let Some(n) = subscribers.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                subscribers.remove(&self.user_id);
            }
        }
    }
}

impl LiveHub {
    pub fn subscribe(&self, user_id: i64) -> Subscribed {
        *self
            .subscribers
            .lock()
            .expect("not poisoned")
            .entry(user_id)
            .or_default() += 1;
        Subscribed {
            events: self.sender.subscribe(),
            hub: self.clone(),
            user_id,
        }
    }

    /// Subscribed streams on this instance.
    pub fn subscriber_count(&self) -> usize {
        self.subscribers
            .lock()
            .expect("not poisoned")
            .values()
            .sum()
    }

    fn subscribed_users(&self) -> Vec<i64> {
        self.subscribers
            .lock()
            .expect("not poisoned")
            .keys()
            .copied()
            .collect()
    }

    /// Polls until the task is dropped, starting after the newest
    /// notification that exists now.
    pub async fn run(self, db: DatabaseConnection) {
        let mut poller = Poller::default();
        loop {
            match poller.start(&db).await {
                Ok(()) => break,
                Err(err) => tracing::error!(error = %err, "live notifications cannot start"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let mut ticks = tokio::time::interval(POLL_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = poller.poll(&db, &self).await {
                tracing::error!(error = %err, "live notifications poll failed");
            }
        }
    }
}

#[derive(Default)]
struct Poller {
    last_id: i64,
    gaps: Vec<(i64, Instant)>,
}

impl Poller {
    async fn start(&mut self, db: &DatabaseConnection) -> AppResult<()> {
        self.last_id = store::notifications::last_id(db).await?;
        Ok(())
    }

    async fn poll(&mut self, db: &DatabaseConnection, hub: &LiveHub) -> AppResult<()> {
        let mut found = store::notifications::created_after(db, self.last_id, 500).await?;
        let now = Instant::now();
        self.gaps
            .retain(|(_, since)| now.duration_since(*since) < GAP_RETENTION);
        if !self.gaps.is_empty() {
            let ids: Vec<i64> = self.gaps.iter().map(|(id, _)| *id).collect();
            let late = store::notifications::with_places(db, &ids).await?;
            self.gaps
                .retain(|(id, _)| !late.iter().any(|(n, _)| n.id == *id));
            found.splice(0..0, late);
        }
        for (notification, _) in &found {
            if notification.id > self.last_id {
                for missing in self.last_id + 1..notification.id {
                    if self.gaps.len() < MAX_GAPS {
                        self.gaps.push((missing, now));
                    }
                }
                self.last_id = notification.id;
            }
        }
        for item in found {
            // No receiver (nobody subscribed) is not an error.
            let _ = hub.sender.send(LiveEvent::Created(Arc::new(item)));
        }
        let users = hub.subscribed_users();
        if !users.is_empty() {
            for user in store::users::inactive_among(db, &users).await? {
                let _ = hub.sender.send(LiveEvent::Revoked(user));
            }
        }
        Ok(())
    }
}
