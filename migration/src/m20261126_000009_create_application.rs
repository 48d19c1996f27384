use sea_orm_migration::{prelude::*, schema::*};

use super::m20261126_000001_create_organization::Organization;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Application {
    Table,
    Id,
    OrganizationId,
    /// PYNC-2026-00012, gapless per organisation and year.
    TrackingNo,
    /// Keyed hash of the applicant's query code; the code itself is never stored.
    QueryCodeHash,
    Channel,
    ApplicantType,
    ApplicantName,
    IdType,
    IdNumber,
    /// Keyed hash of the normalised ID number: the same applicant, without the number.
    ApplicantKey,
    Phone,
    Email,
    Address,
    Description,
    Status,
    Outcome,
    ReceivedOn,
    /// Kept current on every event and calendar change, so the work list and
    /// the overdue filter are answered from an index.
    DueOn,
    DueOnProvisional,
    ClockRunning,
    Extended,
    DeadlineOverridden,
    ClosedOn,
    ClosedOnTime,
    Reply,
    FeeYuan,
    ClientRequestId,
    /// Hash of the normalised submission, to tell a replay from a different request.
    RequestFingerprint,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Application::Table)
                    .col(big_pk_auto(Application::Id))
                    .col(big_integer(Application::OrganizationId))
                    .col(string_len_uniq(Application::TrackingNo, 40))
                    .col(string_len(Application::QueryCodeHash, 128))
                    .col(string_len(Application::Channel, 16))
                    .col(string_len(Application::ApplicantType, 40))
                    .col(string_len(Application::ApplicantName, 100))
                    .col(string_len_null(Application::IdType, 40))
                    .col(string_len_null(Application::IdNumber, 40))
                    .col(string_len_null(Application::ApplicantKey, 128))
                    .col(string_len_null(Application::Phone, 30))
                    .col(string_len_null(Application::Email, 254))
                    .col(string_len_null(Application::Address, 200))
                    .col(text(Application::Description))
                    .col(string_len(Application::Status, 32))
                    .col(string_len_null(Application::Outcome, 48))
                    .col(date(Application::ReceivedOn))
                    .col(date(Application::DueOn))
                    .col(boolean(Application::DueOnProvisional))
                    .col(boolean(Application::ClockRunning))
                    .col(boolean(Application::Extended))
                    .col(boolean(Application::DeadlineOverridden))
                    .col(date_null(Application::ClosedOn))
                    .col(boolean_null(Application::ClosedOnTime))
                    .col(text_null(Application::Reply))
                    .col(integer_null(Application::FeeYuan))
                    .col(string_len_null(Application::ClientRequestId, 100))
                    .col(string_len_null(Application::RequestFingerprint, 128))
                    .col(integer(Application::Version))
                    .col(timestamp_with_time_zone(Application::CreatedAt))
                    .col(timestamp_with_time_zone(Application::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Application::Table, Application::OrganizationId)
                            .to(Organization::Table, Organization::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes: [(&str, Vec<Application>, bool); 5] = [
            // A retried submission finds its first result.
            (
                "idx_application_client_request",
                vec![Application::OrganizationId, Application::ClientRequestId],
                true,
            ),
            // The clerk's work list and the overdue / due-soon filters.
            (
                "idx_application_org_due",
                vec![
                    Application::OrganizationId,
                    Application::ClockRunning,
                    Application::DueOn,
                    Application::Id,
                ],
                false,
            ),
            (
                "idx_application_due",
                vec![
                    Application::ClockRunning,
                    Application::DueOn,
                    Application::Id,
                ],
                false,
            ),
            (
                "idx_application_org_received",
                vec![
                    Application::OrganizationId,
                    Application::ReceivedOn,
                    Application::Id,
                ],
                false,
            ),
            (
                "idx_application_applicant",
                vec![
                    Application::OrganizationId,
                    Application::ApplicantKey,
                    Application::ReceivedOn,
                ],
                false,
            ),
        ];
        for (name, columns, unique) in indexes {
            let mut index = Index::create();
            index.name(name).table(Application::Table);
            if unique {
                index.unique();
            }
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Application::Table).to_owned())
            .await
    }
}
