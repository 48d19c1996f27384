use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, FixedOffset};

use crate::api::context::{ContextExt, application_events, calendar, organization};
use crate::api::error::GqlResult;
use crate::api::types::attachment::{Attachment, AttachmentRef, Link};
use crate::api::types::disclosure::Disclosure;
use crate::api::types::legal_challenge::LegalChallenge;
use crate::api::types::organization::Organization;
use crate::api::types::scalars::Date;
use crate::api::types::user::User;
use crate::domain::applicant::{self as applicant, normalize_phone};
use crate::domain::application::{Application as Record, Event};
use crate::domain::calendar::china_standard_time;
use crate::domain::deadline::{Deadline, DeadlineStep as Step};
use crate::domain::files::AttachedTo;
use crate::domain::masking;
use crate::domain::policy::Access;
use crate::domain::workflow;
use crate::error::AppResult;
use crate::service::{accounts, applications, files, legal_challenges, notices};

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
        /// A file was attached (the note names its kind and file name).
        AttachmentAdded,
    }
);

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
    event: Event,
    public: bool,
}

#[Object]
impl ApplicationEvent {
    async fn kind(&self) -> ApplicationEventKind {
        self.event.kind.into()
    }

    /// The legal day the event took effect (may differ from when it was recorded).
    async fn on(&self) -> Date {
        self.event.on.into()
    }

    async fn recorded_at(&self) -> DateTime<FixedOffset> {
        self.event.recorded_at.with_timezone(&china_standard_time())
    }

    /// Null on the public tracking view.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.event.actor_id.filter(|_| !self.public) {
            Some(id) => Ok(accounts::user(ctx.db(), id).await.gql()?.map(User)),
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
    events: Vec<Event>,
}

async fn clock(ctx: &Context<'_>, application: &Record) -> AppResult<Clock> {
    let events = application_events(ctx, application.id).await?;
    let deadline = application.deadline(&events, calendar(ctx).await?)?;
    Ok(Clock { deadline, events })
}

