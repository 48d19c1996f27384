//! The application workflow (docs/DESIGN.md's table): which step fits which status.

use crate::error::{AppError, AppResult};

/// An enum the database keeps as text. Reading one back is `parse`, which
/// only `store::stored` calls: the one place that reacts to a value this
/// build does not know.
pub trait StoredEnum: Sized + Copy + 'static {
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    fn parse(stored: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == stored)
    }
}

macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl $crate::domain::workflow::StoredEnum for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum!(
    /// Where an application stands.
    Status {
        Received = "RECEIVED",
        AwaitingCorrection = "AWAITING_CORRECTION",
        ConsultingThirdParty = "CONSULTING_THIRD_PARTY",
        AwaitingFee = "AWAITING_FEE",
        Closed = "CLOSED",
    }
);

stored_enum!(
    /// One value per row of the annual report's table 三, in its order.
    Outcome {
        Disclosed = "DISCLOSED",
        PartiallyDisclosed = "PARTIALLY_DISCLOSED",
        WithheldStateSecret = "WITHHELD_STATE_SECRET",
        WithheldProhibitedByLaw = "WITHHELD_PROHIBITED_BY_LAW",
        WithheldSecurityStability = "WITHHELD_SECURITY_STABILITY",
        WithheldThirdPartyRights = "WITHHELD_THIRD_PARTY_RIGHTS",
        WithheldInternalAffairs = "WITHHELD_INTERNAL_AFFAIRS",
        WithheldProcessInformation = "WITHHELD_PROCESS_INFORMATION",
        WithheldEnforcementCaseFile = "WITHHELD_ENFORCEMENT_CASE_FILE",
        WithheldAdministrativeInquiry = "WITHHELD_ADMINISTRATIVE_INQUIRY",
        UnavailableNotHeld = "UNAVAILABLE_NOT_HELD",
        UnavailableNeedsCreation = "UNAVAILABLE_NEEDS_CREATION",
        UnavailableStillUnclear = "UNAVAILABLE_STILL_UNCLEAR",
        NotProcessedPetitionOrComplaint = "NOT_PROCESSED_PETITION_OR_COMPLAINT",
        NotProcessedRepeated = "NOT_PROCESSED_REPEATED",
        NotProcessedPublication = "NOT_PROCESSED_PUBLICATION",
        NotProcessedExcessive = "NOT_PROCESSED_EXCESSIVE",
        NotProcessedConfirmation = "NOT_PROCESSED_CONFIRMATION",
        OtherCorrectionNotMade = "OTHER_CORRECTION_NOT_MADE",
        OtherFeeNotPaid = "OTHER_FEE_NOT_PAID",
        Other = "OTHER",
    }
);

stored_enum!(
    /// What happened to an application.
    EventKind {
        Received = "RECEIVED",
        CorrectionRequested = "CORRECTION_REQUESTED",
        CorrectionReceived = "CORRECTION_RECEIVED",
        ConsultationStarted = "CONSULTATION_STARTED",
        ConsultationEnded = "CONSULTATION_ENDED",
        FeeRequested = "FEE_REQUESTED",
        FeePaid = "FEE_PAID",
        Extended = "EXTENDED",
        DeadlineOverridden = "DEADLINE_OVERRIDDEN",
        DeadlineRecalculated = "DEADLINE_RECALCULATED",
        Closed = "CLOSED",
        /// A file was attached (docs/DESIGN.md, "Documents"); the clock stays as it stands.
        AttachmentAdded = "ATTACHMENT_ADDED",
    }
);

impl Status {
    fn chinese(self) -> &'static str {
        match self {
            Status::Received => "已受理",
            Status::AwaitingCorrection => "待补正",
            Status::ConsultingThirdParty => "征求意见中",
            Status::AwaitingFee => "待缴费",
            Status::Closed => "已办结",
        }
    }
}

/// A workflow step a member of staff asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    RequestCorrection,
    ReceiveCorrection,
    StartConsultation,
    EndConsultation,
    RequestFee,
    RecordFeePaid,
    Extend,
    Override,
    Close(Outcome),
}

impl Step {
    fn chinese(self) -> &'static str {
        match self {
            Step::RequestCorrection => "发出补正通知",
            Step::ReceiveCorrection => "登记补正材料",
            Step::StartConsultation => "征求第三方意见",
            Step::EndConsultation => "结束征求意见",
            Step::RequestFee => "发出收费通知",
            Step::RecordFeePaid => "登记缴费",
            Step::Extend => "延长答复期限",
            Step::Override => "另行确定答复期限",
            Step::Close(_) => "以该结果办结",
        }
    }

    /// The event the step records.
    pub fn event_kind(self) -> EventKind {
        match self {
            Step::RequestCorrection => EventKind::CorrectionRequested,
            Step::ReceiveCorrection => EventKind::CorrectionReceived,
            Step::StartConsultation => EventKind::ConsultationStarted,
            Step::EndConsultation => EventKind::ConsultationEnded,
            Step::RequestFee => EventKind::FeeRequested,
            Step::RecordFeePaid => EventKind::FeePaid,
            Step::Extend => EventKind::Extended,
            Step::Override => EventKind::DeadlineOverridden,
            Step::Close(_) => EventKind::Closed,
        }
    }
}

/// What the history says beyond the status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub correction_requested: bool,
    pub extended: bool,
    pub overridden: bool,
}

