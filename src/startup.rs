//! Building the application: connect, migrate, keys, schema, routes; then
//! serving until a shutdown signal.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::extensions::apollo_persisted_queries::LruCacheStorage;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use poem::Server;
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use rand::RngCore;
use sea_orm::{DatabaseConnection, DbBackend};
use secrecy::ExposeSecret;

use crate::api;
use crate::auth::keys::DataKeys;
use crate::auth::password::PasswordHasher;
use crate::auth::token::{MIN_SECRET_BYTES, TokenKeys};
use crate::clock::{Clock, SystemClock};
use crate::config::{FileStoreArgs, ServeArgs};
use crate::demo;
use crate::http::{self, HttpState};
use crate::service::Services;
use crate::store;
use crate::store::blobs::{BlobStore, Location, S3Settings};
use crate::store::replicas::ReadReplicas;

/// Why the server could not start or a command failed: one clear line.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(sea_orm::DbErr),
    #[error("cannot run the migrations: {0}")]
    Migration(sea_orm::DbErr),
    #[error("cannot create the database folder {0}: {1}")]
    DatabaseFolder(String, std::io::Error),
    #[error("{0} must have at least {MIN_SECRET_BYTES} bytes")]
    WeakSecret(&'static str),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot open the file store: {0}")]
    FileStore(String),
    #[error("{0}")]
    Command(String),
    #[error("read replicas (--read-database-url) need a PostgreSQL --database-url")]
    ReplicasOfSqlite,
}

/// The file store `--file-store` names; by default the folder `files`
/// beside the SQLite database file (`data/files` for the default database
/// and for PostgreSQL).
pub fn open_file_store(
    files: &FileStoreArgs,
    database_url: &str,
) -> Result<BlobStore, StartupError> {
    let location = match &files.file_store {
        Some(url) => Location::parse(url).map_err(StartupError::FileStore)?,
        None => {
            let folder = sqlite_folder(database_url).unwrap_or_else(|| "data".to_owned());
            Location::Folder(std::path::Path::new(&folder).join("files"))
        }
    };
    let s3 = S3Settings {
        endpoint: files.aws_endpoint_url.clone(),
        region: files.aws_region.clone(),
        access_key_id: files.aws_access_key_id.clone(),
        secret_access_key: files
            .aws_secret_access_key
            .as_ref()
            .map(|s| s.expose_secret().to_owned()),
    };
    BlobStore::open(&location, &s3).map_err(StartupError::FileStore)
}

/// Opens the database named by `url` (creating the folder of a SQLite file)
/// and brings its schema up to date.
pub async fn open_database(url: &str) -> Result<DatabaseConnection, StartupError> {
    open_database_pool(url, None).await
}

/// `open_database` with a pool of at most `pool` connections (None: the
/// default of `store::connect_pool`).
pub async fn open_database_pool(
    url: &str,
    pool: Option<u32>,
) -> Result<DatabaseConnection, StartupError> {
    if let Some(folder) = sqlite_folder(url) {
        std::fs::create_dir_all(&folder).map_err(|e| StartupError::DatabaseFolder(folder, e))?;
    }
    let db = store::connect_pool(url, pool)
        .await
        .map_err(StartupError::Database)?;
    store::migrate(&db).await.map_err(StartupError::Migration)?;
    Ok(db)
}

/// The folder of a SQLite database file, if it has one.
fn sqlite_folder(url: &str) -> Option<String> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    let folder = std::path::Path::new(path).parent()?;
    (!folder.as_os_str().is_empty()).then(|| folder.to_string_lossy().into_owned())
}

pub struct App {
    acceptor: TcpAcceptor,
    /// The operators' listener (`--metrics-bind`), when there is one.
    metrics: Option<TcpAcceptor>,
    endpoint: poem::endpoint::BoxEndpoint<'static>,
    pub services: Services,
    sweep_interval: Duration,
    file_sweep_interval: Duration,
    background: bool,
}

