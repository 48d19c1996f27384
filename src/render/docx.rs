//! DOCX (Office Open XML) through `docx-rs`: opens in Word, WPS and
//! LibreOffice (a test converts one with `soffice`). Text is escaped by
//! the crate; fonts are the ones government letters use (仿宋 for the body,
//! 黑体 for headings, 宋体 in tables), which readers substitute when absent.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

use super::Block;
use crate::error::{AppError, AppResult};

const BODY_FONT: &str = "仿宋";
const HEADING_FONT: &str = "黑体";
const TABLE_FONT: &str = "宋体";
/// Sizes in half-points: 三号 16pt, 二号 22pt, 五号 10.5pt.
const BODY_SIZE: usize = 32;
const TITLE_SIZE: usize = 44;
const TABLE_SIZE: usize = 21;

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .fonts(RunFonts::new().east_asia(font))
        .size(size)
}

fn table(rows: &[Vec<String>]) -> Table {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|cell| {
                    let mut text = run(cell, TABLE_FONT, TABLE_SIZE);
                    if i == 0 {
                        text = text.bold();
                    }
                    TableCell::new().add_paragraph(Paragraph::new().add_run(text))
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows).width(5000, WidthType::Pct)
}

/// The blocks as a DOCX file.
pub fn render(blocks: &[Block]) -> AppResult<Vec<u8>> {
    let mut doc = Docx::new();
    for block in blocks {
        doc = match block {
            Block::Title(text) => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run(text, HEADING_FONT, TITLE_SIZE).bold()),
            ),
            Block::Heading(text) => {
                doc.add_paragraph(Paragraph::new().add_run(run(text, HEADING_FONT, BODY_SIZE)))
            }
            Block::Paragraph(text) => {
                let mut paragraph = Paragraph::new();
                for (i, line) in text.split('\n').enumerate() {
                    let mut r = run(line, BODY_FONT, BODY_SIZE);
                    if i > 0 {
                        r = r.add_break(docx_rs::BreakType::TextWrapping);
                    }
                    paragraph = paragraph.add_run(r);
                }
                doc.add_paragraph(paragraph)
            }
            Block::Signature(text) => doc.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(run(text, BODY_FONT, BODY_SIZE)),
            ),
            Block::Table(rows) => doc.add_table(table(rows)),
        };
    }
    let mut bytes = Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(AppError::internal)?;
    Ok(bytes.into_inner())
}

/// The text of `word/document.xml` in a DOCX (tests and checks read it).
#[cfg(test)]
pub(crate) fn document_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reply_notice::{self, NoticeFacts};
    use crate::domain::workflow::Outcome;
    use chrono::NaiveDate;

    fn notice() -> Vec<u8> {
        let facts = NoticeFacts {
            organ: "南村镇人民政府",
            review_organ: "广州市番禺区人民政府",
            tracking_no: "PYNC-2026-00012",
            applicant_name: "张三丰",
            received_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            request: "预算 <表> & 说明",
            outcome: Outcome::Disclosed,
            consulted: false,
            reply: Some("详见附件。"),
            closed_on: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        };
        render(&super::super::notice_blocks(&reply_notice::paragraphs(
            &facts,
        )))
        .unwrap()
    }

    #[test]
    fn a_docx_holds_the_text_escaped() {
        let bytes = notice();
        assert_eq!(&bytes[..2], b"PK");
        let xml = document_xml(&bytes);
        for part in [
            "张三丰",
            "PYNC-2026-00012",
            "预算 &lt;表&gt; &amp; 说明",
            "第五十一条",
        ] {
            assert!(xml.contains(part), "{part}");
        }
    }

    /// The file opens in LibreOffice: `soffice --headless --convert-to pdf`
    /// makes a PDF of it. Skipped (with a message) where LibreOffice is not
    /// installed; CI installs libreoffice-writer-nogui.
    #[test]
    fn libreoffice_converts_the_notice_to_pdf() {
        let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|bin| {
            std::process::Command::new(bin)
                .arg("--version")
                .output()
                .is_ok()
        }) else {
            eprintln!("skipped: soffice not installed (apt-get install libreoffice-writer-nogui)");
            return;
        };
        let folder = std::env::temp_dir().join(format!("gk-docx-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let docx = folder.join("notice.docx");
        std::fs::write(&docx, notice()).unwrap();
        let status = std::process::Command::new(soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}/profile",
                folder.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&folder)
            .arg(&docx)
            .status()
            .expect("soffice runs");
        assert!(status.success(), "soffice failed: {status}");
        let pdf = std::fs::read(folder.join("notice.pdf")).expect("a PDF was written");
        assert!(pdf.starts_with(b"%PDF"), "not a PDF");
        assert!(pdf.len() > 1000, "an empty PDF: {} bytes", pdf.len());
        std::fs::remove_dir_all(&folder).ok();
    }
}
