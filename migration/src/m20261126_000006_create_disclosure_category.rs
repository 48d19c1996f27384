use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum DisclosureCategory {
    Table,
    Id,
    Code,
    Name,
    ParentId,
    SortOrder,
}

/// A town/street disclosure catalogue: (code, name, parent code).
const CATALOGUE: [(&str, &str, Option<&str>); 31] = [
    ("JGZN", "机构职能", None),
    ("LDFG", "领导分工", Some("JGZN")),
    ("NSJG", "内设机构", Some("JGZN")),
    ("ZCWJ", "政策文件", None),
    ("BJWJ", "本级文件", Some("ZCWJ")),
    ("GFXWJ", "规范性文件", Some("ZCWJ")),
    ("ZCJD", "政策解读", Some("ZCWJ")),
    ("GHJH", "规划计划", None),
    ("CZYJS", "财政预决算", None),
    ("BMYS", "部门预算", Some("CZYJS")),
    ("BMJS", "部门决算", Some("CZYJS")),
    ("SGJF", "“三公”经费", Some("CZYJS")),
    ("XZZF", "行政执法", None),
    ("ZFGS", "执法公示", Some("XZZF")),
    ("CFJD", "处罚决定", Some("XZZF")),
    ("ZDLY", "重点领域", None),
    ("SHJZ", "社会救助", Some("ZDLY")),
    ("XCZX", "乡村振兴", Some("ZDLY")),
    ("ZDCQ", "征地拆迁", Some("ZDLY")),
    ("AQSC", "安全生产", Some("ZDLY")),
    ("YJGL", "应急管理", Some("ZDLY")),
    ("RSXX", "人事信息", None),
    ("FZBG", "法治政府建设年度报告", None),
    ("GKZN", "政府信息公开指南", None),
    ("GKNB", "政府信息公开年报", None),
    ("XZXK", "行政许可", Some("XZZF")),
    ("XZQZ", "行政强制", Some("XZZF")),
    ("TZGG", "通知公告", None),
    ("GZDT", "工作动态", None),
    ("RDJY", "人大建议政协提案", None),
    ("QT", "其他", None),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DisclosureCategory::Table)
                    .col(big_pk_auto(DisclosureCategory::Id))
                    .col(string_len_uniq(DisclosureCategory::Code, 16))
                    .col(string_len(DisclosureCategory::Name, 50))
                    .col(big_integer_null(DisclosureCategory::ParentId))
                    .col(integer(DisclosureCategory::SortOrder))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisclosureCategory::Table, DisclosureCategory::ParentId)
                            .to(DisclosureCategory::Table, DisclosureCategory::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Ids follow the catalogue's order, so a parent's id is known when
        // its children are inserted.
        for (index, (code, name, parent)) in CATALOGUE.iter().enumerate() {
            let parent_id = parent.map(|p| {
                CATALOGUE
                    .iter()
                    .position(|(c, _, _)| *c == p)
                    .expect("parent listed first") as i64
                    + 1
            });
            let insert = Query::insert()
                .into_table(DisclosureCategory::Table)
                .columns([
                    DisclosureCategory::Id,
                    DisclosureCategory::Code,
                    DisclosureCategory::Name,
                    DisclosureCategory::ParentId,
                    DisclosureCategory::SortOrder,
                ])
                .values_panic([
                    (index as i64 + 1).into(),
                    (*code).into(),
                    (*name).into(),
                    parent_id.into(),
                    (index as i32 + 1).into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // Explicit ids were inserted: move the sequence past them.
            manager
                .get_connection()
                .execute_unprepared(
                    "SELECT setval(pg_get_serial_sequence('disclosure_category', 'id'), \
                     (SELECT MAX(id) FROM disclosure_category))",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisclosureCategory::Table).to_owned())
            .await
    }
}
