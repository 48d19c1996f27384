use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::calendar::{CalendarDay, CalendarDayInput};
use crate::api::types::disclosure::{Disclosure, DisclosureInput};
use crate::api::types::organization::{CreateOrganizationInput, Organization};
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::api::types::user::{AuthPayload, CreateUserInput, User};
use crate::domain::calendar::china_standard_time;
use crate::domain::disclosure::DisclosureContent;
use crate::domain::organization::NewOrganization;
use crate::error::AppResult;
use crate::service::accounts::{self, UserRequest};
use crate::service::disclosures::{self, DisclosureRequest};
use crate::service::{Authority, calendar, organizations};

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

#[Object]
impl Mutation {
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
        organizations::create(ctx.db(), caller(ctx), new, parent_id)
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
        accounts::create_user(ctx.db(), &ctx.services().passwords, caller(ctx), request)
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
