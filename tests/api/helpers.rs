use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
pub use gongkai::clock::Clock;
use gongkai::clock::{SettableClock, SystemClock};
use gongkai::config::{DatabaseArgs, FileStoreArgs, ServeArgs};
use gongkai::domain::calendar_file;
use gongkai::startup::App;
use gongkai::store;
use rand::Rng;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

/// The signing key the test servers use, so tests can forge tokens.
pub const JWT_SECRET: &str = "integration-test-signing-key-0123456789";

pub const ADMIN: (&str, &str) = ("panyu.admin", "demo-admin-2026");
pub const OVERSIGHT: (&str, &str) = ("panyu.oversight", "demo-oversight-2026");
pub const CLERK: (&str, &str) = ("nancun.clerk", "demo-clerk-2026");
pub const APPROVER: (&str, &str) = ("nancun.approver", "demo-approver-2026");
pub const ORG_ADMIN: (&str, &str) = ("nancun.admin", "demo-orgadmin-2026");

/// The working calendar every test database holds: the State Council's
/// 2024–2026 notices, frozen here so that a new year added to the
/// production seed moves no expected date.
const CALENDAR_FIXTURE: &str = include_str!("../fixtures/working-calendar-2024-2026.csv");

/// The fixture's last year; the tests' "not announced" is any later one.
pub const LAST_ANNOUNCED_YEAR: i32 = 2026;

pub struct TestApp {
    pub address: SocketAddr,
    /// Where the server answers `GET /metrics` (the process's one recorder).
    pub metrics_address: SocketAddr,
    pub client: reqwest::Client,
    /// The server's clock: it stands still unless the test sets or
    /// advances it (at the real instant the test started, by default).
    pub clock: Arc<SettableClock>,
    pub database_url: String,
    /// Where the server keeps its files (a folder of the test's own, or a
    /// fresh prefix of the S3 bucket when GONGKAI_TEST_S3_URL is set).
    pub files: FileStoreArgs,
    /// The server's services, for tests that run its background work
    /// (the reminder sweep) at the moment they choose.
    pub services: gongkai::service::Services,
    // Keeps a SQLite database's folder alive for the test's duration.
    _folder: Option<TempFolder>,
    _files_folder: TempFolder,
}

/// A folder removed with everything in it when dropped.
pub struct TempFolder(std::path::PathBuf);

