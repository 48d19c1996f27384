//! Reviews and lawsuits about an application (table 四).

use async_graphql::{ID, Object};

use crate::api::types::scalars::Date;
use crate::domain::legal_challenge::{self as domain, LegalChallenge as Record};

mirror_enum!(
    LegalChallengeKind = domain::ChallengeKind {
        /// 行政复议
        Review,
        /// 行政诉讼
        Litigation,
    }
);

mirror_enum!(
    LegalChallengeResult = domain::ChallengeResult {
        /// 结果维持
        Upheld,
        /// 结果纠正
        Corrected,
        /// 其他结果
        Other,
    }
);

/// An administrative review or lawsuit about an application.
pub struct LegalChallenge(pub Record);

#[Object]
impl LegalChallenge {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn kind(&self) -> LegalChallengeKind {
        self.0.kind.into()
    }

    /// A lawsuit brought after an administrative review (复议后起诉).
    async fn after_review(&self) -> bool {
        self.0.after_review
    }

    /// Null while pending (尚未审结).
    async fn result(&self) -> Option<LegalChallengeResult> {
        self.0.result.map(Into::into)
    }

    async fn filed_on(&self) -> Date {
        self.0.filed_on.into()
    }

    async fn decided_on(&self) -> Option<Date> {
        self.0.decided_on.map(Into::into)
    }
}
