//! Demo documents, made by the loader itself and stored through the same
//! upload and attach as a clerk's: 南村镇's work plan for open government as
//! a PDF whose text the search finds, a notice with its DOCX, and (see
//! `applications`) a scanned application form. The annual report itself is
//! generated from the data and published by `notices`, so no hand-written
//! figures contradict it.

use std::net::IpAddr;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::disclosure::DisclosureContent;
use crate::domain::extraction::write;
use crate::domain::files::{AttachmentKind, StoredFile};
use crate::domain::policy::Caller;
use crate::error::{AppError, AppResult};
use crate::service::Services;
use crate::service::disclosures::{self, DisclosureRequest};
use crate::service::files;
use crate::store;

/// A small scan of a paper application form (a valid greyscale JPEG).
pub const SCANNED_FORM: &[u8] = include_bytes!("scanned-form.jpg");

/// The pages of the work plan's PDF; its wording appears nowhere else in
/// the demo, so that searching it shows the search inside documents.
const PLAN_PAGES: [&str; 3] = [
    "南村镇2026年政务公开工作要点\n一、总体要求\n深化政务公开标准化规范化建设，\n以公开促落实、促规范、促服务。",
    "二、主动公开\n重点公开乡村振兴、垃圾分类和安全生产信息，\n做好政策解读图解。",
    "三、依申请公开\n依法按时答复政府信息公开申请，\n并开展依申请公开答复满意度回访。",
];

const NOTICE_PARAGRAPHS: [&str; 3] = [
    "关于开展2026年冬季燃气安全专项检查的通知",
    "各村（社区）、各有关单位：为防范燃气事故，镇安全生产委员会决定开展冬季燃气安全专项检查。",
    "检查重点为餐饮场所液化石油气钢瓶存放和报警装置安装情况。",
];

/// Stores `bytes` as an upload of `caller` named `name`.
pub(crate) async fn store_file(
    services: &Services,
    caller: &Caller,
    name: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> AppResult<StoredFile> {
    let encoded =
        percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string();
    let body = futures_util::stream::iter([Ok(Bytes::from(bytes))]);
    files::upload(
        services,
        caller,
        IpAddr::from([127, 0, 0, 1]),
        Some(&encoded),
        body,
        now,
    )
    .await
}

/// A published disclosure of 南村镇 in `category` carrying one document.
async fn published_with(
    services: &Services,
    (clerk, approver): (&Caller, &Caller),
    (category, title, body, formed_on): (&str, &str, &str, NaiveDate),
    (file_name, bytes): (&str, Vec<u8>),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let db = &services.db;
    let missing = |what: &str| AppError::internal(format!("demo {what} is missing"));
    let organization = store::organizations::find_by_code(db, "PYNC")
        .await?
        .ok_or_else(|| missing("organisation PYNC"))?;
    let category = store::categories::find_by_code(db, category)
        .await?
        .ok_or_else(|| missing("category"))?;
    let request = DisclosureRequest {
        organization_id: organization.id,
        category_id: category.id,
        content: DisclosureContent {
            title: title.to_owned(),
            doc_number: None,
            body: body.to_owned(),
            formed_on,
        },
    };
    let draft = disclosures::create(db, clerk, request, now).await?;
    let file = store_file(services, clerk, file_name, bytes, now).await?;
    files::attach_to_disclosure(services, clerk, draft.id, file.id, false, now).await?;
    disclosures::publish(db, approver, draft.id, false, now).await?;
    Ok(())
}

pub async fn load(services: &Services, now: DateTime<Utc>) -> AppResult<()> {
    let clerk = Caller::SignedIn(super::applications::actor(services, "nancun.clerk").await?);
    let approver = Caller::SignedIn(super::applications::actor(services, "nancun.approver").await?);
    let pages: Vec<String> = PLAN_PAGES.iter().map(|p| (*p).to_owned()).collect();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    published_with(
        services,
        (&clerk, &approver),
        (
            "GHJH",
            "南村镇2026年政务公开工作要点",
            "详见附件。",
            day(2026, 1, 20),
        ),
        ("南村镇2026年政务公开工作要点.pdf", write::pdf(&pages)),
        now,
    )
    .await?;
    published_with(
        services,
        (&clerk, &approver),
        (
            "TZGG",
            "关于开展2026年冬季燃气安全专项检查的通知",
            "请各单位按附件要求开展自查。",
            day(2026, 11, 2),
        ),
        ("燃气安全专项检查通知.docx", write::docx(&NOTICE_PARAGRAPHS)),
        now,
    )
    .await
}

/// Keeps the scanned form of a paper application on it, as a clerk does.
pub(crate) async fn attach_scan(
    services: &Services,
    clerk: &Caller,
    application_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let scan = store_file(
        services,
        clerk,
        "申请表扫描件.jpg",
        SCANNED_FORM.to_vec(),
        now,
    )
    .await?;
    files::attach_to_application(
        services,
        clerk,
        application_id,
        scan.id,
        AttachmentKind::ApplicationForm,
        now,
    )
    .await?;
    Ok(())
}