impl TempFolder {
    pub fn new() -> Self {
        let folder = std::env::temp_dir().join(format!("gongkai-test-{}", random_suffix()));
        std::fs::create_dir_all(&folder).unwrap();
        Self(folder)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn random_suffix() -> String {
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

/// A fresh, empty database for one test.
pub async fn fresh_database() -> (String, Option<TempFolder>) {
    match std::env::var("GONGKAI_TEST_POSTGRES_URL") {
        Ok(base) => {
            let name = format!("gk_test_{}", random_suffix());
            let admin = Database::connect(&base).await.expect("PostgreSQL answers");
            admin
                .execute_unprepared(&format!(
                    "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
                     LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ))
                .await
                .expect("the test database is created");
            let (server, _) = base.rsplit_once('/').expect("a URL with a database name");
            (format!("{server}/{name}"), None)
        }
        Err(_) => {
            let folder = TempFolder::new();
            let url = format!("sqlite://{}/gongkai.db?mode=rwc", folder.path().display());
            (url, Some(folder))
        }
    }
}

/// Writes the calendar fixture over what the migration seeded, through the
/// store function `gongkai calendar import` uses.
async fn use_calendar_fixture(db: &DatabaseConnection) {
    let fixture = calendar_file::read(CALENDAR_FIXTURE).expect("the fixture is valid");
    let mut years = store::calendar::load(db)
        .await
        .expect("the calendar loads")
        .announced_years();
    years.extend(fixture.years());
    let txn = store::begin_write(db).await.expect("a transaction");
    store::calendar::replace_years(&txn, &years, fixture.days())
        .await
        .expect("the fixture is written");
    txn.commit().await.expect("the fixture is committed");
}

/// An instant written as RFC 3339, e.g. "2026-03-02T09:00:00+08:00".
pub fn instant(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 instant")
        .to_utc()
}

/// The server with the demo organisations and users (番禺区, 南村镇, one
/// user per role) and an empty catalogue.
pub async fn spawn_app() -> TestApp {
    spawn(|_| {}, Setup::default()).await
}

/// Like `spawn_app`, with the server's clock standing at `at`.
pub async fn spawn_app_at(at: DateTime<Utc>) -> TestApp {
    spawn(
        |_| {},
        Setup {
            at,
            ..Setup::default()
        },
    )
    .await
}

/// Like `spawn_app_at`, with the files in the test S3 service; None (and a
/// message) when GONGKAI_TEST_S3_URL is unset.
pub async fn spawn_app_on_s3(at: DateTime<Utc>) -> Option<TestApp> {
    let Some(endpoint) = test_s3_endpoint() else {
        eprintln!("skipped: GONGKAI_TEST_S3_URL is not set (.ci/run starts moto_server)");
        return None;
    };
    // moto creates a bucket on an unsigned PUT; where it exists, nothing changes.
    let _ = reqwest::Client::new()
        .put(format!("{endpoint}/{TEST_S3_BUCKET}"))
        .send()
        .await;
    let setup = Setup {
        at,
        s3: true,
        ..Setup::default()
    };
    Some(spawn(|_| {}, setup).await)
}

/// The server as `serve --demo` starts it, with the whole demo dataset.
pub async fn spawn_demo_app() -> TestApp {
    let setup = Setup {
        full_demo: true,
        ..Setup::default()
    };
    spawn(|_| {}, setup).await
}

/// The signing key after a rotation (`spawn_app_after_key_rotation`).
pub const NEW_JWT_SECRET: &str = "integration-test-rotated-signing-key-0123";

/// The server after a key rotation: it signs with `NEW_JWT_SECRET` and
/// still accepts tokens signed with `JWT_SECRET`.
pub async fn spawn_app_after_key_rotation() -> TestApp {
    let setup = Setup {
        jwt_secret: NEW_JWT_SECRET,
        previous_jwt_secret: Some(JWT_SECRET),
        ..Setup::default()
    };
    spawn(|_| {}, setup).await
}

/// The server over deterministic synthetic data (`gongkai seed synthetic`),
/// with the demo accounts too.
pub async fn spawn_synthetic_app(size: gongkai::seed::SyntheticSize) -> TestApp {
    let (database_url, folder) = fresh_database().await;
    let db = gongkai::startup::open_database(&database_url)
        .await
        .expect("the database opens");
    use_calendar_fixture(&db).await;
    let clock = Arc::new(SettableClock::new(SystemClock.now()));
    gongkai::seed::synthetic(&db, size, clock.now(), &gongkai::service::progress::Silent)
        .await
        .expect("the synthetic data loads");
    start(database_url, db, folder, Setup::default(), clock).await
}

/// The server behind a reverse proxy on 127.0.0.1, so that a test can speak
/// for several client addresses with `X-Forwarded-For`.
pub async fn spawn_app_behind_proxy() -> TestApp {
    let setup = Setup {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Setup::default()
    };
    spawn(|_| {}, setup).await
}

/// The server, with `prepare` run on its database connection before it
/// starts (e.g. to count the queries it sends); without its background
/// work (sweep, live poller, webhook worker), whose statements would count.
pub async fn spawn_app_with(prepare: impl FnOnce(&mut DatabaseConnection)) -> TestApp {
    let setup = Setup {
        background: false,
        ..Setup::default()
    };
    spawn(prepare, setup).await
}

/// Like `spawn_app_at`, with webhooks allowed to loopback receivers
/// (`--allow-private-webhooks`).
pub async fn spawn_app_with_private_webhooks(at: DateTime<Utc>) -> TestApp {
    let setup = Setup {
        at,
        allow_private_webhooks: true,
        ..Setup::default()
    };
    spawn(|_| {}, setup).await
}

/// The server (demo accounts, background work off) reading the public
/// catalogue and the statistics from the streaming replica `replica`
/// (a URL naming any database of that server).
pub async fn spawn_app_with_replica(replica: &str) -> TestApp {
    spawn(
        |_| {},
        Setup {
            background: false,
            replica: Some(replica.to_owned()),
            ..Setup::default()
        },
    )
    .await
}

/// The database of `database_url` on the server of `server` (a URL).
pub fn same_database_on(server: &str, database_url: &str) -> String {
    let (server, _) = server.rsplit_once('/').expect("a URL with a database name");
    let (_, name) = database_url
        .rsplit_once('/')
        .expect("a URL with a database name");
    format!("{server}/{name}")
}

/// A second server instance on the database and file store of `first` (as
/// behind a load balancer), its clock standing at `at`; it sweeps reminders
/// and files at start-up like any instance.
pub async fn spawn_instance(first: &TestApp, at: DateTime<Utc>) -> TestApp {
    spawn_instance_with(first, at, 3600).await
}

/// The server sweeping files every `file_sweep_interval` seconds (and at start-up).
pub async fn spawn_app_sweeping_files(at: DateTime<Utc>, file_sweep_interval: u64) -> TestApp {
    let setup = Setup {
        at,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        file_sweep_interval,
        ..Setup::default()
    };
    spawn(|_| {}, setup).await
}

/// `spawn_instance` sweeping files every `file_sweep_interval` seconds.
pub async fn spawn_instance_with(
    first: &TestApp,
    at: DateTime<Utc>,
    file_sweep_interval: u64,
) -> TestApp {
    let db = gongkai::startup::open_database(&first.database_url)
        .await
        .expect("the database opens");
    let setup = Setup {
        at,
        accounts: false,
        allow_private_webhooks: true,
        file_sweep_interval,
        shared_files: Some(first.files.clone()),
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Setup::default()
    };
    let clock = Arc::new(SettableClock::new(at));
    start(first.database_url.clone(), db, None, setup, clock).await
}

/// How a test server differs from the default one.
struct Setup {
    /// Load the demo accounts (not again on a second instance).
    accounts: bool,
    /// Run the background work (reminder sweep, live poller, webhook worker).
    background: bool,
    full_demo: bool,
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Where the server's clock stands at the start.
    at: DateTime<Utc>,
    jwt_secret: &'static str,
    previous_jwt_secret: Option<&'static str>,
    /// Keep the files in the test S3 service (when there is one).
    s3: bool,
    /// Seconds; long by default, so that tests sweep when they choose (`TestApp::sweep`).
    reminder_sweep_interval: u64,
    /// Seconds between file sweeps; long by default.
    file_sweep_interval: u64,
    /// The file store of another instance, shared as behind a load balancer.
    shared_files: Option<FileStoreArgs>,
    allow_private_webhooks: bool,
    /// A PostgreSQL server replicating the test's database (its URL with
    /// any database name): the server reads from it too.
    replica: Option<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            accounts: true,
            background: true,
            full_demo: false,
            trusted_proxies: vec![],
            at: SystemClock.now(),
            jwt_secret: JWT_SECRET,
            previous_jwt_secret: None,
            s3: false,
            reminder_sweep_interval: 3600,
            file_sweep_interval: 3600,
            shared_files: None,
            allow_private_webhooks: false,
            replica: None,
        }
    }
}

async fn spawn(prepare: impl FnOnce(&mut DatabaseConnection), setup: Setup) -> TestApp {
    let (database_url, folder) = fresh_database().await;
    let mut db = gongkai::startup::open_database(&database_url)
        .await
        .expect("the database opens");
    use_calendar_fixture(&db).await;
    prepare(&mut db);
    let clock = Arc::new(SettableClock::new(setup.at));
    start(database_url, db, folder, setup, clock).await
}

/// What every test server logged, at production's level: tests read it
/// back (`server_log`) to check what never goes into a log.
static SERVER_LOG: std::sync::OnceLock<CapturedLog> = std::sync::OnceLock::new();

#[derive(Clone, Default)]
struct CapturedLog(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures the log of every server in this process (once); with
/// GONGKAI_TEST_LOG=1 also shows its warnings (an INTERNAL error's cause).
fn install_log() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer, fmt};
    SERVER_LOG.get_or_init(|| {
        let captured = CapturedLog::default();
        let writer = captured.clone();
        let shown = std::env::var_os("GONGKAI_TEST_LOG").is_some().then(|| {
            fmt::layer()
                .with_test_writer()
                .with_filter(EnvFilter::new("warn"))
        });
        let _ = tracing_subscriber::registry()
            .with(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(move || writer.clone())
                    .with_filter(EnvFilter::new(
                        "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn",
                    )),
            )
            .with(shown)
            .try_init();
        captured
    });
}

