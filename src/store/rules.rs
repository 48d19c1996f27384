//! Rules of the domain that SQL must also state, to filter and count in
//! the database: each written here once, over the columns that hold its
//! inputs, and checked against the domain's own function on generated data
//! on both databases (tests/api/rules.rs).

use chrono::NaiveDate;

use crate::store::sql::Sql;

/// `domain::deadline::overdue` on `as_of`: the clock runs and dueOn is past.
/// Over an application's clock, or an event's clock after it.
pub fn overdue(clock_running: &str, due_on: &str, as_of: NaiveDate) -> Sql {
    Sql::new(&format!("({clock_running} = "))
        .value(true)
        .text(&format!(" AND {due_on} < "))
        .value(as_of)
        .text(")")
}

/// `domain::deadline::open_on`: received before `day` and not closed
/// before it (DESIGN.md: "carried over", "open on 1 January").
pub fn open_on(received_on: &str, closed_on: &str, day: NaiveDate) -> Sql {
    Sql::new(&format!("({received_on} < "))
        .value(day)
        .text(&format!(" AND ({closed_on} IS NULL OR {closed_on} >= "))
        .value(day)
        .text("))")
}
