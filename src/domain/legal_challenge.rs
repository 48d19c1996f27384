//! Administrative reviews (行政复议) and lawsuits (行政诉讼) about
//! applications, recorded by staff: the cases behind the annual report's
//! table 四.

use chrono::NaiveDate;

use super::workflow::stored_enum;

stored_enum!(
    /// 行政复议 or 行政诉讼 about an application.
    ChallengeKind {
        Review = "REVIEW",
        Litigation = "LITIGATION",
    }
);

stored_enum!(
    /// How a review or lawsuit ended: 结果维持, 结果纠正, 其他结果.
    ChallengeResult {
        Upheld = "UPHELD",
        Corrected = "CORRECTED",
        Other = "OTHER",
    }
);

/// Table 四's counts: for reviews, lawsuits brought directly and lawsuits
/// after review, the cases by 维持, 纠正, 其他 and 尚未审结.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChallengeCounts {
    pub review: [u64; 4],
    pub direct_suit: [u64; 4],
    pub suit_after_review: [u64; 4],
}

impl ChallengeCounts {
    /// Counts one case filed in the year; `result` as it stood at the year's end.
    pub fn add(
        &mut self,
        kind: ChallengeKind,
        after_review: bool,
        result: Option<ChallengeResult>,
    ) {
        let block = match (kind, after_review) {
            (ChallengeKind::Review, _) => &mut self.review,
            (ChallengeKind::Litigation, false) => &mut self.direct_suit,
            (ChallengeKind::Litigation, true) => &mut self.suit_after_review,
        };
        let column = match result {
            Some(ChallengeResult::Upheld) => 0,
            Some(ChallengeResult::Corrected) => 1,
            Some(ChallengeResult::Other) => 2,
            None => 3,
        };
        block[column] += 1;
    }

    /// The one row of 15 numbers: each block's four columns and its 总计.
    pub fn row(&self) -> [u64; 15] {
        let mut row = [0; 15];
        for (index, block) in [self.review, self.direct_suit, self.suit_after_review]
            .iter()
            .enumerate()
        {
            row[index * 5..index * 5 + 4].copy_from_slice(block);
            row[index * 5 + 4] = block.iter().sum();
        }
        row
    }
}

/// A review or lawsuit as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalChallenge {
    pub id: i64,
    pub application_id: i64,
    pub kind: ChallengeKind,
    /// A lawsuit brought after an administrative review (复议后起诉).
    pub after_review: bool,
    /// None while pending (尚未审结).
    pub result: Option<ChallengeResult>,
    pub filed_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One case in each block but the second's pending column.
    pub(crate) fn sample() -> ChallengeCounts {
        let mut counts = ChallengeCounts::default();
        counts.add(ChallengeKind::Review, false, Some(ChallengeResult::Upheld));
        counts.add(ChallengeKind::Review, false, None);
        counts.add(
            ChallengeKind::Litigation,
            false,
            Some(ChallengeResult::Corrected),
        );
        counts.add(
            ChallengeKind::Litigation,
            true,
            Some(ChallengeResult::Other),
        );
        counts
    }

    #[test]
    fn table_four_blocks() {
        assert_eq!(
            sample().row(),
            [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1]
        );
        crate::domain::workflow::tests::round_trips::<ChallengeKind>();
        crate::domain::workflow::tests::round_trips::<ChallengeResult>();
    }
}