/// Everything the test servers of this process have logged so far.
pub fn server_log() -> String {
    let captured = SERVER_LOG.get().expect("a server was started");
    String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned()
}

async fn start(
    database_url: String,
    db: DatabaseConnection,
    folder: Option<TempFolder>,
    setup: Setup,
    clock: Arc<SettableClock>,
) -> TestApp {
    install_log();
    let full_demo = setup.full_demo;
    let files_folder = TempFolder::new();
    let files = setup
        .shared_files
        .clone()
        .unwrap_or_else(|| file_store_args(&setup, &files_folder));
    let accounts = setup.accounts;
    let background = setup.background;
    let args = ServeArgs {
        database: DatabaseArgs {
            database_url: database_url.clone(),
        },
        database_pool: None,
        read_database_urls: setup
            .replica
            .iter()
            .map(|server| same_database_on(server, &database_url))
            .collect(),
        bind: "127.0.0.1:0".parse().unwrap(),
        metrics_bind: Some("127.0.0.1:0".parse().unwrap()),
        demo: full_demo,
        jwt_secret: Some(setup.jwt_secret.into()),
        previous_jwt_secret: setup.previous_jwt_secret.map(Into::into),
        cors_origins: vec![],
        trusted_proxies: setup.trusted_proxies.clone(),
        request_timeout: 30,
        files: files.clone(),
        max_file_size: gongkai::domain::files::DEFAULT_MAX_FILE_BYTES,
        reminder_sweep_interval: setup.reminder_sweep_interval,
        file_sweep_interval: setup.file_sweep_interval,
        allow_private_webhooks: setup.allow_private_webhooks,
    };
    let app = App::with_database(&args, db, clock.clone())
        .await
        .expect("the server starts");
    if !full_demo && accounts {
        gongkai::demo::load_accounts(&app.services)
            .await
            .expect("the demo accounts load");
    }
    let address = app.local_addr();
    let metrics_address = app.metrics_addr().expect("test servers serve metrics");
    let services = app.services.clone();
    let app = if background {
        app
    } else {
        app.without_background_work()
    };
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        address,
        metrics_address,
        client: reqwest::Client::new(),
        services,
        clock,
        database_url,
        files,
        _folder: folder,
        _files_folder: files_folder,
    }
}

