//! The working calendar and working-day arithmetic (docs/DESIGN.md, "Deadlines").
//!
//! A working day is a Monday to Friday that is not a HOLIDAY, or a Saturday or
//! Sunday marked WORKDAY (调休). Beyond the last announced year only weekends
//! rest, and any date there is provisional.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};

use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

/// The most working days `addWorkingDays` accepts (about four years).
pub const MAX_WORKING_DAYS: i32 = 1000;

stored_enum!(
    DayKind {
        /// A rest day of a public holiday, on any day of the week.
        Holiday = "HOLIDAY",
        /// A Saturday or Sunday made a working day (调休上班).
        Workday = "WORKDAY",
    }
);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub note: Option<String>,
}

impl CalendarDay {
    /// Checks an entry an administrator wants to set: a WORKDAY must fall on a
    /// weekend (a weekday already is one), and the note stays short.
    pub fn validate(&self, field: &str) -> AppResult<()> {
        if self.kind == DayKind::Workday && !is_weekend(self.date) {
            return Err(AppError::bad_input(
                field,
                format!("{} 是工作日，只有周六、周日可设为调休上班日", self.date),
            ));
        }
        if self.note.as_deref().is_some_and(|n| n.chars().count() > 50) {
            return Err(AppError::bad_input(field, "备注不能超过50个字"));
        }
        Ok(())
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The announced holidays and 调休 workdays, as loaded from storage.
#[derive(Clone, Debug, Default)]
pub struct WorkingCalendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
    last_announced_year: Option<i32>,
}

impl WorkingCalendar {
    pub fn new(days: impl IntoIterator<Item = CalendarDay>) -> Self {
        let days: BTreeMap<_, _> = days.into_iter().map(|d| (d.date, d)).collect();
        let last_announced_year = days.keys().next_back().map(|d| d.year());
        Self {
            days,
            last_announced_year,
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.rest_reason(date).is_none()
    }

    /// Why a day does not count as a working day: the holiday's name (春节,
    /// 国庆节, …) or 周末; `None` for a working day.
    pub fn rest_reason(&self, date: NaiveDate) -> Option<String> {
        match self.days.get(&date) {
            Some(CalendarDay {
                kind: DayKind::Workday,
                ..
            }) => None,
            Some(CalendarDay {
                kind: DayKind::Holiday,
                note,
                ..
            }) => Some(note.clone().unwrap_or_else(|| "法定节假日".to_owned())),
            None if is_weekend(date) => Some("周末".to_owned()),
            None => None,
        }
    }

    /// The `days`-th working day after `from`; `from` itself never counts.
    pub fn add_working_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut counted = 0;
        while counted < days {
            date = next_day(date);
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        date
    }

    /// Working days after `after` up to and including `until` (0 when `until <= after`).
    pub fn working_days_between(&self, after: NaiveDate, until: NaiveDate) -> u32 {
        self.days_after(after, until)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }

    /// The rest days after `after` up to and including `until`, with their reasons.
    pub fn rest_days_between(
        &self,
        after: NaiveDate,
        until: NaiveDate,
    ) -> Vec<(NaiveDate, String)> {
        self.days_after(after, until)
            .filter_map(|d| self.rest_reason(d).map(|reason| (d, reason)))
            .collect()
    }

    /// A date in a year the State Council has not announced yet: only
    /// weekends were counted as rest days there, so it may still move.
    pub fn is_provisional(&self, date: NaiveDate) -> bool {
        self.last_announced_year
            .is_none_or(|year| date.year() > year)
    }

    /// The years the calendar holds any day of (DESIGN.md: such a year
    /// counts as announced).
    pub fn announced_years(&self) -> BTreeSet<i32> {
        self.days.keys().map(|d| d.year()).collect()
    }

    pub fn last_announced_year(&self) -> Option<i32> {
        self.last_announced_year
    }

    pub fn days_of_year(&self, year: i32) -> impl Iterator<Item = &CalendarDay> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1);
        let end = NaiveDate::from_ymd_opt(year, 12, 31);
        start
            .zip(end)
            .into_iter()
            .flat_map(move |(s, e)| self.days.range(s..=e).map(|(_, d)| d))
    }

    fn days_after(&self, after: NaiveDate, until: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        std::iter::successors(Some(next_day(after)), |d| Some(next_day(*d)))
            .take_while(move |d| *d <= until)
    }
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1))
        .expect("dates stay far from chrono's limits")
}

/// China Standard Time (UTC+8; China has not observed daylight saving since 1991).
pub fn china_standard_time() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The calendar day in China Standard Time at the instant `now`.
pub fn china_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&china_standard_time()).date_naive()
}

/// The instant the calendar day `date` begins in China Standard Time.
pub fn china_day_start(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN)
        .and_local_timezone(china_standard_time())
        .single()
        .expect("UTC+8 is unambiguous")
        .to_utc()
}

