use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn still_answers(app: &TestApp) {
    let answer = app.gql(None, "{ organizations { code } }", json!({})).await;
    assert!(answer["data"]["organizations"].is_array(), "{answer}");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn too_deep_a_query_is_refused() {
    let app = spawn_app().await;
    // organizations, `levels` nested children, code: depth levels + 2.
    let nested = |levels: usize| {
        let open = "{ children ".repeat(levels);
        let close = " }".repeat(levels);
        format!("{{ organizations {open}{{ code }}{close} }}")
    };
    let over = app.gql(None, &nested(11), json!({})).await;
    assert_error(&over, "QUERY_TOO_COMPLEX");
    assert_eq!(over["errors"][0]["message"], "查询过于复杂或嵌套过深");
    // At the limit (depth 12) it is answered.
    let answer = app.gql(None, &nested(10), json!({})).await;
    assert!(answer["errors"].is_null(), "{answer}");
    still_answers(&app).await;
}

#[tokio::test]
async fn too_many_aliases_are_refused() {
    let app = spawn_app().await;
    let fields: String = (0..31)
        .map(|i| format!("a{i}: organizations {{ code }} "))
        .collect();
    let answer = app.gql(None, &format!("{{ {fields} }}"), json!({})).await;
    assert_error(&answer, "QUERY_TOO_COMPLEX");
    still_answers(&app).await;
}

#[tokio::test]
async fn too_many_directives_are_refused() {
    let app = spawn_app().await;
    let directives = "@include(if: true) ".repeat(5);
    let answer = app
        .gql(
            None,
            &format!("{{ organizations {directives} {{ code }} }}"),
            json!({}),
        )
        .await;
    assert_error(&answer, "QUERY_TOO_COMPLEX");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused() {
    let app = spawn_app().await;
    let padding = " ".repeat(1024 * 1024 + 1);
    let body = format!("{{\"query\": \"{{ organizations {{ code }} }}{padding}\"}}");
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    still_answers(&app).await;
}

#[tokio::test]
async fn only_json_posts_execute() {
    let app = spawn_app().await;
    let query = r#"{"query": "{ organizations { code } }"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", content_type)
            .body(query)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    let batch = app
        .client
        .post(app.url("/graphql"))
        .json(&json!([{ "query": "{ organizations { code } }" }, { "query": "{ me { id } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn get_runs_queries_but_not_mutations() {
    let app = spawn_app().await;
    let query = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ organization(code: \"PY\") { code } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), StatusCode::OK);
    let answer: serde_json::Value = query.json().await.unwrap();
    assert_eq!(answer["data"]["organization"]["code"], "PY");

    let mutation = app
        .client
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            "mutation { login(username: \"a\", password: \"b\") { accessToken } }",
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(mutation.status(), StatusCode::METHOD_NOT_ALLOWED);

    // A browser opening the endpoint is sent to the embedded explorer.
    let explorer = app.client.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(explorer.url().path(), "/explorer");
    assert!(explorer.text().await.unwrap().contains("graphiql.min.js"));
}

#[tokio::test]
async fn malformed_queries_get_bad_user_input() {
    let app = spawn_app().await;
    for query in [
        "{ organizations { nosuchfield } }",
        "{ organizations ",
        "query { addWorkingDays }",
    ] {
        let answer = app.gql(None, query, json!({})).await;
        assert_error(&answer, "BAD_USER_INPUT");
    }
}

/// The alias and directive limits carry their code from the server's own
/// check; complexity, depth and recursion are async-graphql's, known by
/// their texts, which these tests pin.
#[tokio::test]
async fn too_complex_or_too_recursive_a_query_is_refused() {
    let app = spawn_app().await;
    let message = |answer: &serde_json::Value| answer["errors"][0]["message"].clone();
    let codes = |n: usize| format!("{{ organizations {{ {} }} }}", "code ".repeat(n));
    let over = app.gql(None, &codes(5000), json!({})).await;
    assert_error(&over, "QUERY_TOO_COMPLEX");
    assert_eq!(message(&over), "查询过于复杂或嵌套过深");
    let answer = app.gql(None, &codes(4999), json!({})).await;
    assert!(answer["errors"].is_null(), "at the limit: {answer}");

    let nested = format!(
        "{{ organizations {}{{ code }}{} }}",
        "{ children ".repeat(40),
        " }".repeat(40)
    );
    let recursive = app.gql(None, &nested, json!({})).await;
    assert_error(&recursive, "QUERY_TOO_COMPLEX");
    assert_eq!(message(&recursive), "查询过于复杂或嵌套过深");
    still_answers(&app).await;
}
