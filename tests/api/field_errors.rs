//! Every invalid field in one answer (issue 15 §4): one GraphQL error per
//! field, each BAD_USER_INPUT naming its field, and nothing written.

use serde_json::{Value, json};

use crate::helpers::*;

/// The fields the errors of an answer name, in order; asserts each is
/// BAD_USER_INPUT and the data is null.
#[track_caller]
fn fields(answer: &Value, mutation: &str) -> Vec<String> {
    assert_eq!(answer["data"], Value::Null, "{answer}");
    let errors = answer["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"));
    errors
        .iter()
        .map(|e| {
            assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
            assert_eq!(e["path"], json!([mutation]), "{answer}");
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            e["extensions"]["field"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn an_application_with_three_bad_fields_gets_three_errors() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let answer = app
        .gql(
            None,
            "mutation($i: SubmitApplicationInput!) { submitApplication(input: $i) { queryCode } }",
            json!({ "i": { "clientRequestId": "three", "organizationId": nancun, "applicantType": "NATURAL_PERSON",
                    "applicantName": "张三丰", "idNumber": "110105194912310021", "phone": "12345",
                    "description": "   " } }),
        )
        .await;
    let mut named = fields(&answer, "submitApplication");
    named.sort();
    assert_eq!(named, ["description", "idNumber", "phone"]);

    let clerk = app.login(CLERK).await;
    let listed = app
        .gql(Some(&clerk), "{ applications { totalCount } }", json!({}))
        .await;
    assert_eq!(
        listed["data"]["applications"]["totalCount"], 0,
        "nothing written: {listed}"
    );
}

#[tokio::test]
async fn a_disclosure_with_bad_fields_gets_an_error_for_each() {
    let app = spawn_app().await;
    let clerk = app.login(CLERK).await;
    let nancun = app.org_id("PYNC").await;
    let categories = app
        .gql(None, "{ disclosureCategories { id } }", json!({}))
        .await;
    let category = categories["data"]["disclosureCategories"][0]["id"].clone();
    let input = |title: &str, body: &str, formed_on: &str| {
        json!({ "organizationId": nancun, "categoryId": category, "title": title,
                "docNumber": "号".repeat(51), "body": body, "formedOn": formed_on })
    };
    let create = "mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id version } }";
    let answer = app
        .gql(
            Some(&clerk),
            create,
            json!({ "i": input("", " ", "2999-01-01") }),
        )
        .await;
    assert_eq!(
        fields(&answer, "createDisclosure"),
        ["title", "docNumber", "body", "formedOn"]
    );
    let count = "{ disclosures(filter: { status: DRAFT }) { totalCount } }";
    let listed = app.gql(Some(&clerk), count, json!({})).await;
    assert_eq!(
        listed["data"]["disclosures"]["totalCount"], 0,
        "nothing written: {listed}"
    );

    let mut good = input("关于开展安全生产检查的通知", "正文", "2026-11-02");
    good["docNumber"] = json!("番府办〔2024〕12号");
    let created = app.gql(Some(&clerk), create, json!({ "i": good })).await;
    let id = created["data"]["createDisclosure"]["id"].clone();
    assert!(id.is_string(), "{created}");
    let mut moved = input("", "正文", "2026-11-02");
    moved["organizationId"] = json!(app.org_id("PYSQ").await);
    let update = "mutation($id: ID!, $i: DisclosureInput!) { updateDisclosure(id: $id, input: $i, expectedVersion: 1) { title } }";
    let answer = app
        .gql(Some(&clerk), update, json!({ "id": id, "i": moved }))
        .await;
    assert_eq!(
        fields(&answer, "updateDisclosure"),
        ["organizationId", "title", "docNumber"]
    );
    let read = app
        .gql(
            Some(&clerk),
            "query($id: ID) { disclosure(id: $id) { title version } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        read["data"]["disclosure"]["title"], "关于开展安全生产检查的通知",
        "{read}"
    );
    assert_eq!(read["data"]["disclosure"]["version"], 1, "{read}");
}

#[tokio::test]
async fn an_account_with_bad_fields_gets_an_error_for_each() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let nancun = app.org_id("PYNC").await;
    let answer = app
        .gql(
            Some(&admin),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "username": "张伟", "displayName": " ", "password": "short",
                    "role": "CLERK", "organizationId": nancun } }),
        )
        .await;
    assert_eq!(
        fields(&answer, "createUser"),
        ["username", "displayName", "password"]
    );
}
