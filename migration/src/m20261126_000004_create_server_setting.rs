use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Settings shared by every instance, such as a generated token-signing key.
#[derive(DeriveIden)]
enum ServerSetting {
    Table,
    Name,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServerSetting::Table)
                    .col(string_len(ServerSetting::Name, 64).primary_key())
                    .col(text(ServerSetting::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ServerSetting::Table).to_owned())
            .await
    }
}
