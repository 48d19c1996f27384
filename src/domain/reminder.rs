//! Which reminders are due, and what they say (docs/DESIGN.md, "Reminders").
//!
//! A reminder is about one subject (an application, a draft disclosure, an
//! organisation's annual report), of one kind, for one legal day. The sweep
//! asks, on a day, which reminder a subject is in: the most urgent one that
//! applies *today*. Asking again the same day gives the same answer (the
//! store's unique key turns the second insert into nothing), and a sweep
//! that missed days (the server was down over a weekend) sees only today's
//! state, so it catches up once instead of replaying every missed minute:
//! a DUE_SOON(5) that lay in the gap is not sent once DUE_SOON(2) applies.
//!
//! Every rule counts working days on the calendar, exactly as
//! `workingDaysLeft`: the working days after `today` up to and including
//! the day concerned.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::calendar::WorkingCalendar;
use super::deadline::CORRECTION_NOTICE_PERIOD;
use super::disclosure::publish_due_on;
use super::organization::OrganizationKind;
use super::workflow::{Status, stored_enum};
use crate::error::{AppError, AppResult};

stored_enum!(
    NotificationKind {
        ApplicationReceived = "APPLICATION_RECEIVED",
        CorrectionWindowClosing = "CORRECTION_WINDOW_CLOSING",
        DueSoon = "DUE_SOON",
        DueToday = "DUE_TODAY",
        Overdue = "OVERDUE",
        PublicationDueSoon = "PUBLICATION_DUE_SOON",
        AnnualReportDue = "ANNUAL_REPORT_DUE",
    }
);

impl NotificationKind {
    /// OVERSIGHT hears of these alone (of organisations at or below its own).
    pub fn concerns_oversight(self) -> bool {
        matches!(
            self,
            NotificationKind::Overdue | NotificationKind::AnnualReportDue
        )
    }
}

/// A reminder as stored, with the caller's read state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub organization_id: i64,
    pub kind: NotificationKind,
    pub application_id: Option<i64>,
    pub disclosure_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub message: String,
    pub created_at: DateTime<Utc>,
    /// When the caller marked it read.
    pub read_at: Option<DateTime<Utc>>,
}

/// CORRECTION_WINDOW_CLOSING: this many working days before the last day
/// for a correction notice.
pub const CORRECTION_WARNING: u32 = 2;
/// PUBLICATION_DUE_SOON: this many working days before publishDueOn.
pub const PUBLICATION_WARNING: u32 = 5;
/// ANNUAL_REPORT_DUE: this many working days before the report's due day.
pub const ANNUAL_REPORT_WARNING: u32 = 10;
/// The most thresholds an organisation may set, and the largest one.
pub const MAX_THRESHOLDS: usize = 5;
pub const MAX_THRESHOLD_DAYS: u32 = 20;

/// The DUE_SOON thresholds of an organisation, in working days left,
/// largest first and each once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thresholds(Vec<u32>);

impl Default for Thresholds {
    /// DESIGN.md: 5 and 2 working days.
    fn default() -> Self {
        Thresholds(vec![5, 2])
    }
}

impl Thresholds {
    /// Checks what an organisation asks for: 1 to 5 values of 1 to 20
    /// working days (a DUE_TODAY is always sent; 0 is that).
    pub fn new(days: &[i32]) -> AppResult<Self> {
        let field = "days";
        if days.is_empty() || days.len() > MAX_THRESHOLDS {
            return Err(AppError::bad_input(field, "提醒阈值须为1至5个"));
        }
        let mut checked = Vec::with_capacity(days.len());
        for &day in days {
            match u32::try_from(day) {
                Ok(day) if (1..=MAX_THRESHOLD_DAYS).contains(&day) => checked.push(day),
                _ => return Err(AppError::bad_input(field, "提醒阈值须在1至20个工作日之间")),
            }
        }
        checked.sort_unstable_by(|a, b| b.cmp(a));
        checked.dedup();
        Ok(Thresholds(checked))
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }

