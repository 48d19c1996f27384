//! Documents rendered from what the domain says: a small block model
//! (titles, headings, paragraphs, tables) written out as DOCX. Outside the
//! domain because it is a file format, not a rule; outside the store
//! because it knows nothing of where the bytes go.

pub mod docx;

/// One block of a document, in reading order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Centred, large and bold (the organ's name, the document's title).
    Title(String),
    /// A section heading (一、总体情况).
    Heading(String),
    Paragraph(String),
    /// Right-aligned (the signing organ and the day).
    Signature(String),
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<String>>),
}

/// The reply notice's paragraphs (`domain::reply_notice::paragraphs`) as
/// blocks: the organ and the title on top, the organ and the day signed
/// at the bottom right.
pub fn notice_blocks(paragraphs: &[String]) -> Vec<Block> {
    let n = paragraphs.len();
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, text)| match i {
            0 | 1 => Block::Title(text.clone()),
            i if i + 2 >= n => Block::Signature(text.clone()),
            _ => Block::Paragraph(text.clone()),
        })
        .collect()
}

/// The annual report's parts (`domain::annual_report::parts`) as blocks.
pub fn report_blocks(parts: &[crate::domain::annual_report::Part]) -> Vec<Block> {
    use crate::domain::annual_report::Part;
    parts
        .iter()
        .map(|part| match part {
            Part::Title(text) => Block::Title(text.clone()),
            Part::Heading(text) => Block::Heading(text.clone()),
            Part::Text(text) => Block::Paragraph(text.clone()),
            Part::Table(rows) => Block::Table(rows.clone()),
        })
        .collect()
}
