//! Demo disclosures: about 400 published items for 南村镇 across the
//! catalogue, dated over 2022–2026, a few drafts and one withdrawal, and a
//! few dozen for the other demo organisations. Deterministic: the same
//! database every time.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::calendar::{china_date, china_standard_time};
use crate::domain::disclosure::DisclosureContent;
use crate::domain::organization::Organization;
use crate::error::AppResult;
use crate::store;
use crate::store::disclosures::NewDisclosure;

const TOPICS: [&str; 12] = [
    "农村人居环境整治",
    "安全生产大检查",
    "森林防火",
    "垃圾分类",
    "河长制",
    "乡村振兴",
    "消防安全",
    "食品安全",
    "燃气安全",
    "防汛防旱",
    "征兵工作",
    "文明城市创建",
];
const OFFICES: [&str; 6] = [
    "党政综合办公室",
    "经济发展办公室",
    "社会事务办公室",
    "规划建设办公室",
    "综合行政执法办公室",
    "公共服务办公室",
];

/// A title (with 文号 when it is a formal document) for the n-th item of a category.
pub(crate) fn title(
    category: &str,
    org: &str,
    n: usize,
    year: i32,
    month: u32,
) -> (String, Option<String>) {
    let topic = TOPICS[n % TOPICS.len()];
    let doc = |prefix: &str| Some(format!("{prefix}〔{year}〕{}号", n % 97 + 1));
    match category {
        "LDFG" => (
            format!("{org}领导班子成员分工（{year}年{month}月调整）"),
            None,
        ),
        "NSJG" => (format!("{org}{}职能简介", OFFICES[n % OFFICES.len()]), None),
        "BJWJ" => (
            format!("关于印发《{org}{topic}工作方案》的通知"),
            doc("番南府"),
        ),
        "GFXWJ" => (format!("{org}{topic}管理办法"), doc("番南府规")),
        "ZCJD" => (format!("《{org}{topic}工作方案》政策解读"), None),
        "GHJH" => (format!("{org}{year}年{topic}工作计划"), None),
        "BMYS" => (format!("{org}{year}年部门预算"), None),
        "BMJS" => (format!("{org}{year}年部门决算"), None),
        "SGJF" => (format!("{org}{year}年“三公”经费预算情况说明"), None),
        "ZFGS" => (format!("{org}{year}年{month}月行政执法检查公示"), None),
        "CFJD" => (
            format!("行政处罚决定书（穗番南综执罚〔{year}〕{}号）", n + 1),
            None,
        ),
        "XZXK" => (format!("{org}{year}年{month}月行政许可决定公示"), None),
        "XZQZ" => (format!("{org}{year}年{month}月行政强制决定公示"), None),
        "SHJZ" => (
            format!("{org}{year}年{month}月最低生活保障金发放情况公示"),
            None,
        ),
        "XCZX" => (format!("{org}推进乡村振兴{topic}工作动态"), None),
        "ZDCQ" => (
            format!("{org}{year}年征地补偿安置方案公告（第{}号）", n % 9 + 1),
            doc("番南征"),
        ),
        "AQSC" => (format!("{org}开展{year}年{month}月安全生产专项检查"), None),
        "YJGL" => (format!("{org}{year}年突发事件应急预案演练情况"), None),
        "RSXX" => (format!("{org}{year}年公开招聘政府雇员公告"), None),
        "FZBG" => (format!("{org}{year}年法治政府建设年度报告"), None),
        "GKZN" => (format!("{org}人民政府信息公开指南（{year}年修订）"), None),
        "GKNB" => (
            format!("{org}人民政府{year}年政府信息公开工作年度报告"),
            None,
        ),
        "TZGG" => (
            format!("关于{year}年{month}月{topic}工作的通知"),
            doc("番南办"),
        ),
        "GZDT" => (format!("{org}召开{topic}工作推进会"), None),
        "RDJY" => (format!("对{org}人大代表关于{topic}建议的答复"), None),
        _ => (format!("{org}{year}年{topic}情况说明"), None),
    }
}

pub(crate) fn body(title: &str, org: &str, n: usize) -> String {
    let topic = TOPICS[(n / 3) % TOPICS.len()];
    format!(
        "{title}\n\n为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好{topic}相关工作，\
         {org}结合本地实际，现将有关情况公开如下：\n一、总体情况。各村（社区）、各部门按照职责分工，\
         认真组织实施，工作取得阶段性成效。\n二、主要做法。加强组织领导，压实工作责任，强化督导检查。\n\
         三、下一步工作。持续巩固工作成果，接受社会监督。\n\n联系电话：020-8478{:04}",
        n % 10_000
    )
}

/// Loads the demo disclosures of one organisation: `published` items, the
/// first `drafts` of them left as drafts and, if `withdraw_one`, one withdrawn.
async fn load_for(
    db: &DatabaseConnection,
    org: &Organization,
    published: usize,
    drafts: usize,
    withdraw_one: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let categories = store::categories::list(db).await?;
    let leaves: Vec<_> = categories
        .iter()
        .filter(|c| !categories.iter().any(|child| child.parent_id == Some(c.id)))
        .collect();
    let short_name = org
        .name
        .trim_end_matches("人民政府")
        .trim_end_matches("办事处");
    let today = china_date(now);
    let first_day = NaiveDate::from_ymd_opt(2022, 1, 4).expect("a date");
    let span = (today - first_day).num_days().max(1) as usize;
    let mut items: Vec<(NaiveDate, usize)> = (0..published + drafts)
        .map(|n| {
            // Spread over the years, the most recent items last.
            let offset = (n * span / (published + drafts)) as u64;
            (first_day + Days::new(offset), n)
        })
        .collect();
    items.sort();
    for (index, (formed_on, n)) in items.into_iter().enumerate() {
        let category = leaves[n % leaves.len()];
        let (title, doc_number) = title(
            &category.code,
            short_name,
            n,
            formed_on.year(),
            formed_on.month(),
        );
        let content = DisclosureContent {
            body: body(&title, short_name, n),
            title,
            doc_number,
            formed_on,
        };
        let created_at = formed_on
            .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
            .and_local_timezone(china_standard_time())
            .single()
            .expect("UTC+8 is unambiguous")
            .to_utc();
        let new = NewDisclosure {
            organization_id: org.id,
            category_id: category.id,
            content,
        };
        let stored = store::disclosures::insert(db, new, created_at).await?;
        // The last few are this month's drafts; the rest were published
        // 1–25 days after they were formed (a few of them late).
        if index >= published {
            continue;
        }
        let published_on = (formed_on + Days::new((n % 25 + 1) as u64)).min(today);
        let published_at = created_at + (published_on - formed_on) + chrono::TimeDelta::minutes(30);
        store::disclosures::publish(db, stored.id, &org.code, published_at.min(now)).await?;
        if withdraw_one && index == published / 2 {
            store::disclosures::withdraw(db, stored.id, "内容已被新版本替代".to_owned(), now)
                .await?;
        }
    }
    Ok(())
}

pub async fn load(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<()> {
    for org in store::organizations::list(db).await? {
        if org.code == "PYNC" {
            load_for(db, &org, 400, 5, true, now).await?;
        } else {
            load_for(db, &org, 8, 1, false, now).await?;
        }
    }
    Ok(())
}
