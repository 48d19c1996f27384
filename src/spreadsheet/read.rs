use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::domain::import::cells::Cell;

/// The text encoding of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 when the bytes are valid UTF-8 (a byte-order mark is dropped), else GB18030.
    Auto,
    Utf8,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
}

/// A sheet: the header row, then the data rows. Data row `i` is row `i + 2`
/// of the spreadsheet as a clerk sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn from_rows(mut rows: impl Iterator<Item = Vec<Cell>>) -> Table {
        let headers = rows.next().unwrap_or_default();
        // Rows with nothing in them (Excel keeps formatted empty rows) are dropped.
        let mut rows: Vec<Vec<Cell>> = rows.collect();
        let last = rows
            .iter()
            .rposition(|row| row.iter().any(|c| c.text().is_some()))
            .map_or(0, |i| i + 1);
        rows.truncate(last);
        Table { headers, rows }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads an XLSX workbook (its first sheet) or a CSV file, told apart by
/// their content. The error is a Chinese sentence for the clerk.
pub fn read(bytes: &[u8], encoding: Encoding) -> Result<Table, String> {
    if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)
    } else {
        read_csv(bytes, encoding)
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, String> {
    let unreadable =
        |_| "无法读取该 XLSX 文件，请确认它是 Excel 2007 及以后版本保存的工作簿".to_owned();
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "工作簿中没有工作表".to_owned())?
        .map_err(unreadable)?;
    // A sheet whose first used row is not row 1 still numbers rows as Excel does.
    let offset = range.start().map_or(0, |(row, _)| row as usize);
    let leading = std::iter::repeat_n(Vec::new(), offset);
    let rows = range.rows().map(|row| row.iter().map(cell).collect());
    let mut table = Table::from_rows(leading.chain(rows));
    if offset > 0 {
        // The header is the first row with content.
        while table.headers.iter().all(|c| c.text().is_none()) && !table.rows.is_empty() {
            table.headers = table.rows.remove(0);
        }
    }
    Ok(table)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cell::Text(text.clone())
        }
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_owned()),
        Data::DateTime(date) => Cell::Date(date.as_f64()),
        Data::Error(_) => Cell::Text("#ERROR".to_owned()),
    }
}

/// The text of a CSV file in `encoding`.
fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, String> {
    let utf8 = |bytes: &[u8]| {
        std::str::from_utf8(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)).map(str::to_owned)
    };
    match encoding {
        Encoding::Utf8 => utf8(bytes)
            .map_err(|_| "文件不是有效的 UTF-8 文本（可指定 --encoding gb18030）".to_owned()),
        Encoding::Gb18030 => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                Err("文件不是有效的 GB18030 文本".to_owned())
            } else {
                Ok(text.into_owned())
            }
        }
        Encoding::Auto => utf8(bytes).or_else(|_| decode(bytes, Encoding::Gb18030)),
    }
}

fn read_csv(bytes: &[u8], encoding: Encoding) -> Result<Table, String> {
    let text = decode(bytes, encoding)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("CSV 文件第{line}行格式有误（引号不配对？）")
        })?;
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.to_owned())
                    }
                })
                .collect(),
        );
    }
    Ok(Table::from_rows(rows.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(table: &Table) -> Vec<Vec<Option<String>>> {
        std::iter::once(&table.headers)
            .chain(&table.rows)
            .map(|row| row.iter().map(Cell::text).collect())
            .collect()
    }

    #[test]
    fn csv_in_every_encoding_reads_alike() {
        let text = "标题,发布日期\n南村镇预算,2025/3/4\n\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let with_bom = [UTF8_BOM, text.as_bytes()].concat();
        let expected = vec![
            vec![Some("标题".to_owned()), Some("发布日期".to_owned())],
            vec![Some("南村镇预算".to_owned()), Some("2025/3/4".to_owned())],
        ];
        // (bytes, encoding)
        let cases: [(&[u8], Encoding); 5] = [
            (text.as_bytes(), Encoding::Auto),
            (&with_bom, Encoding::Auto),
            (&gbk, Encoding::Auto),
            (&gbk, Encoding::Gb18030),
            (&with_bom, Encoding::Utf8),
        ];
        for (bytes, encoding) in cases {
            let table = read(bytes, encoding).unwrap();
            assert_eq!(texts(&table), expected, "{encoding:?}");
        }
        assert!(read(&gbk, Encoding::Utf8).is_err());
    }

    #[test]
    fn the_template_reads_back() {
        use crate::domain::import::ImportKind;
        for kind in [ImportKind::Disclosures, ImportKind::Applications] {
            let bytes = super::super::template(kind).unwrap();
            let table = read(&bytes, Encoding::Auto).unwrap();
            let headers: Vec<String> = table.headers.iter().filter_map(Cell::text).collect();
            let expected: Vec<&str> = kind.columns().iter().map(|c| c.header).collect();
            assert_eq!(headers, expected);
            assert_eq!(table.rows.len(), 1, "one example row");
        }
    }

    #[test]
    fn a_broken_file_is_a_sentence() {
        assert!(
            read(b"PK\x03\x04garbage", Encoding::Auto)
                .unwrap_err()
                .contains("XLSX")
        );
    }
}
