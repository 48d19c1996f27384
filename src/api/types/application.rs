use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};
use entity::application::Model;
use entity::application_event::Model as EventModel;

use crate::api::context::{ContextExt, application_events, calendar, organization};
use crate::api::error::GqlResult;
use crate::api::types::disclosure::Disclosure;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::api::types::user::User;
use crate::domain::applicant::{self as applicant, normalize_phone};
use crate::domain::calendar::china_standard_time;
use crate::domain::deadline::{Deadline, DeadlineStep as Step};
use crate::domain::masking;
use crate::domain::policy::Access;
use crate::domain::workflow;
use crate::error::{AppError, AppResult};
use crate::service::applications::{deadline_of, stored_outcome};
use crate::store;

/// GraphQL mirrors of the domain's stored enums, converted both ways.
macro_rules! mirror_enum {
    ($name:ident = $domain:path { $($variant:ident,)+ }) => {
        #[derive(Enum, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant,)+ }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$domain>::$variant,)+ }
            }
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $name::$variant,)+ }
            }
        }
    };
}

mirror_enum!(
    ApplicantType = applicant::ApplicantType {
        NaturalPerson,
        CommercialEnterprise,
        ResearchInstitution,
        SocialWelfareOrganization,
        LegalServiceOrganization,
        OtherOrganization,
    }
);
mirror_enum!(
    IdDocumentType = applicant::IdDocumentType {
        ResidentId,
        UnifiedSocialCreditCode,
        Passport,
        HkMacaoPermit,
        TaiwanPermit,
        ForeignPermanentResidentId,
        Other,
    }
);
mirror_enum!(
    ApplicationChannel = applicant::Channel {
        Online,
        InPerson,
        Letter,
        Fax,
        Email,
        Oral,
    }
);
mirror_enum!(
    ApplicationStatus = workflow::Status {
        Received,
        AwaitingCorrection,
        ConsultingThirdParty,
        AwaitingFee,
        Closed,
    }
);
mirror_enum!(
    ApplicationOutcome = workflow::Outcome {
        Disclosed,
        PartiallyDisclosed,
        WithheldStateSecret,
        WithheldProhibitedByLaw,
        WithheldSecurityStability,
        WithheldThirdPartyRights,
        WithheldInternalAffairs,
        WithheldProcessInformation,
        WithheldEnforcementCaseFile,
        WithheldAdministrativeInquiry,
        UnavailableNotHeld,
        UnavailableNeedsCreation,
        UnavailableStillUnclear,
        NotProcessedPetitionOrComplaint,
        NotProcessedRepeated,
        NotProcessedPublication,
        NotProcessedExcessive,
        NotProcessedConfirmation,
        OtherCorrectionNotMade,
        OtherFeeNotPaid,
        Other,
    }
);
mirror_enum!(
    ApplicationEventKind = workflow::EventKind {
        Received,
        CorrectionRequested,
        CorrectionReceived,
        ConsultationStarted,
        ConsultationEnded,
        FeeRequested,
        FeePaid,
        Extended,
        DeadlineOverridden,
        DeadlineRecalculated,
        Closed,
    }
);

/// A stored enum value, or an internal error naming the row.
fn stored<T>(value: Option<T>, id: i64) -> async_graphql::Result<T> {
    value
        .ok_or_else(|| AppError::internal(format!("application {id} holds an unknown value")))
        .gql()
}

/// A non-working day inside a deadline window, and why it does not count.
#[derive(SimpleObject)]
pub struct SkippedDay {
    pub date: Date,
    /// e.g. 周末, 春节, 国庆节
    pub reason: String,
}

/// One step of the deadline computation, so anyone can check how dueOn came about.
#[derive(SimpleObject)]
pub struct DeadlineStep {
    /// The event that started, restarted, paused, extended or overrode the clock.
    pub kind: ApplicationEventKind,
    /// Working days counted after from, up to and including to.
    pub from: Date,
    pub to: Date,
    pub working_days: i32,
    pub skipped: Vec<SkippedDay>,
    /// The deadline as it stood after this step.
    pub due_on_after: Date,
}