    /// As stored: "5,2".
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse(stored: &str) -> Option<Self> {
        let days: Option<Vec<i32>> = stored.split(',').map(|d| d.trim().parse().ok()).collect();
        Thresholds::new(&days?).ok()
    }

    /// The tightest threshold that `left` working days fall within.
    fn tightest(&self, left: u32) -> Option<u32> {
        self.0.iter().copied().filter(|&n| left <= n).min()
    }
}

/// A reminder a subject is due for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub kind: NotificationKind,
    /// The legal day the reminder is about.
    pub due_on: NaiveDate,
    /// DUE_SOON: which threshold (part of what makes it unique).
    pub threshold: Option<u32>,
    /// Working days left on the day it was found (negative once overdue).
    pub working_days_left: i32,
}

/// What a reminder is about; with the kind and day, what makes it unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Application(i64),
    Disclosure(i64),
    /// The annual report of `year` (published the year after).
    AnnualReport {
        organization_id: i64,
        year: i32,
    },
}

impl Subject {
    /// The unique key of a reminder: once per (subject, kind, due day),
    /// and per threshold for DUE_SOON.
    pub fn key(&self, due: &Due) -> String {
        let subject = match self {
            Subject::Application(id) => format!("application:{id}"),
            Subject::Disclosure(id) => format!("disclosure:{id}"),
            Subject::AnnualReport {
                organization_id,
                year,
            } => format!("report:{organization_id}:{year}"),
        };
        let step = due.threshold.map(|n| format!("/{n}")).unwrap_or_default();
        format!("{subject}/{}/{}{step}", due.kind.as_str(), due.due_on)
    }
}

/// What the sweep knows of an open application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenApplication {
    pub status: Status,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub clock_running: bool,
    /// A correction notice went out at some time (Art. 30).
    pub correction_requested: bool,
}

/// `workingDaysLeft(today)` of DESIGN.md.
pub fn working_days_left(calendar: &WorkingCalendar, today: NaiveDate, day: NaiveDate) -> i32 {
    if today <= day {
        calendar.working_days_between(today, day) as i32
    } else {
        -(calendar.working_days_between(day, today) as i32)
    }
}

/// The first day on which at most `n` working days are left until `day`.
pub fn window_opens(calendar: &WorkingCalendar, day: NaiveDate, n: u32) -> NaiveDate {
    let mut on = day;
    let mut counted = 0;
    loop {
        counted += u32::from(calendar.is_working_day(on));
        if counted > n {
            return on;
        }
        match on.checked_sub_days(Days::new(1)) {
            Some(before) => on = before,
            None => return on,
        }
    }
}

/// The reminders an application is due for today: at most one about its
/// reply deadline (the most urgent that applies) and one about its
/// correction window. None while the clock stands still or once closed.
pub fn application_reminders(
    calendar: &WorkingCalendar,
    app: &OpenApplication,
    thresholds: &Thresholds,
    today: NaiveDate,
) -> Vec<Due> {
    let mut due = Vec::new();
    if app.status == Status::Closed || !app.clock_running {
        return due;
    }
    let left = working_days_left(calendar, today, app.due_on);
    let reply = |kind, threshold| Due {
        kind,
        due_on: app.due_on,
        threshold,
        working_days_left: left,
    };
    if today > app.due_on {
        // Overdue from the day after; OVERDUE is said on the first working day after.
        if left < 0 {
            due.push(reply(NotificationKind::Overdue, None));
        }
    } else if today == app.due_on {
        due.push(reply(NotificationKind::DueToday, None));
    } else if let Some(n) = thresholds.tightest(left as u32) {
        due.push(reply(NotificationKind::DueSoon, Some(n)));
    }
    if let Some(closing) = correction_window(calendar, app, today) {
        due.push(closing);
    }
    due
}

/// Art. 30: the last day for a correction notice, `addWorkingDays(R, 7)`.
pub fn correction_deadline(calendar: &WorkingCalendar, received_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(received_on, CORRECTION_NOTICE_PERIOD)
}

