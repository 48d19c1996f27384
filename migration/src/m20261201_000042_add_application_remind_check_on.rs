//! The day the reminder sweep next looks at an application. Every write of
//! the clock sets it to the epoch (look at once); the sweep sets it to the
//! next day a reminder can fall due, or NULL when none will. So a sweep
//! when nothing is due reads an index range that is empty, however many
//! applications there are. Existing rows start at the epoch.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Application {
    Table,
    RemindCheckOn,
}

const INDEX: &str = "idx_application_remind_check_on";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .add_column(date_null(Application::RemindCheckOn).default("1970-01-01"))
                    .to_owned(),
            )
            .await?;
        // Partial: applications no reminder awaits (closed) stay out of it.
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {INDEX} ON application (remind_check_on) \
                 WHERE remind_check_on IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Application::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .drop_column(Application::RemindCheckOn)
                    .to_owned(),
            )
            .await
    }
}
