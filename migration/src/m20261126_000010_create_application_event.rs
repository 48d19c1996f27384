use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000009_create_application::Application;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every change of an application, with the legal day it took effect and
/// what the clock looked like after it (so any past day can be read back).
#[derive(DeriveIden)]
enum ApplicationEvent {
    Table,
    Id,
    ApplicationId,
    Kind,
    /// The legal day the event took effect ("on" is an SQL keyword).
    EffectiveOn,
    RecordedAt,
    ActorId,
    Note,
    /// For DEADLINE_OVERRIDDEN: the date the organ set.
    OverrideDueOn,
    StatusAfter,
    DueOnAfter,
    ClockRunningAfter,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvent::Table)
                    .col(big_pk_auto(ApplicationEvent::Id))
                    .col(big_integer(ApplicationEvent::ApplicationId))
                    .col(string_len(ApplicationEvent::Kind, 32))
                    .col(date(ApplicationEvent::EffectiveOn))
                    .col(timestamp_with_time_zone(ApplicationEvent::RecordedAt))
                    .col(big_integer_null(ApplicationEvent::ActorId))
                    .col(text_null(ApplicationEvent::Note))
                    .col(date_null(ApplicationEvent::OverrideDueOn))
                    .col(string_len(ApplicationEvent::StatusAfter, 32))
                    .col(date(ApplicationEvent::DueOnAfter))
                    .col(boolean(ApplicationEvent::ClockRunningAfter))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationEvent::Table, ApplicationEvent::ApplicationId)
                            .to(Application::Table, Application::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_application_event_application")
                    .table(ApplicationEvent::Table)
                    .col(ApplicationEvent::ApplicationId)
                    .col(ApplicationEvent::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApplicationEvent::Table).to_owned())
            .await
    }
}
