//! What reads at province scale need: the working days each application
//! took to close, indexes for oversight's closings of a period and for the
//! clock as it stood on a given day. Year filters of the catalogue now read
//! the listing indexes (store::disclosures), so the publication-date index
//! goes; public filters known to match more than the count cap are kept.

use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

use super::search_index::POSTGRES_TITLE_SEARCH_INDEX;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
    OrganizationId,
    ReceivedOn,
    ClosedOn,
    ClosedOnTime,
    Extended,
    DeadlineOverridden,
    ApplicantType,
    Outcome,
    /// Once closed: working days from receipt to closing, less those on
    /// which the clock stood still (domain::deadline). It cannot be
    /// recomputed from closedOn alone.
    WorkingDaysToClose,
}

#[derive(DeriveIden)]
enum ApplicationEvent {
    Table,
    ApplicationId,
    EffectiveOn,
    Id,
}

#[derive(DeriveIden)]
enum Disclosure {
    Table,
    Status,
    PublishedOn,
}

#[derive(DeriveIden)]
enum CatalogueOverCap {
    Table,
    FilterKey,
    RecordedAt,
}

const PUBLISHED_ON_INDEX: &str = "idx_disclosure_status_published_on";

#[derive(DeriveIden)]
enum LegalChallenge {
    Table,
    FiledOn,
}

/// The new indexes: (name, table, columns).
fn new_indexes() -> [(&'static str, DynIden, Vec<DynIden>); 4] {
    use Application as A;
    use ApplicationEvent as E;
    [
        // The two on application cover every column oversight's aggregates
        // read, so that they scan the index alone (see store::statistics).
        (
            "idx_application_org_closed",
            A::Table.into_iden(),
            vec![
                A::OrganizationId.into_iden(),
                A::ClosedOn.into_iden(),
                A::Outcome.into_iden(),
                A::WorkingDaysToClose.into_iden(),
            ],
        ),
        (
            "idx_application_period",
            A::Table.into_iden(),
            vec![
                A::OrganizationId.into_iden(),
                A::ReceivedOn.into_iden(),
                A::ClosedOn.into_iden(),
                A::ClosedOnTime.into_iden(),
                A::Extended.into_iden(),
                A::DeadlineOverridden.into_iden(),
                A::ApplicantType.into_iden(),
                A::Outcome.into_iden(),
                A::Id.into_iden(),
            ],
        ),
        // The clock as it stood on a given day.
        (
            "idx_application_event_effective",
            E::Table.into_iden(),
            vec![
                E::ApplicationId.into_iden(),
                E::EffectiveOn.into_iden(),
                E::Id.into_iden(),
            ],
        ),
        // Table 四 reads the cases filed in a year.
        (
            "idx_legal_challenge_filed",
            LegalChallenge::Table.into_iden(),
            vec![LegalChallenge::FiledOn.into_iden()],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogueOverCap::Table)
                    .col(string_len(CatalogueOverCap::FilterKey, 64).primary_key())
                    .col(timestamp_with_time_zone(CatalogueOverCap::RecordedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Application::Table)
                    .add_column(integer_null(Application::WorkingDaysToClose))
                    .to_owned(),
            )
            .await?;
        for (name, table, columns) in new_indexes() {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name(PUBLISHED_ON_INDEX)
                    .table(Disclosure::Table)
                    .to_owned(),
            )
            .await?;
        // Title matches on their own, for the RELEVANCE listing (SQLite's
        // FTS5 table indexes the title column separately already).
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(POSTGRES_TITLE_SEARCH_INDEX.1)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(&format!("DROP INDEX {}", POSTGRES_TITLE_SEARCH_INDEX.0))
                .await?;
        }
        manager
            .drop_table(Table::drop().table(CatalogueOverCap::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(PUBLISHED_ON_INDEX)
                    .table(Disclosure::Table)
                    .col(Disclosure::Status)
                    .col(Disclosure::PublishedOn)
                    .to_owned(),
            )
            .await?;
        for (name, table, _) in new_indexes() {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
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
