use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::calendar::CalendarDay;
use crate::api::types::organization::Organization;
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::api::types::user::User;
use crate::domain::calendar::working_days_argument;
use crate::error::AppError;
use crate::service::organizations;
use crate::store;

pub struct Query;

#[Object]
impl Query {
    async fn organizations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organization>> {
        let all = store::organizations::list(ctx.db()).await.gql()?;
        Ok(all.into_iter().map(Organization).collect())
    }

    /// One organisation by id or by code.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        code: Option<String>,
    ) -> async_graphql::Result<Option<Organization>> {
        let found = match (id, code) {
            (Some(id), None) => organizations::get(ctx.db(), parse_id(&id, "机构").gql()?).await,
            (None, Some(code)) => store::organizations::find_by_code(ctx.db(), &code)
                .await
                .and_then(|org| org.ok_or(AppError::NotFound("机构"))),
            _ => Err(AppError::bad_input("id", "请提供 id 或 code 其中之一")),
        };
        found.map(|org| Some(Organization(org))).gql()
    }

    /// The announced holidays and 调休 workdays of a year.
    async fn working_calendar(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        if !(1949..=2200).contains(&year) {
            return Err(AppError::bad_input("year", "年份超出范围")).gql();
        }
        let calendar = store::calendar::load(ctx.db()).await.gql()?;
        Ok(calendar.days_of_year(year).map(CalendarDay::from).collect())
    }

    /// The date that lies the given number of working days after from (from itself not counted).
    async fn add_working_days(
        &self,
        ctx: &Context<'_>,
        from: Date,
        days: i32,
    ) -> async_graphql::Result<Date> {
        let days = working_days_argument(days).gql()?;
        let calendar = store::calendar::load(ctx.db()).await.gql()?;
        Ok(calendar.add_working_days(from.0, days).into())
    }

    /// The signed-in user; null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(actor) = ctx.actor() else {
            return Ok(None);
        };
        Ok(store::users::find(ctx.db(), actor.user_id)
            .await
            .gql()?
            .map(User))
    }
}
