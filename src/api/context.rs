//! What resolvers find in the GraphQL context: the process-wide services and
//! the request's viewer, clock and client address.

use std::net::IpAddr;

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::calendar::china_date;
use crate::domain::organization::OrgPlace;
use crate::domain::policy::{Access, Actor, Operation, authorize};
use crate::error::{AppError, AppResult};
use crate::service::Services;

/// Who is asking, and when.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub actor: Option<Actor>,
    pub now: DateTime<Utc>,
    pub client_ip: IpAddr,
}

pub trait ContextExt {
    fn services(&self) -> &Services;
    fn request(&self) -> &RequestContext;

    fn db(&self) -> &DatabaseConnection {
        &self.services().db
    }

    fn actor(&self) -> Option<&Actor> {
        self.request().actor.as_ref()
    }

    /// The signed-in caller, or UNAUTHENTICATED.
    fn signed_in(&self) -> AppResult<&Actor> {
        self.actor().ok_or(AppError::Unauthenticated)
    }

    fn today(&self) -> NaiveDate {
        china_date(self.request().now)
    }

    /// Asks the role policy whether the caller may perform `operation` on
    /// something of the organisation at `target`.
    fn authorize(&self, operation: Operation, target: Option<&OrgPlace>) -> AppResult<Access> {
        authorize(self.actor(), operation, target).map_err(AppError::from)
    }
}

impl ContextExt for Context<'_> {
    fn services(&self) -> &Services {
        self.data_unchecked::<Services>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }
}
