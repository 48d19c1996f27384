//! Files (docs/DESIGN.md, "Documents"): the kinds of attachment, the rules
//! for names, which types are accepted (decided from the content's first
//! bytes, never from the name), and the download headers' pure parts
//! (Content-Disposition, byte ranges).

use chrono::{DateTime, TimeDelta, Utc};

use crate::domain::workflow::stored_enum;
use crate::error::{AppError, AppResult};

stored_enum!(
    /// What an attached file is to the object it is attached to.
    AttachmentKind {
        Document = "DOCUMENT",
        ApplicationForm = "APPLICATION_FORM",
        IdentityProof = "IDENTITY_PROOF",
        Correspondence = "CORRESPONDENCE",
        ReplyNotice = "REPLY_NOTICE",
    }
);

impl AttachmentKind {
    /// What the public may attach to its own online application.
    pub fn anonymous_may_submit(self) -> bool {
        matches!(
            self,
            AttachmentKind::ApplicationForm | AttachmentKind::IdentityProof
        )
    }

    /// Whether an application may carry it (a DOCUMENT belongs to a disclosure).
    pub fn fits_application(self) -> bool {
        self != AttachmentKind::Document
    }
}

/// An uploaded file's metadata (its bytes are the blob of `sha256`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub id: i64,
    pub sha256: String,
    pub byte_size: u64,
    pub content_type: String,
    pub file_name: String,
    /// The member of staff who uploaded it; None for the public.
    pub uploaded_by: Option<i64>,
    /// For a public upload: the keyed hash of the client address.
    pub uploader_key: Option<String>,
    /// A public upload no submitted application references yet.
    pub pending: bool,
    pub uploaded_at: DateTime<Utc>,
}

/// What an attachment hangs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachedTo {
    Disclosure(i64),
    Application(i64),
}

/// A file attached to a disclosure or an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub file: StoredFile,
    pub to: AttachedTo,
    pub kind: AttachmentKind,
    pub attached_by: Option<i64>,
    pub attached_at: DateTime<Utc>,
    /// Why it was hidden from the public (a published disclosure's file).
    pub hidden_reason: Option<String>,
}

/// The default largest upload (configurable with `--max-file-size`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Anonymous uploads per client address within `ANONYMOUS_WINDOW`.
pub const ANONYMOUS_FILES: u64 = 10;
pub const ANONYMOUS_BYTES: u64 = 30 * 1024 * 1024;
pub const ANONYMOUS_WINDOW: TimeDelta = TimeDelta::hours(1);

/// A blob without a row, or an anonymous upload never referenced, is
/// removed after this long.
pub const SWEEP_AFTER: TimeDelta = TimeDelta::hours(24);

/// How long the applicant's signed download link works.
pub const APPLICANT_LINK_LIFETIME: TimeDelta = TimeDelta::minutes(15);

/// How many leading bytes the type is decided from.
pub const SNIFF_BYTES: usize = 64 * 1024;

const MAX_NAME_BYTES: usize = 255;

/// A file name as given: UTF-8, 1 to 255 bytes, no path separators or
/// control characters, not "." or "..".
pub fn check_file_name(name: &str) -> AppResult<String> {
    let refuse = |message: &str| Err(AppError::bad_input("X-File-Name", message));
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." {
        return refuse("请提供文件名");
    }
    if name.len() > MAX_NAME_BYTES {
        return refuse("文件名不能超过255字节");
    }
    if name
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return refuse("文件名不能含有路径分隔符或控制字符");
    }
    Ok(name.to_owned())
}

/// A type the server keeps, as it will be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileType {
    pub mime: &'static str,
}

impl FileType {
    const fn new(mime: &'static str) -> Self {
        Self { mime }
    }
}

/// Whether a document of the type has text to extract for the search (PDF, DOCX, OFD).
pub fn has_text(mime: &str) -> bool {
    matches!(mime, PDF | DOCX | OFD)
}

/// Whether a browser shows the type rather than saving it (PDF and the
/// images browsers display).
pub fn is_inline(mime: &str) -> bool {
    matches!(mime, PDF | "image/jpeg" | "image/png")
}

