use gongkai::config::{CalendarCommand, CalendarExportArgs, CalendarImportArgs, DatabaseArgs};
use serde_json::json;

use crate::applications::Desk;
use crate::helpers::*;

const ADD: &str = "query($f: Date!, $d: Int!) { addWorkingDays(from: $f, days: $d) }";
const SET_DAYS: &str =
    "mutation($d: [CalendarDayInput!]!) { setCalendarDays(days: $d) { date kind note } }";

async fn add(app: &TestApp, from: &str, days: i64) -> serde_json::Value {
    app.gql(None, ADD, json!({ "f": from, "d": days })).await
}

#[tokio::test]
async fn add_working_days_across_the_spring_festivals() {
    let app = spawn_app().await;
    // (from, days, expected): docs/DESIGN.md's worked examples and the 调休 Saturdays.
    let cases = [
        ("2025-01-24", 20, "2025-02-27"),
        ("2025-01-24", 1, "2025-01-26"), // Sunday 2025-01-26 is a WORKDAY
        ("2025-01-27", 1, "2025-02-05"), // 2025-01-28 .. 02-04 春节
        ("2025-02-07", 1, "2025-02-08"), // Saturday 2025-02-08 is a WORKDAY
        ("2025-09-26", 20, "2025-10-30"),
        ("2026-02-13", 20, "2026-03-19"),
        ("2026-02-13", 7, "2026-03-02"),
        ("2026-02-13", 1, "2026-02-14"), // Saturday 2026-02-14 is a WORKDAY
        ("2026-02-14", 1, "2026-02-24"), // 2026-02-15 .. 02-23 春节
        ("2026-02-27", 1, "2026-02-28"), // Saturday 2026-02-28 is a WORKDAY
        ("2026-02-13", 0, "2026-02-13"),
    ];
    for (from, days, expected) in cases {
        let answer = add(&app, from, days).await;
        assert_eq!(
            answer["data"]["addWorkingDays"], expected,
            "{from} + {days}: {answer}"
        );
    }
}

#[tokio::test]
async fn add_working_days_bounds() {
    let app = spawn_app().await;
    let far = add(&app, "2026-01-05", 1000).await;
    assert!(far["data"]["addWorkingDays"].is_string(), "{far}");
    for days in [-1, 1001] {
        let answer = add(&app, "2026-01-05", days).await;
        assert_error(&answer, "BAD_USER_INPUT");
        assert_eq!(answer["errors"][0]["extensions"]["field"], "days");
    }
    assert_error(&add(&app, "2026-02-30", 1).await, "BAD_USER_INPUT");
    assert_error(&add(&app, "26-2-3", 1).await, "BAD_USER_INPUT");
}

#[tokio::test]
async fn the_calendar_lists_a_years_days() {
    let app = spawn_app().await;
    let answer = app
        .gql(
            None,
            "{ workingCalendar(year: 2025) { date kind note } }",
            json!({}),
        )
        .await;
    let days = answer["data"]["workingCalendar"].as_array().unwrap();
    assert!(
        days.iter()
            .all(|d| d["date"].as_str().unwrap().starts_with("2025-"))
    );
    assert!(days.contains(&json!({ "date": "2025-01-26", "kind": "WORKDAY", "note": "春节调休" })));
    assert!(
        days.contains(
            &json!({ "date": "2025-10-01", "kind": "HOLIDAY", "note": "国庆节、中秋节" })
        )
    );
    let empty = app
        .gql(None, "{ workingCalendar(year: 2030) { date } }", json!({}))
        .await;
    assert_eq!(empty["data"]["workingCalendar"], json!([]));
}

