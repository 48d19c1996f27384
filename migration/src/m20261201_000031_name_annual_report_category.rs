use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The category the annual reports are published in carries the template's
/// name, 政府信息公开工作年度报告: the catalogue's GKNB (政府信息公开年报) is
/// renamed, or the category is created when the catalogue lacks it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE disclosure_category SET name = '政府信息公开工作年度报告' WHERE code = 'GKNB'",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO disclosure_category (code, name, parent_id, sort_order)
             SELECT 'GKNB', '政府信息公开工作年度报告', NULL,
                    COALESCE((SELECT MAX(sort_order) FROM disclosure_category), 0) + 1
             WHERE NOT EXISTS (SELECT 1 FROM disclosure_category WHERE code = 'GKNB')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE disclosure_category SET name = '政府信息公开年报' WHERE code = 'GKNB'",
            )
            .await?;
        Ok(())
    }
}
