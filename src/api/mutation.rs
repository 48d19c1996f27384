use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::application::{
    Application, ApplicationTracking, CloseApplicationInput, SubmitApplicationInput,
    SubmitApplicationPayload,
};
use crate::api::types::calendar::{CalendarDay, CalendarDayInput};
use crate::api::types::disclosure::{Disclosure, DisclosureInput};
use crate::api::types::organization::{CreateOrganizationInput, Organization};
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::api::types::statistics::{
    LegalChallenge, LegalChallengeKind, LegalChallengeResult, ProactiveDisclosureFigures,
    ProactiveDisclosureFiguresInput,
};
use crate::api::types::user::{AuthPayload, CreateUserInput, User};
use crate::domain::calendar::china_standard_time;
use crate::domain::disclosure::DisclosureContent;
use crate::domain::organization::NewOrganization;
use crate::domain::policy::Access;
use crate::domain::report::ChallengeKind;
use crate::domain::workflow::Step;
use crate::error::AppResult;
use crate::service::accounts::{self, UserRequest};
use crate::service::applications::{self, StepRequest, Submission};
use crate::service::disclosures::{self, DisclosureRequest};
use crate::service::{Authority, calendar, organizations, statistics};

pub struct Mutation;

fn caller<'a>(ctx: &'a Context<'_>) -> Authority<'a> {
    Authority::Caller(ctx.actor())
}

fn disclosure_request(input: DisclosureInput) -> AppResult<DisclosureRequest> {
    Ok(DisclosureRequest {
        organization_id: parse_id(&input.organization_id, "机构")?,
        category_id: parse_id(&input.category_id, "分类")?,
        content: DisclosureContent {
            title: input.title,
            doc_number: input.doc_number,
            body: input.body,
            formed_on: input.formed_on.0,
        },
    })
}

/// Runs one workflow step and answers with the staff view.
async fn advance(
    ctx: &Context<'_>,
    id: &ID,
    request: StepRequest,
    expected_version: Option<i32>,
) -> async_graphql::Result<Application> {
    let id = parse_id(id, "申请").gql()?;
    let model = applications::advance(
        ctx.services(),
        ctx.actor(),
        id,
        request,
        expected_version,
        ctx.request().now,
    )
    .await
    .gql()?;
    Ok(Application {
        model,
        access: Access::Full,
    })
}

fn step(step: Step, on: Date, note: Option<String>) -> StepRequest {
    StepRequest {
        step,
        on: on.0,
        note,
        set_due_on: None,
        fee_yuan: None,
        reply: None,
    }
}

