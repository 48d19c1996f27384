//! A row of the applications ledger, checked: the intake as staff register
//! it (`Submission::check`), identity numbers checked as at intake but only
//! warned about (historical data), and the procedure columns turned into
//! the workflow's events, replayed through the deadline engine — an event
//! sequence the workflow refuses is a row error, with the engine's message.

use chrono::NaiveDate;

use super::cells::Cell;
use super::headers::*;
use super::{Problem, Severity, labels};
use crate::domain::applicant::{IdDocumentType, normalize_id_number};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::canonical::Canonical;
use crate::domain::deadline::{ClockEvent, Deadline, check_event_day};
use crate::domain::intake::{Intake, Submission};
use crate::domain::workflow::{EventKind, Outcome};
use crate::error::AppError;

const MAX_EXTERNAL_NO_CHARS: usize = 60;
const MAX_FEE_YUAN: i64 = 1_000_000;

/// What the rows are checked against.
pub struct ApplicationContext<'a> {
    pub organization_id: i64,
    pub calendar: &'a WorkingCalendar,
    pub today: NaiveDate,
}

/// A checked row: what an application is recorded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRow {
    pub row: usize,
    /// The ledger's own number (原登记编号), kept as `externalNo`.
    pub external_no: String,
    pub intake: Intake,
    /// After RECEIVED, in the order they happened.
    pub events: Vec<ImportedEvent>,
    pub reply: Option<String>,
    pub fee_yuan: Option<i32>,
    /// The clock after all events, as the engine computes it.
    pub deadline: Deadline,
    pub fingerprint: String,
}

/// One procedure step of a row, with the note it carries (the reason of an extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEvent {
    pub event: ClockEvent,
    pub note: Option<String>,
}

/// The procedure columns, in the order steps on the same day happen.
const STEPS: [(&str, EventKind); 8] = [
    (CORRECTION_REQUESTED_ON, EventKind::CorrectionRequested),
    (CORRECTION_RECEIVED_ON, EventKind::CorrectionReceived),
    (CONSULTATION_STARTED_ON, EventKind::ConsultationStarted),
    (CONSULTATION_ENDED_ON, EventKind::ConsultationEnded),
    (FEE_REQUESTED_ON, EventKind::FeeRequested),
    (FEE_PAID_ON, EventKind::FeePaid),
    (EXTENDED_ON, EventKind::Extended),
    (CLOSED_ON, EventKind::Closed),
];

/// The column an intake field `Submission::check` names.
fn column_of(field: &str) -> &'static str {
    match field {
        "applicantName" => APPLICANT_NAME,
        "description" => DESCRIPTION,
        "idNumber" => ID_NUMBER,
        "phone" => PHONE,
        "email" => EMAIL,
        "address" => ADDRESS,
        "channel" => CHANNEL,
        _ => RECEIVED_ON,
    }
}

fn message(err: AppError) -> String {
    match err {
        AppError::BadUserInput { message, .. } => message,
        other => other.to_string(),
    }
}

/// The step column of an event kind; None for what the template has no column for.
pub fn step_column(kind: EventKind) -> Option<&'static str> {
    STEPS
        .iter()
        .find(|(_, k)| *k == kind)
        .map(|(column, _)| *column)
}

/// The column an event came from.
fn column_of_event(kind: EventKind) -> &'static str {
    step_column(kind).unwrap_or(RECEIVED_ON)
}

