use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Application {
    Table,
    /// Once closed: working days from receipt to closing, less those on
    /// which the clock stood still (domain::deadline). Oversight aggregates
    /// it; it cannot be recomputed from closedOn alone.
    WorkingDaysToClose,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .add_column(integer_null(Application::WorkingDaysToClose))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .drop_column(Application::WorkingDaysToClose)
                    .to_owned(),
            )
            .await
    }
}