impl App {
    pub async fn build(args: &ServeArgs) -> Result<App, StartupError> {
        let db = open_database_pool(&args.database.database_url, args.database_pool).await?;
        Self::with_database(args, db, Arc::new(SystemClock)).await
    }

    /// Builds the application on an open, migrated database and a clock
    /// (`build` opens it from `args` on the system clock; tests hand in a
    /// database whose queries they count and a clock they set).
    pub async fn with_database(
        args: &ServeArgs,
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
    ) -> Result<App, StartupError> {
        let secret = match &args.jwt_secret {
            Some(secret) => secret.expose_secret().as_bytes().to_vec(),
            None => stored_secret(&db).await?,
        };
        let weak = |name| move |_| StartupError::WeakSecret(name);
        let mut tokens = TokenKeys::new(&secret).map_err(weak("GONGKAI_JWT_SECRET"))?;
        if let Some(previous) = &args.previous_jwt_secret {
            tokens = tokens
                .also_verifying(previous.expose_secret().as_bytes())
                .map_err(weak("GONGKAI_PREVIOUS_JWT_SECRET"))?;
        }
        let blobs = open_file_store(&args.files, &args.database.database_url)?;
        if !args.read_database_urls.is_empty() && db.get_database_backend() == DbBackend::Sqlite {
            return Err(StartupError::ReplicasOfSqlite);
        }
        let replicas = ReadReplicas::open(
            &args.read_database_urls,
            args.database_pool.unwrap_or_else(store::default_pool_size),
        )
        .await
        .map_err(StartupError::Database)?;
        let services = Services {
            db,
            replicas,
            tokens: Arc::new(tokens),
            passwords: PasswordHasher::default(),
            keys: Arc::new(DataKeys::derive(&secret)),
            clock,
            blobs,
            max_file_bytes: args.max_file_size,
            live: Default::default(),
            allow_private_webhooks: args.allow_private_webhooks,
        };
        if args.demo {
            demo::load(&services)
                .await
                .map_err(|e| StartupError::Command(format!("cannot load the demo data: {e}")))?;
        }
        let persisted = LruCacheStorage::new(api::PERSISTED_QUERIES);
        let state = HttpState {
            schema: api::build_schema(services.clone()),
            persisted,
            services: services.clone(),
            request_timeout: Duration::from_secs(args.request_timeout),
            trusted_proxies: Arc::new(args.trusted_proxies.clone()),
        };
        let endpoint = http::routes(state, &args.cors_origins);
        let acceptor = TcpListener::bind(args.bind)
            .into_acceptor()
            .await
            .map_err(|e| StartupError::Bind(args.bind, e))?;
        let metrics = match args.metrics_bind {
            Some(addr) => {
                // Installed before the first request, so that none goes uncounted.
                crate::telemetry::metrics();
                let acceptor = TcpListener::bind(addr)
                    .into_acceptor()
                    .await
                    .map_err(|e| StartupError::Bind(addr, e))?;
                Some(acceptor)
            }
            None => None,
        };
        Ok(App {
            acceptor,
            metrics,
            endpoint,
            services,
            sweep_interval: Duration::from_secs(args.reminder_sweep_interval),
            file_sweep_interval: Duration::from_secs(args.file_sweep_interval),
            background: true,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
            .expect("a TCP listener has a socket address")
    }

    /// Where `GET /metrics` answers, when `--metrics-bind` was given.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|acceptor| {
            acceptor
                .local_addr()
                .first()
                .and_then(|addr| addr.as_socket_addr().copied())
        })
    }

    /// Serves requests only: no reminder or file sweep, live poller or webhook
    /// worker (for tests that count the statements requests send).
    pub fn without_background_work(mut self) -> Self {
        self.background = false;
        self
    }

    /// Serves until `shutdown` completes, then lets in-flight requests
    /// finish. The background work (the reminder sweep) runs meanwhile and
    /// stops with the server.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        let mut background = Vec::new();
        if let Some(metrics) = self.metrics {
            let endpoint = http::metrics_routes(self.services.db.clone());
            background.push(tokio::spawn(async move {
                if let Err(err) = Server::new_with_acceptor(metrics).run(endpoint).await {
                    tracing::error!(error = %err, "the metrics listener stopped");
                }
            }));
        }
        if self.background {
            let services = &self.services;
            // The start-up sweep runs before the first request is served, so
            // what a request then records is never swept by a sweep that was
            // meant to come before it.
            sweep_reminders_once(services).await;
            background.push(tokio::spawn(sweep_reminders(
                services.clone(),
                self.sweep_interval,
            )));
            background.push(tokio::spawn(sweep_files(
                services.clone(),
                self.file_sweep_interval,
            )));
            background.push(tokio::spawn(services.live.clone().run(services.db.clone())));
            background.push(tokio::spawn(crate::service::webhooks::run_worker(
                services.clone(),
            )));
        }
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(self.endpoint, shutdown, Some(Duration::from_secs(30)))
            .await;
        for task in background {
            task.abort();
        }
        served
    }
}

