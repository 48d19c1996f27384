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

const SET_CONTACT: &str = "mutation($id: ID!, $c: OrganizationContactInput!) { setOrganizationContact(organizationId: $id, input: $c) { code contact { officeName officeAddress officeHours phone fax email } } }";

fn contact(office: &str) -> serde_json::Value {
    json!({ "officeName": office, "officeAddress": "广州市番禺区南村镇兴南大道368号",
            "officeHours": "工作日 9:00-12:00", "phone": "020-34820000转801",
            "fax": "(020) 3482 0001", "email": "gongkai@pync.gov.example" })
}

#[tokio::test]
async fn contact_details_are_kept_by_the_org_admin_and_admin_and_read_by_all() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let xinzao = app.org_id("PYXZ").await;
    let set = |token: Option<String>, id: String, office: &'static str| {
        let app = &app;
        async move {
            app.gql(
                token.as_deref(),
                SET_CONTACT,
                json!({ "id": id, "c": contact(office) }),
            )
            .await
        }
    };

    let org_admin = app.login(ORG_ADMIN).await;
    let own = set(Some(org_admin.clone()), nancun.clone(), "  南村镇党政办  ").await;
    let kept = &own["data"]["setOrganizationContact"]["contact"];
    assert_eq!(kept["officeName"], "南村镇党政办", "trimmed: {own}");
    assert_eq!(kept["phone"], "020-34820000转801");
    assert_eq!(kept["fax"], "(020) 3482 0001");

    // Another organisation's, or by staff who are not its administrator: refused.
    assert_error(
        &set(Some(org_admin), xinzao.clone(), "x").await,
        "FORBIDDEN",
    );
    for account in [CLERK, APPROVER, OVERSIGHT] {
        let token = app.login(account).await;
        assert_error(&set(Some(token), nancun.clone(), "x").await, "FORBIDDEN");
    }
    assert_error(&set(None, nancun.clone(), "x").await, "UNAUTHENTICATED");
    assert_error(
        &set(Some(app.login(ADMIN).await), "999999".into(), "x").await,
        "NOT_FOUND",
    );

    // ADMIN, any organisation; a part left out is cleared.
    let admin = app.login(ADMIN).await;
    let cleared = app
        .gql(
            Some(&admin),
            SET_CONTACT,
            json!({ "id": xinzao, "c": { "officeName": "新造镇党政办", "email": "" } }),
        )
        .await;
    let kept = &cleared["data"]["setOrganizationContact"]["contact"];
    assert_eq!(kept["officeName"], "新造镇党政办", "{cleared}");
    assert_eq!(kept["email"], serde_json::Value::Null);
    assert_eq!(kept["phone"], serde_json::Value::Null);

    // The public reads what was kept.
    let read = app
        .gql(
            None,
            "query($id: ID) { organization(id: $id) { contact { officeName phone } } }",
            json!({ "id": nancun }),
        )
        .await;
    assert_eq!(
        read["data"]["organization"]["contact"],
        json!({ "officeName": "南村镇党政办", "phone": "020-34820000转801" })
    );
}

#[tokio::test]
async fn invalid_contact_details_are_named_field_by_field_and_nothing_is_kept() {
    let app = spawn_app().await;
    let nancun = app.org_id("PYNC").await;
    let admin = app.login(ADMIN).await;
    let bad = json!({ "officeName": "办".repeat(101), "officeAddress": "南村镇",
                      "phone": "电话020", "fax": "1234", "email": "gongkai@" });
    let answer = app
        .gql(Some(&admin), SET_CONTACT, json!({ "id": nancun, "c": bad }))
        .await;
    assert_eq!(answer["data"], serde_json::Value::Null, "{answer}");
    let errors = answer["errors"].as_array().unwrap();
    let named: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| {
            assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
            (
                e["extensions"]["field"].as_str().unwrap(),
                e["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("officeName", "不能超过100个字"),
            (
                "phone",
                "电话号码格式有误，如 020-84771234 或 020-84771234转801"
            ),
            ("fax", "传真号码格式有误，如 020-84771235"),
            ("email", "电子邮箱格式有误"),
        ]
    );
    let read = app
        .gql(
            None,
            "query($id: ID) { organization(id: $id) { contact { officeAddress } } }",
            json!({ "id": nancun }),
        )
        .await;
    assert_ne!(
        read["data"]["organization"]["contact"]["officeAddress"], "南村镇",
        "nothing kept: {read}"
    );
}
