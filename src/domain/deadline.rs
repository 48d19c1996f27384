//! The reply deadline of an application (Arts. 30–33, 35, 42; docs/DESIGN.md,
//! "Deadlines"). `dueOn` is a pure function of the events and the working
//! calendar: `replay` recomputes it from the start, step by step, so that
//! anyone can check the date and a calendar change moves it correctly.

use chrono::NaiveDate;

use super::calendar::WorkingCalendar;
use super::workflow::{EventKind, History, Outcome, Status, Step, next_status};
use crate::error::{AppError, AppResult};

/// Art. 33: reply within 20 working days of receipt; one extension of 20.
pub const REPLY_PERIOD: u32 = 20;
pub const EXTENSION: u32 = 20;
/// Art. 30: a correction notice goes out within 7 working days of receipt.
pub const CORRECTION_NOTICE_PERIOD: u32 = 7;

/// One recorded event, as far as the clock is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockEvent {
    pub kind: EventKind,
    /// The legal day it took effect.
    pub on: NaiveDate,
    /// DEADLINE_OVERRIDDEN: the date the organ set.
    pub set_due_on: Option<NaiveDate>,
    /// CLOSED: the outcome.
    pub outcome: Option<Outcome>,
}

impl ClockEvent {
    pub fn new(kind: EventKind, on: NaiveDate) -> Self {
        Self {
            kind,
            on,
            set_due_on: None,
            outcome: None,
        }
    }
}

/// One step of the computation: working days counted after `from` up to
/// and including `to`, and the rest days skipped on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineStep {
    pub kind: EventKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub working_days: u32,
    pub skipped: Vec<(NaiveDate, String)>,
    pub due_on_after: NaiveDate,
}

/// The clock of an application after its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub status: Status,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub clock_running: bool,
    pub history: History,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    /// Once closed: working days after receipt up to closedOn, less those
    /// on which the clock stood still (waiting for a correction, a
    /// consultation or a fee).
    pub working_days_to_close: Option<u32>,
    pub steps: Vec<DeadlineStep>,
    /// The day the running pause began, and the event that began it.
    paused: Option<(EventKind, NaiveDate)>,
    /// The day the clock last stopped, while it stands still.
    stopped_on: Option<NaiveDate>,
    /// Working days the clock stood still in stops already ended.
    stopped_working_days: u32,
    /// The deadline is a date the organ set (Art. 35) that no later pause
    /// has moved: calendar changes leave it alone.
    set_by_organ: bool,
}

impl Deadline {
    /// The clock of an application received (Art. 31) on `received_on`.
    pub fn received(received_on: NaiveDate, calendar: &WorkingCalendar) -> Self {
        let mut deadline = Deadline {
            status: Status::Received,
            received_on,
            due_on: received_on,
            clock_running: true,
            history: History::default(),
            closed_on: None,
            outcome: None,
            working_days_to_close: None,
            steps: Vec::new(),
            paused: None,
            stopped_on: None,
            stopped_working_days: 0,
            set_by_organ: false,
        };
        deadline.count(EventKind::Received, received_on, REPLY_PERIOD, calendar);
        deadline
    }

    /// Recomputes the clock from all events, the first being RECEIVED.
    pub fn replay(events: &[ClockEvent], calendar: &WorkingCalendar) -> AppResult<Self> {
        let (first, rest) = events
            .split_first()
            .filter(|(first, _)| first.kind == EventKind::Received)
            .ok_or_else(|| AppError::internal("an application's history starts with RECEIVED"))?;
        let mut deadline = Deadline::received(first.on, calendar);
        for event in rest {
            deadline.apply(event, calendar)?;
        }
        Ok(deadline)
    }

