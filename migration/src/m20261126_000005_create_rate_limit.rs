use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Fixed-window counters for throttles (failed logins, ...), kept in the
/// database so that they hold across server instances.
#[derive(DeriveIden)]
enum RateLimit {
    Table,
    Bucket,
    WindowStartedAt,
    Hits,
    BlockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimit::Table)
                    .col(string_len(RateLimit::Bucket, 200).primary_key())
                    .col(timestamp_with_time_zone(RateLimit::WindowStartedAt))
                    .col(integer(RateLimit::Hits))
                    .col(timestamp_with_time_zone_null(RateLimit::BlockedUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RateLimit::Table).to_owned())
            .await
    }
}
