use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::import::ImportKind;
use crate::domain::import::cells::{Cell, parse_date};

/// Writes one sheet of `kind`'s template: its headers, then `rows` (cells
/// in the template's column order). Dates are written as Excel date cells.
pub fn write(kind: ImportKind, rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.sheet_name())?;
    for (column, spec) in kind.columns().iter().enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, spec.header, &bold)?;
        sheet.set_column_width(column, 16)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let at = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(at, column, text)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(at, column, *n)?;
                }
                Cell::Date(serial) => {
                    sheet.write_number_with_format(at, column, *serial, &date)?;
                }
            }
        }
    }
    workbook.save_to_buffer()
}

/// The empty template of `kind` with its example row.
pub fn template(kind: ImportKind) -> Result<Vec<u8>, XlsxError> {
    let example: Vec<Cell> = kind
        .columns()
        .iter()
        .map(|spec| match parse_date(spec.example) {
            _ if spec.example.is_empty() => Cell::Empty,
            Ok(day) => Cell::Date(crate::domain::import::cells::excel_serial_of(day)),
            Err(_) => Cell::Text(spec.example.to_owned()),
        })
        .collect();
    write(kind, &[example])
}
