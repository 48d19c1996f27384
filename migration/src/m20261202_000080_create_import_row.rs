//! Rows brought in from a town's spreadsheets (issue 16): which row of
//! which template (kind, organisation, the ledger's old number or the
//! catalogue's old 索引号) became which application or disclosure, with
//! the fingerprint of its content (so that the same file again changes
//! nothing), who imported it and the SHA-256 of the file it came from.
//! An application also keeps its old number beside its tracking number.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportRow {
    Table,
    Id,
    Kind,
    OrganizationId,
    RowKey,
    TargetId,
    Fingerprint,
    ImportedBy,
    FileSha256,
    CreatedAt,
    UpdatedAt,
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

#[derive(DeriveIden)]
enum Application {
    Table,
    ExternalNo,
}

const KEY_INDEX: &str = "idx_import_row_key";
const EXTERNAL_NO_INDEX: &str = "idx_application_external_no";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportRow::Table)
                    .col(big_pk_auto(ImportRow::Id))
                    .col(string_len(ImportRow::Kind, 20))
                    .col(big_integer(ImportRow::OrganizationId))
                    .col(string_len(ImportRow::RowKey, 400))
                    .col(big_integer(ImportRow::TargetId))
                    .col(string_len(ImportRow::Fingerprint, 128))
                    .col(big_integer_null(ImportRow::ImportedBy))
                    .col(string_len(ImportRow::FileSha256, 64))
                    .col(timestamp_with_time_zone(ImportRow::CreatedAt))
                    .col(timestamp_with_time_zone(ImportRow::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportRow::Table, ImportRow::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportRow::Table, ImportRow::ImportedBy)
                            .to(AppUser::Table, AppUser::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(KEY_INDEX)
                    .table(ImportRow::Table)
                    .col(ImportRow::Kind)
                    .col(ImportRow::OrganizationId)
                    .col(ImportRow::RowKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .add_column(string_len_null(Application::ExternalNo, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(EXTERNAL_NO_INDEX)
                    .table(Application::Table)
                    .col(Application::ExternalNo)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(EXTERNAL_NO_INDEX)
                    .table(Application::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .drop_column(Application::ExternalNo)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ImportRow::Table).to_owned())
            .await
    }
}
