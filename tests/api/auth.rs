use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::*;

const ME: &str = "{ me { username role organization { code } } }";

#[tokio::test]
async fn login_gives_a_token_that_identifies_the_user() {
    let app = spawn_app().await;
    let token = app.login(CLERK).await;
    let me = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["username"], "nancun.clerk");
    assert_eq!(me["data"]["me"]["role"], "CLERK");
    assert_eq!(me["data"]["me"]["organization"]["code"], "PYNC");
    // Usernames are case-insensitive.
    app.login(("Nancun.Clerk", CLERK.1)).await;
}

#[tokio::test]
async fn anonymous_me_is_null_without_error() {
    let app = spawn_app().await;
    let me = app.gql(None, ME, json!({})).await;
    assert_eq!(me, json!({ "data": { "me": null } }));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_fail_alike() {
    let app = spawn_app().await;
    let wrong = app.try_login((CLERK.0, "not the password")).await;
    let unknown = app.try_login(("nobody.here", "not the password")).await;
    assert_error(&wrong, "UNAUTHENTICATED");
    assert_error(&unknown, "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"],
        unknown["errors"][0]["message"]
    );
    assert_eq!(wrong["data"], Value::Null);
}

#[tokio::test]
async fn five_failures_lock_the_username_whatever_the_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_error(
            &app.try_login((CLERK.0, "wrong password")).await,
            "UNAUTHENTICATED",
        );
    }
    assert_error(&app.try_login(CLERK).await, "RATE_LIMITED");
    // Other users are not affected.
    app.login(APPROVER).await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.try_login((CLERK.0, "wrong password")).await;
    }
    app.login(CLERK).await;
    for _ in 0..4 {
        app.try_login((CLERK.0, "wrong password")).await;
    }
    app.login(CLERK).await;
}

fn claims(app: &TestApp, overrides: Value) -> Value {
    let now = app.clock.now().timestamp();
    let mut claims = json!({
        "sub": "1", "role": "CLERK", "org": "2", "ver": 1,
        "iss": "gongkai", "aud": "gongkai-api", "iat": now, "exp": now + 3600,
    });
    for (key, value) in overrides.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_and_stale_tokens_are_refused() {
    let app = spawn_app().await;
    let token = app.login(CLERK).await;
    let me = app.gql(Some(&token), "{ me { id } }", json!({})).await;
    let id = me["data"]["me"]["id"].as_str().unwrap().to_owned();

    // A correctly signed token for the same user is accepted: the forgeries
    // below fail for their one defect only.
    let genuine = sign(&claims(&app, json!({ "sub": id })), JWT_SECRET);
    assert_eq!(
        app.gql(Some(&genuine), "{ me { id } }", json!({})).await["data"]["me"]["id"],
        id
    );

    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let admin_payload =
        URL_SAFE_NO_PAD.encode(claims(&app, json!({ "sub": id, "role": "ADMIN" })).to_string());
    let past = app.clock.now().timestamp() - 7200;
    let forgeries = [
        (
            "tampered payload",
            format!("{header}.{admin_payload}.{signature}"),
        ),
        (
            "tampered signature",
            format!("{header}.{payload}.{}x", &signature[..signature.len() - 1]),
        ),
        (
            "expired",
            sign(
                &claims(&app, json!({ "sub": id, "iat": past, "exp": past + 60 })),
                JWT_SECRET,
            ),
        ),
        (
            "wrong audience",
            sign(
                &claims(&app, json!({ "sub": id, "aud": "another-api" })),
                JWT_SECRET,
            ),
        ),
        (
            "wrong issuer",
            sign(
                &claims(&app, json!({ "sub": id, "iss": "someone" })),
                JWT_SECRET,
            ),
        ),
        (
            "other key",
            sign(
                &claims(&app, json!({ "sub": id })),
                "some-other-key-of-at-least-32-bytes!!",
            ),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
                URL_SAFE_NO_PAD.encode(claims(&app, json!({ "sub": id })).to_string())
            ),
        ),
        (
            "old token version",
            sign(&claims(&app, json!({ "sub": id, "ver": 0 })), JWT_SECRET),
        ),
    ];
    for (what, forged) in forgeries {
        let answer = app.gql(Some(&forged), "{ me { id } }", json!({})).await;
        assert_eq!(
            error_code(&answer),
            Some("UNAUTHENTICATED"),
            "{what}: {answer}"
        );
    }
}

