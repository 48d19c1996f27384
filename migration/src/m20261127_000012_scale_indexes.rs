//! What reads at province scale need: the working days each application
//! took to close, indexes for oversight's closings of a period and for the
//! clock as it stood on a given day. Year filters of the catalogue now read
//! the listing indexes (store::disclosures), so the publication-date index
//! goes; public filters known to match more than the count cap are kept.

use sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

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

/// PostgreSQL's full-text index over titles alone (also re-created by the
/// bulk loader after loading).
pub const POSTGRES_TITLE_SEARCH_INDEX: (&str, &str) = (
    "idx_disclosure_title_search",
    "CREATE INDEX IF NOT EXISTS idx_disclosure_title_search ON disclosure
     USING GIN (to_tsvector('simple', title_terms))",
);

const PUBLISHED_ON_INDEX: &str = "idx_disclosure_status_published_on";
#[derive(DeriveIden)]
enum LegalChallenge {
    Table,
    FiledOn,
}

const FILED_INDEX: &str = "idx_legal_challenge_filed";
const CLOSED_INDEX: &str = "idx_application_org_closed";
const PERIOD_INDEX: &str = "idx_application_period";
const CLOCK_INDEX: &str = "idx_application_event_effective";

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
        // Both cover every column oversight's aggregates read, so that they
        // scan the index alone (see store::statistics).
        manager
            .create_index(
                Index::create()
                    .name(CLOSED_INDEX)
                    .table(Application::Table)
                    .col(Application::OrganizationId)
                    .col(Application::ClosedOn)
                    .col(Application::Outcome)
                    .col(Application::WorkingDaysToClose)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(PERIOD_INDEX)
                    .table(Application::Table)
                    .col(Application::OrganizationId)
                    .col(Application::ReceivedOn)
                    .col(Application::ClosedOn)
                    .col(Application::ClosedOnTime)
                    .col(Application::Extended)
                    .col(Application::DeadlineOverridden)
                    .col(Application::ApplicantType)
                    .col(Application::Outcome)
                    .col(Application::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(CLOCK_INDEX)
                    .table(ApplicationEvent::Table)
                    .col(ApplicationEvent::ApplicationId)
                    .col(ApplicationEvent::EffectiveOn)
                    .col(ApplicationEvent::Id)
                    .to_owned(),
            )
            .await?;
        // Table 四 reads the cases filed in a year.
        manager
            .create_index(
                Index::create()
                    .name(FILED_INDEX)
                    .table(LegalChallenge::Table)
                    .col(LegalChallenge::FiledOn)
                    .to_owned(),
            )
            .await?;
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
                .execute_unprepared("DROP INDEX idx_disclosure_title_search")
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
        for (name, table) in [
            (FILED_INDEX, LegalChallenge::Table.into_iden()),
            (CLOCK_INDEX, ApplicationEvent::Table.into_iden()),
            (PERIOD_INDEX, Application::Table.into_iden()),
            (CLOSED_INDEX, Application::Table.into_iden()),
        ] {
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