#[tokio::test]
async fn admin_keeps_the_calendar_current() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    // 2027 follows the last announced year: only weekends rest.
    assert_eq!(LAST_ANNOUNCED_YEAR + 1, 2027);
    let unannounced = app
        .gql(None, "{ workingCalendar(year: 2027) { date } }", json!({}))
        .await;
    assert_eq!(unannounced["data"]["workingCalendar"], json!([]));
    assert_eq!(
        add(&app, "2026-12-31", 1).await["data"]["addWorkingDays"],
        "2027-01-01"
    );
    let days = json!([
        { "date": "2027-01-01", "kind": "HOLIDAY", "note": "元旦" },
        { "date": "2027-01-04", "kind": "HOLIDAY", "note": "元旦" },
        { "date": "2027-01-09", "kind": "WORKDAY", "note": "元旦调休" },
    ]);
    let set = app.gql(Some(&admin), SET_DAYS, json!({ "d": days })).await;
    assert_eq!(
        set["data"]["setCalendarDays"].as_array().map(Vec::len),
        Some(3),
        "{set}"
    );
    assert_eq!(
        add(&app, "2026-12-31", 1).await["data"]["addWorkingDays"],
        "2027-01-05"
    );
    assert_eq!(
        add(&app, "2027-01-08", 1).await["data"]["addWorkingDays"],
        "2027-01-09"
    );

    // Setting a day again replaces it.
    let again = json!([{ "date": "2027-01-04", "kind": "HOLIDAY", "note": "元旦假期" }]);
    app.gql(Some(&admin), SET_DAYS, json!({ "d": again })).await;
    let listed = app
        .gql(
            None,
            "{ workingCalendar(year: 2027) { date note } }",
            json!({}),
        )
        .await;
    assert!(
        listed["data"]["workingCalendar"]
            .as_array()
            .unwrap()
            .contains(&json!({ "date": "2027-01-04", "note": "元旦假期" }))
    );

    let cleared = app
        .gql(
            Some(&admin),
            "mutation($d: [Date!]!) { clearCalendarDays(dates: $d) }",
            json!({ "d": ["2027-01-01", "2027-01-04", "2027-03-03"] }),
        )
        .await;
    assert_eq!(cleared["data"]["clearCalendarDays"], 2, "{cleared}");
    assert_eq!(
        add(&app, "2026-12-31", 1).await["data"]["addWorkingDays"],
        "2027-01-01"
    );
}

#[tokio::test]
async fn a_workday_on_a_weekday_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let admin = app.login(ADMIN).await;
    let days = json!([
        { "date": "2027-02-06", "kind": "HOLIDAY", "note": "春节" },
        { "date": "2027-02-08", "kind": "WORKDAY", "note": "星期一" },
    ]);
    let answer = app.gql(Some(&admin), SET_DAYS, json!({ "d": days })).await;
    assert_error(&answer, "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "days[1]");
    let listed = app
        .gql(None, "{ workingCalendar(year: 2027) { date } }", json!({}))
        .await;
    assert_eq!(listed["data"]["workingCalendar"], json!([]));

    let duplicate = json!([
        { "date": "2027-02-06", "kind": "HOLIDAY" },
        { "date": "2027-02-06", "kind": "HOLIDAY" },
    ]);
    assert_error(
        &app.gql(Some(&admin), SET_DAYS, json!({ "d": duplicate }))
            .await,
        "BAD_USER_INPUT",
    );
}

/// A notice for 2027 invented for these tests (the real one is not out).
const NOTICE_2027: &str = "date,kind,note
2027-01-01,HOLIDAY,元旦
2027-02-06,HOLIDAY,春节
2027-02-07,HOLIDAY,春节
2027-02-08,HOLIDAY,春节
2027-02-09,HOLIDAY,春节
2027-02-10,HOLIDAY,春节
2027-02-20,WORKDAY,春节调休
";

/// Runs `gongkai calendar …` on the test's database and clock; its output or
/// its error.
async fn calendar_command(app: &TestApp, command: CalendarCommand) -> Result<String, String> {
    let mut out = Vec::new();
    gongkai::commands::calendar_command(command, app.clock.as_ref(), &mut out)
        .await
        .map(|()| String::from_utf8(out).unwrap())
        .map_err(|e| e.to_string())
}

