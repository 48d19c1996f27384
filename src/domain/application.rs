//! A disclosure application (依申请公开) as stored: the applicant, the
//! request, and the clock's state after its events.

use chrono::{DateTime, NaiveDate, Utc};

use super::applicant::{ApplicantType, Channel, IdDocumentType};
use super::calendar::WorkingCalendar;
use super::deadline::{ClockEvent, Deadline};
use super::workflow::{EventKind, Outcome, Status};
use crate::error::AppResult;

/// Who applied (Art. 29), normalised at intake. Personal data: shown in
/// full or masked as the policy says, never logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applicant {
    pub kind: ApplicantType,
    pub name: String,
    pub id_type: Option<IdDocumentType>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub organization_id: i64,
    /// e.g. PYNC-2026-00012.
    pub tracking_no: String,
    /// The old number of an application brought in from a ledger (原登记编号).
    pub external_no: Option<String>,
    pub channel: Channel,
    pub applicant: Applicant,
    /// Keyed hash of the applicant's document number, to count their
    /// applications without storing the number twice.
    pub applicant_key: Option<String>,
    pub description: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    /// The legal day of receipt (Art. 31).
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub due_on_provisional: bool,
    pub clock_running: bool,
    pub extended: bool,
    pub deadline_overridden: bool,
    pub closed_on: Option<NaiveDate>,
    pub closed_on_time: Option<bool>,
    pub reply: Option<String>,
    pub fee_yuan: Option<i32>,
    /// What the submission that created it hashed to (see `intake`).
    pub request_fingerprint: Option<String>,
    pub version: i32,
}

/// One event of an application's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub application_id: i64,
    pub kind: EventKind,
    /// The legal day it took effect.
    pub on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it; None for the public and for the system.
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    /// DEADLINE_OVERRIDDEN: the date the organ set.
    pub override_due_on: Option<NaiveDate>,
}

impl Application {
    /// The clock, replayed from the events.
    pub fn deadline(&self, events: &[Event], calendar: &WorkingCalendar) -> AppResult<Deadline> {
        let events: Vec<ClockEvent> = events
            .iter()
            .map(|event| ClockEvent {
                kind: event.kind,
                on: event.on,
                set_due_on: event.override_due_on,
                outcome: self.outcome.filter(|_| event.kind == EventKind::Closed),
            })
            .collect();
        Deadline::replay(&events, calendar)
    }
}

/// The orders of the work list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplicationOrder {
    /// Soonest deadline first.
    DueOnAsc,
    ReceivedDesc,
    ReceivedAsc,
}

impl ApplicationOrder {
    /// Whether applications whose clock runs come before paused ones (fee
    /// notice, correction, consultation: the clock stopped, the due date
    /// will move). Only in the clerk's work list — open applications,
    /// soonest deadline first — where a paused one's old date says
    /// nothing about what is urgent.
    pub fn running_first(self, open: Option<bool>) -> bool {
        self == Self::DueOnAsc && open == Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_applications_go_last_only_in_the_open_work_list() {
        use ApplicationOrder::*;
        let cases = [
            (DueOnAsc, Some(true), true),
            (DueOnAsc, Some(false), false),
            (DueOnAsc, None, false),
            (ReceivedDesc, Some(true), false),
            (ReceivedAsc, Some(true), false),
        ];
        for (order, open, expected) in cases {
            assert_eq!(order.running_first(open), expected, "{order:?} {open:?}");
        }
    }
}
