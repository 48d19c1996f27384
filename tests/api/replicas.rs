//! Read replicas (`--read-database-url`): the public's catalogue is read on
//! a streaming replica, staff read their writes on the primary, and a
//! replica that stops answering is replaced by the primary without an
//! error. The replica is the real standby `.ci/replica.sh` makes:
//! GONGKAI_TEST_REPLICA_URL names it (its `postgres` database, where
//! pg_stat_statements counts what it ran) and GONGKAI_TEST_REPLICA_CTL the
//! script that stops and starts it.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::*;

const CREATE: &str = "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id } }";
const PUBLISH: &str = "mutation($id: ID!) { publishDisclosure(id: $id) { status } }";
const LIST: &str = "{ disclosures(first: 20) { edges { node { id title } } } }";

fn replica_url() -> Option<String> {
    match (
        std::env::var("GONGKAI_TEST_POSTGRES_URL"),
        std::env::var("GONGKAI_TEST_REPLICA_URL"),
    ) {
        (Ok(_), Ok(replica)) => Some(replica),
        _ => {
            eprintln!(
                "skipped: needs GONGKAI_TEST_POSTGRES_URL and GONGKAI_TEST_REPLICA_URL \
                 (a streaming replica, made by .ci/replica.sh create)"
            );
            None
        }
    }
}

async fn number(db: &DatabaseConnection, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await
    .expect("the query runs")
    .expect("one row")
    .try_get::<i64>("", "n")
    .expect("a number")
}

/// Statements the replica has run in the database `name`.
async fn replica_statements(standby: &DatabaseConnection, name: &str) -> i64 {
    number(
        standby,
        "SELECT COALESCE(SUM(s.calls), 0)::bigint AS n FROM pg_stat_statements s \
         JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1",
        vec![name.into()],
    )
    .await
}

/// Waits until the replica has replayed everything the primary wrote so far.
async fn wait_for_replay(primary: &DatabaseConnection, standby: &DatabaseConnection) {
    let lsn = primary
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_current_wal_lsn()::text AS lsn",
        ))
        .await
        .expect("the primary answers")
        .expect("one row")
        .try_get::<String>("", "lsn")
        .expect("an LSN");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let caught_up = number(
            standby,
            "SELECT (COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false))::int::bigint AS n",
            vec![lsn.clone().into()],
        )
        .await;
        if caught_up == 1 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the replica did not replay {lsn}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `GONGKAI_TEST_REPLICA_CTL action` (stop or start); false without it.
async fn replica_ctl(action: &'static str) -> bool {
    let Ok(ctl) = std::env::var("GONGKAI_TEST_REPLICA_CTL") else {
        return false;
    };
    let status =
        tokio::task::spawn_blocking(move || std::process::Command::new(&ctl).arg(action).status())
            .await
            .expect("the command ran")
            .expect("the command starts");
    assert!(status.success(), "replica {action}: {status}");
    true
}

fn titles(answer: &Value) -> Vec<String> {
    answer["data"]["disclosures"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

fn database_name(url: &str) -> &str {
    url.rsplit_once('/').expect("a database name").1
}

/// Drafts and publishes an item of 南村镇; answers its title.
async fn publish(app: &TestApp, clerk: &str, approver: &str, title: &str) -> String {
    let categories = app
        .gql(None, "{ disclosureCategories { id code } }", json!({}))
        .await;
    let category = categories["data"]["disclosureCategories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "TZGG")
        .unwrap()["id"]
        .clone();
    let input = json!({ "organizationId": app.org_id("PYNC").await, "categoryId": category,
        "title": title, "body": "各村（社区）：请做好准备。", "formedOn": "2026-11-02" });
    let created = app.gql(Some(clerk), CREATE, json!({ "i": input })).await;
    let id = created["data"]["createDisclosure"]["id"].clone();
    let published = app.gql(Some(approver), PUBLISH, json!({ "id": id })).await;
    assert_eq!(
        published["data"]["publishDisclosure"]["status"], "PUBLISHED",
        "{published}"
    );
    title.to_owned()
}

#[tokio::test]
async fn public_reads_go_to_the_replica_staff_read_their_writes_and_a_stopped_replica_is_skipped() {
    let Some(replica) = replica_url() else {
        return;
    };
    let app = spawn_app_with_replica(&replica).await;
    let name = database_name(&app.database_url).to_owned();
    let primary = Database::connect(std::env::var("GONGKAI_TEST_POSTGRES_URL").unwrap())
        .await
        .expect("the primary answers");
    let standby_url = same_database_on(&replica, "/postgres");
    let standby = Database::connect(&standby_url)
        .await
        .expect("the replica answers");
    let clerk = app.login(CLERK).await;
    let approver = app.login(APPROVER).await;

    // A clerk's read right after a publish is on the primary: it sees the
    // item at once, and the replica runs nothing.
    let title = publish(&app, &clerk, &approver, "关于冬季供暖的通知").await;
    let before = replica_statements(&standby, &name).await;
    let staff = app.gql(Some(&clerk), LIST, json!({})).await;
    assert_eq!(titles(&staff), [title.as_str()], "{staff}");
    assert_eq!(
        replica_statements(&standby, &name).await,
        before,
        "staff read on the primary"
    );

    // The public's listings are run by the replica (one statement each).
    wait_for_replay(&primary, &standby).await;
    let before = replica_statements(&standby, &name).await;
    for _ in 0..3 {
        let public = app.gql(None, LIST, json!({})).await;
        assert_eq!(titles(&public), [title.as_str()], "{public}");
    }
    let ran = replica_statements(&standby, &name).await - before;
    assert!(ran >= 3, "the replica ran {ran} statements for 3 listings");

    // Stopped, the replica is skipped: the public reads the primary, with
    // no error; started again, it serves the public again.
    if !replica_ctl("stop").await {
        eprintln!("GONGKAI_TEST_REPLICA_CTL unset: the replica was not stopped");
        return;
    }
    let stopped = async {
        for _ in 0..5 {
            let public = app.gql(None, LIST, json!({})).await;
            assert!(public.get("errors").is_none(), "{public}");
            assert_eq!(titles(&public), [title.as_str()], "{public}");
        }
    };
    stopped.await;
    assert!(replica_ctl("start").await);
    let standby = Database::connect(&standby_url)
        .await
        .expect("the replica answers again");
    let before = replica_statements(&standby, &name).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let public = app.gql(None, LIST, json!({})).await;
        assert_eq!(titles(&public), [title.as_str()], "{public}");
        if replica_statements(&standby, &name).await > before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "reads did not come back to the replica"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn public_reads_fall_back_to_the_primary_when_no_replica_answers() {
    if std::env::var("GONGKAI_TEST_POSTGRES_URL").is_err() {
        eprintln!("skipped: read replicas are PostgreSQL only");
        return;
    }
    // Nothing listens on port 1 of the loopback.
    let app = spawn_app_with_replica("postgres://postgres@127.0.0.1:1/postgres").await;
    let clerk = app.login(CLERK).await;
    let approver = app.login(APPROVER).await;
    let title = publish(&app, &clerk, &approver, "关于冬季供暖的通知").await;
    for _ in 0..3 {
        let public = app.gql(None, LIST, json!({})).await;
        assert!(public.get("errors").is_none(), "{public}");
        assert_eq!(titles(&public), [title.as_str()], "{public}");
    }
}
