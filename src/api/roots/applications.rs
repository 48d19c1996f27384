//! Disclosure applications (依申请公开): intake, the workflow, the work list and tracking.

use async_graphql::{Context, ID, Object};

use crate::api::context::{ContextExt, preload_application_events, preload_organizations};
use crate::api::error::GqlResult;
use crate::api::pagination::{PageInfo, page_size};
use crate::api::types::application::{
    Application, ApplicationConnection, ApplicationEdge, ApplicationFilter, ApplicationOrder,
    ApplicationTracking, CloseApplicationInput, SubmitApplicationInput, SubmitApplicationPayload,
};
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::domain::intake::Submission;
use crate::domain::workflow::Step;
use crate::service::applications::{self, StepRequest};

#[derive(Default)]
pub struct ApplicationsQuery;

#[Object]
impl ApplicationsQuery {
    /// Tracking number + query code: the applicant's view. A wrong code answers like an unknown number.
    async fn track_application(
        &self,
        ctx: &Context<'_>,
        tracking_no: String,
        query_code: String,
    ) -> async_graphql::Result<Option<ApplicationTracking>> {
        let request = ctx.request();
        applications::track(
            ctx.services(),
            request.client_ip,
            &tracking_no,
            &query_code,
            request.now,
        )
        .await
        .map(|application| Some(ApplicationTracking(application)))
        .gql()
    }

    /// Applications the caller may read: its organisation's (OVERSIGHT: at or below its own, masked).
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity + 1")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        filter: Option<ApplicationFilter>,
        order_by: Option<ApplicationOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ApplicationConnection> {
        let first = page_size(first).gql()?;
        let filter = filter.unwrap_or_default();
        let query = applications::ApplicationQuery {
            tracking_no: filter.tracking_no,
            organization_id: filter
                .organization_id
                .as_ref()
                .map(|id| parse_id(id, "机构"))
                .transpose()
                .gql()?,
            include_descendants: filter.include_descendants.unwrap_or(false),
            status: filter.status.map(Into::into),
            overdue: filter.overdue,
            due_within_working_days: filter.due_within_working_days,
            as_of: filter.as_of.map_or_else(|| ctx.today(), |d| d.0),
            received_from: filter.received_from.map(|d| d.0),
            received_to: filter.received_to.map(|d| d.0),
            open: filter.open,
        };
        let order = order_by.unwrap_or(ApplicationOrder::ReceivedDesc).into();
        let page = applications::list(
            ctx.db(),
            ctx.caller(),
            query,
            order,
            after.as_deref(),
            first,
        )
        .await
        .gql()?;
        preload_organizations(ctx, page.items.iter().map(|(a, _)| a.organization_id))
            .await
            .gql()?;
        let node = ctx.look_ahead().field("edges").field("node");
        if node.field("events").exists() || node.field("deadlineTrace").exists() {
            let ids: Vec<i64> = page.items.iter().map(|(a, _)| a.id).collect();
            preload_application_events(ctx, &ids).await.gql()?;
        }
        let access = page.view;
        let end_cursor = page.items.last().map(|(_, cursor)| cursor.clone());
        Ok(ApplicationConnection {
            edges: page
                .items
                .into_iter()
                .map(|(record, cursor)| ApplicationEdge {
                    cursor,
                    node: Application { record, access },
                })
                .collect(),
            page_info: PageInfo {
                has_next_page: page.has_next_page,
                end_cursor,
            },
            total_count: page.total_count as i32,
        })
    }

    async fn application(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Application>> {
        let id = parse_id(&id, "申请").gql()?;
        let (record, access) = applications::read(ctx.db(), ctx.caller(), id).await.gql()?;
        Ok(Some(Application { record, access }))
    }
}

#[derive(Default)]
pub struct ApplicationsMutation;

#[Object]
impl ApplicationsMutation {
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
        let attachments = input
            .attachments
            .unwrap_or_default()
            .iter()
            .map(|r| Ok((parse_id(&r.file_id, "文件")?, r.kind.into())))
            .collect::<crate::error::AppResult<Vec<_>>>()
            .gql()?;
        let request = ctx.request();
        let submitted = applications::submit(
            ctx.services(),
            ctx.caller(),
            request.client_ip,
            submission,
            &attachments,
            request.now,
        )
        .await
        .gql_all(ctx)?;
        let staff_view = submitted.view.map(|access| Application {
            record: submitted.application.clone(),
            access,
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
        applications::reissue_query_code(ctx.services(), ctx.caller(), id)
            .await
            .gql()
    }
}

/// Runs one workflow step and answers with the caller's view.
async fn advance(
    ctx: &Context<'_>,
    id: &ID,
    request: StepRequest,
    expected_version: Option<i32>,
) -> async_graphql::Result<Application> {
    let id = parse_id(id, "申请").gql()?;
    let (record, access) = applications::advance(
        ctx.services(),
        ctx.caller(),
        id,
        request,
        expected_version,
        ctx.request().now,
    )
    .await
    .gql()?;
    Ok(Application { record, access })
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