impl From<&Step> for DeadlineStep {
    fn from(step: &Step) -> Self {
        DeadlineStep {
            kind: step.kind.into(),
            from: step.from.into(),
            to: step.to.into(),
            working_days: step.working_days as i32,
            skipped: step
                .skipped
                .iter()
                .map(|(date, reason)| SkippedDay {
                    date: (*date).into(),
                    reason: reason.clone(),
                })
                .collect(),
            due_on_after: step.due_on_after.into(),
        }
    }
}

/// An event; on the public tracking view actor and note are null.
pub struct ApplicationEvent {
    event: EventModel,
    public: bool,
}

#[Object]
impl ApplicationEvent {
    async fn kind(&self) -> async_graphql::Result<ApplicationEventKind> {
        workflow::EventKind::parse(&self.event.kind)
            .map(Into::into)
            .ok_or_else(|| AppError::internal(format!("unknown event kind {}", self.event.kind)))
            .gql()
    }

    /// The legal day the event took effect (may differ from when it was recorded).
    async fn on(&self) -> Date {
        self.event.effective_on.into()
    }

    async fn recorded_at(&self) -> DateTime<FixedOffset> {
        self.event.recorded_at.with_timezone(&china_standard_time())
    }

    /// Null on the public tracking view.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.event.actor_id.filter(|_| !self.public) {
            Some(id) => Ok(store::users::find(ctx.db(), id).await.gql()?.map(User)),
            None => Ok(None),
        }
    }

    async fn note(&self) -> Option<&str> {
        if self.public {
            None
        } else {
            self.event.note.as_deref()
        }
    }
}

/// What both views of an application compute from its events.
struct Clock {
    deadline: Deadline,
    events: Vec<EventModel>,
}

async fn clock(ctx: &Context<'_>, model: &Model) -> AppResult<Clock> {
    let events = application_events(ctx, model.id).await?;
    let deadline = deadline_of(model, &events, calendar(ctx).await?)?;
    Ok(Clock { deadline, events })
}

/// The staff view: personal data full for the owning organisation and
/// ADMIN, masked for OVERSIGHT.
pub struct Application {
    pub model: Model,
    pub access: Access,
}

impl Application {
    fn personal(&self, value: Option<&str>, mask: impl Fn(&str) -> String) -> Option<String> {
        value.map(|v| match self.access {
            Access::Full => v.to_owned(),
            Access::Masked => mask(v),
        })
    }
}

#[Object]
impl Application {
    async fn id(&self) -> ID {
        self.model.id.into()
    }

