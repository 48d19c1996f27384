//! Files on disclosures and applications (the bytes travel over plain HTTP,
//! `POST /files` and `GET /files/{id}`; see `http::files`).

use async_graphql::{Context, ID, Object};

use crate::api::context::ContextExt;
use crate::api::error::GqlResult;
use crate::api::types::attachment::{Attachment, AttachmentKind};
use crate::api::types::parse_id;
use crate::service::files;

#[derive(Default)]
pub struct FilesMutation;

#[Object]
impl FilesMutation {
    /// Attach an uploaded file to a disclosure (kind DOCUMENT); allowed to whoever may update it.
    async fn attach_to_disclosure(
        &self,
        ctx: &Context<'_>,
        disclosure_id: ID,
        file_id: ID,
    ) -> async_graphql::Result<Attachment> {
        let disclosure_id = parse_id(&disclosure_id, "公开信息").gql()?;
        let file_id = parse_id(&file_id, "文件").gql()?;
        files::attach_to_disclosure(
            ctx.services(),
            ctx.caller(),
            disclosure_id,
            file_id,
            ctx.request().now,
        )
        .await
        .map(Attachment::from)
        .gql()
    }

    /// Attach an uploaded file to an application; allowed to whoever may run its workflow.
    async fn attach_to_application(
        &self,
        ctx: &Context<'_>,
        application_id: ID,
        file_id: ID,
        kind: AttachmentKind,
    ) -> async_graphql::Result<Attachment> {
        let application_id = parse_id(&application_id, "申请").gql()?;
        let file_id = parse_id(&file_id, "文件").gql()?;
        files::attach_to_application(
            ctx.services(),
            ctx.caller(),
            application_id,
            file_id,
            kind.into(),
            ctx.request().now,
        )
        .await
        .map(Attachment::from)
        .gql()
    }

    /// Only a DRAFT disclosure's attachments can be removed; an application's files are records and stay.
    async fn remove_attachment(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let id = parse_id(&id, "文件").gql()?;
        files::remove(ctx.db(), ctx.caller(), id, ctx.request().now)
            .await
            .gql()?;
        Ok(true)
    }

    /// Hide one attachment of a published disclosure from the public at once (APPROVER, ADMIN); recorded.
    async fn hide_attachment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Attachment> {
        let id = parse_id(&id, "文件").gql()?;
        files::hide(ctx.db(), ctx.caller(), id, &reason, ctx.request().now)
            .await
            .map(Attachment::from)
            .gql()
    }
}