/// The S3-compatible service the file tests also run against (moto in CI):
/// GONGKAI_TEST_S3_URL names its endpoint; the bucket `gongkai-test` is
/// created by `.ci/run`.
pub fn test_s3_endpoint() -> Option<String> {
    std::env::var("GONGKAI_TEST_S3_URL").ok()
}

pub const TEST_S3_BUCKET: &str = "gongkai-test";

fn file_store_args(setup: &Setup, folder: &TempFolder) -> FileStoreArgs {
    match (&setup.s3, test_s3_endpoint()) {
        (true, Some(endpoint)) => FileStoreArgs {
            file_store: Some(format!("s3://{TEST_S3_BUCKET}/{}", random_suffix())),
            aws_endpoint_url: Some(endpoint),
            aws_region: Some("us-east-1".into()),
            aws_access_key_id: Some("testing".into()),
            aws_secret_access_key: Some("testing".into()),
        },
        _ => FileStoreArgs {
            file_store: Some(format!("file://{}", folder.path().display())),
            ..FileStoreArgs::default()
        },
    }
}

impl TestApp {
    /// Runs the reminder sweep now, on the server's clock, as its
    /// background task does every `--reminder-sweep-interval`.
    pub async fn sweep(&self) -> gongkai::service::reminders::Swept {
        gongkai::service::reminders::sweep(&self.services.db, self.clock.now())
            .await
            .expect("the sweep runs")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// POSTs a GraphQL request and returns the JSON answer.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        response.json().await.expect("a JSON answer")
    }

    /// POSTs a GraphQL request as if from `client` behind the trusted proxy.
    pub async fn gql_from(&self, client: &str, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(self.url("/graphql"))
            .header("x-forwarded-for", client)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        response.json().await.expect("a JSON answer")
    }

    pub async fn try_login(&self, (username, password): (&str, &str)) -> Value {
        self.gql(
            None,
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken user { id username role } } }",
            json!({ "u": username, "p": password }),
        )
        .await
    }

    pub async fn login(&self, credentials: (&str, &str)) -> String {
        let answer = self.try_login(credentials).await;
        answer["data"]["login"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {answer}"))
            .to_owned()
    }

    pub async fn org_id(&self, code: &str) -> String {
        let answer = self
            .gql(
                None,
                "query($c: String) { organization(code: $c) { id } }",
                json!({ "c": code }),
            )
            .await;
        answer["data"]["organization"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a user through the API as ADMIN; returns its id.
    pub async fn create_user(
        &self,
        username: &str,
        role: &str,
        org_code: &str,
        password: &str,
    ) -> String {
        let admin = self.login(ADMIN).await;
        let org = self.org_id(org_code).await;
        let answer = self
            .gql(
                Some(&admin),
                "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                json!({ "i": { "username": username, "displayName": "测试", "password": password, "role": role, "organizationId": org } }),
            )
            .await;
        answer["data"]["createUser"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createUser failed: {answer}"))
            .to_owned()
    }
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(answer: &Value) -> Option<&str> {
    answer["errors"][0]["extensions"]["code"].as_str()
}

/// Asserts the answer failed with `code`, and returns it for more checks.
#[track_caller]
pub fn assert_error(answer: &Value, code: &str) {
    assert_eq!(error_code(answer), Some(code), "expected {code}: {answer}");
}
