//! docs/DESIGN.md's role table for the operations of the foundation: users,
//! organisations and the calendar. Each case names the caller, the call and
//! the expected outcome (Ok or an error code).

use serde_json::{Value, json};

use crate::helpers::*;

const CREATE_USER: &str =
    "mutation($i: CreateUserInput!) { createUser(input: $i) { id role organization { code } } }";
const CREATE_ORG: &str = "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id code parent { code } } }";
const SET_DAYS: &str =
    "mutation($d: [CalendarDayInput!]!) { setCalendarDays(days: $d) { date kind } }";
const CLEAR_DAYS: &str = "mutation($d: [Date!]!) { clearCalendarDays(dates: $d) }";
const SET_PASSWORD: &str =
    "mutation($u: ID!, $p: String!) { setUserPassword(userId: $u, newPassword: $p) }";
const DEACTIVATE: &str = "mutation($id: ID!) { deactivateUser(id: $id) { active } }";

fn outcome(answer: &Value) -> &str {
    error_code(answer).unwrap_or("OK")
}

/// Tokens of the demo users, plus a CLERK and an ORG_ADMIN of another town.
struct Callers {
    tokens: Vec<(&'static str, Option<String>)>,
}

impl Callers {
    async fn new(app: &TestApp) -> Self {
        app.create_user("xinzao.clerk", "CLERK", "PYXZ", "xinzao-clerk-2026")
            .await;
        app.create_user("xinzao.admin", "ORG_ADMIN", "PYXZ", "xinzao-admin-2026")
            .await;
        let mut tokens = vec![("public", None)];
        for (name, credentials) in [
            ("clerk", CLERK),
            ("approver", APPROVER),
            ("org_admin", ORG_ADMIN),
            ("oversight", OVERSIGHT),
            ("admin", ADMIN),
            ("other_clerk", ("xinzao.clerk", "xinzao-clerk-2026")),
            ("other_org_admin", ("xinzao.admin", "xinzao-admin-2026")),
        ] {
            tokens.push((name, Some(app.login(credentials).await)));
        }
        Callers { tokens }
    }

    fn token(&self, name: &str) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .as_deref()
    }
}

#[tokio::test]
async fn creating_users() {
    let app = spawn_app().await;
    let callers = Callers::new(&app).await;
    let nancun = app.org_id("PYNC").await;
    let xinzao = app.org_id("PYXZ").await;
    let cases = [
        ("public", "CLERK", &nancun, "UNAUTHENTICATED"),
        ("clerk", "CLERK", &nancun, "FORBIDDEN"),
        ("approver", "CLERK", &nancun, "FORBIDDEN"),
        ("oversight", "CLERK", &nancun, "FORBIDDEN"),
        ("org_admin", "CLERK", &nancun, "OK"),
        ("org_admin", "APPROVER", &nancun, "OK"),
        ("org_admin", "ORG_ADMIN", &nancun, "OK"),
        ("org_admin", "OVERSIGHT", &nancun, "FORBIDDEN"),
        ("org_admin", "ADMIN", &nancun, "FORBIDDEN"),
        ("org_admin", "CLERK", &xinzao, "FORBIDDEN"),
        ("admin", "OVERSIGHT", &xinzao, "OK"),
        ("admin", "ADMIN", &nancun, "OK"),
    ];
    for (index, (caller, role, org, expected)) in cases.into_iter().enumerate() {
        let input = json!({ "username": format!("new.user{index}"), "displayName": "新用户",
            "password": "a-good-password", "role": role, "organizationId": org });
        let answer = app
            .gql(callers.token(caller), CREATE_USER, json!({ "i": input }))
            .await;
        assert_eq!(
            outcome(&answer),
            expected,
            "{caller} creating {role}: {answer}"
        );
        if expected == "OK" {
            assert_eq!(answer["data"]["createUser"]["role"], role);
        }
    }
}

