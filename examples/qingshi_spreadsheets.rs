//! Writes the example spreadsheets of docs/examples/: the catalogue and
//! the ledger of 青石镇 (a fictional town, code QSZ), in the import
//! templates, and a copy of each with deliberate errors. The tests and the
//! README use the files; run `cargo run --example qingshi_spreadsheets` to
//! write them again after a template changes.

use gongkai::domain::import::ImportKind;
use gongkai::domain::import::cells::{Cell, excel_serial_of, parse_date};
use gongkai::spreadsheet;

/// The catalogue: title, organisation, category, formed, published, 文号, 索引号, body, attachments.
const DISCLOSURES: [[&str; 9]; 5] = [
    [
        "青石镇2025年部门预算",
        "QSZ",
        "部门预算",
        "2025-02-20",
        "2025-03-01",
        "青府〔2025〕2号",
        "QSZ-旧-2025-001",
        "青石镇2025年部门预算全文。",
        "",
    ],
    [
        "青石镇2024年部门决算",
        "QSZ",
        "部门决算",
        "2025-06-25",
        "2025-07-01",
        "青府〔2025〕9号",
        "QSZ/2025-00007",
        "青石镇2024年部门决算全文。",
        "",
    ],
    [
        "青石镇人民政府机构职能",
        "QSZ",
        "机构职能",
        "",
        "2025-01-15",
        "",
        "",
        "青石镇人民政府负责全镇经济社会事务管理。",
        "",
    ],
    [
        "关于青石镇乡村振兴项目的公示",
        "QSZ",
        "乡村振兴",
        "2025-08-10",
        "2025-08-12",
        "",
        "QSZ-旧-2025-014",
        "2025年乡村振兴项目清单及资金安排。",
        "",
    ],
    [
        "青石镇安全生产检查情况通报",
        "QSZ",
        "安全生产",
        "2025-10-08",
        "2025-10-09",
        "青安〔2025〕3号",
        "QSZ-旧-2025-021",
        "第三季度安全生产检查情况。",
        "",
    ],
];

/// The ledger, in the template's column order.
const APPLICATIONS: [[&str; 23]; 6] = [
    // 原登记编号, 申请人类型, 姓名/名称, 证件类型, 证件号码, 电话, 邮箱, 地址, 方式, 收到日期, 内容,
    // 补正通知, 补正收到, 征求开始, 征求结束, 收费通知, 缴费, 收费金额, 延期, 延期理由, 办结, 结果, 答复
    [
        "青依申〔2025〕1号",
        "自然人",
        "林一",
        "居民身份证",
        "11010519491231002X",
        "13812345678",
        "",
        "青石镇东街1号",
        "当面",
        "2025-03-03",
        "请公开青石镇2024年低保发放情况",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2025-03-20",
        "予以公开",
        "已提供2024年低保发放汇总表",
    ],
    [
        "青依申〔2025〕2号",
        "企业",
        "青石建材有限公司",
        "统一社会信用代码",
        "",
        "020-12345678",
        "",
        "",
        "信函",
        "2025-04-07",
        "请公开石场整治项目的环评材料",
        "",
        "",
        "2025-04-08",
        "2025-04-15",
        "",
        "",
        "",
        "",
        "",
        "2025-05-06",
        "部分公开",
        "环评材料涉及第三方商业秘密的部分不予公开",
    ],
    [
        "青依申〔2025〕3号",
        "自然人",
        "周三",
        "",
        "",
        "13900000003",
        "",
        "",
        "网上",
        "2025-06-02",
        "请公开青石镇2019年道路修建合同",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2025-06-20",
        "需调取档案",
        "2025-07-10",
        "本机关不掌握相关政府信息",
        "经查本机关未制作该合同",
    ],
    [
        "青依申〔2025〕4号",
        "法律服务机构",
        "青石律师事务所",
        "",
        "",
        "",
        "law@example.cn",
        "",
        "电子邮件",
        "2025-09-01",
        "请公开征地补偿标准",
        "2025-09-03",
        "2025-09-10",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2025-09-25",
        "予以公开",
        "已提供征地补偿标准文件",
    ],
    [
        "青依申〔2025〕5号",
        "自然人",
        "吴五",
        "",
        "",
        "13900000005",
        "",
        "",
        "当面",
        "2025-12-15",
        "请公开2025年镇村道路养护经费使用情况",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "青依申〔2025〕6号",
        "其他组织",
        "青石镇老年协会",
        "",
        "",
        "",
        "",
        "青石镇西街8号",
        "信函",
        "2025-11-03",
        "请公开2024年低保发放情况",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2025-12-31",
        "重复申请",
        "该信息已于2025年3月向申请人提供",
    ],
];

fn cells<const N: usize>(row: &[&str; N]) -> Vec<Cell> {
    row.iter()
        .map(|value| match parse_date(value) {
            _ if value.is_empty() => Cell::Empty,
            // Dates as Excel date cells, as a clerk's ledger has them.
            Ok(day) if value.len() == 10 => Cell::Date(excel_serial_of(day)),
            _ => Cell::Text((*value).to_owned()),
        })
        .collect()
}

fn write(path: &str, kind: ImportKind, rows: Vec<Vec<Cell>>) {
    let bytes = spreadsheet::write(kind, &rows).expect("the workbook builds");
    std::fs::write(path, bytes).expect("docs/examples is writable");
    println!("wrote {path}");
}

fn main() {
    let disclosures: Vec<Vec<Cell>> = DISCLOSURES.iter().map(cells).collect();
    let applications: Vec<Vec<Cell>> = APPLICATIONS.iter().map(cells).collect();
    write(
        "docs/examples/qingshi-disclosures.xlsx",
        ImportKind::Disclosures,
        disclosures.clone(),
    );
    write(
        "docs/examples/qingshi-applications.xlsx",
        ImportKind::Applications,
        applications.clone(),
    );

    // The copies with errors: each named in the README's walk-through.
    let mut disclosures = disclosures;
    disclosures[1][2] = Cell::Text("天气".into()); // row 3: unknown 主题分类
    disclosures[3][4] = Cell::Text("2025-13-01".into()); // row 5: no such 发布日期
    write(
        "docs/examples/qingshi-disclosures-with-errors.xlsx",
        ImportKind::Disclosures,
        disclosures,
    );
    let mut applications = applications;
    applications[1][9] = Cell::Text("2025-02-30".into()); // row 3: no such 收到日期
    applications[3][21] = Cell::Text("已答复".into()); // row 5: not an outcome of table 三
    applications[5][20] = Cell::Date(excel_serial_of(parse_date("2025-10-31").unwrap())); // row 7: closed before it was received
    write(
        "docs/examples/qingshi-applications-with-errors.xlsx",
        ImportKind::Applications,
        applications,
    );
}
