//! Which rows a list may show, as SQL: the policy's reach (see
//! `service::access::visibility`) written as a condition on a table's
//! organisation column.

use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};

use crate::domain::organization::OrgPlace;

/// Organisations named by a filter or reached by a caller.
#[derive(Clone, Debug)]
pub enum OrgScope {
    One(i64),
    /// The organisation with this stored path and everything below it.
    Subtree(String),
}

impl OrgScope {
    /// The organisation at `place` and everything below it.
    pub fn below(place: &OrgPlace) -> OrgScope {
        OrgScope::Subtree(crate::store::organizations::path(place))
    }

    pub(crate) fn condition(&self, organization_id: impl ColumnTrait) -> SimpleExpr {
        match self {
            OrgScope::One(id) => organization_id.eq(*id),
            OrgScope::Subtree(path) => organization_id.in_subquery(
                Query::select()
                    .column(entity::organization::Column::Id)
                    .from(entity::organization::Entity)
                    .and_where(entity::organization::Column::Path.like(format!("{path}%")))
                    .to_owned(),
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Visibility {
    /// The public records alone.
    PublishedOnly,
    /// The public records, and everything of these organisations.
    PublishedOrWithin(OrgScope),
    Everything,
}

impl Visibility {
    /// The rows visible in a table whose public rows are those matching
    /// `published` (None: a table with no public rows, such as applications).
    pub(crate) fn condition(
        &self,
        organization_id: impl ColumnTrait,
        published: Option<SimpleExpr>,
    ) -> Condition {
        match (self, published) {
            (Visibility::Everything, _) => Condition::all(),
            (Visibility::PublishedOnly, Some(published)) => Condition::all().add(published),
            (Visibility::PublishedOnly, None) => Condition::all().add(Expr::cust("1 = 0")),
            (Visibility::PublishedOrWithin(scope), Some(published)) => Condition::any()
                .add(published)
                .add(scope.condition(organization_id)),
            (Visibility::PublishedOrWithin(scope), None) => {
                Condition::all().add(scope.condition(organization_id))
            }
        }
    }
}
