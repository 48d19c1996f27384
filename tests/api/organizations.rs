use serde_json::json;

use crate::helpers::*;

const CREATE_ORG: &str = "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id code name kind parent { code } } }";

#[tokio::test]
async fn organizations_are_public_with_parent_and_children() {
    let app = spawn_app().await;
    let answer = app
        .gql(None, "{ organization(code: \"PY\") { code kind parent { code } children { code kind parent { code } } } }", json!({}))
        .await;
    let district = &answer["data"]["organization"];
    assert_eq!(district["kind"], "DISTRICT");
    assert_eq!(district["parent"], serde_json::Value::Null);
    let children = district["children"].as_array().unwrap();
    assert!(children.len() >= 6, "{answer}");
    assert!(children.iter().all(|c| c["parent"]["code"] == "PY"));
    assert!(
        children
            .iter()
            .any(|c| c["code"] == "PYNC" && c["kind"] == "TOWN")
    );

    let all = app.gql(None, "{ organizations { code } }", json!({})).await;
    assert_eq!(
        all["data"]["organizations"].as_array().unwrap().len(),
        children.len() + 1
    );

    let id = app.org_id("PYNC").await;
    let by_id = app
        .gql(
            None,
            "query($id: ID) { organization(id: $id) { code } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(by_id["data"]["organization"]["code"], "PYNC");
}

#[tokio::test]
async fn unknown_organizations_are_null_with_not_found() {
    let app = spawn_app().await;
    for variables in [
        json!({ "code": "NOPE" }),
        json!({ "id": "424242" }),
        json!({ "id": "x" }),
    ] {
        let answer = app
            .gql(
                None,
                "query($id: ID, $code: String) { organization(id: $id, code: $code) { code } }",
                variables,
            )
            .await;
        assert_eq!(answer["data"]["organization"], serde_json::Value::Null);
        assert_error(&answer, "NOT_FOUND");
    }
    let neither = app.gql(None, "{ organization { code } }", json!({})).await;
    assert_error(&neither, "BAD_USER_INPUT");
}

#[tokio::test]
async fn admin_creates_organizations_in_a_tree() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let district = app.org_id("PY").await;
    let town =
        json!({ "code": "PYSL", "name": "石楼镇人民政府", "kind": "TOWN", "parentId": district });
    let created = app
        .gql(Some(&admin), CREATE_ORG, json!({ "i": town }))
        .await;
    assert_eq!(
        created["data"]["createOrganization"]["parent"]["code"], "PY",
        "{created}"
    );

    let another_district = json!({ "code": "HZ", "name": "海珠区人民政府", "kind": "DISTRICT" });
    let created = app
        .gql(Some(&admin), CREATE_ORG, json!({ "i": another_district }))
        .await;
    assert_eq!(
        created["data"]["createOrganization"]["kind"], "DISTRICT",
        "{created}"
    );

    let cases = [
        (
            json!({ "code": "PYSL", "name": "重复", "kind": "TOWN", "parentId": district }),
            "CONFLICT",
            None,
        ),
        (
            json!({ "code": "pysl2", "name": "小写", "kind": "TOWN", "parentId": district }),
            "BAD_USER_INPUT",
            Some("code"),
        ),
        (
            json!({ "code": "PYW1", "name": "", "kind": "TOWN", "parentId": district }),
            "BAD_USER_INPUT",
            Some("name"),
        ),
        (
            json!({ "code": "PYW2", "name": "无上级镇", "kind": "TOWN" }),
            "BAD_USER_INPUT",
            Some("parentId"),
        ),
        (
            json!({ "code": "PYW3", "name": "有上级的区", "kind": "DISTRICT", "parentId": district }),
            "BAD_USER_INPUT",
            Some("parentId"),
        ),
        (
            json!({ "code": "PYW4", "name": "上级不存在", "kind": "TOWN", "parentId": "987654" }),
            "NOT_FOUND",
            None,
        ),
    ];
    for (input, code, field) in cases {
        let answer = app
            .gql(Some(&admin), CREATE_ORG, json!({ "i": input }))
            .await;
        assert_error(&answer, code);
        if let Some(field) = field {
            assert_eq!(
                answer["errors"][0]["extensions"]["field"], field,
                "{answer}"
            );
        }
    }
    let all = app.gql(None, "{ organizations { code } }", json!({})).await;
    let codes: Vec<_> = all["data"]["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].clone())
        .collect();
    assert!(
        !codes.iter().any(|c| c.as_str().unwrap().starts_with("PYW")),
        "nothing half-written: {codes:?}"
    );
}