async fn import(app: &TestApp, text: &str) -> Result<String, String> {
    let folder = TempFolder::new();
    let file = folder.path().join("notice.csv");
    std::fs::write(&file, text).unwrap();
    let database = DatabaseArgs {
        database_url: app.database_url.clone(),
    };
    calendar_command(
        app,
        CalendarCommand::Import(CalendarImportArgs { database, file }),
    )
    .await
}

const DEADLINE: &str =
    "query($id: ID!) { application(id: $id) { dueOn dueOnProvisional events { kind on note } } }";

#[tokio::test]
async fn a_new_years_notice_is_imported_and_moves_open_deadlines() {
    let app = spawn_app_at(instant("2026-12-16T10:00:00+08:00")).await;
    let desk = Desk::new(&app).await;
    // Received 2026-12-15: 12 working days left in December, then 8 in a
    // year not announced yet, where only weekends rest.
    let id = desk.register(&app, "notice-1", "2026-12-15").await;
    let before = app
        .gql(Some(&desk.clerk), DEADLINE, json!({ "id": id }))
        .await;
    let application = &before["data"]["application"];
    assert_eq!(application["dueOn"], "2027-01-12", "{before}");
    assert_eq!(application["dueOnProvisional"], true);

    let report = import(&app, NOTICE_2027).await.unwrap();
    assert!(report.contains("imported 7 days"), "{report}");
    assert!(report.contains("1 open deadlines recalculated"), "{report}");
    // 元旦 rests: one working day later, and firm now.
    let after = app
        .gql(Some(&desk.clerk), DEADLINE, json!({ "id": id }))
        .await;
    let application = &after["data"]["application"];
    assert_eq!(application["dueOn"], "2027-01-13", "{after}");
    assert_eq!(application["dueOnProvisional"], false);
    assert_eq!(
        application["events"][1],
        json!({ "kind": "DEADLINE_RECALCULATED", "on": "2026-12-16",
                "note": "工作日历调整，答复期限由 2027-01-12 改为 2027-01-13" })
    );

    // The export gives the notice back; importing it again changes nothing.
    let database = DatabaseArgs {
        database_url: app.database_url.clone(),
    };
    let exported = calendar_command(
        &app,
        CalendarCommand::Export(CalendarExportArgs {
            database,
            year: 2027,
        }),
    )
    .await
    .unwrap();
    assert_eq!(exported, NOTICE_2027);
    let again = import(&app, &exported).await.unwrap();
    assert!(again.contains("0 open deadlines recalculated"), "{again}");
    let unchanged = app
        .gql(Some(&desk.clerk), DEADLINE, json!({ "id": id }))
        .await;
    assert_eq!(unchanged, after);
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing() {
    let app = spawn_app_at(instant("2026-12-16T10:00:00+08:00")).await;
    let desk = Desk::new(&app).await;
    let id = desk.register(&app, "notice-2", "2026-12-15").await;
    let before = app
        .gql(Some(&desk.clerk), DEADLINE, json!({ "id": id }))
        .await;
    // Good rows first, the bad ones last: still nothing may be written.
    let file = format!("{NOTICE_2027}2027-02-30,HOLIDAY,春节\n2027-02-22,WORKDAY,星期一\n");
    let refused = import(&app, &file).await.unwrap_err();
    assert!(refused.contains("nothing was imported"), "{refused}");
    assert!(refused.contains("line 9: 日期应为"), "{refused}");
    assert!(
        refused.contains("line 10: 2027-02-22 是工作日"),
        "{refused}"
    );
    let listed = app
        .gql(None, "{ workingCalendar(year: 2027) { date } }", json!({}))
        .await;
    assert_eq!(listed["data"]["workingCalendar"], json!([]));
    assert_eq!(
        app.gql(Some(&desk.clerk), DEADLINE, json!({ "id": id }))
            .await,
        before
    );
}
