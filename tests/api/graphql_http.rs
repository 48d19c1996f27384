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
