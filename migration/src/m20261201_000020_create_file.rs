use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000009_create_application::Application;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The disclosure table as created by migration 8 (its own iden is private).
#[derive(DeriveIden)]
enum Disclosure {
    Table,
    Id,
}

/// An uploaded file: its name as given and the type found in its content;
/// the bytes are the blob named by the hash in the file store (one blob
/// for the same bytes uploaded twice).
#[derive(DeriveIden)]
#[expect(clippy::enum_variant_names, reason = "the column is file_name")]
enum File {
    Table,
    Id,
    Sha256,
    ByteSize,
    ContentType,
    FileName,
    /// The member of staff who uploaded it; null for the public.
    UploadedBy,
    /// For a public upload: the keyed hash of the client address (the quota).
    UploaderKey,
    /// A public upload that no submitted application references yet.
    Pending,
    UploadedAt,
}

/// A file attached to a disclosure or to an application, with who attached,
/// removed or hid it and when.
#[derive(DeriveIden)]
enum Attachment {
    Table,
    Id,
    FileId,
    DisclosureId,
    ApplicationId,
    Kind,
    AttachedBy,
    AttachedAt,
    RemovedBy,
    RemovedAt,
    HiddenReason,
    HiddenBy,
    HiddenAt,
    /// The text found in the document, for the disclosure's search.
    ExtractedText,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(File::Table)
                    .col(big_pk_auto(File::Id))
                    .col(string_len(File::Sha256, 64))
                    .col(big_integer(File::ByteSize))
                    .col(string_len(File::ContentType, 100))
                    .col(string_len(File::FileName, 255))
                    .col(big_integer_null(File::UploadedBy))
                    .col(string_len_null(File::UploaderKey, 64))
                    .col(boolean(File::Pending))
                    .col(timestamp_with_time_zone(File::UploadedAt))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_file_sha256", vec![File::Sha256]),
            (
                "idx_file_uploader",
                vec![File::UploaderKey, File::UploadedAt],
            ),
            ("idx_file_pending", vec![File::Pending, File::UploadedAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(File::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Attachment::Table)
                    .col(big_pk_auto(Attachment::Id))
                    .col(big_integer(Attachment::FileId))
                    .col(big_integer_null(Attachment::DisclosureId))
                    .col(big_integer_null(Attachment::ApplicationId))
                    .col(string_len(Attachment::Kind, 32))
                    .col(big_integer_null(Attachment::AttachedBy))
                    .col(timestamp_with_time_zone(Attachment::AttachedAt))
                    .col(big_integer_null(Attachment::RemovedBy))
                    .col(timestamp_with_time_zone_null(Attachment::RemovedAt))
                    .col(text_null(Attachment::HiddenReason))
                    .col(big_integer_null(Attachment::HiddenBy))
                    .col(timestamp_with_time_zone_null(Attachment::HiddenAt))
                    .col(text_null(Attachment::ExtractedText))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachment::Table, Attachment::FileId)
                            .to(File::Table, File::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachment::Table, Attachment::DisclosureId)
                            .to(Disclosure::Table, Disclosure::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachment::Table, Attachment::ApplicationId)
                            .to(Application::Table, Application::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_attachment_file", Attachment::FileId),
            ("idx_attachment_disclosure", Attachment::DisclosureId),
            ("idx_attachment_application", Attachment::ApplicationId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Attachment::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attachment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(File::Table).to_owned())
            .await
    }
}