#[tokio::test]
async fn user_input_is_checked() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let nancun = app.org_id("PYNC").await;
    let cases = [
        (
            json!({ "username": "ok.name", "password": "short" }),
            "BAD_USER_INPUT",
            Some("password"),
        ),
        (
            json!({ "username": "x", "password": "a-good-password" }),
            "BAD_USER_INPUT",
            Some("username"),
        ),
        (
            json!({ "username": "nancun.clerk", "password": "a-good-password" }),
            "CONFLICT",
            None,
        ),
        (
            json!({ "username": "ok.name", "password": "a-good-password", "organizationId": "999999" }),
            "NOT_FOUND",
            None,
        ),
        (
            json!({ "username": "ok.name", "password": "a-good-password", "organizationId": "not-an-id" }),
            "NOT_FOUND",
            None,
        ),
    ];
    for (overrides, code, field) in cases {
        let mut input =
            json!({ "displayName": "新用户", "role": "CLERK", "organizationId": nancun });
        for (k, v) in overrides.as_object().unwrap() {
            input[k] = v.clone();
        }
        let answer = app
            .gql(Some(&admin), CREATE_USER, json!({ "i": input }))
            .await;
        assert_error(&answer, code);
        if let Some(field) = field {
            assert_eq!(
                answer["errors"][0]["extensions"]["field"], field,
                "{answer}"
            );
        }
        assert!(
            !answer.to_string().contains("a-good-password"),
            "no input echoed: {answer}"
        );
    }
}

#[tokio::test]
async fn managing_existing_users() {
    let app = spawn_app().await;
    let callers = Callers::new(&app).await;
    // (caller, operation, expected); each case gets a fresh victim at 南村镇.
    let cases = [
        ("public", SET_PASSWORD, "UNAUTHENTICATED"),
        ("clerk", SET_PASSWORD, "NOT_FOUND"),
        ("approver", DEACTIVATE, "NOT_FOUND"),
        ("oversight", DEACTIVATE, "NOT_FOUND"),
        ("other_org_admin", SET_PASSWORD, "NOT_FOUND"),
        ("other_org_admin", DEACTIVATE, "NOT_FOUND"),
        ("org_admin", SET_PASSWORD, "OK"),
        ("org_admin", DEACTIVATE, "OK"),
        ("admin", SET_PASSWORD, "OK"),
        ("admin", DEACTIVATE, "OK"),
    ];
    for (index, (caller, operation, expected)) in cases.into_iter().enumerate() {
        let victim = app
            .create_user(
                &format!("victim{index}"),
                "CLERK",
                "PYNC",
                "victim-password",
            )
            .await;
        let answer = app
            .gql(
                callers.token(caller),
                operation,
                json!({ "u": victim, "id": victim, "p": "another-password" }),
            )
            .await;
        assert_eq!(
            outcome(&answer),
            expected,
            "{caller}: {operation}: {answer}"
        );
    }
    // An ORG_ADMIN sees an OVERSIGHT user of its own organisation but may not manage it.
    let overseer = app
        .create_user("town.overseer", "OVERSIGHT", "PYNC", "overseer-password")
        .await;
    let answer = app
        .gql(
            callers.token("org_admin"),
            DEACTIVATE,
            json!({ "id": overseer }),
        )
        .await;
    assert_error(&answer, "FORBIDDEN");
}

#[tokio::test]
async fn only_admin_creates_organizations_and_sets_the_calendar() {
    let app = spawn_app().await;
    let callers = Callers::new(&app).await;
    let district = app.org_id("PY").await;
    let days = json!([{ "date": "2027-01-01", "kind": "HOLIDAY", "note": "元旦" }]);
    for (index, (caller, _)) in callers.tokens.iter().enumerate() {
        let expected = match *caller {
            "public" => "UNAUTHENTICATED",
            "admin" => "OK",
            _ => "FORBIDDEN",
        };
        let token = callers.token(caller);
        let org = json!({ "code": format!("PYT{index}"), "name": "测试镇", "kind": "TOWN", "parentId": district });
        let answers = [
            app.gql(token, CREATE_ORG, json!({ "i": org })).await,
            app.gql(token, SET_DAYS, json!({ "d": days })).await,
            app.gql(token, CLEAR_DAYS, json!({ "d": ["2027-01-01"] }))
                .await,
        ];
        for answer in answers {
            assert_eq!(outcome(&answer), expected, "{caller}: {answer}");
        }
    }
}
