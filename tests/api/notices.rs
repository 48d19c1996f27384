//! The documents the organ issues: the reply notice (答复告知书) and the
//! published annual report.

use serde_json::json;

use crate::applications::Desk;
use crate::helpers::*;

const NOTICE: &str = "query($id: ID!, $o: ApplicationOutcome, $r: String) {
    application(id: $id) { replyNoticeText(outcome: $o, reply: $r) } }";

async fn notice(app: &TestApp, token: &str, id: &str, outcome: Option<&str>) -> serde_json::Value {
    app.gql(
        Some(token),
        NOTICE,
        json!({ "id": id, "o": outcome, "r": "预算表见附件。" }),
    )
    .await
}

#[tokio::test]
async fn the_reply_notice_is_previewed_then_issued_with_its_article_and_remedies() {
    let app = spawn_app_at(instant("2026-03-02T02:00:00Z")).await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "notice-1", "2026-02-02").await;

    // Open, no outcome: nothing to preview.
    let answer = notice(&app, &desk.clerk, &id, None).await;
    assert_eq!(
        answer["data"]["application"]["replyNoticeText"],
        json!(null),
        "{answer}"
    );
    // A preview with the outcome the clerk is about to choose.
    let answer = notice(&app, &desk.clerk, &id, Some("WITHHELD_STATE_SECRET")).await;
    let preview = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    assert!(
        preview.contains("第三十六条第（三）项、第十四条"),
        "{preview}"
    );
    assert!(preview.contains("具体情况：预算表见附件。"), "{preview}");
    assert!(
        preview.ends_with("2026年3月2日"),
        "the preview closes today: {preview}"
    );

    let closed = app
        .gql(
            Some(&desk.clerk),
            "mutation($id: ID!) { closeApplication(id: $id, input: { outcome: DISCLOSED, closedOn: \"2026-02-27\", reply: \"现提供2025年部门预算。\" }) { status } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        closed["data"]["closeApplication"]["status"], "CLOSED",
        "{closed}"
    );
    // Closed: the notice as issued; a preview's outcome no longer matters.
    let answer = notice(&app, &desk.clerk, &id, Some("OTHER")).await;
    let text = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    for part in [
        "南村镇人民政府\n\n政府信息公开申请答复告知书",
        "张三丰：",
        "PYNC-2026-00001",
        "本机关于2026年2月2日收到",
        "“请公开南村镇2025年部门预算。”",
        "具体情况：现提供2025年部门预算。",
        "依据：《中华人民共和国政府信息公开条例》第三十六条第（二）项。",
        "第五十一条",
        // The town's parent is the district: it hears the review.
        "60日内向广州市番禺区人民政府申请行政复议",
        "6个月内向有管辖权的人民法院提起行政诉讼",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(text.ends_with("南村镇人民政府\n\n2026年2月27日"), "{text}");

    // OVERSIGHT reads it with the name masked; the public must sign in.
    let oversight = app.login(OVERSIGHT).await;
    let answer = notice(&app, &oversight, &id, None).await;
    let masked = answer["data"]["application"]["replyNoticeText"]
        .as_str()
        .unwrap();
    assert!(
        masked.contains("张**：") && !masked.contains("张三丰"),
        "{masked}"
    );
    let answer = app
        .gql(None, NOTICE, json!({ "id": id, "o": null, "r": null }))
        .await;
    assert_error(&answer, "UNAUTHENTICATED");
}