/// Checks row `row`; the problems found, and the row when it has no error.
pub fn check(
    map: &ColumnMap,
    cells: &[Cell],
    row: usize,
    context: &ApplicationContext<'_>,
) -> (Option<ApplicationRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let text = |header: &str| map.cell(cells, header).text();
    macro_rules! error {
        ($header:expr, $message:expr) => {
            problems.push(Problem::error(row, $header, $message))
        };
    }

    let external_no = text(EXTERNAL_NO);
    match &external_no {
        None => error!(EXTERNAL_NO, "请填写原登记编号"),
        Some(n) if n.chars().count() > MAX_EXTERNAL_NO_CHARS => {
            error!(
                EXTERNAL_NO,
                format!("原登记编号不能超过{MAX_EXTERNAL_NO_CHARS}个字符")
            )
        }
        _ => {}
    }
    let applicant_type = match text(APPLICANT_TYPE) {
        Some(name) => match labels::applicant_type(&name) {
            Some(kind) => Some(kind),
            None => {
                error!(
                    APPLICANT_TYPE,
                    format!("申请人类型“{name}”不在年报的六类之中")
                );
                None
            }
        },
        None => None,
    };
    let id_type = match text(ID_TYPE) {
        Some(name) => match labels::id_type(&name) {
            Some(kind) => Some(kind),
            None => {
                error!(ID_TYPE, format!("未知的证件类型“{name}”"));
                None
            }
        },
        None => None,
    };
    let channel = match text(CHANNEL) {
        Some(name) => match labels::channel(&name) {
            Some(channel) => Some(channel),
            None => {
                error!(
                    CHANNEL,
                    format!("未知的申请方式“{name}”（网上、当面、信函、传真、电子邮件或口头）")
                );
                None
            }
        },
        None => None,
    };
    macro_rules! date {
        ($header:expr) => {
            match map.cell(cells, $header).date() {
                Ok(day) => day,
                Err(message) => {
                    error!($header, message);
                    None
                }
            }
        };
    }
    let received_on = date!(RECEIVED_ON);
    let mut steps: Vec<(EventKind, Option<NaiveDate>)> = Vec::new();
    for (column, kind) in STEPS {
        steps.push((kind, date!(column)));
    }
    let outcome = match text(OUTCOME) {
        Some(name) => match labels::outcome(&name) {
            Some(outcome) => Some(outcome),
            None => {
                error!(
                    OUTCOME,
                    format!("办理结果“{name}”不是年报表三的办理结果之一")
                );
                None
            }
        },
        None => None,
    };
    let fee_yuan = match text(FEE_YUAN) {
        Some(raw) => match raw.parse::<i64>() {
            Ok(fee) if (1..=MAX_FEE_YUAN).contains(&fee) => Some(fee as i32),
            _ => {
                error!(FEE_YUAN, "收费金额应为正整数（元）");
                None
            }
        },
        None => None,
    };
    let closed_on = steps.last().and_then(|(_, on)| *on);
    match (closed_on, outcome) {
        (Some(_), None) if text(OUTCOME).is_none() => {
            error!(OUTCOME, "已填写办结日期，请填写办理结果")
        }
        (None, Some(_))
            if !problems
                .iter()
                .any(|p| p.column.as_deref() == Some(CLOSED_ON)) =>
        {
            error!(CLOSED_ON, "已填写办理结果，请填写办结日期")
        }
        _ => {}
    }
    if received_on.is_none()
        && !problems
            .iter()
            .any(|p| p.column.as_deref() == Some(RECEIVED_ON))
    {
        problems.push(Problem::error(row, RECEIVED_ON, "请填写收到日期"));
    }

    // Identity numbers: checked as at intake, but historical data is kept
    // as it was written, with a warning.
    let kind = applicant_type.unwrap_or_default_type();
    let raw_id = text(ID_NUMBER);
    let id_kind = id_type.unwrap_or(kind.default_id_type());
    let mut kept_id: Option<(IdDocumentType, String)> = None;
    if let Some(raw) = &raw_id
        && let Err(err) = normalize_id_number(id_kind, raw)
    {
        problems.push(Problem::new(
            row,
            Some(ID_NUMBER.to_owned()),
            Severity::Warning,
            format!("{}（历史数据按原样导入）", message(err)),
        ));
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        kept_id = Some((id_kind, compact));
    }
    let submission = Submission {
        // Intake asks for a client key; the ledger's number is the row's.
        client_request_id: format!("import:{}", external_no.as_deref().unwrap_or("-")),
        organization_id: context.organization_id,
        applicant_type,
        applicant_name: text(APPLICANT_NAME).unwrap_or_default(),
        id_type,
        id_number: if kept_id.is_some() { None } else { raw_id },
        phone: text(PHONE),
        email: text(EMAIL),
        address: text(ADDRESS),
        description: text(DESCRIPTION).unwrap_or_default(),
        // Paper arrives in person unless the ledger says otherwise.
        channel: Some(channel.unwrap_or(crate::domain::applicant::Channel::InPerson)),
        received_on,
    };
    let intake = match received_on.map(|_| submission.check(false, context.today)) {
        Some(Ok(mut intake)) => {
            if let Some((kind, number)) = kept_id {
                intake.applicant.id_type = Some(kind);
                intake.applicant.id_number = Some(number);
            }
            Some(intake)
        }
        Some(Err(AppError::BadUserInput { field, message })) => {
            problems.push(Problem::error(row, column_of(&field), message));
            None
        }
        Some(Err(AppError::InvalidFields(fields))) => {
            for field in fields {
                problems.push(Problem::error(row, column_of(&field.field), field.message));
            }
            None
        }
        Some(Err(other)) => {
            problems.push(Problem::new(row, None, Severity::Error, message(other)));
            None
        }
        None => None,
    };
    let (Some(external_no), Some(intake)) = (external_no, intake) else {
        return (None, problems);
    };
    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }

    // The procedure, in the order it happened (same-day steps in the
    // template's order), through the engine.
    let mut events: Vec<ImportedEvent> = steps
        .iter()
        .filter_map(|(kind, on)| on.map(|on| (*kind, on)))
        .map(|(kind, on)| ImportedEvent {
            event: ClockEvent {
                kind,
                on,
                set_due_on: None,
                outcome: outcome.filter(|_| kind == EventKind::Closed),
            },
            note: (kind == EventKind::Extended)
                .then(|| text(EXTENSION_REASON))
                .flatten(),
        })
        .collect();
    events.sort_by_key(|e| e.event.on);
    let mut deadline = Deadline::received(intake.received_on, context.calendar);
    let mut previous = intake.received_on;
    for imported in &events {
        let event = &imported.event;
        let column = column_of_event(event.kind);
        if let Err(err) = check_event_day(event.on, previous, context.today)
            .and_then(|()| deadline.record(event, context.calendar))
        {
            problems.push(Problem::error(row, column, message(err)));
            return (None, problems);
        }
        previous = event.on;
    }
    let reply = text(REPLY);
    if deadline.closed_on.is_some() && reply.is_none() {
        problems.push(Problem::warning(row, REPLY, "未填写答复内容"));
    }
    let fingerprint = fingerprint(&external_no, &intake, &events, reply.as_deref(), fee_yuan);
    let checked = ApplicationRow {
        row,
        external_no,
        intake,
        events,
        reply,
        fee_yuan,
        deadline,
        fingerprint,
    };
    (Some(checked), problems)
}

