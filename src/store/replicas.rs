//! Read replicas: PostgreSQL standbys (streaming replication) that serve
//! the reads which may lag the primary by the replay delay — the public
//! catalogue, the statistics. A `Reader` is the connection one caller's
//! reads take: each query goes to a replica that is up, and when that
//! replica fails (stopped, restarting, cancelling a query that conflicts
//! with recovery) the same query goes to the primary, so a replica's
//! trouble never reaches the client. Writes always go to the primary.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sea_orm::prelude::async_trait::async_trait;
use sea_orm::sqlx;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, ExecResult,
    QueryResult, RuntimeErr, Statement,
};

/// A replica that cannot hand out a connection this fast counts as down
/// (sqlx retries a refused connection until this deadline): the primary
/// answers instead of the request waiting.
const ACQUIRE_WITHIN: Duration = Duration::from_secs(1);

/// How often a replica that failed is asked whether it answers again.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// The replicas a server reads from, in the order given; none by default.
#[derive(Clone, Default)]
pub struct ReadReplicas {
    replicas: Arc<[Arc<Replica>]>,
    /// Spreads the readers over the replicas (round robin).
    next: Arc<AtomicUsize>,
}

struct Replica {
    /// Its position in `--read-database-url`, for the log (the URL may hold a password).
    number: usize,
    db: DatabaseConnection,
    /// False from a failure until a probe answers.
    up: AtomicBool,
    probing: AtomicBool,
}

impl ReadReplicas {
    /// Pools on each PostgreSQL replica of `urls`, of at most `pool`
    /// connections each. They connect lazily: a replica that is down at
    /// start-up is met (and skipped) by the first read.
    pub async fn open(urls: &[String], pool: u32) -> Result<ReadReplicas, DbErr> {
        let mut replicas = Vec::with_capacity(urls.len());
        for (number, url) in urls.iter().enumerate() {
            let mut options = ConnectOptions::new(url.as_str());
            options
                .sqlx_logging(false)
                .connect_lazy(true)
                .connect_timeout(ACQUIRE_WITHIN)
                .acquire_timeout(ACQUIRE_WITHIN)
                .test_before_acquire(false)
                .max_connections(pool)
                .map_sqlx_postgres_opts(|opts| opts.options([("jit", "off")]));
            replicas.push(Arc::new(Replica {
                number: number + 1,
                db: Database::connect(options).await?,
                up: AtomicBool::new(true),
                probing: AtomicBool::new(false),
            }));
        }
        Ok(ReadReplicas {
            replicas: replicas.into(),
            next: Arc::default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.replicas.is_empty()
    }

    /// Reads from the next replica that is up, else from `primary`.
    pub fn reader<'a>(&'a self, primary: &'a DatabaseConnection) -> Reader<'a> {
        let count = self.replicas.len();
        let replica = (count > 0)
            .then(|| {
                let start = self.next.fetch_add(1, Ordering::Relaxed);
                (0..count)
                    .map(|i| &self.replicas[(start + i) % count])
                    .find(|replica| replica.up.load(Ordering::Relaxed))
            })
            .flatten();
        Reader { primary, replica }
    }
}

impl Replica {
    /// A query failed here. When the replica looks unreachable it is set
    /// aside, and probed until it answers again.
    fn failed(self: &Arc<Self>, err: &DbErr) {
        if !unreachable(err) {
            return;
        }
        if self.up.swap(false, Ordering::Relaxed) {
            tracing::warn!(
                replica = self.number,
                "read replica unreachable; reading from the primary"
            );
        }
        if self.probing.swap(true, Ordering::Relaxed) {
            return;
        }
        let replica = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                if replica.db.execute_unprepared("SELECT 1").await.is_ok() {
                    break;
                }
            }
            replica.probing.store(false, Ordering::Relaxed);
            replica.up.store(true, Ordering::Relaxed);
            tracing::info!(replica = replica.number, "read replica answers again");
        });
    }
}

/// Whether an error says the replica cannot be reached (rather than that
/// it refused this one query, as a standby refuses a write or cancels a
/// query that conflicts with replay): no connection, a broken one, or the
/// server shutting down (SQLSTATE classes 08, 53 and 57).
fn unreachable(err: &DbErr) -> bool {
    let sqlx_error = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e.as_ref(),
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx_error {
        sqlx::Error::Database(error) => error.code().is_some_and(|code| {
            ["08", "53", "57"]
                .iter()
                .any(|class| code.starts_with(class))
        }),
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        _ => false,
    }
}

/// The connection one caller's reads take (see the module): a replica when
/// one is up and the reads may lag, the primary otherwise.
pub struct Reader<'a> {
    primary: &'a DatabaseConnection,
    replica: Option<&'a Arc<Replica>>,
}

impl<'a> Reader<'a> {
    /// Every read on the primary (read-your-writes).
    pub fn primary(primary: &'a DatabaseConnection) -> Self {
        Reader {
            primary,
            replica: None,
        }
    }

    /// The replica to ask, while it is up.
    fn live_replica(&self) -> Option<&'a Arc<Replica>> {
        self.replica.filter(|r| r.up.load(Ordering::Relaxed))
    }
}

#[async_trait]
impl ConnectionTrait for Reader<'_> {
    fn get_database_backend(&self) -> DbBackend {
        self.primary.get_database_backend()
    }

    /// Statements that change something go to the primary.
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.primary.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.primary.execute_unprepared(sql).await
    }

    /// A query the replica does not answer (an INSERT … RETURNING it
    /// refuses as read-only, say) is asked of the primary.
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        if let Some(replica) = self.live_replica() {
            match replica.db.query_one_raw(stmt.clone()).await {
                Ok(row) => return Ok(row),
                Err(err) => replica.failed(&err),
            }
        }
        self.primary.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        if let Some(replica) = self.live_replica() {
            match replica.db.query_all_raw(stmt.clone()).await {
                Ok(rows) => return Ok(rows),
                Err(err) => replica.failed(&err),
            }
        }
        self.primary.query_all_raw(stmt).await
    }
}
