//! Reminders (docs/DESIGN.md, "Reminders"): one row per (subject, kind, due
//! day), its unique key making a second instance's insert a no-op, and the
//! read state per user.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    OrganizationId,
    Kind,
    ApplicationId,
    DisclosureId,
    DueOn,
    Message,
    /// subject/kind/dueOn[/threshold]: what makes a reminder once.
    DedupKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationRead {
    Table,
    NotificationId,
    UserId,
    ReadAt,
}

#[derive(DeriveIden)]
enum Organization {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(big_pk_auto(Notification::Id))
                    .col(big_integer(Notification::OrganizationId))
                    .col(string_len(Notification::Kind, 32))
                    .col(big_integer_null(Notification::ApplicationId))
                    .col(big_integer_null(Notification::DisclosureId))
                    .col(date_null(Notification::DueOn))
                    .col(text(Notification::Message))
                    .col(string_len_uniq(Notification::DedupKey, 120))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notification::Table, Notification::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_organization")
                    .table(Notification::Table)
                    .col(Notification::OrganizationId)
                    .col(Notification::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationRead::Table)
                    .col(big_integer(NotificationRead::NotificationId))
                    .col(big_integer(NotificationRead::UserId))
                    .col(timestamp_with_time_zone(NotificationRead::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(NotificationRead::UserId)
                            .col(NotificationRead::NotificationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationRead::Table, NotificationRead::NotificationId)
                            .to(Notification::Table, Notification::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(NotificationRead::Table, NotificationRead::UserId)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NotificationRead::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Notification::Table).to_owned())
            .await
    }
}