    /// Records a new event, refusing it when the law does not allow it:
    /// INVALID_TRANSITION when it does not fit the status (or an extension
    /// comes after dueOn), BAD_USER_INPUT when its dates are wrong.
    pub fn record(&mut self, event: &ClockEvent, calendar: &WorkingCalendar) -> AppResult<()> {
        // A step that does not fit is refused as such before its dates are looked at.
        if let Some(step) = step_of(event)? {
            next_status(self.status, step, self.history)?;
        }
        match event.kind {
            EventKind::CorrectionRequested => {
                let last_day = correction_notice_due_on(self.received_on, calendar);
                if event.on > last_day {
                    return Err(AppError::bad_input(
                        "on",
                        format!("补正通知应在收到申请之日起7个工作日内（{last_day}前）发出"),
                    ));
                }
            }
            EventKind::Extended if self.status == Status::Received && event.on > self.due_on => {
                return Err(AppError::InvalidTransition(format!(
                    "答复期限（{}）已过，不能再延长",
                    self.due_on
                )));
            }
            EventKind::DeadlineOverridden => {
                if let Some(set) = event.set_due_on.filter(|set| *set <= self.due_on) {
                    return Err(AppError::bad_input(
                        "dueOn",
                        format!(
                            "另行确定的期限（{set}）须晚于当前答复期限（{}）",
                            self.due_on
                        ),
                    ));
                }
            }
            _ => {}
        }
        self.apply(event, calendar)
    }

    /// Applies an event already recorded. The date rules were checked when
    /// it was recorded; a later calendar change must not unmake it, so only
    /// the order of the workflow is checked here.
    fn apply(&mut self, event: &ClockEvent, calendar: &WorkingCalendar) -> AppResult<()> {
        let Some(step) = step_of(event)? else {
            return Ok(());
        };
        let next = next_status(self.status, step, self.history)?;
        match step {
            Step::RequestCorrection => {
                self.history.correction_requested = true;
                self.stop_clock(event.on);
            }
            Step::ReceiveCorrection => {
                // Art. 30: the period restarts in full from the corrected application.
                self.restart_clock(event.on, calendar);
                self.set_by_organ = false;
                self.due_on = event.on;
                self.count(
                    EventKind::CorrectionReceived,
                    event.on,
                    REPLY_PERIOD,
                    calendar,
                );
            }
            Step::StartConsultation | Step::RequestFee => {
                self.stop_clock(event.on);
                self.paused = Some((event.kind, event.on));
            }
            Step::EndConsultation | Step::RecordFeePaid => {
                let (started_by, since) = self
                    .paused
                    .take()
                    .ok_or_else(|| AppError::internal("a pause ended that never began"))?;
                let paused = calendar.working_days_between(since, event.on);
                let due_on = calendar.add_working_days(self.due_on, paused);
                self.restart_clock(event.on, calendar);
                self.set_by_organ = false;
                self.steps.push(DeadlineStep {
                    kind: started_by,
                    from: since,
                    to: event.on,
                    working_days: paused,
                    skipped: calendar.rest_days_between(since, event.on),
                    due_on_after: due_on,
                });
                self.due_on = due_on;
            }
            Step::Extend => {
                self.history.extended = true;
                let from = self.due_on;
                self.count(EventKind::Extended, from, EXTENSION, calendar);
            }
            Step::Override => {
                let set = event
                    .set_due_on
                    .ok_or_else(|| AppError::internal("an override without its date"))?;
                self.history.overridden = true;
                self.set_by_organ = true;
                self.steps.push(DeadlineStep {
                    kind: EventKind::DeadlineOverridden,
                    from: self.due_on,
                    to: set,
                    working_days: calendar.working_days_between(self.due_on, set),
                    skipped: calendar.rest_days_between(self.due_on, set),
                    due_on_after: set,
                });
                self.due_on = set;
            }
            Step::Close(outcome) => {
                self.restart_clock(event.on, calendar);
                self.clock_running = false;
                self.closed_on = Some(event.on);
                self.outcome = Some(outcome);
                let gross = calendar.working_days_between(self.received_on, event.on);
                self.working_days_to_close = Some(gross.saturating_sub(self.stopped_working_days));
            }
        }
        self.status = next;
        Ok(())
    }