/// One reminder sweep. A sweep that fails (the database is away) is logged
/// and tried again next time; the next one catches up, since it looks at
/// what is due today.
async fn sweep_reminders_once(services: &Services) {
    let started = std::time::Instant::now();
    let swept = crate::service::reminders::sweep(&services.db, services.clock.now()).await;
    crate::telemetry::reminder_sweep(swept.is_ok(), started.elapsed().as_secs_f64());
    match swept {
        Ok(swept) => tracing::debug!(
            applications = swept.applications,
            created = swept.created.len(),
            ms = started.elapsed().as_millis() as u64,
            "reminder sweep"
        ),
        Err(err) => tracing::error!(error = %err, "reminder sweep failed"),
    }
}

/// The reminder sweep every `interval` after the one at start-up.
async fn sweep_reminders(services: Services, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is immediate: the start-up sweep has already run.
    ticks.tick().await;
    loop {
        ticks.tick().await;
        sweep_reminders_once(&services).await;
    }
}

/// The file sweep at start-up and then every `interval`, on every
/// instance: each removal is of something already unneeded and tolerates
/// another instance having removed it first, so sweeps may overlap. A sweep
/// that fails is logged and the next one picks up what it left.
async fn sweep_files(services: Services, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let started = std::time::Instant::now();
        match crate::service::files::sweep(&services.db, &services.blobs, services.clock.now())
            .await
        {
            Ok(swept) => tracing::debug!(
                pending_files = swept.pending_files,
                blobs = swept.blobs,
                leftovers = swept.leftovers,
                ms = started.elapsed().as_millis() as u64,
                "file sweep"
            ),
            Err(err) => tracing::error!(error = %err, "file sweep failed"),
        }
    }
}

/// The signing key kept in the database, generated on first start.
pub(crate) async fn stored_secret(db: &DatabaseConnection) -> Result<Vec<u8>, StartupError> {
    let generate = || {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        STANDARD.encode(key)
    };
    let (encoded, created) = store::settings::jwt_secret(db, generate)
        .await
        .map_err(|e| StartupError::Command(format!("cannot read the signing key: {e}")))?;
    if created {
        tracing::warn!(
            "GONGKAI_JWT_SECRET is not set: generated a signing key and kept it in the database"
        );
    }
    STANDARD
        .decode(encoded)
        .map_err(|_| StartupError::Command("the stored signing key is corrupt".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_folders() {
        let cases = [
            ("sqlite://data/gongkai.db?mode=rwc", Some("data")),
            ("sqlite:///var/lib/gongkai/g.db", Some("/var/lib/gongkai")),
            ("sqlite://gongkai.db", None),
            ("sqlite::memory:", None),
            ("postgres://postgres@localhost/test", None),
        ];
        for (url, folder) in cases {
            assert_eq!(sqlite_folder(url).as_deref(), folder, "{url}");
        }
    }
}
