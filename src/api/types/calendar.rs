use async_graphql::{Enum, InputObject, SimpleObject};

use crate::api::types::scalars::Date;
use crate::domain::calendar::{CalendarDay as DomainDay, DayKind};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CalendarDayKind {
    /// A rest day of a public holiday (法定节假日 and the days joined to it); may fall on any day of the week.
    Holiday,
    /// A Saturday or Sunday made a working day (调休上班); refused on a weekday.
    Workday,
}

#[derive(SimpleObject)]
pub struct CalendarDay {
    pub date: Date,
    pub kind: CalendarDayKind,
    pub note: Option<String>,
}

impl From<&DomainDay> for CalendarDay {
    fn from(day: &DomainDay) -> Self {
        CalendarDay {
            date: day.date.into(),
            kind: match day.kind {
                DayKind::Holiday => CalendarDayKind::Holiday,
                DayKind::Workday => CalendarDayKind::Workday,
            },
            note: day.note.clone(),
        }
    }
}

#[derive(InputObject)]
pub struct CalendarDayInput {
    pub date: Date,
    pub kind: CalendarDayKind,
    pub note: Option<String>,
}

impl From<CalendarDayInput> for DomainDay {
    fn from(input: CalendarDayInput) -> Self {
        DomainDay {
            date: input.date.0,
            kind: match input.kind {
                CalendarDayKind::Holiday => DayKind::Holiday,
                CalendarDayKind::Workday => DayKind::Workday,
            },
            note: input
                .note
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
        }
    }
}
