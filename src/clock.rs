//! The server's one notion of "now" (docs/DESIGN.md, "Reminders": "today"
//! comes from one clock that tests can set). Everything else is handed the
//! instant: the GraphQL handler and the exports read it once per request,
//! the command line once per command.

use std::sync::Mutex;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub trait Clock: Send + Sync {
    /// The instant, to the microsecond.
    fn now(&self) -> DateTime<Utc>;
}

/// Both databases keep microseconds. PostgreSQL rounds a finer instant,
/// SQLite stores its text whole, and then a listing cursor (which carries
/// microseconds) no longer equals the stored time and skips rows of the
/// same instant.
fn to_stored_precision(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::microseconds(1))
        .expect("far from chrono's limits")
}

/// The operating system's clock, for production.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        to_stored_precision(Utc::now())
    }
}

/// A clock that stands still until it is set or advanced, so that a test
/// can run the server at a chosen instant and move it past a deadline.
#[derive(Debug)]
pub struct SettableClock(Mutex<DateTime<Utc>>);

impl SettableClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("not poisoned") = at;
    }

    pub fn advance(&self, by: TimeDelta) {
        *self.0.lock().expect("not poisoned") += by;
    }
}

impl Clock for SettableClock {
    fn now(&self) -> DateTime<Utc> {
        to_stored_precision(*self.0.lock().expect("not poisoned"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settable_clock_moves_only_when_told() {
        let start = DateTime::UNIX_EPOCH + TimeDelta::days(20_000);
        let clock = SettableClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start, "it does not run by itself");
        clock.advance(TimeDelta::days(3));
        assert_eq!(clock.now(), start + TimeDelta::days(3));
        clock.set(start - TimeDelta::hours(1));
        assert_eq!(clock.now(), start - TimeDelta::hours(1));
    }

    #[test]
    fn instants_have_the_precision_the_databases_keep() {
        let fine = DateTime::UNIX_EPOCH + TimeDelta::nanoseconds(1_234_567_891);
        assert_eq!(
            SettableClock::new(fine).now(),
            DateTime::UNIX_EPOCH + TimeDelta::microseconds(1_234_567)
        );
        for _ in 0..3 {
            assert_eq!(SystemClock.now().timestamp_subsec_nanos() % 1000, 0);
        }
    }
}