/// The status after `step`, or INVALID_TRANSITION when the step does not
/// fit: a correction notice and an extension only once, no extension after
/// an override, and the closing outcomes each status allows.
pub fn next_status(status: Status, step: Step, history: History) -> AppResult<Status> {
    use Outcome::{Other, OtherCorrectionNotMade, OtherFeeNotPaid};
    use Status::*;
    let next = match (status, step) {
        (Received, Step::RequestCorrection) if !history.correction_requested => {
            Some(AwaitingCorrection)
        }
        (Received, Step::StartConsultation) => Some(ConsultingThirdParty),
        (Received, Step::RequestFee) => Some(AwaitingFee),
        (Received, Step::Extend) if !history.extended && !history.overridden => Some(Received),
        (Received, Step::Override) if !history.overridden => Some(Received),
        (Received, Step::Close(outcome))
            if !matches!(outcome, OtherCorrectionNotMade | OtherFeeNotPaid) =>
        {
            Some(Closed)
        }
        (AwaitingCorrection, Step::ReceiveCorrection) => Some(Received),
        (AwaitingCorrection, Step::Close(OtherCorrectionNotMade | Other)) => Some(Closed),
        (ConsultingThirdParty, Step::EndConsultation) => Some(Received),
        (ConsultingThirdParty, Step::Close(Other)) => Some(Closed),
        (AwaitingFee, Step::RecordFeePaid) => Some(Received),
        (AwaitingFee, Step::Close(OtherFeeNotPaid | Other)) => Some(Closed),
        _ => None,
    };
    next.ok_or_else(|| {
        let again = match step {
            Step::RequestCorrection if history.correction_requested => "（补正通知只能发出一次）",
            Step::Extend if history.extended => "（答复期限只能延长一次）",
            Step::Extend if history.overridden => "（已另行确定期限的申请不能再延长）",
            Step::Override if history.overridden => "（答复期限只能另行确定一次）",
            _ => "",
        };
        AppError::InvalidTransition(format!(
            "申请当前状态为“{}”，不能{}{again}",
            status.chinese(),
            step.chinese()
        ))
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use Outcome as O;
    use Status::*;

    /// Every stored enum reads back what it wrote.
    pub(crate) fn round_trips<T: StoredEnum + PartialEq + std::fmt::Debug>() {
        for value in T::ALL {
            assert_eq!(T::parse(value.as_str()), Some(*value));
        }
        assert_eq!(T::parse("NOT_A_VALUE"), None);
    }

    #[test]
    fn names_round_trip() {
        round_trips::<Status>();
        round_trips::<Outcome>();
        round_trips::<EventKind>();
        assert_eq!(Outcome::ALL.len(), 21);
    }

    /// DESIGN.md's table, for every status and every step.
    #[test]
    fn the_workflow_table() {
        let fresh = History::default();
        let steps = [
            Step::RequestCorrection,
            Step::ReceiveCorrection,
            Step::StartConsultation,
            Step::EndConsultation,
            Step::RequestFee,
            Step::RecordFeePaid,
            Step::Extend,
            Step::Override,
            Step::Close(O::Disclosed),
            Step::Close(O::OtherCorrectionNotMade),
            Step::Close(O::OtherFeeNotPaid),
            Step::Close(O::Other),
        ];
        const X: Option<Status> = None;
        #[rustfmt::skip]
        let table: [(Status, [Option<Status>; 12]); 5] = [
            //                    corr req           corr recv        consult start               consult end      fee req            fee paid         extend           override         close disclosed  close no-corr    close no-fee     close other
            (Received,            [Some(AwaitingCorrection), X,       Some(ConsultingThirdParty), X,               Some(AwaitingFee), X,               Some(Received),  Some(Received),  Some(Closed),    X,               X,               Some(Closed)]),
            (AwaitingCorrection,  [X,                 Some(Received), X,                          X,               X,                 X,               X,               X,               X,               Some(Closed),    X,               Some(Closed)]),
            (ConsultingThirdParty,[X,                 X,              X,                          Some(Received),  X,                 X,               X,               X,               X,               X,               X,               Some(Closed)]),
            (AwaitingFee,         [X,                 X,              X,                          X,               X,                 Some(Received),  X,               X,               X,               X,               Some(Closed),    Some(Closed)]),
            (Closed,              [X,                 X,              X,                          X,               X,                 X,               X,               X,               X,               X,               X,               X]),
        ];
        for (status, expected) in table {
            for (step, want) in steps.iter().zip(expected) {
                let got = next_status(status, *step, fresh);
                match want {
                    Some(next) => assert_eq!(got.ok(), Some(next), "{status:?} {step:?}"),
                    None => assert!(
                        matches!(got, Err(AppError::InvalidTransition(_))),
                        "{status:?} {step:?}"
                    ),
                }
            }
        }
        // Every outcome but the two that need a stopped clock closes a RECEIVED application.
        for outcome in Outcome::ALL {
            let closes = next_status(Received, Step::Close(*outcome), fresh).is_ok();
            assert_eq!(
                closes,
                !matches!(outcome, O::OtherCorrectionNotMade | O::OtherFeeNotPaid),
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn once_only_steps() {
        let cases = [
            (
                Step::RequestCorrection,
                History {
                    correction_requested: true,
                    ..Default::default()
                },
            ),
            (
                Step::Extend,
                History {
                    extended: true,
                    ..Default::default()
                },
            ),
            (
                Step::Extend,
                History {
                    overridden: true,
                    ..Default::default()
                },
            ),
            (
                Step::Override,
                History {
                    overridden: true,
                    ..Default::default()
                },
            ),
        ];
        for (step, history) in cases {
            let refused = next_status(Received, step, history);
            assert!(
                matches!(refused, Err(AppError::InvalidTransition(_))),
                "{step:?} {history:?}"
            );
        }
        let extended = History {
            extended: true,
            ..Default::default()
        };
        assert_eq!(
            next_status(Received, Step::Override, extended).ok(),
            Some(Received)
        );
    }
}
