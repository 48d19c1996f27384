//! Reviews and lawsuits about applications (table 四).

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::legal_challenge::{
    LegalChallenge, LegalChallengeKind, LegalChallengeResult,
};
use crate::api::types::parse_id;
use crate::api::types::scalars::Date;
use crate::service::legal_challenges;

#[derive(Default)]
pub struct LegalChallengesMutation;

#[Object]
impl LegalChallengesMutation {
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
        legal_challenges::record(
            ctx.db(),
            ctx.caller(),
            application_id,
            kind.into(),
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
        legal_challenges::decide(
            ctx.db(),
            ctx.caller(),
            id,
            result.into(),
            decided_on.0,
            ctx.today(),
        )
        .await
        .map(LegalChallenge)
        .gql()
    }
}
