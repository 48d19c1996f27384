//! The operators' metrics: on their own address only, counting requests by
//! operation name. The recorder is one per process (and so shared by every
//! test server): each test counts an operation name of its own.

use rand::Rng;
use serde_json::json;

use crate::helpers::*;

async fn scrape(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("http://{}/metrics", app.metrics_address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap()
}

/// The value of the sample whose line starts with `name{` and holds every label.
fn sample(scrape: &str, name: &str, labels: &[&str]) -> Option<f64> {
    scrape
        .lines()
        .filter(|line| line.starts_with(&format!("{name}{{")))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next()?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_operation_on_their_own_address_only() {
    let app = spawn_app().await;
    let public = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status().as_u16(), 404, "never on the public port");

    let name = format!("MetricsProbe{:08x}", rand::thread_rng().r#gen::<u32>());
    let operation = format!("operation=\"{name}\"");
    let query = format!("query {name} {{ __typename }}");
    app.gql(None, &query, json!({})).await;
    let first = scrape(&app).await;
    assert_eq!(
        sample(
            &first,
            "gongkai_graphql_requests_total",
            &[&operation, "code=\"OK\""]
        ),
        Some(1.0),
        "{first}"
    );
    app.gql(None, &query, json!({})).await;
    let wrong = format!("query {name} {{ organization(code: 1) {{ name }} }}");
    app.gql(None, &wrong, json!({})).await;
    let second = scrape(&app).await;
    assert_eq!(
        sample(
            &second,
            "gongkai_graphql_requests_total",
            &[&operation, "code=\"OK\""]
        ),
        Some(2.0)
    );
    // A document that fails validation never ran as a named operation.
    assert!(
        sample(
            &second,
            "gongkai_graphql_requests_total",
            &["operation=\"anonymous\"", "code=\"BAD_USER_INPUT\""]
        )
        .is_some_and(|n| n >= 1.0),
        "{second}"
    );
    assert_eq!(
        sample(
            &second,
            "gongkai_graphql_request_duration_seconds_count",
            &[&operation]
        ),
        Some(2.0),
        "{second}"
    );
    assert!(
        sample(&second, "gongkai_db_pool_connections", &["state=\"idle\""]).is_some(),
        "{second}"
    );
}
