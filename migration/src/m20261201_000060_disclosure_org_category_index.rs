//! The catalogue filtered by organisation and category (and a year, a range
//! of the listing time) reads one range of one index: organisation,
//! category, status, then the listing order. Without it the plan walked the
//! category's index and dropped the other organisations' rows (an exact
//! count for a large organisation read ~6,000 rows to keep 362).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Disclosure {
    Table,
    OrganizationId,
    CategoryId,
    Status,
    ListedAt,
    Id,
}

const INDEX: &str = "idx_disclosure_org_category_status_listed";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name(INDEX)
                    .table(Disclosure::Table)
                    .col(Disclosure::OrganizationId)
                    .col(Disclosure::CategoryId)
                    .col(Disclosure::Status)
                    .col(Disclosure::ListedAt)
                    .col(Disclosure::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Disclosure::Table)
                    .to_owned(),
            )
            .await
    }
}
