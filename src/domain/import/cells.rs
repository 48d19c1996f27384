//! What a spreadsheet cell holds, as the readers hand it over, and the
//! date forms a town's ledger uses: Excel date cells (serial numbers),
//! `2025-03-04`, `2025/3/4`, `2025年3月4日` (and `20250304`).

use chrono::{Days, NaiveDate};

/// One cell, independent of the file format.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date cell: days since 1899-12-30 (the 1900 date system).
    Date(f64),
}

impl Cell {
    /// The cell as text, trimmed; None when empty. Whole numbers lose the
    /// `.0` a float would print (phone numbers stored as numbers).
    pub fn text(&self) -> Option<String> {
        let text = match self {
            Cell::Empty => return None,
            Cell::Text(text) => text.trim().to_owned(),
            Cell::Number(n) | Cell::Date(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                format!("{}", *n as i64)
            }
            Cell::Number(n) | Cell::Date(n) => n.to_string(),
        };
        (!text.is_empty()).then_some(text)
    }

    /// The cell as a date; None when empty, the Chinese message when it is
    /// not one of the accepted forms.
    pub fn date(&self) -> Result<Option<NaiveDate>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(serial) | Cell::Date(serial) => excel_serial(*serial).map(Some),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            Cell::Text(text) => parse_date(text).map(Some),
        }
    }
}

const BAD_DATE: &str = "日期格式有误，应为 2025-03-04、2025/3/4 或 2025年3月4日";

/// An Excel serial day number (the time of day, if any, is dropped).
fn excel_serial(serial: f64) -> Result<NaiveDate, String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return Err(BAD_DATE.to_owned());
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    epoch
        .checked_add_days(Days::new(serial.trunc() as u64))
        .ok_or_else(|| BAD_DATE.to_owned())
}

/// The Excel serial day number of `day` (what a date cell holds).
pub fn excel_serial_of(day: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    (day - epoch).num_days() as f64
}

/// A date written as text.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let text = raw.trim();
    // A time of day after the date ("2025-03-04 00:00:00") is dropped.
    let text = text.split_whitespace().next().unwrap_or("");
    let text = text.strip_suffix('日').unwrap_or(text);
    if text.chars().all(|c| c.is_ascii_digit()) {
        return match text.len() {
            8 => NaiveDate::parse_from_str(text, "%Y%m%d").map_err(|_| BAD_DATE.to_owned()),
            // Excel serials written out by a CSV export.
            4 | 5 => excel_serial(text.parse::<f64>().map_err(|_| BAD_DATE.to_owned())?),
            _ => Err(BAD_DATE.to_owned()),
        };
    }
    let parts: Vec<&str> = text.split(['-', '/', '.', '年', '月']).collect();
    let [year, month, day] = parts[..] else {
        return Err(BAD_DATE.to_owned());
    };
    let number = |part: &str, max_len: usize| {
        (!part.is_empty() && part.len() <= max_len && part.chars().all(|c| c.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    match (number(year, 4), number(month, 2), number(day, 2)) {
        (Some(y), Some(m), Some(d)) if year.len() == 4 => {
            NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| BAD_DATE.to_owned())
        }
        _ => Err(BAD_DATE.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn date_forms() {
        // (cell, expected)
        let cases: [(Cell, Result<Option<&str>, ()>); 17] = [
            (Cell::Text("2025-03-04".into()), Ok(Some("2025-03-04"))),
            (Cell::Text("2025/3/4".into()), Ok(Some("2025-03-04"))),
            (Cell::Text("2025年3月4日".into()), Ok(Some("2025-03-04"))),
            (Cell::Text(" 2025.03.04 ".into()), Ok(Some("2025-03-04"))),
            (
                Cell::Text("2025-03-04 00:00:00".into()),
                Ok(Some("2025-03-04")),
            ),
            (Cell::Text("20250304".into()), Ok(Some("2025-03-04"))),
            // 45720 is 2025-03-04 in Excel's 1900 date system.
            (Cell::Date(45720.0), Ok(Some("2025-03-04"))),
            (Cell::Date(45720.75), Ok(Some("2025-03-04"))),
            (Cell::Number(45720.0), Ok(Some("2025-03-04"))),
            (Cell::Text("45720".into()), Ok(Some("2025-03-04"))),
            (Cell::Empty, Ok(None)),
            (Cell::Text("  ".into()), Ok(None)),
            (Cell::Text("2025-02-30".into()), Err(())),
            (Cell::Text("3/4/2025".into()), Err(())),
            (Cell::Text("2025年3月".into()), Err(())),
            (Cell::Text("明天".into()), Err(())),
            (Cell::Number(-3.0), Err(())),
        ];
        for (cell, expected) in cases {
            let got = cell.date();
            match expected {
                Ok(want) => assert_eq!(got, Ok(want.map(day)), "{cell:?}"),
                Err(()) => assert_eq!(got, Err(BAD_DATE.to_owned()), "{cell:?}"),
            }
        }
    }

    #[test]
    fn serials_round_trip() {
        for d in ["2025-03-04", "1999-12-31", "2026-02-28"] {
            assert_eq!(Cell::Date(excel_serial_of(day(d))).date(), Ok(Some(day(d))));
        }
    }

    #[test]
    fn text_of_cells() {
        assert_eq!(
            Cell::Number(13812345678.0).text().as_deref(),
            Some("13812345678")
        );
        assert_eq!(Cell::Number(2.5).text().as_deref(), Some("2.5"));
        assert_eq!(Cell::Text("  张三 ".into()).text().as_deref(), Some("张三"));
        assert_eq!(Cell::Text(" ".into()).text(), None);
        assert_eq!(Cell::Empty.text(), None);
    }
}