    /// e.g. PYNC-2026-00012; unique.
    async fn tracking_no(&self) -> &str {
        &self.model.tracking_no
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.model.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn channel(&self) -> async_graphql::Result<ApplicationChannel> {
        stored(
            applicant::Channel::parse(&self.model.channel).map(Into::into),
            self.model.id,
        )
    }

    async fn applicant_type(&self) -> async_graphql::Result<ApplicantType> {
        stored(
            applicant::ApplicantType::parse(&self.model.applicant_type).map(Into::into),
            self.model.id,
        )
    }

    /// Personal data: full for staff of the owning organisation and ADMIN, masked for OVERSIGHT.
    async fn applicant_name(&self) -> String {
        self.personal(Some(&self.model.applicant_name), masking::name)
            .unwrap_or_default()
    }

    async fn id_type(&self) -> Option<IdDocumentType> {
        self.model
            .id_type
            .as_deref()
            .and_then(applicant::IdDocumentType::parse)
            .map(Into::into)
    }

    async fn id_number(&self) -> Option<String> {
        let kind = self
            .model
            .id_type
            .as_deref()
            .and_then(applicant::IdDocumentType::parse);
        self.personal(self.model.id_number.as_deref(), |n| {
            masking::id_number(kind.unwrap_or(applicant::IdDocumentType::Other), n)
        })
    }

    async fn phone(&self) -> Option<String> {
        self.personal(self.model.phone.as_deref(), |p| {
            masking::phone(p, normalize_phone(p).is_ok_and(|p| p.mobile))
        })
    }

    async fn email(&self) -> Option<String> {
        self.personal(self.model.email.as_deref(), masking::email)
    }

    async fn address(&self) -> Option<String> {
        self.personal(self.model.address.as_deref(), masking::address)
    }

    /// What information is requested.
    async fn description(&self) -> &str {
        &self.model.description
    }

    async fn status(&self) -> async_graphql::Result<ApplicationStatus> {
        stored(
            workflow::Status::parse(&self.model.status).map(Into::into),
            self.model.id,
        )
    }

    /// Date of receipt under Art. 31.
    async fn received_on(&self) -> Date {
        self.model.received_on.into()
    }

    /// The current legal reply deadline, all pauses, restarts and extensions applied.
    async fn due_on(&self) -> Date {
        self.model.due_on.into()
    }

    /// True while the working calendar has no published data for some day between receipt and dueOn, so dueOn may still move.
    async fn due_on_provisional(&self) -> bool {
        self.model.due_on_provisional
    }

    /// How dueOn was computed, step by step.
    async fn deadline_trace(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DeadlineStep>> {
        let clock = clock(ctx, &self.model).await.gql()?;
        Ok(clock.deadline.steps.iter().map(Into::into).collect())
    }

    /// False while a correction, consultation or fee notice stops the clock; dueOn then keeps its last value.
    async fn clock_running(&self) -> bool {
        self.model.clock_running
    }

    async fn extended(&self) -> bool {
        self.model.extended
    }

    /// True when an APPROVER set the deadline under Art. 35.
    async fn deadline_overridden(&self) -> bool {
        self.model.deadline_overridden
    }

    /// Working days from asOf to dueOn; negative once overdue. Null when CLOSED or the clock is stopped.
    async fn working_days_left(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<i32>> {
        if !self.model.clock_running {
            return Ok(None);
        }
        let as_of = as_of.map_or_else(|| ctx.today(), |d| d.0);
        let calendar = calendar(ctx).await.gql()?;
        Ok(Some(crate::domain::deadline::working_days_left(
            self.model.due_on,
            as_of,
            calendar,
        )))
    }

    async fn overdue(&self, ctx: &Context<'_>, as_of: Option<Date>) -> bool {
        let as_of = as_of.map_or_else(|| ctx.today(), |d| d.0);
        // The stored clock stops when the application closes.
        crate::domain::deadline::overdue(self.model.clock_running, self.model.due_on, as_of)
    }

    async fn outcome(&self) -> Option<ApplicationOutcome> {
        stored_outcome(&self.model).map(Into::into)
    }

    async fn closed_on(&self) -> Option<Date> {
        self.model.closed_on.map(Into::into)
    }

    /// The reply summary recorded when closing.
    async fn reply(&self) -> Option<&str> {
        self.model.reply.as_deref()
    }

    /// The information-processing fee noticed, in yuan; null when none.
    async fn fee_yuan(&self) -> Option<i32> {
        self.model.fee_yuan
    }

    /// closedOn <= dueOn; null while open.
    async fn closed_on_time(&self) -> Option<bool> {
        self.model.closed_on_time
    }

    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApplicationEvent>> {
        let events = application_events(ctx, self.model.id).await.gql()?;
        Ok(events
            .into_iter()
            .map(|event| ApplicationEvent {
                event,
                public: false,
            })
            .collect())
    }

    async fn version(&self) -> i32 {
        self.model.version
    }

    /// For the clerk at intake: the organisation's published disclosures that best match the description (Art. 36(一): already published), best first; at most `first` (default 5, at most 20).
    async fn matching_disclosures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Disclosure>> {
        let limit = first.unwrap_or(5).clamp(0, 20) as u64;
        let found =
            crate::service::applications::matching_disclosures(ctx.db(), &self.model, limit)
                .await
                .gql()?;
        Ok(found.into_iter().map(Disclosure).collect())
    }

    /// Administrative reviews and lawsuits about this application (table 四).
    async fn legal_challenges(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::api::types::statistics::LegalChallenge>> {
        let cases = store::annual_inputs::challenges_of(ctx.db(), self.model.id)
            .await
            .gql()?;
        Ok(cases
            .into_iter()
            .map(crate::api::types::statistics::LegalChallenge)
            .collect())
    }

    /// For the clerk at intake: applications the same applicant (matched by
    /// a keyed hash of the normalised document number) filed with this
    /// organisation in the current calendar month, this one included; fees
    /// start at the 11th (国办函〔2020〕109号). Null without a document number.
    async fn applicant_applications_this_month(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<i32>> {
        let count = crate::service::applications::applications_this_month(
            ctx.db(),
            &self.model,
            ctx.today(),
        )
        .await
        .gql()?;
        Ok(count.map(|c| c as i32))
    }
}

/// What an applicant sees with tracking number + query code: no personal data, no internal notes.
pub struct ApplicationTracking(pub Model);

#[Object]
impl ApplicationTracking {
    async fn tracking_no(&self) -> &str {
        &self.0.tracking_no
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.0.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn status(&self) -> async_graphql::Result<ApplicationStatus> {
        stored(
            workflow::Status::parse(&self.0.status).map(Into::into),
            self.0.id,
        )
    }

    async fn received_on(&self) -> Date {
        self.0.received_on.into()
    }

    async fn due_on(&self) -> Date {
        self.0.due_on.into()
    }

    async fn due_on_provisional(&self) -> bool {
        self.0.due_on_provisional
    }

    async fn deadline_trace(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DeadlineStep>> {
        let clock = clock(ctx, &self.0).await.gql()?;
        Ok(clock.deadline.steps.iter().map(Into::into).collect())
    }

    async fn extended(&self) -> bool {
        self.0.extended
    }

    async fn outcome(&self) -> Option<ApplicationOutcome> {
        stored_outcome(&self.0).map(Into::into)
    }

    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Into::into)
    }

    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApplicationEvent>> {
        let clock = clock(ctx, &self.0).await.gql()?;
        Ok(clock
            .events
            .into_iter()
            .map(|event| ApplicationEvent {
                event,
                public: true,
            })
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct SubmitApplicationPayload {
    /// The staff view; null for anonymous callers, who get the tracking view.
    pub application: Option<Application>,
    pub tracking: ApplicationTracking,
    /// Returned once, at first submission; the applicant needs it to track the application. Null on an idempotent replay.
    pub query_code: Option<String>,
}

#[derive(SimpleObject)]
pub struct ApplicationEdge {
    pub cursor: String,
    pub node: Application,
}

#[derive(SimpleObject)]
pub struct ApplicationConnection {
    pub edges: Vec<ApplicationEdge>,
    pub page_info: crate::api::pagination::PageInfo,
    pub total_count: i32,
}

#[derive(InputObject, Default)]
pub struct ApplicationFilter {
    /// Exact tracking number, e.g. for a phone enquiry.
    pub tracking_no: Option<String>,
    pub organization_id: Option<ID>,
    pub include_descendants: Option<bool>,
    pub status: Option<ApplicationStatus>,
    /// Open applications whose clock runs and whose dueOn is before asOf.
    pub overdue: Option<bool>,
    /// Open applications with a running clock due within this many working days of asOf.
    pub due_within_working_days: Option<i32>,
    pub as_of: Option<Date>,
    pub received_from: Option<Date>,
    pub received_to: Option<Date>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationOrder {
    /// Soonest deadline first: the clerk's work list.
    DueOnAsc,
    ReceivedDesc,
    ReceivedAsc,
}

#[derive(InputObject)]
pub struct SubmitApplicationInput {
    /// A client-generated key (e.g. a UUID). Resending the same key with the same content returns the first result; with different content it is a CONFLICT.
    pub client_request_id: String,
    pub organization_id: ID,
    pub applicant_type: ApplicantType,
    pub applicant_name: String,
    /// Defaults to RESIDENT_ID for natural persons and UNIFIED_SOCIAL_CREDIT_CODE for organisations.
    pub id_type: Option<IdDocumentType>,
    /// Checked against idType: resident IDs and credit codes must carry a valid check character.
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub description: String,
    /// Anonymous callers may only use ONLINE; staff may record any channel.
    pub channel: Option<ApplicationChannel>,
    /// Staff only; defaults to today.
    pub received_on: Option<Date>,
}

#[derive(InputObject)]
pub struct CloseApplicationInput {
    pub outcome: ApplicationOutcome,
    pub closed_on: Date,
    /// Summary of the reply, kept with the application.
    pub reply: String,
}
