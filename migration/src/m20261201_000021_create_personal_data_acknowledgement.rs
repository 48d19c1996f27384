use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An APPROVER published (or attached to a published item) despite the
/// personal-data check's findings: who, when, and what was found (kinds and
/// masked samples only).
#[derive(DeriveIden)]
enum PersonalDataAcknowledgement {
    Table,
    Id,
    DisclosureId,
    UserId,
    AcknowledgedAt,
    Findings,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersonalDataAcknowledgement::Table)
                    .col(big_pk_auto(PersonalDataAcknowledgement::Id))
                    .col(big_integer(PersonalDataAcknowledgement::DisclosureId))
                    .col(big_integer_null(PersonalDataAcknowledgement::UserId))
                    .col(timestamp_with_time_zone(
                        PersonalDataAcknowledgement::AcknowledgedAt,
                    ))
                    .col(text(PersonalDataAcknowledgement::Findings))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(PersonalDataAcknowledgement::Table)
                    .to_owned(),
            )
            .await
    }
}
