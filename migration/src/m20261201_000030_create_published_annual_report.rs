use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000001_create_organization::Organization;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An annual report as published (Art. 49): tables 二 to 四 frozen at
/// publication (`snapshot`, JSON in the layout `snapshot_version` names),
/// the texts people wrote, and the disclosure that carries it. Once per
/// organisation and year.
#[derive(DeriveIden)]
enum PublishedAnnualReport {
    Table,
    Id,
    OrganizationId,
    Year,
    DisclosureId,
    SnapshotVersion,
    Snapshot,
    Overview,
    ProblemsAndImprovements,
    OtherMatters,
    FeesYuan,
    PublishedAt,
    PublishedBy,
    DueOn,
}

#[derive(DeriveIden)]
enum Disclosure {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use PublishedAnnualReport as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(big_pk_auto(P::Id))
                    .col(big_integer(P::OrganizationId))
                    .col(integer(P::Year))
                    .col(big_integer(P::DisclosureId))
                    .col(integer(P::SnapshotVersion))
                    .col(text(P::Snapshot))
                    .col(text(P::Overview))
                    .col(text(P::ProblemsAndImprovements))
                    .col(text_null(P::OtherMatters))
                    .col(big_integer(P::FeesYuan))
                    .col(timestamp_with_time_zone(P::PublishedAt))
                    .col(big_integer_null(P::PublishedBy))
                    .col(date(P::DueOn))
                    .foreign_key(
                        ForeignKey::create()
                            .from(P::Table, P::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(P::Table, P::DisclosureId)
                            .to(Disclosure::Table, Disclosure::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("published_annual_report_once")
                    .table(P::Table)
                    .col(P::OrganizationId)
                    .col(P::Year)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublishedAnnualReport::Table).to_owned())
            .await
    }
}