    fn stop_clock(&mut self, on: NaiveDate) {
        self.clock_running = false;
        self.stopped_on = Some(on);
    }

    /// Runs the clock again from the day after `on`; the working days it
    /// stood still are kept for the time to close.
    fn restart_clock(&mut self, on: NaiveDate, calendar: &WorkingCalendar) {
        if let Some(stopped_on) = self.stopped_on.take() {
            self.stopped_working_days += calendar.working_days_between(stopped_on, on);
        }
        self.clock_running = true;
    }

    /// Adds `days` working days after `from` and records the step.
    fn count(&mut self, kind: EventKind, from: NaiveDate, days: u32, calendar: &WorkingCalendar) {
        let to = calendar.add_working_days(from, days);
        self.steps.push(DeadlineStep {
            kind,
            from,
            to,
            working_days: days,
            skipped: calendar.rest_days_between(from, to),
            due_on_after: to,
        });
        self.due_on = to;
    }

    /// dueOn lies beyond the last announced calendar year, where only
    /// weekends were counted as rest days; a date the organ set is firm.
    pub fn is_provisional(&self, calendar: &WorkingCalendar) -> bool {
        !self.set_by_organ && calendar.is_provisional(self.due_on)
    }

    pub fn is_open(&self) -> bool {
        self.status != Status::Closed
    }

    /// `closedOn <= dueOn`; None while open.
    pub fn closed_on_time(&self) -> Option<bool> {
        self.closed_on.map(|closed| closed <= self.due_on)
    }

    /// Open, clock running, and `as_of` after dueOn.
    pub fn is_overdue(&self, as_of: NaiveDate) -> bool {
        overdue(self.is_open() && self.clock_running, self.due_on, as_of)
    }

    /// Working days after `as_of` up to and including dueOn; once past it,
    /// minus the working days after dueOn up to and including `as_of`. None
    /// when closed or while the clock is stopped.
    pub fn working_days_left(&self, as_of: NaiveDate, calendar: &WorkingCalendar) -> Option<i32> {
        (self.is_open() && self.clock_running)
            .then(|| working_days_left(self.due_on, as_of, calendar))
    }
}

/// The workflow step an event records; None for a recalculation record,
/// which replaying recomputes anyway.
fn step_of(event: &ClockEvent) -> AppResult<Option<Step>> {
    Ok(Some(match event.kind {
        EventKind::CorrectionRequested => Step::RequestCorrection,
        EventKind::CorrectionReceived => Step::ReceiveCorrection,
        EventKind::ConsultationStarted => Step::StartConsultation,
        EventKind::ConsultationEnded => Step::EndConsultation,
        EventKind::FeeRequested => Step::RequestFee,
        EventKind::FeePaid => Step::RecordFeePaid,
        EventKind::Extended => Step::Extend,
        EventKind::DeadlineOverridden => Step::Override,
        EventKind::Closed => Step::Close(
            event
                .outcome
                .ok_or_else(|| AppError::internal("a CLOSED event without outcome"))?,
        ),
        EventKind::DeadlineRecalculated | EventKind::AttachmentAdded => return Ok(None),
        EventKind::Received => return Err(AppError::InvalidTransition("申请已经受理".into())),
    }))
}

/// Overdue on `as_of`: the clock runs (so the application is open) and dueOn is past.
pub fn overdue(clock_running: bool, due_on: NaiveDate, as_of: NaiveDate) -> bool {
    clock_running && as_of > due_on
}

/// Open on `day` ("carried over", "open on 1 January"): received before
/// that day and not closed before it.
pub fn open_on(received_on: NaiveDate, closed_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    received_on < day && closed_on.is_none_or(|closed| closed >= day)
}

