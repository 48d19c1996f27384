//! Spreadsheet files: reading XLSX (calamine) and CSV (UTF-8 with or
//! without a byte-order mark, or GB18030 as Excel on Chinese Windows saves
//! it) into the domain's cells, and writing the templates as XLSX
//! (rust_xlsxwriter). No database, no rules: the domain checks the rows.

mod read;
mod write;

pub use read::{Encoding, Table, read};
pub use write::{template, write};