/// Validates the `days` argument of `addWorkingDays`.
pub fn working_days_argument(days: i32) -> AppResult<u32> {
    u32::try_from(days)
        .ok()
        .filter(|d| *d <= MAX_WORKING_DAYS as u32)
        .ok_or_else(|| {
            AppError::bad_input("days", format!("工作日数应在0到{MAX_WORKING_DAYS}之间"))
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The State Council's 2024–2026 notices, frozen for the tests (the
    /// migration's seed is not read: new years may be added to the
    /// production calendar without moving any expected date here).
    pub(crate) fn announced() -> WorkingCalendar {
        WorkingCalendar::new(announced_days())
    }

    /// The last year of the fixture; the tests' "unannounced" is any later one.
    pub(crate) const LAST_ANNOUNCED_YEAR: i32 = 2026;

    pub(crate) fn announced_days() -> Vec<CalendarDay> {
        let csv = include_str!("../../tests/fixtures/working-calendar-2024-2026.csv");
        crate::domain::calendar_file::read(csv)
            .expect("the fixture is a valid calendar file")
            .days()
            .to_vec()
    }

    pub(crate) fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn add_working_days_on_the_announced_calendar() {
        let calendar = announced();
        // (from, days, expected)
        let cases = [
            // DESIGN.md's worked examples.
            ("2025-01-24", 20, "2025-02-27"), // across the 2025 Spring Festival
            ("2025-09-26", 20, "2025-10-30"), // across National Day and Mid-Autumn
            ("2026-02-13", 20, "2026-03-19"), // across the 2026 Spring Festival
            ("2026-02-13", 7, "2026-03-02"),  // last day for its correction notice
            // 0 days is the day itself, even on a rest day.
            ("2025-01-26", 0, "2025-01-26"),
            // The start day never counts, working or not.
            ("2025-03-03", 1, "2025-03-04"),
            ("2025-03-01", 1, "2025-03-03"),
            // 2025-01-26 (Sunday) and 2025-02-08 (Saturday) are 调休 workdays.
            ("2025-01-24", 1, "2025-01-26"),
            ("2025-02-07", 1, "2025-02-08"),
            // 2026-02-14 (Saturday) and 2026-02-28 (Saturday) are 调休 workdays.
            ("2026-02-13", 1, "2026-02-14"),
            ("2026-02-14", 1, "2026-02-24"),
            ("2026-02-27", 1, "2026-02-28"),
            // Beyond the last announced year (2026) only weekends rest.
            ("2026-12-31", 1, "2027-01-01"),
            ("2027-01-29", 1, "2027-02-01"),
        ];
        for (from, days, expected) in cases {
            assert_eq!(
                calendar.add_working_days(day(from), days),
                day(expected),
                "addWorkingDays({from}, {days})"
            );
        }
    }

    #[test]
    fn counting_matches_adding() {
        let calendar = announced();
        for (from, days) in [("2025-01-24", 20), ("2025-09-26", 20), ("2026-02-13", 45)] {
            let until = calendar.add_working_days(day(from), days);
            assert_eq!(calendar.working_days_between(day(from), until), days);
        }
        assert_eq!(
            calendar.working_days_between(day("2025-03-05"), day("2025-03-01")),
            0
        );
    }

    #[test]
    fn rest_reasons_name_the_holiday_or_the_weekend() {
        let calendar = announced();
        let cases = [
            ("2025-01-29", Some("春节")),
            ("2025-10-01", Some("国庆节、中秋节")),
            ("2025-03-01", Some("周末")),
            ("2025-01-26", None), // 调休 Sunday
            ("2025-03-03", None),
        ];
        for (date, reason) in cases {
            assert_eq!(calendar.rest_reason(day(date)).as_deref(), reason, "{date}");
        }
        let rest = calendar.rest_days_between(day("2025-01-24"), day("2025-01-27"));
        assert_eq!(rest, vec![(day("2025-01-25"), "周末".to_owned())]);
    }

    #[test]
    fn dates_after_the_last_announced_year_are_provisional() {
        let calendar = announced();
        let last = calendar.last_announced_year().unwrap();
        assert_eq!(last, LAST_ANNOUNCED_YEAR);
        assert_eq!(
            calendar.announced_years(),
            BTreeSet::from([2024, 2025, 2026])
        );
        let last_day = NaiveDate::from_ymd_opt(last, 12, 31).unwrap();
        assert!(!calendar.is_provisional(last_day));
        assert!(calendar.is_provisional(next_day(last_day)));
        assert!(WorkingCalendar::default().is_provisional(day("2025-01-01")));
    }

    #[test]
    fn workday_entries_only_on_weekends() {
        let cases = [
            ("2026-03-07", DayKind::Workday, true),  // Saturday
            ("2026-03-09", DayKind::Workday, false), // Monday
            ("2026-03-09", DayKind::Holiday, true),
            ("2026-03-08", DayKind::Holiday, true),
        ];
        for (date, kind, ok) in cases {
            let entry = CalendarDay {
                date: day(date),
                kind,
                note: None,
            };
            assert_eq!(entry.validate("days").is_ok(), ok, "{date} {kind:?}");
        }
    }

    #[test]
    fn working_days_argument_is_bounded() {
        let cases = [
            (0, Some(0)),
            (20, Some(20)),
            (1000, Some(1000)),
            (1001, None),
            (-1, None),
        ];
        for (days, expected) in cases {
            assert_eq!(working_days_argument(days).ok(), expected, "{days}");
        }
    }

    #[test]
    fn china_date_is_utc_plus_eight() {
        let late_utc = DateTime::parse_from_rfc3339("2026-01-31T16:00:00Z").unwrap();
        assert_eq!(china_date(late_utc.to_utc()), day("2026-02-01"));
        let early_utc = DateTime::parse_from_rfc3339("2026-01-31T15:59:59Z").unwrap();
        assert_eq!(china_date(early_utc.to_utc()), day("2026-01-31"));
        assert_eq!(china_day_start(day("2026-02-01")), late_utc.to_utc());
    }
}
