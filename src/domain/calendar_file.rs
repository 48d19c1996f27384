//! The working calendar as a CSV file, in the columns of the seed
//! (`date,kind,note`): what `gongkai calendar import` reads and
//! `gongkai calendar export` writes. A file speaks for whole years: each year
//! it mentions is replaced by its rows, so a corrected notice can also take a
//! day back.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::calendar::{CalendarDay, DayKind};
use super::workflow::StoredEnum;
use crate::error::AppError;

const HEADER: [&str; 3] = ["date", "kind", "note"];

/// A file whose every row was valid; only `read` makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarFile {
    days: Vec<CalendarDay>,
}

impl CalendarFile {
    pub fn days(&self) -> &[CalendarDay] {
        &self.days
    }

    /// The years the file replaces.
    pub fn years(&self) -> BTreeSet<i32> {
        self.days.iter().map(|d| d.date.year()).collect()
    }
}

/// Why one line of a file was refused (lines count from 1, the header's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads and checks every row; all the bad ones are reported, not only the
/// first, so that one round of corrections suffices.
pub fn read(text: &str) -> Result<CalendarFile, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_ok = reader.headers().is_ok_and(|header| {
        let names: Vec<&str> = header.iter().collect();
        names == HEADER || names == HEADER[..2]
    });
    if !header_ok {
        return Err(vec![LineError {
            line: 1,
            message: "首行应为 date,kind,note".to_owned(),
        }]);
    }
    let mut errors = Vec::new();
    let mut days = Vec::new();
    let mut first_seen: HashMap<NaiveDate, u64> = HashMap::new();
    for record in reader.records() {
        let (line, parsed) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                (line, row(&record))
            }
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                (line, Err("不是合法的 CSV 行".to_owned()))
            }
        };
        match parsed {
            Ok(day) => match first_seen.get(&day.date) {
                Some(earlier) => errors.push(LineError {
                    line,
                    message: format!("{} 已在第{earlier}行出现", day.date),
                }),
                None => {
                    first_seen.insert(day.date, line);
                    days.push(day);
                }
            },
            Err(message) => errors.push(LineError { line, message }),
        }
    }
    if errors.is_empty() && days.is_empty() {
        errors.push(LineError {
            line: 1,
            message: "首行之后没有任何日期".to_owned(),
        });
    }
    if errors.is_empty() {
        days.sort_by_key(|d| d.date);
        Ok(CalendarFile { days })
    } else {
        Err(errors)
    }
}

fn row(record: &csv::StringRecord) -> Result<CalendarDay, String> {
    if !(2..=3).contains(&record.len()) {
        return Err("每行应有 date,kind,note 三列（note 可空）".to_owned());
    }
    let date = NaiveDate::parse_from_str(&record[0], "%Y-%m-%d")
        .map_err(|_| format!("日期应为 YYYY-MM-DD：{}", &record[0]))?;
    let kind = DayKind::parse(&record[1])
        .ok_or_else(|| format!("类型应为 HOLIDAY 或 WORKDAY：{}", &record[1]))?;
    let note = record.get(2).filter(|n| !n.is_empty()).map(str::to_owned);
    let day = CalendarDay { date, kind, note };
    day.validate("days").map_err(|err| match err {
        AppError::BadUserInput { message, .. } => message,
        other => other.to_string(),
    })?;
    Ok(day)
}

/// The days as a file that `read` accepts.
pub fn write<'a>(days: impl IntoIterator<Item = &'a CalendarDay>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let rows = std::iter::once(HEADER.map(str::to_owned)).chain(days.into_iter().map(|d| {
        [
            d.date.to_string(),
            d.kind.as_str().to_owned(),
            d.note.clone().unwrap_or_default(),
        ]
    }));
    for row in rows {
        writer
            .write_record(&row)
            .expect("writing to memory cannot fail");
    }
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the fields were UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::tests::{announced_days, day};

    #[test]
    fn good_files_are_read_whole() {
        let file = read(
            "\u{feff}date,kind,note\n\
             2027-01-01,HOLIDAY,元旦\n\
             \n\
             2026-10-10 , WORKDAY , 国庆节调休\n\
             2027-01-04,HOLIDAY,\n",
        )
        .unwrap();
        assert_eq!(file.years(), BTreeSet::from([2026, 2027]));
        let days: Vec<_> = file
            .days()
            .iter()
            .map(|d| (d.date, d.kind, d.note.as_deref()))
            .collect();
        assert_eq!(
            days,
            vec![
                (day("2026-10-10"), DayKind::Workday, Some("国庆节调休")),
                (day("2027-01-01"), DayKind::Holiday, Some("元旦")),
                (day("2027-01-04"), DayKind::Holiday, None),
            ],
            "sorted by date, blank lines skipped, empty notes none"
        );
        assert!(read("date,kind\n2027-01-01,HOLIDAY\n").is_ok());
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        // (file, expected (line, part of the message) of every error)
        let cases: [(&str, &[(u64, &str)]); 8] = [
            ("day,type\n2027-01-01,HOLIDAY\n", &[(1, "首行")]),
            ("date,kind,note\n", &[(1, "没有任何日期")]),
            (
                "date,kind,note\n2027-01-01,HOLIDAY,元旦\n2027-02-30,HOLIDAY,春节\n",
                &[(3, "2027-02-30")],
            ),
            ("date,kind,note\n2027-01-01,REST,元旦\n", &[(2, "REST")]),
            (
                "date,kind,note\n2027-02-08,WORKDAY,星期一\n",
                &[(2, "只有周六、周日")],
            ),
            (
                "date,kind,note\n2027-01-01,HOLIDAY,元旦\n2027-01-01,HOLIDAY,元旦\n",
                &[(3, "已在第2行出现")],
            ),
            ("date,kind,note\n2027-01-01\n", &[(2, "三列")]),
            (
                "date,kind,note\n1/1/2027,HOLIDAY,元旦\n2027-01-02,HOLIDAY,元旦,多余\n2027-01-04,HOLIDAY,元旦\n",
                &[(2, "YYYY-MM-DD"), (3, "三列")],
            ),
        ];
        for (text, expected) in cases {
            let errors = read(text).unwrap_err();
            let found: Vec<(u64, bool)> = errors
                .iter()
                .zip(expected)
                .map(|(e, (_, part))| (e.line, e.message.contains(part)))
                .collect();
            let wanted: Vec<(u64, bool)> = expected.iter().map(|(l, _)| (*l, true)).collect();
            assert_eq!(found, wanted, "{text:?}: {errors:?}");
            assert_eq!(errors.len(), expected.len(), "{text:?}: {errors:?}");
        }
        let long_note = format!("date,kind,note\n2027-01-01,HOLIDAY,{}\n", "元".repeat(51));
        assert_eq!(read(&long_note).unwrap_err()[0].line, 2);
    }

    #[test]
    fn what_is_written_reads_back() {
        let days = announced_days();
        let file = read(&write(&days)).unwrap();
        assert_eq!(file.days(), days.as_slice());
        let quoted = CalendarDay {
            date: day("2027-01-01"),
            kind: DayKind::Holiday,
            note: Some("元旦, 新年".to_owned()),
        };
        let text = write([&quoted]);
        assert_eq!(read(&text).unwrap().days(), [quoted]);
        assert!(text.starts_with("date,kind,note\n"), "{text}");
    }
}