trait DefaultType {
    fn unwrap_or_default_type(self) -> crate::domain::applicant::ApplicantType;
}

impl DefaultType for Option<crate::domain::applicant::ApplicantType> {
    fn unwrap_or_default_type(self) -> crate::domain::applicant::ApplicantType {
        self.unwrap_or(crate::domain::applicant::ApplicantType::NaturalPerson)
    }
}

fn fingerprint(
    external_no: &str,
    intake: &Intake,
    events: &[ImportedEvent],
    reply: Option<&str>,
    fee_yuan: Option<i32>,
) -> String {
    let steps: Vec<String> = events
        .iter()
        .map(|e| {
            let outcome = e.event.outcome.map_or("", Outcome::as_str);
            let note = e.note.as_deref().unwrap_or("");
            format!("{}@{}:{outcome}:{note}", e.event.kind.as_str(), e.event.on)
        })
        .collect();
    let fee = fee_yuan.map(|f| f.to_string());
    Canonical::new("import application v1")
        .field("externalNo", external_no)
        .field("intake", &intake.fingerprint())
        .list("events", steps.iter().map(String::as_str))
        .optional("reply", reply)
        .optional("feeYuan", fee.as_deref())
        .digest()
}

/// How a checked row meets the application an earlier import recorded
/// from the same 原登记编号: the events recorded (after RECEIVED, without
/// recalculations and attached files) must be the start of the row's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reconciled {
    /// Append these events (the rest of the row's procedure).
    Append(Vec<ImportedEvent>),
    /// The row cannot be reconciled with what was recorded; why.
    Refused(&'static str, String),
}