#[Object]
impl Mutation {
    /// Anonymous (ONLINE, with identity and a contact) or staff of the organisation (any channel).
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        input: SubmitApplicationInput,
    ) -> async_graphql::Result<SubmitApplicationPayload> {
        let submission = Submission {
            client_request_id: input.client_request_id,
            organization_id: parse_id(&input.organization_id, "机构").gql()?,
            applicant_type: Some(input.applicant_type.into()),
            applicant_name: input.applicant_name,
            id_type: input.id_type.map(Into::into),
            id_number: input.id_number,
            phone: input.phone,
            email: input.email,
            address: input.address,
            description: input.description,
            channel: input.channel.map(Into::into),
            received_on: input.received_on.map(|d| d.0),
        };
        let request = ctx.request();
        let submitted = applications::submit(
            ctx.services(),
            ctx.actor(),
            request.client_ip,
            submission,
            request.now,
        )
        .await
        .gql()?;
        let staff_view = ctx.actor().map(|_| Application {
            model: submitted.application.clone(),
            access: Access::Full,
        });
        Ok(SubmitApplicationPayload {
            application: staff_view,
            tracking: ApplicationTracking(submitted.application),
            query_code: submitted.query_code,
        })
    }

    /// Art. 30: once, within 7 working days of receipt; the clock stops.
    async fn request_correction(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        note: String,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::RequestCorrection, on, Some(note)),
            expected_version,
        )
        .await
    }

    /// The corrected application arrived: the 20 working days restart in full.
    async fn receive_correction(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        note: Option<String>,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::ReceiveCorrection, on, note),
            expected_version,
        )
        .await
    }

    /// Arts. 32–34: the clock pauses while third parties or other organs are consulted.
    async fn start_consultation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        note: String,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::StartConsultation, on, Some(note)),
            expected_version,
        )
        .await
    }

    async fn end_consultation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        note: Option<String>,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::EndConsultation, on, note),
            expected_version,
        )
        .await
    }

    /// Art. 42: the clock pauses until the fee is paid.
    async fn request_fee(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        amount_yuan: i32,
        note: Option<String>,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        let request = StepRequest {
            fee_yuan: Some(amount_yuan),
            ..step(Step::RequestFee, on, note)
        };
        advance(ctx, &id, request, expected_version).await
    }

    async fn record_fee_paid(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::RecordFeePaid, on, None),
            expected_version,
        )
        .await
    }

    /// APPROVER only; once per application; adds 20 working days (Art. 33).
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        reason: String,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        advance(
            ctx,
            &id,
            step(Step::Extend, on, Some(reason)),
            expected_version,
        )
        .await
    }

    /// APPROVER only; Art. 35: a reasonable later deadline for an excessive request, with the reason the applicant is told.
    async fn override_deadline(
        &self,
        ctx: &Context<'_>,
        id: ID,
        on: Date,
        due_on: Date,
        reason: String,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        let request = StepRequest {
            set_due_on: Some(due_on.0),
            ..step(Step::Override, on, Some(reason))
        };
        advance(ctx, &id, request, expected_version).await
    }

    async fn close_application(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: CloseApplicationInput,
        expected_version: Option<i32>,
    ) -> async_graphql::Result<Application> {
        let request = StepRequest {
            reply: Some(input.reply),
            ..step(Step::Close(input.outcome.into()), input.closed_on, None)
        };
        advance(ctx, &id, request, expected_version).await
    }

    /// A new query code for an applicant who lost theirs; the old one stops working. Returned once.
    async fn reissue_query_code(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<String> {
        let id = parse_id(&id, "申请").gql()?;
        applications::reissue_query_code(ctx.services(), ctx.actor(), id)
            .await
            .gql()
    }

    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let signed_in = accounts::login(ctx.services(), &username, password, ctx.request().now)
            .await
            .gql()?;
        Ok(AuthPayload {
            access_token: signed_in.access_token,
            expires_at: signed_in.expires_at.with_timezone(&china_standard_time()),
            user: User(signed_in.user),
        })
    }

    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> async_graphql::Result<Organization> {
        let parent_id = input
            .parent_id
            .as_ref()
            .map(|id| parse_id(id, "上级机构"))
            .transpose()
            .gql()?;
        let new = NewOrganization {
            code: input.code,
            name: input.name,
            kind: input.kind.into(),
            has_parent: parent_id.is_some(),
        };
        organizations::create(ctx.db(), caller(ctx), new, parent_id, ctx.request().now)
            .await
            .map(Organization)
            .gql()
    }

    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> async_graphql::Result<User> {
        let request = UserRequest {
            username: input.username,
            display_name: input.display_name,
            password: input.password,
            role: input.role.into(),
            organization_id: parse_id(&input.organization_id, "机构").gql()?,
        };
        accounts::create_user(
            ctx.db(),
            &ctx.services().passwords,
            caller(ctx),
            request,
            ctx.request().now,
        )
        .await
        .map(User)
        .gql()
    }

    /// Any signed-in user, for itself; revokes all its tokens, the calling one included (sign in again).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let actor = ctx.signed_in().gql()?;
        accounts::change_password(ctx.services(), actor, current_password, new_password)
            .await
            .gql()?;
        Ok(true)
    }

    /// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens.
    async fn set_user_password(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let user_id = parse_id(&user_id, "用户").gql()?;
        accounts::set_user_password(ctx.services(), caller(ctx), user_id, new_password)
            .await
            .gql()?;
        Ok(true)
    }

    /// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens at once.
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let user_id = parse_id(&id, "用户").gql()?;
        accounts::deactivate_user(ctx.services(), caller(ctx), user_id)
            .await
            .map(User)
            .gql()
    }

    async fn create_disclosure(
        &self,
        ctx: &Context<'_>,
        input: DisclosureInput,
    ) -> async_graphql::Result<Disclosure> {
        let request = disclosure_request(input).gql()?;
        disclosures::create(ctx.db(), ctx.actor(), request, ctx.request().now)
            .await
            .map(Disclosure)
            .gql()
    }

    /// Editable while DRAFT or PUBLISHED; a stale expectedVersion is CONFLICT.
    async fn update_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: DisclosureInput,
        expected_version: i32,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        let request = disclosure_request(input).gql()?;
        disclosures::update(
            ctx.db(),
            ctx.actor(),
            id,
            request,
            expected_version,
            ctx.request().now,
        )
        .await
        .map(Disclosure)
        .gql()
    }

    /// APPROVER only.
    async fn publish_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        disclosures::publish(ctx.db(), ctx.actor(), id, ctx.request().now)
            .await
            .map(Disclosure)
            .gql()
    }

    /// APPROVER only; final. The item keeps its index number.
    async fn withdraw_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        disclosures::withdraw(ctx.db(), ctx.actor(), id, &reason, ctx.request().now)
            .await
            .map(Disclosure)
            .gql()
    }

    /// Table 二's figures of an organisation and year (staff of the organisation, ADMIN); entering them again replaces them.
    async fn set_proactive_disclosure_figures(
        &self,
        ctx: &Context<'_>,
        input: ProactiveDisclosureFiguresInput,
    ) -> async_graphql::Result<ProactiveDisclosureFigures> {
        let organization_id = parse_id(&input.organization_id, "机构").gql()?;
        statistics::set_proactive_figures(
            ctx.db(),
            ctx.actor(),
            organization_id,
            input.year,
            (&input).into(),
            ctx.today(),
        )
        .await
        .map(Into::into)
        .gql()
    }

    /// Records an administrative review or a lawsuit about an application (table 四); afterReview only for lawsuits.
    async fn record_legal_challenge(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        kind: LegalChallengeKind,
        after_review: Option<bool>,
        filed_on: Date,
    ) -> async_graphql::Result<LegalChallenge> {
        let application_id = parse_id(&application_id, "申请").gql()?;
        let kind = match kind {
            LegalChallengeKind::Review => ChallengeKind::Review,
            LegalChallengeKind::Litigation => ChallengeKind::Litigation,
        };
        statistics::record_challenge(
            ctx.db(),
            ctx.actor(),
            application_id,
            kind,
            after_review.unwrap_or(false),
            filed_on.0,
            ctx.today(),
        )
        .await
        .map(LegalChallenge)
        .gql()
    }

    /// The result of a review or lawsuit.
    async fn decide_legal_challenge(
        &self,
        ctx: &Context<'_>,
        id: ID,
        result: LegalChallengeResult,
        decided_on: Date,
    ) -> async_graphql::Result<LegalChallenge> {
        let id = parse_id(&id, "复议或诉讼记录").gql()?;
        statistics::decide_challenge(
            ctx.db(),
            ctx.actor(),
            id,
            result.into(),
            decided_on.0,
            ctx.today(),
        )
        .await
        .map(LegalChallenge)
        .gql()
    }

    async fn set_calendar_days(
        &self,
        ctx: &Context<'_>,
        days: Vec<CalendarDayInput>,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        let days = days.into_iter().map(Into::into).collect();
        let stored = calendar::set_days(ctx.db(), caller(ctx), days, ctx.request().now)
            .await
            .gql()?;
        Ok(stored.iter().map(CalendarDay::from).collect())
    }

    /// ADMIN: the given dates become ordinary days again (weekday working, weekend rest); returns how many entries were removed.
    async fn clear_calendar_days(
        &self,
        ctx: &Context<'_>,
        dates: Vec<Date>,
    ) -> async_graphql::Result<i32> {
        let dates = dates.into_iter().map(|d| d.0).collect();
        let removed = calendar::clear_days(ctx.db(), caller(ctx), dates, ctx.request().now)
            .await
            .gql()?;
        Ok(removed as i32)
    }
}
