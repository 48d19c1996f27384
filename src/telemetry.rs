//! Logs (human text or one JSON object per line) and metrics (Prometheus
//! text, served on `--metrics-bind` only). No label or log field carries
//! personal data: operations are named by the client's operation name,
//! outcomes by error code.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use clap::ValueEnum;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line (with the request's span fields).
    Json,
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"))
}

/// Logs to standard error; `RUST_LOG` refines the default filter.
pub fn init(format: LogFormat) {
    match format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
        LogFormat::Json => json_subscriber(std::io::stderr).init(),
    }
}

/// The JSON logger: the event's fields at the top level, the request's span
/// (its request id) beside them.
fn json_subscriber<W>(writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_env_filter(filter())
        .with_writer(writer)
        .finish()
}

/// The process's metrics recorder, installed on first use: one per process
/// (tests run many servers in one, and all of them render the same one).
pub fn metrics() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ])
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first");
        }
        handle
    })
}

/// Distinct operation names kept as labels; later ones count as `other`, so
/// that clients inventing names cannot grow the metrics without bound.
const MAX_OPERATION_LABELS: usize = 200;
const MAX_OPERATION_LABEL_CHARS: usize = 64;

/// The label of an operation: its name when the document named it
/// (GraphQL names are ASCII letters, digits and `_`; anything else is
/// dropped, and long names are cut), `anonymous` otherwise.
pub fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name else {
        return "anonymous".to_owned();
    };
    let label: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(MAX_OPERATION_LABEL_CHARS)
        .collect();
    if label.is_empty() {
        return "anonymous".to_owned();
    }
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if seen.contains(&label) || seen.len() < MAX_OPERATION_LABELS {
        seen.insert(label.clone());
        label
    } else {
        "other".to_owned()
    }
}

/// One GraphQL request: its operation, outcome (`OK` or the first error's
/// code) and time.
pub fn graphql_request(operation: &str, outcome: &str, seconds: f64) {
    let labels = [
        ("operation", operation.to_owned()),
        ("code", outcome.to_owned()),
    ];
    metrics::counter!("gongkai_graphql_requests_total", &labels).increment(1);
    metrics::histogram!(
        "gongkai_graphql_request_duration_seconds",
        "operation" => operation.to_owned()
    )
    .record(seconds);
}

/// A request refused by a rate limit (`where`: a GraphQL operation or an export).
pub fn rate_limited(at: &str) {
    metrics::counter!("gongkai_rate_limited_total", "operation" => at.to_owned()).increment(1);
}

/// One reminder sweep.
pub fn reminder_sweep(ok: bool, seconds: f64) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!("gongkai_reminder_sweeps_total", "outcome" => outcome).increment(1);
    metrics::histogram!("gongkai_reminder_sweep_duration_seconds").record(seconds);
}

/// One webhook delivery attempt: `delivered`, `refused` (a non-2xx
/// answer), `unanswered` or `given_up`.
pub fn webhook_delivery(outcome: &'static str) {
    metrics::counter!("gongkai_webhook_deliveries_total", "outcome" => outcome).increment(1);
}

/// The database pool at the moment of a scrape.
pub fn database_pool(db: &sea_orm::DatabaseConnection) {
    let pool = crate::store::pool_stats(db);
    metrics::gauge!("gongkai_db_pool_connections", "state" => "in_use").set(f64::from(pool.in_use));
    metrics::gauge!("gongkai_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!("gongkai_db_pool_max_connections").set(f64::from(pool.max));
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A writer into memory, for reading back the log lines.
    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Lines {
        type Writer = Lines;
        fn make_writer(&'a self) -> Lines {
            self.clone()
        }
    }

    #[test]
    fn json_log_lines_parse_with_request_id_operation_status_and_milliseconds() {
        let lines = Lines::default();
        tracing::subscriber::with_default(json_subscriber(lines.clone()), || {
            let span = tracing::info_span!("graphql", request_id = "00000000deadbeef");
            let _entered = span.enter();
            tracing::info!(
                operation = "WorkList",
                code = "OK",
                status = 200u16,
                ms = 12u64,
                "graphql request"
            );
            tracing::info!(
                operation = "anonymous",
                code = "BAD_USER_INPUT",
                status = 400u16,
                ms = 1u64,
                "graphql request"
            );
        });
        let written = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        let parsed: Vec<serde_json::Value> = written
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
            .collect();
        assert_eq!(parsed.len(), 2, "{written}");
        assert_eq!(parsed[0]["span"]["request_id"], "00000000deadbeef");
        assert_eq!(parsed[0]["operation"], "WorkList");
        assert_eq!(parsed[0]["status"], 200);
        assert_eq!(parsed[0]["ms"], 12);
        assert_eq!(parsed[1]["code"], "BAD_USER_INPUT");
    }

    #[test]
    fn operation_labels_are_named_operations_sanitized_and_cut() {
        assert_eq!(operation_label(None), "anonymous");
        assert_eq!(operation_label(Some("WorkList")), "WorkList");
        assert_eq!(operation_label(Some("张三")), "anonymous");
        assert_eq!(
            operation_label(Some(&"A".repeat(100))).len(),
            MAX_OPERATION_LABEL_CHARS
        );
    }
}