pub fn reconcile(
    row: &ApplicationRow,
    recorded_intake: &Intake,
    recorded_events: &[(EventKind, NaiveDate)],
) -> Reconciled {
    if recorded_intake.received_on != row.intake.received_on {
        return Reconciled::Refused(
            RECEIVED_ON,
            "已导入申请的收到日期不能通过再次导入修改".into(),
        );
    }
    let recorded: Vec<&(EventKind, NaiveDate)> = recorded_events
        .iter()
        .filter(|(kind, _)| {
            !matches!(
                kind,
                EventKind::Received | EventKind::DeadlineRecalculated | EventKind::AttachmentAdded
            )
        })
        .collect();
    let prefix = recorded.len() <= row.events.len()
        && recorded
            .iter()
            .zip(&row.events)
            .all(|((kind, on), e)| *kind == e.event.kind && *on == e.event.on);
    if !prefix {
        let column = recorded
            .iter()
            .zip(&row.events)
            .find(|((kind, on), e)| *kind != e.event.kind || *on != e.event.on)
            .map_or(CLOSED_ON, |((kind, _), _)| column_of_event(*kind));
        return Reconciled::Refused(
            column,
            "与已导入的办理过程不一致：已记录的环节不能修改或删除，只能补充后续环节".into(),
        );
    }
    Reconciled::Append(row.events[recorded.len()..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{announced, day};

    const HEADERS: [&str; 15] = [
        "原登记编号",
        "申请人类型",
        "申请人姓名/名称",
        "证件号码",
        "联系电话",
        "申请方式",
        "收到日期",
        "申请内容",
        "补正通知日期",
        "补正收到日期",
        "征求意见开始日期",
        "征求意见结束日期",
        "延期日期",
        "办结日期",
        "办理结果",
    ];

    fn checked(values: [&str; 15]) -> (Option<ApplicationRow>, Vec<Problem>) {
        let cell = |s: &str| {
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.into())
            }
        };
        let headers: Vec<Cell> = HEADERS.iter().map(|h| cell(h)).collect();
        let (map, header_problems) = ColumnMap::match_headers(APPLICATION_COLUMNS, &headers);
        assert!(header_problems.is_empty(), "{header_problems:?}");
        let calendar = announced();
        let context = ApplicationContext {
            organization_id: 5,
            calendar: &calendar,
            today: day("2026-06-30"),
        };
        let cells: Vec<Cell> = values.iter().map(|v| cell(v)).collect();
        check(&map, &cells, 7, &context)
    }

    const GOOD: [&str; 15] = [
        "南村〔2025〕1号",
        "自然人",
        "张三",
        "11010519491231002X",
        "13812345678",
        "当面",
        "2025-01-24",
        "请公开2024年预算执行情况",
        "",
        "",
        "",
        "",
        "",
        "2025-02-20",
        "予以公开",
    ];

    /// (changed cells, dueOn after the procedure, closed on time, problems as (column, severity))
    #[test]
    fn ledger_rows_through_the_engine() {
        use Severity::{Error, Warning};
        type Case<'a> = (
            &'a [(usize, &'a str)],
            Option<(&'a str, Option<bool>)>,
            &'a [(&'a str, Severity)],
        );
        let cases: [Case; 14] = [
            // DESIGN.md's worked example: received 2025-01-24, due 2025-02-27.
            (
                &[],
                Some(("2025-02-27", Some(true))),
                &[("答复内容", Warning)],
            ),
            // Still open: no closing columns.
            (&[(13, ""), (14, "")], Some(("2025-02-27", None)), &[]),
            // Closed late.
            (
                &[(13, "2025-03-03")],
                Some(("2025-02-27", Some(false))),
                &[("答复内容", Warning)],
            ),
            // Correction: the period restarts in full from the corrected application.
            (
                &[(8, "2025-01-27"), (9, "2025-02-10"), (13, ""), (14, "")],
                Some(("2025-03-10", None)),
                &[],
            ),
            // Extension: 20 more working days from dueOn.
            (
                &[(12, "2025-02-26"), (13, ""), (14, "")],
                Some(("2025-03-27", None)),
                &[],
            ),
            // A consultation pauses the clock: the working days after its start up to its end (2).
            (
                &[(10, "2025-02-05"), (11, "2025-02-07"), (13, ""), (14, "")],
                Some(("2025-03-03", None)),
                &[],
            ),
            // A wrong check digit is only a warning for historical data.
            (
                &[(3, "110105194912310021"), (13, ""), (14, "")],
                Some(("2025-02-27", None)),
                &[("证件号码", Warning)],
            ),
            // Refusals of the workflow are row errors, in the column of the step.
            (&[(13, "2025-01-20")], None, &[("办结日期", Error)]),
            (
                &[(8, "2025-02-20"), (13, ""), (14, "")],
                None,
                &[("补正通知日期", Error)],
            ),
            (
                &[(12, "2025-03-03"), (13, ""), (14, "")],
                None,
                &[("延期日期", Error)],
            ),
            (
                &[(11, "2025-02-07"), (13, ""), (14, "")],
                None,
                &[("征求意见结束日期", Error)],
            ),
            // Closing "correction not made" needs a correction notice first.
            (
                &[(
                    14,
                    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                )],
                None,
                &[("办结日期", Error)],
            ),
            // Every cell problem of the row, each in its column.
            (
                &[(0, ""), (1, "外星人"), (6, "2025-02-30"), (14, "已答复")],
                None,
                &[
                    ("原登记编号", Error),
                    ("申请人类型", Error),
                    ("收到日期", Error),
                    ("办理结果", Error),
                ],
            ),
            (
                &[(4, "12345"), (7, "")],
                None,
                &[("申请内容", Error), ("联系电话", Error)],
            ),
        ];
        for (changes, expected, problems) in cases {
            let mut values = GOOD;
            for (at, value) in changes.iter() {
                values[*at] = value;
            }
            let (row, found) = checked(values);
            let found: Vec<(String, Severity)> = found
                .into_iter()
                .map(|p| {
                    assert_eq!(p.row, 7);
                    (p.column.unwrap_or_default(), p.severity)
                })
                .collect();
            let want: Vec<(String, Severity)> =
                problems.iter().map(|(c, s)| (c.to_string(), *s)).collect();
            assert_eq!(found, want, "{changes:?}");
            match expected {
                Some((due_on, on_time)) => {
                    let row = row.unwrap_or_else(|| panic!("{changes:?} imports"));
                    assert_eq!(row.deadline.due_on, day(due_on), "{changes:?}");
                    assert_eq!(row.deadline.closed_on_time(), on_time, "{changes:?}");
                }
                None => assert!(row.is_none(), "{changes:?}"),
            }
        }
    }

    #[test]
    fn a_corrected_row_reconciles_as_new_events() {
        let open = {
            let mut v = GOOD;
            v[13] = "";
            v[14] = "";
            checked(v).0.unwrap()
        };
        let closed = checked(GOOD).0.unwrap();
        assert_ne!(open.fingerprint, closed.fingerprint);
        assert_eq!(checked(GOOD).0.unwrap().fingerprint, closed.fingerprint);
        let recorded: Vec<(EventKind, NaiveDate)> = vec![(EventKind::Received, day("2025-01-24"))];
        assert_eq!(
            reconcile(&closed, &open.intake, &recorded),
            Reconciled::Append(closed.events.clone())
        );
        let recorded_closed = vec![
            (EventKind::Received, day("2025-01-24")),
            (EventKind::Closed, day("2025-02-20")),
        ];
        assert_eq!(
            reconcile(&closed, &open.intake, &recorded_closed),
            Reconciled::Append(vec![])
        );
        // A step recorded before cannot be taken back.
        assert!(matches!(
            reconcile(&open, &closed.intake, &recorded_closed),
            Reconciled::Refused(CLOSED_ON, _)
        ));
        let moved = {
            let mut v = GOOD;
            v[6] = "2025-01-23";
            checked(v).0.unwrap()
        };
        assert!(matches!(
            reconcile(&moved, &closed.intake, &recorded),
            Reconciled::Refused(RECEIVED_ON, _)
        ));
    }
}