/// The staff view: personal data full for the owning organisation and
/// ADMIN, masked for OVERSIGHT.
pub struct Application {
    pub record: Record,
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
        self.record.id.into()
    }

    /// e.g. PYNC-2026-00012; unique.
    async fn tracking_no(&self) -> &str {
        &self.record.tracking_no
    }

    /// The old number of an application imported from a town's ledger
    /// (原登记编号), kept beside its tracking number; the trackingNo filter
    /// finds it too. Null for applications entered in gongkai.
    async fn external_no(&self) -> Option<&str> {
        self.record.external_no.as_deref()
    }

    /// Staff of the organisation see all; OVERSIGHT sees the list without IDENTITY_PROOF files.
    async fn attachments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Attachment>> {
        let visible = files::attachments_of(
            ctx.db(),
            ctx.caller(),
            AttachedTo::Application(self.record.id),
        )
        .await
        .gql()?;
        Ok(visible.into_iter().map(|(a, _)| a.into()).collect())
    }

    async fn organization(&self, ctx: &Context<'_>) -> async_graphql::Result<Organization> {
        organization(ctx, self.record.organization_id)
            .await
            .map(Organization)
            .gql()
    }

    async fn channel(&self) -> ApplicationChannel {
        self.record.channel.into()
    }

    async fn applicant_type(&self) -> ApplicantType {
        self.record.applicant.kind.into()
    }

    /// Personal data: full for staff of the owning organisation and ADMIN, masked for OVERSIGHT.
    async fn applicant_name(&self) -> String {
        self.personal(Some(&self.record.applicant.name), masking::name)
            .unwrap_or_default()
    }

    async fn id_type(&self) -> Option<IdDocumentType> {
        self.record.applicant.id_type.map(Into::into)
    }

    async fn id_number(&self) -> Option<String> {
        let applicant = &self.record.applicant;
        self.personal(applicant.id_number.as_deref(), |n| {
            masking::id_number(
                applicant
                    .id_type
                    .unwrap_or(applicant::IdDocumentType::Other),
                n,
            )
        })
    }

    async fn phone(&self) -> Option<String> {
        self.personal(self.record.applicant.phone.as_deref(), |p| {
            masking::phone(p, normalize_phone(p).is_ok_and(|p| p.mobile))
        })
    }

    async fn email(&self) -> Option<String> {
        self.personal(self.record.applicant.email.as_deref(), masking::email)
    }

    async fn address(&self) -> Option<String> {
        self.personal(self.record.applicant.address.as_deref(), masking::address)
    }

    /// What information is requested.
    async fn description(&self) -> &str {
        &self.record.description
    }

    async fn status(&self) -> ApplicationStatus {
        self.record.status.into()
    }

    /// Date of receipt under Art. 31.
    async fn received_on(&self) -> Date {
        self.record.received_on.into()
    }

    /// The current legal reply deadline, all pauses, restarts and extensions applied.
    async fn due_on(&self) -> Date {
        self.record.due_on.into()
    }

    /// True while the working calendar has no published data for some day between receipt and dueOn, so dueOn may still move.
    async fn due_on_provisional(&self) -> bool {
        self.record.due_on_provisional
    }

    /// How dueOn was computed, step by step.
    async fn deadline_trace(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DeadlineStep>> {
        let clock = clock(ctx, &self.record).await.gql()?;
        Ok(clock.deadline.steps.iter().map(Into::into).collect())
    }

    /// False while a correction, consultation or fee notice stops the clock; dueOn then keeps its last value.
    async fn clock_running(&self) -> bool {
        self.record.clock_running
    }

    async fn extended(&self) -> bool {
        self.record.extended
    }

    /// True when an APPROVER set the deadline under Art. 35.
    async fn deadline_overridden(&self) -> bool {
        self.record.deadline_overridden
    }

    /// Working days from asOf to dueOn; negative once overdue. Null when CLOSED or the clock is stopped.
    async fn working_days_left(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> async_graphql::Result<Option<i32>> {
        if !self.record.clock_running {
            return Ok(None);
        }
        let as_of = as_of.map_or_else(|| ctx.today(), |d| d.0);
        let calendar = calendar(ctx).await.gql()?;
        Ok(Some(crate::domain::deadline::working_days_left(
            self.record.due_on,
            as_of,
            calendar,
        )))
    }

    async fn overdue(&self, ctx: &Context<'_>, as_of: Option<Date>) -> bool {
        let as_of = as_of.map_or_else(|| ctx.today(), |d| d.0);
        // The stored clock stops when the application closes.
        crate::domain::deadline::overdue(self.record.clock_running, self.record.due_on, as_of)
    }

    async fn outcome(&self) -> Option<ApplicationOutcome> {
        self.record.outcome.map(Into::into)
    }

    async fn closed_on(&self) -> Option<Date> {
        self.record.closed_on.map(Into::into)
    }

    /// The reply summary recorded when closing.
    async fn reply(&self) -> Option<&str> {
        self.record.reply.as_deref()
    }

    /// The information-processing fee noticed, in yuan; null when none.
    async fn fee_yuan(&self) -> Option<i32> {
        self.record.fee_yuan
    }

    /// closedOn <= dueOn; null while open.
    async fn closed_on_time(&self) -> Option<bool> {
        self.record.closed_on_time
    }

    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApplicationEvent>> {
        let events = application_events(ctx, self.record.id).await.gql()?;
        Ok(events
            .into_iter()
            .map(|event| ApplicationEvent {
                event,
                public: false,
            })
            .collect())
    }

    async fn version(&self) -> i32 {
        self.record.version
    }

    /// For the clerk at intake: the organisation's published disclosures that best match the description (Art. 36(一): already published), best first; at most `first` (default 5, at most 20).
    async fn matching_disclosures(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Disclosure>> {
        let limit = first.unwrap_or(5).clamp(0, 20) as u64;
        let found = applications::matching_disclosures(ctx.db(), &self.record, limit)
            .await
            .gql()?;
        Ok(found.into_iter().map(Disclosure).collect())
    }

    /// The reply notice's text as generated from the outcome (Art. 36), before or after closing. Once closed it is the notice as issued; while open it is a preview for the clerk with the `outcome` and `reply` given (null without an outcome). The applicant's name is masked for OVERSIGHT.
    async fn reply_notice_text(
        &self,
        ctx: &Context<'_>,
        outcome: Option<ApplicationOutcome>,
        reply: Option<String>,
    ) -> async_graphql::Result<Option<String>> {
        let preview = notices::Preview {
            outcome: outcome.map(Into::into),
            reply,
        };
        notices::reply_notice_text(ctx.db(), ctx.caller(), self.record.id, preview, ctx.today())
            .await
            .gql()
    }

    /// Administrative reviews and lawsuits about this application (table 四).
    async fn legal_challenges(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<LegalChallenge>> {
        let cases = legal_challenges::of_application(ctx.db(), self.record.id)
            .await
            .gql()?;
        Ok(cases.into_iter().map(LegalChallenge).collect())
    }

    /// For the clerk at intake: applications the same applicant (matched by
    /// a keyed hash of the normalised document number) filed with this
    /// organisation in the current calendar month, this one included; fees
    /// start at the 11th (国办函〔2020〕109号). Null without a document number.
    async fn applicant_applications_this_month(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<i32>> {
        let count = applications::applications_this_month(ctx.db(), &self.record, ctx.today())
            .await
            .gql()?;
        Ok(count.map(|c| c as i32))
    }
}

/// What an applicant sees with tracking number + query code: no personal data, no internal notes.
pub struct ApplicationTracking(pub Record);

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

    async fn status(&self) -> ApplicationStatus {
        self.0.status.into()
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
        self.0.outcome.map(Into::into)
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

    /// The reply notice once the application is closed; its downloadUrl carries a short-lived signed token (the query code never goes into a URL).
    async fn reply_notice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Attachment>> {
        if self.0.status != workflow::Status::Closed {
            return Ok(None);
        }
        let notice = files::reply_notice(ctx.db(), self.0.id).await.gql()?;
        Ok(notice.map(|record| {
            let url = files::applicant_link(ctx.services(), &record, ctx.request().now);
            Attachment {
                record,
                link: Link::Signed(url),
            }
        }))
    }
}

#[derive(SimpleObject)]
pub struct SubmitApplicationPayload {
    /// The staff view; null for anonymous callers, who get the tracking view.
    pub application: Option<Application>,
    pub tracking: ApplicationTracking,
    /// The applicant needs it to track the application. Returned at first submission, and again on an idempotent replay (same clientRequestId, same content) within 24 hours of it; null on a replay after 24 hours or after the code was reissued (reissueQueryCode).
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
    /// Not CLOSED (true) or CLOSED (false). With orderBy DUE_ON_ASC, open: true is the clerk's work list: applications whose clock runs first, soonest deadline first, then paused ones (clock stopped for a fee, a correction or a consultation).
    pub open: Option<bool>,
}

mirror_enum!(
    ApplicationOrder = crate::domain::application::ApplicationOrder {
        /// Soonest deadline first: the clerk's work list.
        DueOnAsc,
        ReceivedDesc,
        ReceivedAsc,
    }
);

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
    /// Files uploaded beforehand with POST /files (APPLICATION_FORM or IDENTITY_PROOF); anonymous uploads are throttled per client address.
    pub attachments: Option<Vec<AttachmentRef>>,
}

#[derive(InputObject)]
pub struct CloseApplicationInput {
    pub outcome: ApplicationOutcome,
    pub closed_on: Date,
    /// Summary of the reply, kept with the application.
    pub reply: String,
}
