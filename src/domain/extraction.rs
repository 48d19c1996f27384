//! The text of a document, for the disclosure's search (docs/DESIGN.md,
//! "Documents": catalogue bodies often say only 详见附件). PDF through
//! lopdf; DOCX and OFD are zips of XML. Pure and synchronous: the service
//! runs it on a blocking thread with a time limit and catches panics,
//! because hostile PDFs exist. Zip members are read only up to a bound
//! (zip bombs), and the text kept is bounded too.

use std::io::Read;

use super::files::{DOCX, OFD, PDF};

/// At most this many characters of a document's text are kept.
pub const MAX_TEXT_CHARS: usize = 50_000;

/// At most this many decompressed bytes are read from one zip member.
const MAX_MEMBER_BYTES: u64 = 16 * 1024 * 1024;

/// The text of a PDF, DOCX or OFD document; None when there is none
/// (a scan, a malformed file, another type).
pub fn extract_text(mime: &str, bytes: &[u8]) -> Option<String> {
    let text = match mime {
        PDF => pdf_text(bytes)?,
        DOCX => zip_text(bytes, |name| name == "word/document.xml", b"t")?,
        OFD => zip_text(
            bytes,
            |name| name.ends_with("Content.xml") && name.contains("Pages/"),
            b"TextCode",
        )?,
        _ => return None,
    };
    let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn pdf_text(bytes: &[u8]) -> Option<String> {
    let document = lopdf::Document::load_mem(bytes).ok()?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let mut text = String::new();
    for page in pages {
        if let Ok(page_text) = document.extract_text(&[page]) {
            text.push_str(&page_text);
            text.push('\n');
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            break;
        }
    }
    Some(text)
}

/// The text inside the elements named `element` (any namespace prefix) of
/// the zip members `wanted` selects, in the archive's order.
fn zip_text(bytes: &[u8], wanted: impl Fn(&str) -> bool, element: &[u8]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut text = String::new();
    for index in 0..archive.len() {
        let Ok(member) = archive.by_index(index) else {
            continue;
        };
        if !wanted(member.name()) {
            continue;
        }
        let mut xml = Vec::new();
        if member.take(MAX_MEMBER_BYTES).read_to_end(&mut xml).is_err() {
            continue;
        }
        xml_text(&xml, element, &mut text);
        if text.chars().count() > MAX_TEXT_CHARS {
            break;
        }
    }
    Some(text)
}

fn xml_text(xml: &[u8], element: &[u8], out: &mut String) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut inside = 0usize;
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(start)) if start.local_name().as_ref() == element => inside += 1,
            Ok(Event::End(end)) => {
                let name = end.local_name();
                if name.as_ref() == element {
                    inside = inside.saturating_sub(1);
                } else if matches!(name.as_ref(), b"p" | b"TextObject") {
                    out.push('\n');
                }
            }
            Ok(Event::Text(content)) if inside > 0 => {
                if let Ok(unescaped) = content.unescape() {
                    out.push_str(&unescaped);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buffer.clear();
    }
}

/// Documents written by this server (the demo data, the tests, the
/// benchmark): a PDF whose text lopdf reads back, a DOCX of paragraphs.
pub mod write {
    use std::io::Write;

    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    /// A PDF with one page per text: a Type0 font with Identity-H encoding
    /// whose character codes are the Unicode code points, and a ToUnicode
    /// map saying so (so that any text, Chinese included, extracts as
    /// written; the glyphs are not embedded).
    pub fn pdf(pages: &[String]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut high_bytes: Vec<u8> = pages
            .iter()
            .flat_map(|p| p.chars())
            .filter_map(|c| u16::try_from(c as u32).ok())
            .map(|c| (c >> 8) as u8)
            .collect();
        high_bytes.sort_unstable();
        high_bytes.dedup();
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
             /CMapName /Identity-UCS def /CMapType 2 def\n\
             1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
        );
        for chunk in high_bytes.chunks(100) {
            cmap.push_str(&format!("{} beginbfrange\n", chunk.len()));
            for high in chunk {
                cmap.push_str(&format!("<{high:02X}00> <{high:02X}FF> <{high:02X}00>\n"));
            }
            cmap.push_str("endbfrange\n");
        }
        cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "SimSun",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
            "ToUnicode" => to_unicode,
        });
        let resources = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font },
        });
        let mut kids = Vec::new();
        for text in pages {
            let mut operations = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 760.into()]),
            ];
            for line in text.lines() {
                let codes: Vec<u8> = line
                    .chars()
                    .filter_map(|c| u16::try_from(c as u32).ok())
                    .flat_map(u16::to_be_bytes)
                    .collect();
                operations.push(Operation::new(
                    "Tj",
                    vec![Object::String(codes, lopdf::StringFormat::Hexadecimal)],
                ));
                operations.push(Operation::new("Td", vec![0.into(), (-16).into()]));
            }
            operations.push(Operation::new("ET", vec![]));
            let content = Content { operations };
            let content_id = doc.add_object(Stream::new(
                dictionary! {},
                content.encode().expect("content encodes"),
            ));
            let page = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
                "Resources" => resources,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            });
            kids.push(page.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("a PDF in memory");
        bytes
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// A minimal DOCX (opens in WPS and Word) with one paragraph per line.
    pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", escape(p)))
            .collect();
        let members = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "word/document.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
                ),
            ),
        ];
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in members {
            writer.start_file(name, options).expect("a zip member");
            writer.write_all(content.as_bytes()).expect("in memory");
        }
        writer.finish().expect("in memory").into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_of_documents() {
        let pdf = write::pdf(&["南村镇年度报告 第一页".into(), "垃圾分类 page two".into()]);
        let text = extract_text(PDF, &pdf).expect("the PDF has text");
        assert!(text.contains("南村镇年度报告"), "{text}");
        assert!(text.contains("垃圾分类"), "{text}");
        assert!(text.contains("page two"), "{text}");

        let docx = write::docx(&["关于村道改造的通知", "A & B <x>"]);
        let text = extract_text(DOCX, &docx).expect("the DOCX has text");
        assert_eq!(text, "关于村道改造的通知\nA & B <x>");

        for garbage in [&pdf[..pdf.len() / 3], b"%PDF-1.4 nothing here", b""] {
            assert_eq!(extract_text(PDF, garbage), None);
        }
        assert_eq!(extract_text(DOCX, b"PK\x03\x04 broken"), None);
        assert_eq!(extract_text("image/jpeg", &pdf), None);
    }
}
