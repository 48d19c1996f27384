//! The disclosure catalogue (主动公开): reading it, and drafting, publishing and withdrawing items.

use async_graphql::{Context, ID, Object};

use crate::api::context::{ContextExt, categories, remember_shown};
use crate::api::error::GqlResult;
use crate::api::pagination::page_size;
use crate::api::types::disclosure::{
    Disclosure, DisclosureCategory, DisclosureConnection, DisclosureFilter, DisclosureInput,
    DisclosureOrder,
};
use crate::api::types::parse_id;
use crate::domain::disclosure::DisclosureContent;
use crate::error::{AppError, AppResult};
use crate::service::Reading;
use crate::service::access::DisclosureKey;
use crate::service::disclosures::{self, CatalogueQuery, DisclosureRequest, Selected};

#[derive(Default)]
pub struct DisclosuresQuery;

#[Object]
impl DisclosuresQuery {
    /// The catalogue's categories, parents before their children.
    async fn disclosure_categories(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<DisclosureCategory>> {
        let categories = categories(ctx).await.gql()?;
        Ok(categories.iter().cloned().map(DisclosureCategory).collect())
    }

    /// The disclosure catalogue. The public sees PUBLISHED items only.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity + 1")]
    async fn disclosures(
        &self,
        ctx: &Context<'_>,
        filter: Option<DisclosureFilter>,
        order_by: Option<DisclosureOrder>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<DisclosureConnection> {
        let first = page_size(first).gql()?;
        let filter = filter.unwrap_or_default();
        let id = |id: &Option<ID>, what| id.as_ref().map(|id| parse_id(id, what)).transpose();
        let query = CatalogueQuery {
            organization_id: id(&filter.organization_id, "机构").gql()?,
            include_descendants: filter.include_descendants.unwrap_or(false),
            category_id: id(&filter.category_id, "分类").gql()?,
            year: filter.year,
            published_from: filter.published_from.map(|d| d.0),
            published_to: filter.published_to.map(|d| d.0),
            search: filter.search,
            status: filter.status.map(Into::into),
        };
        let order = order_by.unwrap_or(DisclosureOrder::PublishedDesc).into();
        let look = ctx.look_ahead();
        let selected = Selected {
            total_count: look.field("totalCount").exists()
                || look.field("totalCountIsExact").exists(),
            body: look.field("edges").field("node").field("body").exists(),
        };
        let page = disclosures::list(
            &ctx.reads(Reading::Catalogue),
            ctx.caller(),
            query,
            order,
            after.as_deref(),
            first,
            selected,
            ctx.request().now,
        )
        .await
        .gql()?;
        remember_shown(ctx, page.items.iter().map(|(shown, _)| shown));
        Ok(page.into())
    }

    /// One disclosure by id or by index number; null with NOT_FOUND when it
    /// does not exist or the caller may not see it.
    async fn disclosure(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        index_no: Option<String>,
    ) -> async_graphql::Result<Option<Disclosure>> {
        let key = match (&id, &index_no) {
            (Some(id), None) => DisclosureKey::Id(parse_id(id, "公开信息").gql()?),
            (None, Some(index_no)) => DisclosureKey::IndexNo(index_no),
            _ => {
                return Err(AppError::bad_input("id", "请提供 id 或 indexNo 其中之一")).gql();
            }
        };
        let shown = disclosures::read(&ctx.reads(Reading::Catalogue), ctx.caller(), key)
            .await
            .gql()?;
        remember_shown(ctx, [&shown]);
        Ok(Some(Disclosure(shown.disclosure)))
    }
}

#[derive(Default)]
pub struct DisclosuresMutation;

#[Object]
impl DisclosuresMutation {
    async fn create_disclosure(
        &self,
        ctx: &Context<'_>,
        input: DisclosureInput,
    ) -> async_graphql::Result<Disclosure> {
        let request = disclosure_request(input).gql()?;
        disclosures::create(ctx.db(), ctx.caller(), request, ctx.request().now)
            .await
            .map(Disclosure)
            .gql_all(ctx)
    }

    /// Editable while DRAFT or PUBLISHED; a stale expectedVersion is CONFLICT.
    async fn update_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: DisclosureInput,
        expected_version: i32,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        let request = disclosure_request(input).gql()?;
        disclosures::update(
            ctx.db(),
            ctx.caller(),
            id,
            request,
            expected_version,
            ctx.request().now,
        )
        .await
        .map(Disclosure)
        .gql_all(ctx)
    }

    /// APPROVER only. The body and the attached documents are checked for personal data first (resident ID numbers, lists of mobile numbers): a finding answers BAD_USER_INPUT with extensions.field = "acknowledgePersonalData" and extensions.findings.
    async fn publish_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(
            desc = "Publish despite the personal-data findings (recorded with who and when)."
        )]
        acknowledge_personal_data: Option<bool>,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        let acknowledged = acknowledge_personal_data.unwrap_or(false);
        disclosures::publish(ctx.db(), ctx.caller(), id, acknowledged, ctx.request().now)
            .await
            .map(Disclosure)
            .gql()
    }

    /// APPROVER only; final. The item keeps its index number.
    async fn withdraw_disclosure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Disclosure> {
        let id = parse_id(&id, "公开信息").gql()?;
        disclosures::withdraw(ctx.db(), ctx.caller(), id, &reason, ctx.request().now)
            .await
            .map(Disclosure)
            .gql()
    }
}

fn disclosure_request(input: DisclosureInput) -> AppResult<DisclosureRequest> {
    Ok(DisclosureRequest {
        organization_id: parse_id(&input.organization_id, "机构")?,
        category_id: parse_id(&input.category_id, "分类")?,
        content: DisclosureContent {
            title: input.title,
            doc_number: input.doc_number,
            body: input.body,
            formed_on: input.formed_on.0,
        },
    })
}
