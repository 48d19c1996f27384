//! Webhooks per organisation and their outbox: one delivery row per
//! (webhook, notification), claimed by the delivery worker of any
//! instance when `next_attempt_at` has come (NULL once delivered or given up).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    OrganizationId,
    Url,
    Format,
    /// ",DUE_SOON,OVERDUE," or "" for every kind.
    Kinds,
    /// The signing secret, shown once at creation.
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    WebhookId,
    NotificationId,
    Attempts,
    LastAttemptAt,
    LastStatus,
    Delivered,
    GivenUp,
    NextAttemptAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
}

const DUE_INDEX: &str = "idx_webhook_delivery_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Webhook::Table)
                    .col(big_pk_auto(Webhook::Id))
                    .col(big_integer(Webhook::OrganizationId))
                    .col(string_len(Webhook::Url, 500))
                    .col(string_len(Webhook::Format, 16))
                    .col(string_len(Webhook::Kinds, 300))
                    .col(string_len(Webhook::Secret, 100))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Webhook::Table, Webhook::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_organization")
                    .table(Webhook::Table)
                    .col(Webhook::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(big_pk_auto(WebhookDelivery::Id))
                    .col(big_integer(WebhookDelivery::WebhookId))
                    .col(big_integer(WebhookDelivery::NotificationId))
                    .col(integer(WebhookDelivery::Attempts))
                    .col(timestamp_with_time_zone_null(
                        WebhookDelivery::LastAttemptAt,
                    ))
                    .col(integer_null(WebhookDelivery::LastStatus))
                    .col(boolean(WebhookDelivery::Delivered))
                    .col(boolean(WebhookDelivery::GivenUp))
                    .col(timestamp_with_time_zone_null(
                        WebhookDelivery::NextAttemptAt,
                    ))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::WebhookId)
                            .to(Webhook::Table, Webhook::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::NotificationId)
                            .to(Notification::Table, Notification::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_delivery_once")
                    .table(WebhookDelivery::Table)
                    .col(WebhookDelivery::WebhookId)
                    .col(WebhookDelivery::NotificationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {DUE_INDEX} ON webhook_delivery (next_attempt_at) \
                 WHERE next_attempt_at IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDelivery::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Webhook::Table).to_owned())
            .await
    }
}
