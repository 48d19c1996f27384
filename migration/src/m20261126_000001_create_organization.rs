use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Organization {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    /// Materialised ancestry, e.g. "/1/5/": a subtree is one indexed prefix match.
    Path,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organization::Table)
                    .col(big_pk_auto(Organization::Id))
                    .col(string_len_uniq(Organization::Code, 16))
                    .col(string_len(Organization::Name, 100))
                    .col(string_len(Organization::Kind, 16))
                    .col(big_integer_null(Organization::ParentId))
                    .col(string_len(Organization::Path, 400))
                    .col(timestamp_with_time_zone(Organization::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Organization::Table, Organization::ParentId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_parent")
                    .table(Organization::Table)
                    .col(Organization::ParentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_path")
                    .table(Organization::Table)
                    .col(Organization::Path)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Organization::Table).to_owned())
            .await
    }
}
