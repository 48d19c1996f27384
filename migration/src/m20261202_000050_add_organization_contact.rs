//! An organisation's contact details for its 公开指南 (Art. 12: the name,
//! office address, office hours, phone, fax and e-mail of the office that
//! handles disclosure). All optional: an organisation exists before its
//! administrator fills them in. One column per statement, as SQLite's
//! ALTER TABLE adds one at a time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organization {
    Table,
    OfficeName,
    OfficeAddress,
    OfficeHours,
    Phone,
    Fax,
    Email,
}

const COLUMNS: [Organization; 6] = [
    Organization::OfficeName,
    Organization::OfficeAddress,
    Organization::OfficeHours,
    Organization::Phone,
    Organization::Fax,
    Organization::Email,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organization::Table)
                        .add_column(text_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organization::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
