use async_graphql::{ID, InputObject, Object};
use chrono::{DateTime, FixedOffset};

use crate::domain::calendar::china_standard_time;
use crate::domain::files::{self, Attachment as Record};
use crate::service;

mirror_enum!(
    AttachmentKind = files::AttachmentKind {
        /// A disclosure's published document or one of its annexes.
        Document,
        /// The application as received: a scanned letter, a photo of a form, an e-mail.
        ApplicationForm,
        /// Proof of identity (Art. 29). Never readable by OVERSIGHT or the public.
        IdentityProof,
        /// Notices sent or replies received during the procedure (correction, consultation, fee).
        Correspondence,
        /// The organ's reply to the applicant (答复告知书), generated at closing or uploaded.
        ReplyNotice,
    }
);

/// How the caller reaches the bytes.
pub enum Link {
    /// With its own Authorization header, or none for public files.
    Plain,
    /// The applicant's signed, short-lived link from the tracking view.
    Signed(String),
}

/// An attachment the policy let the caller see (a hidden one only staff
/// see, so its reason is theirs).
pub struct Attachment {
    pub record: Record,
    pub link: Link,
}

impl From<Record> for Attachment {
    fn from(record: Record) -> Self {
        Attachment {
            record,
            link: Link::Plain,
        }
    }
}

#[Object]
impl Attachment {
    async fn id(&self) -> ID {
        self.record.id.into()
    }

    async fn kind(&self) -> AttachmentKind {
        self.record.kind.into()
    }

    /// As uploaded, e.g. 南村镇2025年政府信息公开工作年度报告.pdf
    async fn file_name(&self) -> &str {
        &self.record.file.file_name
    }

    /// Detected from the content, not taken from the client: application/pdf, image/jpeg, …
    async fn content_type(&self) -> &str {
        &self.record.file.content_type
    }

    async fn byte_size(&self) -> i32 {
        i32::try_from(self.record.file.byte_size).unwrap_or(i32::MAX)
    }

    /// Hex SHA-256 of the content.
    async fn sha256(&self) -> &str {
        &self.record.file.sha256
    }

    /// Server-relative path to GET the bytes (with the caller's Authorization, or none for public files).
    async fn download_url(&self) -> String {
        match &self.link {
            Link::Plain => service::files::download_path(&self.record.file),
            Link::Signed(url) => url.clone(),
        }
    }

    async fn uploaded_at(&self) -> DateTime<FixedOffset> {
        self.record
            .file
            .uploaded_at
            .with_timezone(&china_standard_time())
    }

    /// Staff only: why it was hidden from the public (null when visible).
    async fn hidden_reason(&self) -> Option<&str> {
        self.record.hidden_reason.as_deref()
    }
}

#[derive(InputObject)]
pub struct AttachmentRef {
    pub file_id: ID,
    pub kind: AttachmentKind,
}
