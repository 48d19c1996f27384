//! Importing a town's spreadsheets (台账; docs/DESIGN.md, "Importing"):
//! the templates' columns matched by Chinese header (`headers`), the cells
//! and date forms (`cells`), the Chinese names of enums (`labels`), and the
//! check of every row — disclosures (`disclosures`) and applications
//! (`applications`, whose procedure columns become the workflow's events),
//! and the rows export writes in the same templates (`export`).
//! Every problem names its row and column; any error means nothing is written.

pub mod applications;
pub mod cells;
pub mod disclosures;
pub mod export;
pub mod headers;
pub mod labels;

use std::fmt;

/// Which template a file follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Disclosures,
    Applications,
}

impl ImportKind {
    pub fn columns(self) -> &'static [headers::ColumnSpec] {
        match self {
            ImportKind::Disclosures => headers::DISCLOSURE_COLUMNS,
            ImportKind::Applications => headers::APPLICATION_COLUMNS,
        }
    }

    /// The name of the template's sheet.
    pub fn sheet_name(self) -> &'static str {
        match self {
            ImportKind::Disclosures => "主动公开目录",
            ImportKind::Applications => "依申请公开台账",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Disclosures => "DISCLOSURES",
            ImportKind::Applications => "APPLICATIONS",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Nothing is written while any row has one.
    Error,
    /// Reported; the row is imported (e.g. a historical ID number whose
    /// check digit is wrong).
    Warning,
}

/// One problem of the file: its row as the spreadsheet numbers it (the
/// header is row 1), its column by header, and a Chinese message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn new(
        row: usize,
        column: Option<String>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            row,
            column,
            severity,
            message: message.into(),
        }
    }

    pub fn error(row: usize, column: &str, message: impl Into<String>) -> Self {
        Problem::new(row, Some(column.to_owned()), Severity::Error, message)
    }

    pub fn warning(row: usize, column: &str, message: impl Into<String>) -> Self {
        Problem::new(row, Some(column.to_owned()), Severity::Warning, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        };
        match &self.column {
            Some(column) => write!(
                f,
                "第{}行 “{column}”：{severity}：{}",
                self.row, self.message
            ),
            None => write!(f, "第{}行：{severity}：{}", self.row, self.message),
        }
    }
}

/// What an import did (or, in a dry run, would do) with each row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// What happens to a checked row, comparing its fingerprint with the one
/// recorded when it was imported before (change detection: importing the
/// same file again changes nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Unchanged,
}

pub fn change(recorded_fingerprint: Option<&str>, fingerprint: &str) -> Change {
    match recorded_fingerprint {
        None => Change::Create,
        Some(recorded) if recorded == fingerprint => Change::Unchanged,
        Some(_) => Change::Update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_detection() {
        assert_eq!(change(None, "a"), Change::Create);
        assert_eq!(change(Some("a"), "a"), Change::Unchanged);
        assert_eq!(change(Some("a"), "b"), Change::Update);
    }

    #[test]
    fn problems_print_row_and_column() {
        assert_eq!(
            Problem::error(3, "收到日期", "日期格式有误").to_string(),
            "第3行 “收到日期”：错误：日期格式有误"
        );
        assert_eq!(
            Problem::new(1, None, Severity::Warning, "空表").to_string(),
            "第1行：提示：空表"
        );
    }
}
