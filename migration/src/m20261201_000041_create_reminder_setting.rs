//! An organisation's DUE_SOON thresholds; an organisation without a row
//! has the default (5 and 2 working days).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReminderSetting {
    Table,
    OrganizationId,
    /// Working days, largest first: "5,2".
    Thresholds,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReminderSetting::Table)
                    .col(big_integer(ReminderSetting::OrganizationId).primary_key())
                    .col(string_len(ReminderSetting::Thresholds, 40))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReminderSetting::Table, ReminderSetting::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReminderSetting::Table).to_owned())
            .await
    }
}