#[tokio::test]
async fn during_a_key_rotation_tokens_of_the_previous_key_still_verify() {
    let app = spawn_app_after_key_rotation().await;
    let issued = app.login(CLERK).await;
    let me = app.gql(Some(&issued), "{ me { id } }", json!({})).await;
    let id = me["data"]["me"]["id"].as_str().unwrap().to_owned();
    let cases = [
        ("issued now", issued, true),
        (
            "signed with the new key",
            sign(&claims(&app, json!({ "sub": id })), NEW_JWT_SECRET),
            true,
        ),
        (
            "signed before the rotation",
            sign(&claims(&app, json!({ "sub": id })), JWT_SECRET),
            true,
        ),
        (
            "signed with another key",
            sign(
                &claims(&app, json!({ "sub": id })),
                "some-other-key-of-at-least-32-bytes!!",
            ),
            false,
        ),
    ];
    for (what, token, valid) in cases {
        let answer = app.gql(Some(&token), "{ me { id } }", json!({})).await;
        let accepted = answer["data"]["me"]["id"] == json!(id);
        assert_eq!(accepted, valid, "{what}: {answer}");
    }
}

#[tokio::test]
async fn deactivation_revokes_tokens_at_once() {
    let app = spawn_app().await;
    let clerk = app.login(CLERK).await;
    let org_admin = app.login(ORG_ADMIN).await;
    let me = app.gql(Some(&clerk), "{ me { id } }", json!({})).await;
    let id = me["data"]["me"]["id"].as_str().unwrap().to_owned();

    let answer = app
        .gql(
            Some(&org_admin),
            "mutation($id: ID!) { deactivateUser(id: $id) { active } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        answer["data"]["deactivateUser"]["active"], false,
        "{answer}"
    );
    assert_error(
        &app.gql(Some(&clerk), ME, json!({})).await,
        "UNAUTHENTICATED",
    );
    assert_error(&app.try_login(CLERK).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn changing_a_password_revokes_the_old_tokens() {
    let app = spawn_app().await;
    let token = app.login(CLERK).await;
    let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

    let wrong_current = app
        .gql(
            Some(&token),
            change,
            json!({ "c": "not it at all", "n": "a-new-password-1" }),
        )
        .await;
    assert_error(&wrong_current, "BAD_USER_INPUT");
    assert_eq!(
        wrong_current["errors"][0]["extensions"]["field"],
        "currentPassword"
    );
    let too_short = app
        .gql(Some(&token), change, json!({ "c": CLERK.1, "n": "short" }))
        .await;
    assert_error(&too_short, "BAD_USER_INPUT");
    assert_eq!(too_short["errors"][0]["extensions"]["field"], "newPassword");

    let changed = app
        .gql(
            Some(&token),
            change,
            json!({ "c": CLERK.1, "n": "a-new-password-1" }),
        )
        .await;
    assert_eq!(changed["data"]["changePassword"], true, "{changed}");
    assert_error(
        &app.gql(Some(&token), ME, json!({})).await,
        "UNAUTHENTICATED",
    );
    assert_error(&app.try_login(CLERK).await, "UNAUTHENTICATED");
    app.login((CLERK.0, "a-new-password-1")).await;
}

#[tokio::test]
async fn a_reset_password_revokes_the_users_tokens() {
    let app = spawn_app().await;
    let clerk = app.login(CLERK).await;
    let admin = app.login(ADMIN).await;
    let me = app.gql(Some(&clerk), "{ me { id } }", json!({})).await;
    let id = me["data"]["me"]["id"].as_str().unwrap().to_owned();
    let reset = app
        .gql(
            Some(&admin),
            "mutation($u: ID!, $p: String!) { setUserPassword(userId: $u, newPassword: $p) }",
            json!({ "u": id, "p": "reset-by-admin-1" }),
        )
        .await;
    assert_eq!(reset["data"]["setUserPassword"], true, "{reset}");
    assert_error(
        &app.gql(Some(&clerk), ME, json!({})).await,
        "UNAUTHENTICATED",
    );
    app.login((CLERK.0, "reset-by-admin-1")).await;
}
