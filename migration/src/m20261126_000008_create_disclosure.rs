use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000001_create_organization::Organization;
use super::m20261126_000006_create_disclosure_category::DisclosureCategory;
use super::search_index::{POSTGRES_SEARCH_INDEX, SQLITE_FTS_TRIGGERS};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Disclosure {
    Table,
    Id,
    OrganizationId,
    CategoryId,
    Title,
    DocNumber,
    Body,
    Status,
    FormedOn,
    IndexNo,
    PublishedAt,
    /// The publication day in China Standard Time (year and range filters).
    PublishedOn,
    WithdrawnAt,
    WithdrawalReason,
    /// The listing order: publication time once published, creation before.
    ListedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    /// Title and body segmented for full-text search (see domain::search_terms).
    TitleTerms,
    BodyTerms,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Disclosure::Table)
                    .col(big_pk_auto(Disclosure::Id))
                    .col(big_integer(Disclosure::OrganizationId))
                    .col(big_integer(Disclosure::CategoryId))
                    .col(string_len(Disclosure::Title, 300))
                    .col(string_len_null(Disclosure::DocNumber, 100))
                    .col(text(Disclosure::Body))
                    .col(string_len(Disclosure::Status, 16))
                    .col(date(Disclosure::FormedOn))
                    .col(string_len_null(Disclosure::IndexNo, 64).unique_key())
                    .col(timestamp_with_time_zone_null(Disclosure::PublishedAt))
                    .col(date_null(Disclosure::PublishedOn))
                    .col(timestamp_with_time_zone_null(Disclosure::WithdrawnAt))
                    .col(string_len_null(Disclosure::WithdrawalReason, 500))
                    .col(timestamp_with_time_zone(Disclosure::ListedAt))
                    .col(integer(Disclosure::Version))
                    .col(timestamp_with_time_zone(Disclosure::CreatedAt))
                    .col(timestamp_with_time_zone(Disclosure::UpdatedAt))
                    .col(text(Disclosure::TitleTerms))
                    .col(text(Disclosure::BodyTerms))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Disclosure::Table, Disclosure::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Disclosure::Table, Disclosure::CategoryId)
                            .to(DisclosureCategory::Table, DisclosureCategory::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Keyset listings: the public catalogue, per organisation, per category.
        for (name, columns) in [
            (
                "idx_disclosure_status_listed",
                vec![Disclosure::Status, Disclosure::ListedAt, Disclosure::Id],
            ),
            (
                "idx_disclosure_org_status_listed",
                vec![
                    Disclosure::OrganizationId,
                    Disclosure::Status,
                    Disclosure::ListedAt,
                    Disclosure::Id,
                ],
            ),
            (
                "idx_disclosure_category_status_listed",
                vec![
                    Disclosure::CategoryId,
                    Disclosure::Status,
                    Disclosure::ListedAt,
                    Disclosure::Id,
                ],
            ),
            (
                "idx_disclosure_status_published_on",
                vec![Disclosure::Status, Disclosure::PublishedOn],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Disclosure::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            // FTS5 over the segmented columns, kept in step by triggers; the
            // default unicode61 tokenizer splits the pre-segmented terms on spaces.
            DatabaseBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE disclosure_fts USING fts5(
                         title_terms, body_terms, content='disclosure', content_rowid='id');",
                )
                .await?;
                for (_, create) in SQLITE_FTS_TRIGGERS {
                    db.execute_unprepared(create).await?;
                }
            }
            // A generated tsvector (title weighted A, body B) under a GIN index;
            // the 'simple' configuration keeps the pre-segmented terms as they are.
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE disclosure ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('simple', title_terms), 'A') ||
                         setweight(to_tsvector('simple', body_terms), 'B')) STORED",
                )
                .await?;
                db.execute_unprepared(POSTGRES_SEARCH_INDEX.1).await?;
            }
            other => {
                return Err(DbErr::Migration(format!("unsupported database {other:?}")));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE IF EXISTS disclosure_fts")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Disclosure::Table).to_owned())
            .await
    }
}
