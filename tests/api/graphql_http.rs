//! GraphQL over HTTP: the media types of the spec, and persisted queries.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::helpers::*;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post_accepting(app: &TestApp, accept: &str, body: Value) -> (u16, String, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header(ACCEPT, accept)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.json().await.unwrap())
}

#[tokio::test]
async fn the_graphql_response_media_type_answers_request_errors_with_400_and_no_data() {
    let app = spawn_app().await;
    let (status, content_type, answer) =
        post_accepting(&app, GRAPHQL_RESPONSE, json!({ "query": "{ __typename }" })).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
    assert_eq!(answer["data"]["__typename"], "Query");

    let request_errors = [
        json!({ "query": "{" }),
        json!({ "query": "{ noSuchField }" }),
        json!({
            "query": "query($id: ID!) { organization(id: $id) { name } }",
            "variables": { "id": { "not": "an id" } }
        }),
    ];
    for body in request_errors {
        let (status, content_type, answer) =
            post_accepting(&app, GRAPHQL_RESPONSE, body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
        assert!(answer.get("data").is_none(), "{answer}");
        assert_error(&answer, "BAD_USER_INPUT");

        // application/json (and no preference) keeps 200 with `data: null`.
        for accept in ["application/json", "*/*"] {
            let (status, content_type, answer) = post_accepting(&app, accept, body.clone()).await;
            assert_eq!(status, 200, "{accept}: {body} → {answer}");
            assert!(
                content_type.starts_with("application/json"),
                "{content_type}"
            );
            assert_eq!(answer["data"], Value::Null, "{answer}");
            assert_error(&answer, "BAD_USER_INPUT");
        }
    }

    // An error raised while running is a field error, not a request error,
    // even when it nulls the whole `data` (login's payload is non-null).
    let (status, _, answer) = post_accepting(
        &app,
        GRAPHQL_RESPONSE,
        json!({ "query": r#"mutation { login(username: "nobody", password: "wrong") { accessToken } }"# }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"], Value::Null, "{answer}");
    assert_error(&answer, "UNAUTHENTICATED");

    // Ranked below application/json, the new type is not chosen.
    let (_, content_type, _) = post_accepting(
        &app,
        "application/graphql-response+json;q=0.5, application/json",
        json!({ "query": "{ __typename }" }),
    )
    .await;
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn persisted_queries_are_kept_by_hash_and_sent_by_get_only_as_queries() {
    let app = spawn_app().await;
    let query = "query Districts { organizations { code } }";
    let hash = sha256_hex(query);

    let hash_only = json!({ "extensions": persisted(&hash) });
    let (status, _, miss) = post_accepting(&app, "application/json", hash_only.clone()).await;
    assert_eq!(status, 200);
    assert_error(&miss, "PERSISTED_QUERY_NOT_FOUND");

    let (_, _, first) = post_accepting(
        &app,
        "application/json",
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    assert!(first.get("errors").is_none(), "{first}");
    assert!(
        !first["data"]["organizations"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let (_, _, again) = post_accepting(&app, "application/json", hash_only).await;
    assert_eq!(again, first);

    // By GET, cacheable: the hash in the query string, no text.
    let extensions = persisted(&hash).to_string();
    let by_get: Value = app
        .client
        .get(app.url("/graphql"))
        .query(&[("extensions", extensions.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_get, first);

    // A wrong hash for the text is refused, and stores nothing.
    let (_, _, mismatch) = post_accepting(
        &app,
        "application/json",
        json!({ "query": "{ __typename }", "extensions": persisted(&hash[1..]) }),
    )
    .await;
    assert_error(&mismatch, "BAD_USER_INPUT");

    // A mutation persisted by POST is never run by GET, by hash or by text.
    let mutation =
        r#"mutation Out { login(username: "nobody", password: "wrong") { accessToken } }"#;
    let mutation_hash = sha256_hex(mutation);
    let (_, _, stored) = post_accepting(
        &app,
        "application/json",
        json!({ "query": mutation, "extensions": persisted(&mutation_hash) }),
    )
    .await;
    assert!(stored.get("data").is_some(), "{stored}");
    let mutation_extensions = persisted(&mutation_hash).to_string();
    for params in [
        vec![("extensions", mutation_extensions.as_str())],
        vec![
            ("query", mutation),
            ("extensions", mutation_extensions.as_str()),
        ],
    ] {
        let response = app
            .client
            .get(app.url("/graphql"))
            .query(&params)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 405, "{params:?}");
        let answer: Value = response.json().await.unwrap();
        assert_error(&answer, "BAD_USER_INPUT");
        assert!(
            answer["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("POST")
        );
    }
}
