//! The SQL forms of domain rules (`store::rules`) select exactly what the
//! domain's functions say, on generated data, on the database the suite
//! runs on (SQLite, or PostgreSQL with GONGKAI_TEST_POSTGRES_URL).

use chrono::{Days, NaiveDate};
use gongkai::domain::deadline::{open_on, overdue};
use gongkai::store::rules;
use gongkai::store::sql::Sql;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::helpers::fresh_database;

struct Sample {
    id: i64,
    received_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    clock_running: bool,
    due_on: NaiveDate,
}

async fn selected(db: &DatabaseConnection, condition: Sql) -> Vec<i64> {
    let query = Sql::new("SELECT id FROM rule_sample WHERE ")
        .then(condition)
        .text(" ORDER BY id");
    db.query_all_raw(query.statement(db.get_database_backend()))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("", "id").unwrap())
        .collect()
}

#[tokio::test]
async fn sql_rules_agree_with_the_domain() {
    let (url, _folder) = fresh_database().await;
    let db = gongkai::startup::open_database(&url).await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE rule_sample (id BIGINT PRIMARY KEY, received_on DATE NOT NULL,
         closed_on DATE, clock_running BOOLEAN NOT NULL, due_on DATE NOT NULL)",
    )
    .await
    .unwrap();
    let start = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
    let day = |n: u64| start + Days::new(n);
    let mut rng = StdRng::seed_from_u64(2026);
    let samples: Vec<Sample> = (0..300)
        .map(|id| {
            let received = rng.gen_range(0..40);
            Sample {
                id,
                received_on: day(received),
                closed_on: rng
                    .gen_bool(0.5)
                    .then(|| day(received + rng.gen_range(0..20))),
                clock_running: rng.gen_bool(0.6),
                due_on: day(received + rng.gen_range(0..40)),
            }
        })
        .collect();
    for s in &samples {
        let insert = Sql::new("INSERT INTO rule_sample VALUES (")
            .value(s.id)
            .text(", ")
            .value(s.received_on)
            .text(", ")
            .value(s.closed_on)
            .text(", ")
            .value(s.clock_running)
            .text(", ")
            .value(s.due_on)
            .text(")");
        db.execute_raw(insert.statement(db.get_database_backend()))
            .await
            .unwrap();
    }
    for n in 0..70 {
        let d = day(n);
        let expected: Vec<i64> = samples
            .iter()
            .filter(|s| open_on(s.received_on, s.closed_on, d))
            .map(|s| s.id)
            .collect();
        let found = selected(&db, rules::open_on("received_on", "closed_on", d)).await;
        assert_eq!(found, expected, "open on {d}");
        let expected: Vec<i64> = samples
            .iter()
            .filter(|s| overdue(s.clock_running, s.due_on, d))
            .map(|s| s.id)
            .collect();
        let found = selected(&db, rules::overdue("clock_running", "due_on", d)).await;
        assert_eq!(found, expected, "overdue on {d}");
    }
}