pub const PDF: &str = "application/pdf";
pub const OFD: &str = "application/ofd";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const TEXT: &str = "text/plain; charset=utf-8";
/// The annual report as the server renders it; never accepted from an upload.
pub const MARKDOWN: &str = "text/markdown; charset=utf-8";
pub const TEXT_GB18030: &str = "text/plain; charset=gb18030";

/// What `sniff` decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    Accepted(FileType),
    Refused,
    /// Not enough bytes yet to tell (only before the end of the upload).
    NeedMore,
}

/// Decides the type from the first bytes of the content (`complete` when
/// `head` is the whole file). Accepted: PDF, OFD, OLE2 (DOC/XLS/PPT/WPS/ET),
/// DOCX/XLSX/PPTX, JPEG, PNG, TIFF, plain text in UTF-8 or GB18030. Every
/// other type, HTML and SVG and scripts and other archives among them, is
/// refused.
pub fn sniff(head: &[u8], complete: bool) -> Sniffed {
    if head.is_empty() {
        return if complete {
            Sniffed::Refused
        } else {
            Sniffed::NeedMore
        };
    }
    if head.starts_with(b"%PDF-") {
        return Sniffed::Accepted(FileType::new(PDF));
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip_type(head, complete);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let named = [
            "application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
        ];
        let mime = infer::get(head)
            .map(|t| t.mime_type())
            .filter(|mime| named.contains(mime))
            // WPS and ET files, and OLE2 documents infer cannot name.
            .unwrap_or("application/x-ole-storage");
        return Sniffed::Accepted(FileType::new(mime));
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Sniffed::Accepted(FileType::new("image/tiff"));
    }
    if let Some(kind) = infer::get(head) {
        return match kind.mime_type() {
            "image/jpeg" => Sniffed::Accepted(FileType::new("image/jpeg")),
            "image/png" => Sniffed::Accepted(FileType::new("image/png")),
            _ => Sniffed::Refused,
        };
    }
    if head.len() < SNIFF_BYTES && !complete {
        return Sniffed::NeedMore;
    }
    text_type(head, complete)
}

/// A zip is accepted only as an OFD (a zip holding OFD.xml) or an Office
/// Open XML document; any other archive is refused (zip bombs, executables
/// inside).
fn zip_type(head: &[u8], complete: bool) -> Sniffed {
    let names = zip_entry_names(head);
    if names.iter().any(|n| n.eq_ignore_ascii_case(b"OFD.xml")) {
        return Sniffed::Accepted(FileType::new(OFD));
    }
    let has = |prefix: &[u8]| names.iter().any(|n| n.starts_with(prefix));
    if has(b"[Content_Types].xml") || has(b"_rels/") || has(b"docProps/") {
        if has(b"word/") {
            return Sniffed::Accepted(FileType::new(DOCX));
        }
        if has(b"xl/") {
            return Sniffed::Accepted(FileType::new(XLSX));
        }
        if has(b"ppt/") {
            return Sniffed::Accepted(FileType::new(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ));
        }
    }
    if complete || head.len() >= SNIFF_BYTES {
        Sniffed::Refused
    } else {
        Sniffed::NeedMore
    }
}

/// The names of the zip's local file headers within `head`, in order.
fn zip_entry_names(head: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut at = 0;
    while head.len() >= at + 30 && head[at..].starts_with(b"PK\x03\x04") {
        let u16_at = |i: usize| u16::from_le_bytes([head[at + i], head[at + i + 1]]) as usize;
        let u32_at = |i: usize| {
            u32::from_le_bytes([
                head[at + i],
                head[at + i + 1],
                head[at + i + 2],
                head[at + i + 3],
            ]) as usize
        };
        let flags = u16_at(6);
        let compressed = u32_at(18);
        let name_len = u16_at(26);
        let extra_len = u16_at(28);
        let name_end = at + 30 + name_len;
        if name_end > head.len() {
            break;
        }
        names.push(&head[at + 30..name_end]);
        let data_at = name_end + extra_len;
        at = if flags & 0x08 != 0 {
            // With a data descriptor (bit 3, as streaming writers such as
            // Excel's and rust_xlsxwriter's set) the size is unknown here:
            // the next entry starts at the next local header signature.
            match head
                .get(data_at..)
                .and_then(|rest| rest.windows(4).position(|w| w == b"PK\x03\x04"))
            {
                Some(offset) => data_at + offset,
                None => break,
            }
        } else {
            data_at + compressed
        };
    }
    names
}

