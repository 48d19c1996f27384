//! The working calendar and working-day arithmetic.

use async_graphql::{Context, Object};

use crate::api::context::{ContextExt, calendar};
use crate::api::error::GqlResult;
use crate::api::types::calendar::{CalendarDay, CalendarDayInput};
use crate::api::types::scalars::Date;
use crate::domain::calendar::working_days_argument;
use crate::error::AppError;
use crate::service;

#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// The announced holidays and 调休 workdays of a year.
    async fn working_calendar(
        &self,
        ctx: &Context<'_>,
        year: i32,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        if !(1949..=2200).contains(&year) {
            return Err(AppError::bad_input("year", "年份超出范围")).gql();
        }
        let calendar = calendar(ctx).await.gql()?;
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
        let calendar = calendar(ctx).await.gql()?;
        Ok(calendar.add_working_days(from.0, days).into())
    }
}

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    async fn set_calendar_days(
        &self,
        ctx: &Context<'_>,
        days: Vec<CalendarDayInput>,
    ) -> async_graphql::Result<Vec<CalendarDay>> {
        let days = days.into_iter().map(Into::into).collect();
        let stored = service::calendar::set_days(ctx.db(), ctx.caller(), days, ctx.request().now)
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
        let removed =
            service::calendar::clear_days(ctx.db(), ctx.caller(), dates, ctx.request().now)
                .await
                .gql()?;
        Ok(removed as i32)
    }
}
