//! Fixed-window throttles: failed logins, anonymous submissions and wrong
//! query codes. The counters are stored; this is their arithmetic.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Hits allowed within one window before the bucket is blocked.
    pub limit: i32,
    pub window: TimeDelta,
    /// How long a bucket stays blocked once the limit is reached.
    pub block_for: TimeDelta,
}

/// After 5 failed logins for one username within 15 minutes, refuse further
/// attempts for 15 minutes.
pub const FAILED_LOGINS: ThrottleRule = ThrottleRule {
    limit: 5,
    window: TimeDelta::minutes(15),
    block_for: TimeDelta::minutes(15),
};

/// Anonymous online submissions per client address, so that the public
/// form cannot be used to flood an office.
pub const ANONYMOUS_SUBMISSIONS: ThrottleRule = ThrottleRule {
    limit: 20,
    window: TimeDelta::hours(1),
    block_for: TimeDelta::hours(1),
};

/// Wrong query codes for one tracking number from one client address.
pub const WRONG_CODES_PER_NUMBER: ThrottleRule = ThrottleRule {
    limit: 5,
    window: TimeDelta::minutes(15),
    block_for: TimeDelta::minutes(15),
};

/// Wrong query codes from one client address, whatever the number.
pub const WRONG_CODES_OVERALL: ThrottleRule = ThrottleRule {
    limit: 30,
    window: TimeDelta::hours(1),
    block_for: TimeDelta::minutes(15),
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleState {
    pub window_started_at: DateTime<Utc>,
    pub hits: i32,
    pub blocked_until: Option<DateTime<Utc>>,
}

impl ThrottleState {
    pub fn is_blocked(&self, now: DateTime<Utc>) -> bool {
        self.blocked_until.is_some_and(|until| now < until)
    }
}

/// The state after one more hit at `now`.
pub fn record_hit(
    previous: Option<ThrottleState>,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> ThrottleState {
    let mut state = match previous {
        Some(state) if now < state.window_started_at + rule.window => state,
        _ => ThrottleState {
            window_started_at: now,
            hits: 0,
            blocked_until: None,
        },
    };
    state.hits += 1;
    if state.hits >= rule.limit {
        state.blocked_until = Some(now + rule.block_for);
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + TimeDelta::minutes(minutes)
    }

    fn hits(minutes: &[i64]) -> ThrottleState {
        minutes
            .iter()
            .fold(None, |state, m| {
                Some(record_hit(state, FAILED_LOGINS, at(*m)))
            })
            .unwrap()
    }

    #[test]
    fn failed_logins() {
        // (failure times in minutes, asked at, blocked)
        let cases: [(&[i64], i64, bool); 6] = [
            (&[0, 1, 2, 3], 4, false),
            (&[0, 1, 2, 3, 4], 4, true),
            (&[0, 1, 2, 3, 4], 18, true),
            (&[0, 1, 2, 3, 4], 19, false), // 15 minutes after the fifth
            (&[0, 1, 2, 3, 16], 16, false), // the window had expired
            (&[0, 16, 17, 18, 19, 20], 21, true),
        ];
        for (failures, asked, blocked) in cases {
            assert_eq!(
                hits(failures).is_blocked(at(asked)),
                blocked,
                "{failures:?} at {asked}"
            );
        }
    }
}