/// Plain text: no NUL or other control characters than tab and line
/// breaks, valid UTF-8 (or GB18030), and not markup or a script.
fn text_type(head: &[u8], complete: bool) -> Sniffed {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    if let Some(first) = start.map(|i| body[i])
        && (first == b'<' || body[start.unwrap_or(0)..].starts_with(b"#!"))
    {
        return Sniffed::Refused;
    }
    if body
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C) || b == 0x7F)
    {
        return Sniffed::Refused;
    }
    // The head may end inside a character when the file goes on.
    let utf8 = match std::str::from_utf8(body) {
        Ok(_) => true,
        Err(err) => !complete && err.error_len().is_none(),
    };
    if utf8 {
        return Sniffed::Accepted(FileType::new(TEXT));
    }
    if is_gb18030(body, complete) {
        return Sniffed::Accepted(FileType::new(TEXT_GB18030));
    }
    Sniffed::Refused
}

/// Whether the bytes are well-formed GB18030 (one, two or four bytes a
/// character).
fn is_gb18030(bytes: &[u8], complete: bool) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        if !(0x81..=0xFE).contains(&b) {
            return false;
        }
        let Some(&second) = bytes.get(i + 1) else {
            return !complete;
        };
        match second {
            0x40..=0x7E | 0x80..=0xFE => i += 2,
            0x30..=0x39 => {
                let (Some(&third), Some(&fourth)) = (bytes.get(i + 2), bytes.get(i + 3)) else {
                    return !complete;
                };
                if !(0x81..=0xFE).contains(&third) || !(0x30..=0x39).contains(&fourth) {
                    return false;
                }
                i += 4;
            }
            _ => return false,
        }
    }
    true
}

/// `Content-Disposition` (RFC 6266): an ASCII fallback name for old
/// clients and the exact UTF-8 name as `filename*`.
pub fn content_disposition(name: &str, inline: bool) -> String {
    let disposition = if inline { "inline" } else { "attachment" };
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, ATTR_CHAR).to_string();
    format!("{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// RFC 5987 attr-char: what may stay unencoded in `filename*`.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeRequest {
    /// No range, or one this server ignores (several ranges): the whole file.
    Whole,
    /// Bytes `start..end` (end exclusive).
    Part { start: u64, end: u64 },
    /// 416.
    Unsatisfiable,
}

