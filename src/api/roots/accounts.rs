//! Signing in and user accounts.

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::parse_id;
use crate::api::types::user::{AuthPayload, CreateUserInput, User};
use crate::domain::calendar::china_standard_time;
use crate::service::accounts::{self, UserRequest};

#[derive(Default)]
pub struct AccountsQuery;

#[Object]
impl AccountsQuery {
    /// The signed-in user; null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(accounts::me(ctx.db(), ctx.caller()).await.gql()?.map(User))
    }
}

#[derive(Default)]
pub struct AccountsMutation;

#[Object]
impl AccountsMutation {
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
            ctx.caller(),
            request,
            ctx.request().now,
        )
        .await
        .map(User)
        .gql_all(ctx)
    }

    /// Any signed-in user, for itself; revokes all its tokens, the calling one included (sign in again).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        accounts::change_password(ctx.services(), ctx.caller(), current_password, new_password)
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
        accounts::set_user_password(ctx.services(), ctx.caller(), user_id, new_password)
            .await
            .gql()?;
        Ok(true)
    }

    /// ADMIN, or ORG_ADMIN for its own organisation; revokes the user's tokens at once.
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let user_id = parse_id(&id, "用户").gql()?;
        accounts::deactivate_user(ctx.services(), ctx.caller(), user_id)
            .await
            .map(User)
            .gql()
    }
}
