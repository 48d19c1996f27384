use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Gapless counters (index numbers, tracking numbers) per organisation and
/// year, advanced inside the transaction that uses the number.
#[derive(DeriveIden)]
enum NumberSequence {
    Table,
    Scope,
    LastValue,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NumberSequence::Table)
                    .col(string_len(NumberSequence::Scope, 100).primary_key())
                    .col(integer(NumberSequence::LastValue))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NumberSequence::Table).to_owned())
            .await
    }
}
