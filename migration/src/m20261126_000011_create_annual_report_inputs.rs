use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000001_create_organization::Organization;
use super::m20261126_000009_create_application::Application;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Table 二 of the annual report: figures that come from other systems,
/// entered per organisation and year.
#[derive(DeriveIden)]
enum ProactiveFigures {
    Table,
    OrganizationId,
    Year,
    RegulationsIssued,
    RegulationsRepealed,
    RegulationsInForce,
    NormativeIssued,
    NormativeRepealed,
    NormativeInForce,
    LicensingDecisions,
    PenaltyDecisions,
    CoercionDecisions,
    FeesYuan,
}

/// Administrative reviews and lawsuits about an application (table 四).
#[derive(DeriveIden)]
enum LegalChallenge {
    Table,
    Id,
    ApplicationId,
    /// REVIEW (行政复议) or LITIGATION (行政诉讼).
    Kind,
    /// A lawsuit brought after an administrative review (复议后起诉).
    AfterReview,
    /// UPHELD (维持), CORRECTED (纠正), OTHER (其他); null while pending.
    Result,
    FiledOn,
    DecidedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ProactiveFigures as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_integer(P::OrganizationId))
                    .col(integer(P::Year))
                    .col(integer(P::RegulationsIssued))
                    .col(integer(P::RegulationsRepealed))
                    .col(integer(P::RegulationsInForce))
                    .col(integer(P::NormativeIssued))
                    .col(integer(P::NormativeRepealed))
                    .col(integer(P::NormativeInForce))
                    .col(integer(P::LicensingDecisions))
                    .col(integer(P::PenaltyDecisions))
                    .col(integer(P::CoercionDecisions))
                    .col(big_integer(P::FeesYuan))
                    .primary_key(Index::create().col(P::OrganizationId).col(P::Year))
                    .foreign_key(
                        ForeignKey::create()
                            .from(P::Table, P::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        use LegalChallenge as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(big_pk_auto(L::Id))
                    .col(big_integer(L::ApplicationId))
                    .col(string_len(L::Kind, 16))
                    .col(boolean(L::AfterReview))
                    .col(string_len_null(L::Result, 16))
                    .col(date(L::FiledOn))
                    .col(date_null(L::DecidedOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(L::Table, L::ApplicationId)
                            .to(Application::Table, Application::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_legal_challenge_application")
                    .table(L::Table)
                    .col(L::ApplicationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LegalChallenge::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProactiveFigures::Table).to_owned())
            .await
    }
}