/// Reads a `Range: bytes=…` header (one range; RFC 9110 §14.1.2).
pub fn parse_range(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeRequest::Unsatisfiable;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = if first.is_empty() {
        // The last N bytes.
        match last.parse::<u64>() {
            Ok(0) | Err(_) => None,
            Ok(n) => Some((size.saturating_sub(n), size)),
        }
    } else {
        match (first.parse::<u64>(), last) {
            (Ok(start), "") => Some((start, size)),
            (Ok(start), last) => match last.parse::<u64>() {
                Ok(end) if end >= start => Some((start, end.saturating_add(1).min(size))),
                _ => None,
            },
            _ => None,
        }
    };
    match parsed {
        Some((start, end)) if start < size && start < end => RangeRequest::Part { start, end },
        _ => RangeRequest::Unsatisfiable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        for (name, ok) in [
            ("南村镇2025年政府信息公开工作年度报告.pdf", true),
            ("scan 01.jpg", true),
            ("", false),
            ("..", false),
            ("a/b.pdf", false),
            ("a\\b.pdf", false),
            ("bad\u{0}name.pdf", false),
            ("line\nbreak.pdf", false),
        ] {
            assert_eq!(check_file_name(name).is_ok(), ok, "{name:?}");
        }
        assert!(check_file_name(&"字".repeat(85)).is_ok(), "255 bytes");
        assert!(check_file_name(&"字".repeat(86)).is_err(), "258 bytes");
    }

    fn zip_with(names: &[&str]) -> Vec<u8> {
        zip_entries(names, false)
    }

    /// A zip whose entries carry their sizes after the data (a data
    /// descriptor), as streaming writers produce.
    fn streamed_zip_with(names: &[&str]) -> Vec<u8> {
        zip_entries(names, true)
    }

    fn zip_entries(names: &[&str], descriptor: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        for name in names {
            bytes.extend_from_slice(b"PK\x03\x04");
            bytes.extend_from_slice(&[20, 0, if descriptor { 8 } else { 0 }, 0]);
            bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            if descriptor {
                bytes.extend_from_slice(&[0; 8]); // sizes: in the descriptor
            } else {
                bytes.extend_from_slice(&[2, 0, 0, 0, 2, 0, 0, 0]); // sizes: 2 bytes
            }
            bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
            bytes.extend_from_slice(&[0, 0]);
            bytes.extend_from_slice(name.as_bytes());
            bytes.extend_from_slice(b"hi");
            if descriptor {
                bytes.extend_from_slice(b"PK\x07\x08");
                bytes.extend_from_slice(&[0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0]);
            }
        }
        bytes
    }

    #[test]
    fn types_from_content() {
        let accepted = |head: &[u8]| match sniff(head, true) {
            Sniffed::Accepted(t) => Some(t.mime),
            _ => None,
        };
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0";
        let gb = [0xC4, 0xCF, 0xB4, 0xE5, 0xD5, 0xF2, b'\n']; // 南村镇
        #[rustfmt::skip]
        let cases: [(&[u8], Option<&str>); 17] = [
            (b"%PDF-1.7\n", Some(PDF)),
            (&jpeg, Some("image/jpeg")),
            (png, Some("image/png")),
            (b"II*\0\x08\0\0\0", Some("image/tiff")),
            (&zip_with(&["OFD.xml", "Doc_0/Document.xml"]), Some(OFD)),
            (&zip_with(&["[Content_Types].xml", "word/document.xml"]), Some(DOCX)),
            (&streamed_zip_with(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]), Some(XLSX)),
            (&streamed_zip_with(&["[Content_Types].xml", "evil.exe"]), None),
            (&zip_with(&["evil.exe"]), None),
            ("南村镇政府信息公开\n".as_bytes(), Some(TEXT)),
            (&gb, Some(TEXT_GB18030)),
            (b"<!DOCTYPE html><html><script>alert(1)</script>", None),
            (b"  <svg xmlns=\"http://www.w3.org/2000/svg\"/>", None),
            (b"#!/bin/sh\nrm -rf /\n", None),
            (elf, None),
            (exe, None),
            (b"", None),
        ];
        for (head, want) in cases {
            assert_eq!(accepted(head), want, "{:?}", &head[..head.len().min(12)]);
        }
        assert_eq!(sniff(b"%PDF-", false), sniff(b"%PDF-", true));
        assert_eq!(sniff("南村".as_bytes(), false), Sniffed::NeedMore);
        assert_eq!(sniff(&zip_with(&["a.txt"]), false), Sniffed::NeedMore);
    }

    #[test]
    fn dispositions() {
        assert_eq!(
            content_disposition("南村镇 年报.pdf", true),
            "inline; filename=\"___ __.pdf\"; filename*=UTF-8''%E5%8D%97%E6%9D%91%E9%95%87%20%E5%B9%B4%E6%8A%A5.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.doc", false),
            "attachment; filename=\"a_b.doc\"; filename*=UTF-8''a%22b.doc"
        );
    }

    #[test]
    fn ranges() {
        use RangeRequest::*;
        let part = |start, end| Part { start, end };
        for (header, want) in [
            (None, Whole),
            (Some("bytes=0-99"), part(0, 100)),
            (Some("bytes=100-"), part(100, 1000)),
            (Some("bytes=-10"), part(990, 1000)),
            (Some("bytes=990-5000"), part(990, 1000)),
            (Some("bytes=0-0"), part(0, 1)),
            (Some("bytes=1000-"), Unsatisfiable),
            (Some("bytes=5-2"), Unsatisfiable),
            (Some("bytes=-0"), Unsatisfiable),
            (Some("bytes=x-y"), Unsatisfiable),
            (Some("bytes=0-1,5-6"), Whole),
            (Some("items=0-1"), Whole),
        ] {
            assert_eq!(parse_range(header, 1000), want, "{header:?}");
        }
    }
}