fn correction_window(
    calendar: &WorkingCalendar,
    app: &OpenApplication,
    today: NaiveDate,
) -> Option<Due> {
    if app.status != Status::Received || app.correction_requested {
        return None;
    }
    let last = correction_deadline(calendar, app.received_on);
    let left = working_days_left(calendar, today, last);
    (today <= last && left as u32 <= CORRECTION_WARNING).then_some(Due {
        kind: NotificationKind::CorrectionWindowClosing,
        due_on: last,
        threshold: None,
        working_days_left: left,
    })
}

/// The next day after `today` on which the application may be due for a
/// reminder it is not due for today; None when nothing more will come
/// (closed, or its OVERDUE day has passed). While the clock stands still
/// the next check is tomorrow: resuming rewrites the row anyway.
pub fn next_application_check(
    calendar: &WorkingCalendar,
    app: &OpenApplication,
    thresholds: &Thresholds,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if app.status == Status::Closed {
        return None;
    }
    let tomorrow = today.checked_add_days(Days::new(1))?;
    if !app.clock_running {
        return Some(tomorrow);
    }
    let mut days: Vec<NaiveDate> = thresholds
        .days()
        .iter()
        .map(|&n| window_opens(calendar, app.due_on, n))
        .collect();
    days.push(app.due_on);
    days.push(calendar.add_working_days(app.due_on, 1));
    if app.status == Status::Received && !app.correction_requested {
        let last = correction_deadline(calendar, app.received_on);
        days.push(window_opens(calendar, last, CORRECTION_WARNING));
    }
    days.into_iter().filter(|d| *d > today).min()
}

/// PUBLICATION_DUE_SOON of a DRAFT formed on `formed_on` (Art. 26).
pub fn draft_reminder(
    calendar: &WorkingCalendar,
    formed_on: NaiveDate,
    today: NaiveDate,
) -> Option<Due> {
    let due_on = publish_due_on(formed_on, calendar);
    let left = working_days_left(calendar, today, due_on);
    (today <= due_on && left as u32 <= PUBLICATION_WARNING).then_some(Due {
        kind: NotificationKind::PublicationDueSoon,
        due_on,
        threshold: None,
        working_days_left: left,
    })
}

/// The earliest formedOn of a draft that can be due for a reminder today:
/// 20 working days never span more than 60 calendar days.
pub fn oldest_formed_on_in_reach(today: NaiveDate) -> NaiveDate {
    today - Days::new(60)
}

/// Art. 49: the annual report of `year` is published by 31 January of the
/// next year by departments, by 31 March by governments.
pub fn annual_report_due_on(kind: OrganizationKind, year: i32) -> NaiveDate {
    let (month, day) = match kind {
        OrganizationKind::Department => (1, 31),
        OrganizationKind::District | OrganizationKind::Town | OrganizationKind::Street => (3, 31),
    };
    NaiveDate::from_ymd_opt(year + 1, month, day).expect("a real date")
}

/// ANNUAL_REPORT_DUE of last year's report, when today lies within 10
/// working days of its due day (the caller knows whether it is published).
pub fn annual_report_reminder(
    calendar: &WorkingCalendar,
    kind: OrganizationKind,
    today: NaiveDate,
) -> Option<(i32, Due)> {
    let year = today.year() - 1;
    let due_on = annual_report_due_on(kind, year);
    let left = working_days_left(calendar, today, due_on);
    (today <= due_on && left as u32 <= ANNUAL_REPORT_WARNING).then_some((
        year,
        Due {
            kind: NotificationKind::AnnualReportDue,
            due_on,
            threshold: None,
            working_days_left: left,
        },
    ))
}

/// Whether any organisation kind can be due for ANNUAL_REPORT_DUE today:
/// the sweep reads the organisations only then.
pub fn annual_reports_in_season(calendar: &WorkingCalendar, today: NaiveDate) -> bool {
    [OrganizationKind::Department, OrganizationKind::District]
        .into_iter()
        .any(|kind| annual_report_reminder(calendar, kind, today).is_some())
}