pub fn working_days_left(due_on: NaiveDate, as_of: NaiveDate, calendar: &WorkingCalendar) -> i32 {
    if as_of <= due_on {
        calendar.working_days_between(as_of, due_on) as i32
    } else {
        -(calendar.working_days_between(due_on, as_of) as i32)
    }
}

/// The last day for a correction notice (Art. 30).
pub fn correction_notice_due_on(received_on: NaiveDate, calendar: &WorkingCalendar) -> NaiveDate {
    calendar.add_working_days(received_on, CORRECTION_NOTICE_PERIOD)
}

/// An event's legal day may not precede the previous event's, nor lie in the future.
pub fn check_event_day(on: NaiveDate, previous: NaiveDate, today: NaiveDate) -> AppResult<()> {
    if on < previous {
        return Err(AppError::bad_input(
            "on",
            format!("日期不能早于上一环节的日期（{previous}）"),
        ));
    }
    if on > today {
        return Err(AppError::bad_input("on", "日期不能晚于今天"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{announced, day};
    use EventKind as K;

    fn event(kind: EventKind, on: &str) -> ClockEvent {
        ClockEvent::new(kind, day(on))
    }

    fn overridden(on: &str, set: &str) -> ClockEvent {
        ClockEvent {
            set_due_on: Some(day(set)),
            ..event(K::DeadlineOverridden, on)
        }
    }

    fn closed(on: &str, outcome: Outcome) -> ClockEvent {
        ClockEvent {
            outcome: Some(outcome),
            ..event(K::Closed, on)
        }
    }

    /// Records the events one by one, as the workflow would.
    fn replay(events: &[ClockEvent]) -> AppResult<Deadline> {
        let calendar = announced();
        let mut deadline = Deadline::replay(&events[..1], &calendar)?;
        for event in &events[1..] {
            deadline.record(event, &calendar)?;
        }
        Ok(deadline)
    }

    fn due(events: &[ClockEvent]) -> String {
        replay(events).unwrap().due_on.to_string()
    }

    /// Expected dates were counted by hand on the State Council's calendar.
    #[test]
    fn due_dates() {
        let cases: Vec<(&str, Vec<ClockEvent>, &str)> = vec![
            (
                "DESIGN.md example 1",
                vec![event(K::Received, "2025-01-24")],
                "2025-02-27",
            ),
            (
                "DESIGN.md example 2",
                vec![event(K::Received, "2025-09-26")],
                "2025-10-30",
            ),
            (
                "DESIGN.md example 3",
                vec![event(K::Received, "2026-02-13")],
                "2026-03-19",
            ),
            (
                "correction restarts the clock in full",
                vec![
                    event(K::Received, "2025-03-03"),
                    event(K::CorrectionRequested, "2025-03-12"),
                    event(K::CorrectionReceived, "2025-03-20"),
                ],
                "2025-04-18",
            ),
            (
                "consultation across National Day pauses three working days",
                vec![
                    event(K::Received, "2025-09-10"),
                    event(K::ConsultationStarted, "2025-09-29"),
                    event(K::ConsultationEnded, "2025-10-10"),
                ],
                "2025-10-17",
            ),
            (
                "fee pause, resumed across Qingming",
                vec![
                    event(K::Received, "2025-03-03"),
                    event(K::FeeRequested, "2025-03-10"),
                    event(K::FeePaid, "2025-03-17"),
                ],
                "2025-04-08",
            ),
            (
                "extension on the last day adds 20 working days",
                vec![
                    event(K::Received, "2025-03-03"),
                    event(K::Extended, "2025-03-31"),
                ],
                "2025-04-28",
            ),
            (
                "override sets the date",
                vec![
                    event(K::Received, "2025-03-03"),
                    overridden("2025-03-20", "2025-05-30"),
                ],
                "2025-05-30",
            ),
            (
                "a later pause still moves an overridden date",
                vec![
                    event(K::Received, "2025-03-03"),
                    overridden("2025-03-20", "2025-05-30"),
                    event(K::ConsultationStarted, "2025-03-31"),
                    event(K::ConsultationEnded, "2025-04-07"),
                ],
                "2025-06-06",
            ),
            (
                "a recalculation record changes nothing",
                vec![
                    event(K::Received, "2025-03-03"),
                    event(K::DeadlineRecalculated, "2025-03-05"),
                ],
                "2025-03-31",
            ),
        ];
        for (what, events, expected) in cases {
            assert_eq!(due(&events), expected, "{what}");
        }
    }

    #[test]
    fn refusals() {
        let received = event(K::Received, "2025-03-03");
        // (what, events, the error code's variant)
        let cases: Vec<(&str, Vec<ClockEvent>, &str)> = vec![
            (
                "correction notice after 7 working days",
                vec![
                    received.clone(),
                    event(K::CorrectionRequested, "2025-03-13"),
                ],
                "BAD_USER_INPUT",
            ),
            (
                "second correction notice",
                vec![
                    received.clone(),
                    event(K::CorrectionRequested, "2025-03-04"),
                    event(K::CorrectionReceived, "2025-03-05"),
                    event(K::CorrectionRequested, "2025-03-06"),
                ],
                "INVALID_TRANSITION",
            ),
            (
                "extension after dueOn",
                vec![received.clone(), event(K::Extended, "2025-04-01")],
                "INVALID_TRANSITION",
            ),
            (
                "second extension",
                vec![
                    received.clone(),
                    event(K::Extended, "2025-03-10"),
                    event(K::Extended, "2025-03-11"),
                ],
                "INVALID_TRANSITION",
            ),
            (
                "extension after an override",
                vec![
                    received.clone(),
                    overridden("2025-03-10", "2025-05-30"),
                    event(K::Extended, "2025-03-11"),
                ],
                "INVALID_TRANSITION",
            ),
            (
                "override not later than dueOn",
                vec![received.clone(), overridden("2025-03-10", "2025-03-31")],
                "BAD_USER_INPUT",
            ),
            (
                "extension while paused",
                vec![
                    received.clone(),
                    event(K::ConsultationStarted, "2025-03-10"),
                    event(K::Extended, "2025-03-11"),
                ],
                "INVALID_TRANSITION",
            ),
            (
                "fee not paid closes only an awaiting-fee application",
                vec![
                    received.clone(),
                    closed("2025-03-10", Outcome::OtherFeeNotPaid),
                ],
                "INVALID_TRANSITION",
            ),
            (
                "nothing after closing",
                vec![
                    received.clone(),
                    closed("2025-03-10", Outcome::Disclosed),
                    event(K::Extended, "2025-03-11"),
                ],
                "INVALID_TRANSITION",
            ),
        ];
        for (what, events, code) in cases {
            let refused = replay(&events).unwrap_err();
            let got = match refused {
                AppError::BadUserInput { .. } => "BAD_USER_INPUT",
                AppError::InvalidTransition(_) => "INVALID_TRANSITION",
                other => panic!("{what}: {other:?}"),
            };
            assert_eq!(got, code, "{what}");
        }
        // The last day for a correction notice is accepted.
        assert!(replay(&[received, event(K::CorrectionRequested, "2025-03-12")]).is_ok());
    }

    #[test]
    fn the_trace_explains_every_step() {
        let deadline = replay(&[
            event(K::Received, "2025-09-10"),
            event(K::ConsultationStarted, "2025-09-29"),
            event(K::ConsultationEnded, "2025-10-10"),
            event(K::Extended, "2025-10-15"),
        ])
        .unwrap();
        let kinds: Vec<_> = deadline.steps.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![K::Received, K::ConsultationStarted, K::Extended]
        );
        let pause = &deadline.steps[1];
        assert_eq!(
            (pause.from, pause.to, pause.working_days),
            (day("2025-09-29"), day("2025-10-10"), 3)
        );
        let holidays: Vec<_> = (1..=8)
            .map(|d| (day(&format!("2025-10-0{d}")), "国庆节、中秋节".to_owned()))
            .collect();
        assert_eq!(pause.skipped, holidays);
        assert_eq!(pause.due_on_after, day("2025-10-17"));
        let receipt = &deadline.steps[0];
        assert_eq!(receipt.working_days, 20);
        assert!(
            receipt
                .skipped
                .contains(&(day("2025-09-13"), "周末".to_owned()))
        );
        assert!(
            !receipt.skipped.iter().any(|(d, _)| *d == day("2025-09-28")),
            "调休 Sunday counts"
        );
        assert_eq!(deadline.steps.last().unwrap().due_on_after, deadline.due_on);
        assert_eq!(deadline.due_on, day("2025-11-14"));
    }

    #[test]
    fn clock_state_and_closing() {
        // dueOn 2025-03-28 (Friday).
        let received = event(K::Received, "2025-02-28");
        let open = replay(std::slice::from_ref(&received)).unwrap();
        let calendar = announced();
        assert_eq!(open.due_on, day("2025-03-28"));
        // (asOf, workingDaysLeft, overdue)
        let cases = [
            ("2025-03-27", 1, false),
            ("2025-03-28", 0, false),
            ("2025-03-29", 0, true), // a rest day just after dueOn
            ("2025-03-31", -1, true),
            ("2025-04-07", -5, true), // 03-31, 04-01..03, 04-07: Qingming rests 04-04..06
        ];
        for (as_of, left, overdue) in cases {
            assert_eq!(
                open.working_days_left(day(as_of), &calendar),
                Some(left),
                "{as_of}"
            );
            assert_eq!(open.is_overdue(day(as_of)), overdue, "{as_of}");
        }
        let paused = replay(&[received.clone(), event(K::FeeRequested, "2025-03-03")]).unwrap();
        assert!(!paused.clock_running);
        assert!(
            !paused.is_overdue(day("2025-06-01")),
            "a stopped clock is never overdue"
        );
        assert_eq!(paused.working_days_left(day("2025-03-04"), &calendar), None);

        for (closed_on, on_time) in [("2025-03-28", true), ("2025-03-31", false)] {
            let done = replay(&[received.clone(), closed(closed_on, Outcome::Disclosed)]).unwrap();
            assert_eq!(done.closed_on_time(), Some(on_time), "{closed_on}");
            assert!(!done.is_overdue(day("2025-05-01")));
            assert_eq!(done.working_days_left(day("2025-03-01"), &calendar), None);
        }
        assert_eq!(open.closed_on_time(), None);
    }

    #[test]
    fn working_days_to_close_leave_out_the_stopped_clock() {
        // Received Friday 2025-02-28; March 2025 has no holidays.
        let d = Outcome::Disclosed;
        let cases: Vec<(&str, Vec<ClockEvent>, u32)> = vec![
            ("same day", vec![closed("2025-02-28", d)], 0),
            ("next Monday", vec![closed("2025-03-03", d)], 1),
            ("on dueOn", vec![closed("2025-03-28", d)], 20),
            (
                "consultation 03-03..03-07 stops 4 days",
                vec![
                    event(K::ConsultationStarted, "2025-03-03"),
                    event(K::ConsultationEnded, "2025-03-07"),
                    closed("2025-03-10", d),
                ],
                1 + 1,
            ),
            (
                "closed while waiting for a fee",
                vec![
                    event(K::FeeRequested, "2025-03-04"),
                    closed("2025-03-11", Outcome::OtherFeeNotPaid),
                ],
                2,
            ),
            (
                "the wait for a correction is left out too",
                vec![
                    event(K::CorrectionRequested, "2025-03-03"),
                    event(K::CorrectionReceived, "2025-03-10"),
                    closed("2025-03-12", d),
                ],
                1 + 2,
            ),
            (
                "an extension runs on",
                vec![event(K::Extended, "2025-03-20"), closed("2025-04-01", d)],
                22,
            ),
        ];
        for (case, rest, days) in cases {
            let mut events = vec![event(K::Received, "2025-02-28")];
            events.extend(rest);
            let deadline = replay(&events).unwrap_or_else(|e| panic!("{case}: {e:?}"));
            assert_eq!(deadline.working_days_to_close, Some(days), "{case}");
        }
        let open = replay(&[event(K::Received, "2025-02-28")]).unwrap();
        assert_eq!(open.working_days_to_close, None);
    }

    #[test]
    fn provisional_beyond_the_announced_years() {
        // The fixture's last announced year is 2026: 2027 is beyond it.
        let calendar = announced();
        let late_2026 = replay(&[event(K::Received, "2026-12-15")]).unwrap();
        assert_eq!(late_2026.due_on, day("2027-01-12"));
        assert!(late_2026.is_provisional(&calendar));
        assert!(
            !replay(&[event(K::Received, "2026-12-01")])
                .unwrap()
                .is_provisional(&calendar)
        );
        let set = replay(&[
            event(K::Received, "2026-11-02"),
            overridden("2026-11-03", "2027-02-26"),
        ])
        .unwrap();
        assert!(
            !set.is_provisional(&calendar),
            "a date the organ set is firm"
        );
    }

    #[test]
    fn a_calendar_change_never_unmakes_a_recorded_event() {
        // Extended on its last day, 2025-03-31. Then Saturday 2025-03-08 is
        // made a working day, so the original dueOn becomes 2025-03-28 and
        // the extension lies after it; replaying must keep it all the same.
        let events = [
            event(K::Received, "2025-03-03"),
            event(K::Extended, "2025-03-31"),
        ];
        let mut days = crate::domain::calendar::tests::announced_days();
        days.push(crate::domain::calendar::CalendarDay {
            date: day("2025-03-08"),
            kind: crate::domain::calendar::DayKind::Workday,
            note: None,
        });
        let changed = WorkingCalendar::new(days);
        assert_eq!(
            changed.add_working_days(day("2025-03-03"), REPLY_PERIOD),
            day("2025-03-28")
        );
        let replayed = Deadline::replay(&events, &changed).unwrap();
        assert!(replayed.history.extended);
        assert_eq!(
            replayed.due_on,
            changed.add_working_days(day("2025-03-28"), EXTENSION)
        );
        // Recorded anew on that calendar, the same extension is refused.
        let mut fresh = Deadline::received(day("2025-03-03"), &changed);
        assert!(fresh.record(&events[1], &changed).is_err());
    }

    #[test]
    fn a_calendar_change_leaves_an_overridden_date_alone() {
        let events = [
            event(K::Received, "2025-03-03"),
            overridden("2025-03-10", "2025-05-30"),
        ];
        let mut days = crate::domain::calendar::tests::announced_days();
        days.push(crate::domain::calendar::CalendarDay {
            date: day("2025-03-14"),
            kind: crate::domain::calendar::DayKind::Holiday,
            note: None,
        });
        let changed = WorkingCalendar::new(days);
        assert_eq!(
            Deadline::replay(&events, &announced()).unwrap().due_on,
            day("2025-05-30")
        );
        assert_eq!(
            Deadline::replay(&events, &changed).unwrap().due_on,
            day("2025-05-30")
        );
        // Without the override the same change moves the deadline.
        assert_ne!(
            Deadline::replay(&events[..1], &changed).unwrap().due_on,
            day("2025-03-31")
        );
    }

    #[test]
    fn event_days() {
        let today = day("2026-11-26");
        let cases = [
            ("2026-11-20", "2026-11-20", true),
            ("2026-11-19", "2026-11-20", false),
            ("2026-11-26", "2026-11-20", true),
            ("2026-11-27", "2026-11-20", false),
        ];
        for (on, previous, ok) in cases {
            assert_eq!(
                check_event_day(day(on), day(previous), today).is_ok(),
                ok,
                "{on} after {previous}"
            );
        }
    }
}
