//! The documents the organ issues to an applicant: the reply notice
//! (答复告知书), rendered from the application, its organisation and its
//! outcome. Logs name only ids: the notice holds the applicant's name.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::domain::application::Application;
use crate::domain::calendar::china_date;
use crate::domain::files::{AttachedTo, Attachment, AttachmentKind, DOCX};
use crate::domain::masking;
use crate::domain::organization::{Organization, OrganizationKind};
use crate::domain::policy::{Access, Caller, Operation};
use crate::domain::reply_notice::{self, NoticeFacts};
use crate::domain::workflow::{EventKind, Outcome};
use crate::error::{AppError, AppResult};
use crate::service::{Services, access, files};
use crate::store;
use crate::store::files::NewAttachment;

/// The facts of a notice, owned, as the service gathers them.
pub struct Notice {
    pub organ: String,
    pub review_organ: String,
    pub tracking_no: String,
    pub applicant_name: String,
    pub received_on: NaiveDate,
    pub request: String,
    pub outcome: Outcome,
    pub consulted: bool,
    pub reply: Option<String>,
    pub closed_on: NaiveDate,
}

impl Notice {
    pub fn facts(&self) -> NoticeFacts<'_> {
        NoticeFacts {
            organ: &self.organ,
            review_organ: &self.review_organ,
            tracking_no: &self.tracking_no,
            applicant_name: &self.applicant_name,
            received_on: self.received_on,
            request: &self.request,
            outcome: self.outcome,
            consulted: self.consulted,
            reply: self.reply.as_deref(),
            closed_on: self.closed_on,
        }
    }

    pub fn text(&self) -> String {
        reply_notice::text(&self.facts())
    }

    pub fn paragraphs(&self) -> Vec<String> {
        reply_notice::paragraphs(&self.facts())
    }
}

/// What a preview before closing assumes.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    pub outcome: Option<Outcome>,
    pub reply: Option<String>,
}

/// The review organ of `organization`: its parent, or the district above a
/// district department.
async fn review_organ(db: &impl ConnectionTrait, organization: &Organization) -> AppResult<String> {
    let parent = match organization.parent_id {
        Some(id) => store::organizations::find(db, id).await?,
        None => None,
    };
    let district = match organization.place.lineage.first() {
        Some(&root) if root != organization.id => store::organizations::find(db, root)
            .await?
            .filter(|org| org.kind == OrganizationKind::District),
        _ => None,
    };
    Ok(reply_notice::review_organ(
        organization,
        parent.as_ref(),
        district.as_ref(),
    ))
}

/// The notice of `application` with its recorded outcome, or with the
/// preview's while it is open; None when neither gives an outcome.
pub async fn notice_of(
    db: &impl ConnectionTrait,
    application: &Application,
    organization: &Organization,
    view: Access,
    preview: Preview,
    today: NaiveDate,
) -> AppResult<Option<Notice>> {
    let (outcome, reply, closed_on) = match (application.outcome, application.closed_on) {
        (Some(outcome), Some(closed_on)) => (outcome, application.reply.clone(), closed_on),
        _ => match preview.outcome {
            Some(outcome) => (outcome, preview.reply, today),
            None => return Ok(None),
        },
    };
    let consulted = store::applications::events(db, application.id)
        .await?
        .iter()
        .any(|event| event.kind == EventKind::ConsultationStarted);
    let applicant_name = match view {
        Access::Full => application.applicant.name.clone(),
        Access::Masked => masking::name(&application.applicant.name),
    };
    Ok(Some(Notice {
        organ: organization.name.clone(),
        review_organ: review_organ(db, organization).await?,
        tracking_no: application.tracking_no.clone(),
        applicant_name,
        received_on: application.received_on,
        request: application.description.clone(),
        outcome,
        consulted,
        reply,
        closed_on,
    }))
}

/// `Application.replyNoticeText`: for whoever may read the application,
/// the applicant's name masked as the policy says.
pub async fn reply_notice_text(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    application_id: i64,
    preview: Preview,
    today: NaiveDate,
) -> AppResult<Option<String>> {
    let permitted = access::application(db, caller, Operation::Read, application_id).await?;
    let notice = notice_of(
        db,
        &permitted.item,
        &permitted.organization,
        permitted.view,
        preview,
        today,
    )
    .await?;
    Ok(notice.map(|n| n.text()))
}

/// Issues the reply notice of an application just closed in `txn`: the
/// notice rendered as DOCX, its blob kept, then its file row and its
/// REPLY_NOTICE attachment written in the closing transaction, so that a
/// closed application always has its notice and a failed close leaves none.
pub async fn issue(
    services: &Services,
    txn: &DatabaseTransaction,
    caller: &Caller,
    application_id: i64,
    now: DateTime<Utc>,
) -> AppResult<Attachment> {
    let application = store::applications::find(txn, application_id)
        .await?
        .ok_or(AppError::NotFound("申请"))?;
    let organization = store::organizations::find(txn, application.organization_id)
        .await?
        .ok_or(AppError::NotFound("机构"))?;
    let notice = notice_of(
        txn,
        &application,
        &organization,
        Access::Full,
        Preview::default(),
        china_date(now),
    )
    .await?
    .ok_or_else(|| AppError::internal("a closed application has no outcome"))?;
    let bytes = crate::render::docx::render(&crate::render::notice_blocks(&notice.paragraphs()))?;
    let file_name = format!("答复告知书-{}.docx", application.tracking_no);
    let new = files::keep_generated(services, &file_name, DOCX, bytes, caller.user_id()).await?;
    let file = store::files::insert_file(txn, new, now).await?;
    // The CLOSED event records its issue: no event of its own.
    let new = NewAttachment {
        file_id: file.id,
        to: AttachedTo::Application(application.id),
        kind: AttachmentKind::ReplyNotice,
        attached_by: caller.user_id(),
        extracted_text: None,
    };
    let attachment = store::files::insert_attachment(txn, new, now).await?;
    store::files::mark_referenced(txn, &[file.id]).await?;
    tracing::info!(
        application = application.id,
        file = file.id,
        "reply notice issued"
    );
    Ok(attachment)
}