/// What a message may name: numbers, titles and dates, never a person.
#[derive(Clone, Copy, Debug)]
pub enum About<'a> {
    Application { tracking_no: &'a str },
    Disclosure { title: &'a str },
    AnnualReport { organization: &'a str, year: i32 },
}

/// The one Chinese sentence of a reminder. It is built from the tracking
/// number (or a draft's title, or the organisation's name), dates and
/// counts alone: no applicant's name, ID, phone, e-mail or address can
/// reach it, since none is handed in.
pub fn message(about: About<'_>, due: &Due) -> String {
    use NotificationKind::*;
    let on = due.due_on;
    let left = due.working_days_left;
    match (about, due.kind) {
        (About::Application { tracking_no }, ApplicationReceived) => {
            format!("收到新申请 {tracking_no}，答复期限 {on}。")
        }
        (About::Application { tracking_no }, DueSoon) => {
            format!("申请 {tracking_no} 将于 {on} 到期，剩 {left} 个工作日。")
        }
        (About::Application { tracking_no }, DueToday) => {
            format!("申请 {tracking_no} 今天（{on}）到期。")
        }
        (About::Application { tracking_no }, Overdue) => {
            format!(
                "申请 {tracking_no} 已于 {on} 到期，已逾期 {} 个工作日。",
                -left
            )
        }
        (About::Application { tracking_no }, CorrectionWindowClosing) => {
            format!("申请 {tracking_no} 的补正告知期限 {on} 将届满，剩 {left} 个工作日。")
        }
        (About::Disclosure { title }, _) => {
            let title: String = title.chars().take(40).collect();
            format!("草稿《{title}》应于 {on} 前公开，剩 {left} 个工作日。")
        }
        (About::AnnualReport { organization, year }, _) => format!(
            "{organization}{year}年政府信息公开工作年度报告应于 {on} 前公布，剩 {left} 个工作日。"
        ),
        (About::Application { tracking_no }, PublicationDueSoon | AnnualReportDue) => {
            format!("申请 {tracking_no} 的期限为 {on}。")
        }
    }
}

/// APPLICATION_RECEIVED of an application due on `due_on`.
pub fn received(calendar: &WorkingCalendar, today: NaiveDate, due_on: NaiveDate) -> Due {
    Due {
        kind: NotificationKind::ApplicationReceived,
        due_on,
        threshold: None,
        working_days_left: working_days_left(calendar, today, due_on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{announced, day};
    use NotificationKind::*;

    fn open(received_on: &str, due_on: &str) -> OpenApplication {
        OpenApplication {
            status: Status::Received,
            received_on: day(received_on),
            due_on: day(due_on),
            clock_running: true,
            correction_requested: true,
        }
    }

    /// A reminder as a row: its kind, threshold and working days left.
    type Found = (NotificationKind, Option<u32>, i32);

    fn kinds(found: &[Due]) -> Vec<Found> {
        found
            .iter()
            .map(|d| (d.kind, d.threshold, d.working_days_left))
            .collect()
    }

    /// Received 2026-01-22 (Thu), due 2026-02-26 (Thu), over the Spring
    /// Festival of the fixture: 2026-02-14 (Sat) is a 调休 working day,
    /// 02-15 to 02-23 are holidays. Counting back from 02-26: 02-25, 02-24,
    /// 02-14, 02-13, 02-12 — so 5 working days are left on 02-12, 2 on
    /// 02-24 (three working days later: 02-13, 02-14, 02-24).
    #[test]
    fn reply_reminders_day_by_day_over_the_spring_festival() {
        let calendar = announced();
        let app = open("2026-01-22", "2026-02-26");
        assert_eq!(
            calendar.add_working_days(app.received_on, 20),
            app.due_on,
            "the hand count"
        );
        let thresholds = Thresholds::default();
        #[rustfmt::skip]
        let rows: [(&str, Vec<Found>); 14] = [
            ("2026-02-10", vec![]),                          // 7 left
            ("2026-02-11", vec![]),                          // 6 left
            ("2026-02-12", vec![(DueSoon, Some(5), 5)]),      // 15 working days after receipt
            ("2026-02-13", vec![(DueSoon, Some(5), 4)]),
            ("2026-02-14", vec![(DueSoon, Some(5), 3)]),      // Saturday, a working day
            ("2026-02-15", vec![(DueSoon, Some(5), 3)]),      // 春节
            ("2026-02-23", vec![(DueSoon, Some(5), 3)]),      // 春节, a Monday
            ("2026-02-24", vec![(DueSoon, Some(2), 2)]),
            ("2026-02-25", vec![(DueSoon, Some(2), 1)]),
            ("2026-02-26", vec![(DueToday, None, 0)]),
            ("2026-02-27", vec![(Overdue, None, -1)]),        // Friday, the first working day after
            ("2026-02-28", vec![(Overdue, None, -2)]),        // Saturday, a 调休 working day
            ("2026-03-01", vec![(Overdue, None, -2)]),
            ("2026-03-02", vec![(Overdue, None, -3)]),
        ];
        for (today, want) in rows {
            let found = application_reminders(&calendar, &app, &thresholds, day(today));
            assert_eq!(kinds(&found), want, "{today}");
            for due in &found {
                assert_eq!(due.due_on, app.due_on);
            }
        }
    }

    /// Due on a Friday, 2026-01-09: the Saturday and Sunday after it are
    /// overdue but not yet a working day after; OVERDUE comes on Monday.
    #[test]
    fn overdue_is_said_on_the_first_working_day_after() {
        let calendar = announced();
        let app = open("2025-12-10", "2026-01-09");
        let at = |d| {
            kinds(&application_reminders(
                &calendar,
                &app,
                &Thresholds::default(),
                day(d),
            ))
        };
        assert_eq!(at("2026-01-10"), vec![]);
        assert_eq!(at("2026-01-11"), vec![]);
        assert_eq!(at("2026-01-12"), vec![(Overdue, None, -1)]);
    }

    #[test]
    fn nothing_while_the_clock_stands_still_or_once_closed() {
        let calendar = announced();
        let today = day("2026-02-26");
        for (status, running) in [
            (Status::AwaitingCorrection, false),
            (Status::ConsultingThirdParty, false),
            (Status::AwaitingFee, false),
            (Status::Closed, false),
        ] {
            let app = OpenApplication {
                status,
                clock_running: running,
                ..open("2026-01-22", "2026-02-26")
            };
            assert!(
                application_reminders(&calendar, &app, &Thresholds::default(), today).is_empty(),
                "{status:?}"
            );
        }
        let closed = OpenApplication {
            status: Status::Closed,
            ..open("2026-01-22", "2026-02-26")
        };
        assert_eq!(
            next_application_check(&calendar, &closed, &Thresholds::default(), today),
            None
        );
    }

    /// DESIGN.md's example: received 2026-02-13, the last day for a
    /// correction notice is 2026-03-02 (Mon). Two working days before it:
    /// 02-28 (Sat, 调休) and 03-02 are left from 02-27 (Fri) on.
    #[test]
    fn the_correction_window_closing() {
        let calendar = announced();
        assert_eq!(
            correction_deadline(&calendar, day("2026-02-13")),
            day("2026-03-02")
        );
        let app = OpenApplication {
            correction_requested: false,
            ..open("2026-02-13", "2026-03-19")
        };
        let closing = |today| {
            application_reminders(&calendar, &app, &Thresholds::default(), day(today))
                .into_iter()
                .filter(|d| d.kind == CorrectionWindowClosing)
                .map(|d| (d.due_on, d.working_days_left))
                .collect::<Vec<_>>()
        };
        assert_eq!(closing("2026-02-26"), vec![]);
        assert_eq!(closing("2026-02-27"), vec![(day("2026-03-02"), 2)]);
        assert_eq!(closing("2026-02-28"), vec![(day("2026-03-02"), 1)]);
        assert_eq!(closing("2026-03-02"), vec![(day("2026-03-02"), 0)]);
        assert_eq!(closing("2026-03-03"), vec![], "the window has closed");
        let requested = OpenApplication {
            correction_requested: true,
            ..app
        };
        assert!(
            application_reminders(
                &calendar,
                &requested,
                &Thresholds::default(),
                day("2026-02-27")
            )
            .iter()
            .all(|d| d.kind != CorrectionWindowClosing),
            "a notice went out"
        );
    }

    /// The next check is the next day on which the answer can change.
    #[test]
    fn the_next_check_day() {
        let calendar = announced();
        let app = open("2026-01-22", "2026-02-26");
        let t = Thresholds::default();
        #[rustfmt::skip]
        let rows = [
            ("2026-01-22", Some("2026-02-12")),
            ("2026-02-12", Some("2026-02-24")),
            ("2026-02-15", Some("2026-02-24")),
            ("2026-02-24", Some("2026-02-26")),
            ("2026-02-26", Some("2026-02-27")),
            ("2026-02-27", None),
        ];
        for (today, next) in rows {
            assert_eq!(
                next_application_check(&calendar, &app, &t, day(today)),
                next.map(day),
                "{today}"
            );
        }
        let unchecked = OpenApplication {
            correction_requested: false,
            ..app
        };
        // The correction window: last day 2026-02-02 (Mon); 2 left from 01-29 (Thu).
        assert_eq!(
            next_application_check(&calendar, &unchecked, &t, day("2026-01-22")),
            Some(day("2026-01-29"))
        );
    }

    /// A sweep after days of downtime says only what applies today.
    #[test]
    fn missed_days_catch_up_once() {
        let calendar = announced();
        let app = open("2026-01-22", "2026-02-26");
        let found =
            application_reminders(&calendar, &app, &Thresholds::default(), day("2026-02-25"));
        assert_eq!(kinds(&found), vec![(DueSoon, Some(2), 1)]);
    }

    #[test]
    fn organisation_thresholds() {
        let calendar = announced();
        let app = open("2026-01-22", "2026-02-26");
        let t = Thresholds::new(&[3, 10, 3]).expect("valid");
        assert_eq!(t.days(), &[10, 3]);
        assert_eq!(t.to_stored(), "10,3");
        assert_eq!(Thresholds::parse("10,3"), Some(t.clone()));
        // 02-14 has 3 left.
        let at = |d| kinds(&application_reminders(&calendar, &app, &t, day(d)));
        assert_eq!(at("2026-02-13"), vec![(DueSoon, Some(10), 4)]);
        assert_eq!(at("2026-02-14"), vec![(DueSoon, Some(3), 3)]);
        for bad in [&[][..], &[0], &[21], &[-1], &[1, 2, 3, 4, 5, 6]] {
            assert!(Thresholds::new(bad).is_err(), "{bad:?}");
        }
    }

    /// Formed 2026-02-02 (Mon): 20 working days later is 03-06 (Fri), over
    /// the Spring Festival (02-14 and 02-28 worked, 02-15 to 02-23 rest).
    /// 5 left from 02-28 (Sat, 调休): 03-02 to 03-06.
    #[test]
    fn a_draft_nearing_its_publication_deadline() {
        let calendar = announced();
        let formed = day("2026-02-02");
        assert_eq!(publish_due_on(formed, &calendar), day("2026-03-06"));
        let at = |d| draft_reminder(&calendar, formed, day(d)).map(|r| r.working_days_left);
        assert_eq!(at("2026-02-27"), None);
        assert_eq!(at("2026-02-28"), Some(5));
        assert_eq!(at("2026-03-06"), Some(0));
        assert_eq!(at("2026-03-07"), None);
        assert!(formed >= oldest_formed_on_in_reach(day("2026-03-06")));
    }

    /// A government's 2025 report is due 2026-03-31 (Tue); 10 working days
    /// before: 03-18 to 03-31 minus the weekends: 10 left from 03-17.
    /// A department's is due 2026-01-31 (Sat, a rest day): the weekdays
    /// 01-19 … 01-30 are the last 10 working days, so 10 are left from
    /// 01-16 (Fri) on and 9 on 01-19.
    #[test]
    fn annual_report_reminders() {
        let calendar = announced();
        let at = |kind, d| {
            annual_report_reminder(&calendar, kind, day(d))
                .map(|(y, r)| (y, r.due_on, r.working_days_left))
        };
        use OrganizationKind::*;
        assert_eq!(at(Town, "2026-03-16"), None);
        assert_eq!(at(Town, "2026-03-17"), Some((2025, day("2026-03-31"), 10)));
        assert_eq!(
            at(District, "2026-03-31"),
            Some((2025, day("2026-03-31"), 0))
        );
        assert_eq!(at(District, "2026-04-01"), None);
        assert_eq!(at(Department, "2026-01-15"), None);
        assert_eq!(
            at(Department, "2026-01-16"),
            Some((2025, day("2026-01-31"), 10))
        );
        assert_eq!(
            at(Department, "2026-01-19"),
            Some((2025, day("2026-01-31"), 9))
        );
        assert!(!annual_reports_in_season(&calendar, day("2026-06-01")));
        assert!(annual_reports_in_season(&calendar, day("2026-03-20")));
    }

    #[test]
    fn keys_are_per_subject_kind_day_and_threshold() {
        let due = Due {
            kind: DueSoon,
            due_on: day("2026-02-26"),
            threshold: Some(5),
            working_days_left: 5,
        };
        assert_eq!(
            Subject::Application(7).key(&due),
            "application:7/DUE_SOON/2026-02-26/5"
        );
        let today = Due {
            kind: DueToday,
            threshold: None,
            ..due
        };
        assert_eq!(
            Subject::AnnualReport {
                organization_id: 2,
                year: 2025
            }
            .key(&today),
            "report:2:2025/DUE_TODAY/2026-02-26"
        );
    }

    #[test]
    fn messages_are_one_sentence_of_numbers_and_dates() {
        let due = |kind, left| Due {
            kind,
            due_on: day("2026-12-29"),
            threshold: None,
            working_days_left: left,
        };
        let app = About::Application {
            tracking_no: "PYNC-2026-00012",
        };
        #[rustfmt::skip]
        let rows = [
            (app, due(DueSoon, 2), "申请 PYNC-2026-00012 将于 2026-12-29 到期，剩 2 个工作日。"),
            (app, due(DueToday, 0), "申请 PYNC-2026-00012 今天（2026-12-29）到期。"),
            (app, due(Overdue, -3), "申请 PYNC-2026-00012 已于 2026-12-29 到期，已逾期 3 个工作日。"),
            (app, due(ApplicationReceived, 20), "收到新申请 PYNC-2026-00012，答复期限 2026-12-29。"),
            (app, due(CorrectionWindowClosing, 1), "申请 PYNC-2026-00012 的补正告知期限 2026-12-29 将届满，剩 1 个工作日。"),
            (About::Disclosure { title: "南村镇2026年预算" }, due(PublicationDueSoon, 4), "草稿《南村镇2026年预算》应于 2026-12-29 前公开，剩 4 个工作日。"),
            (About::AnnualReport { organization: "南村镇人民政府", year: 2025 }, due(AnnualReportDue, 9), "南村镇人民政府2025年政府信息公开工作年度报告应于 2026-12-29 前公布，剩 9 个工作日。"),
        ];
        for (about, due, want) in rows {
            assert_eq!(message(about, &due), want);
        }
    }

    #[test]
    fn kinds_round_trip() {
        crate::domain::workflow::tests::round_trips::<NotificationKind>();
    }
}
