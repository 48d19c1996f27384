//! Writes the spreadsheets of the import benchmark (BENCHMARKS.md, "Import
//! (issue 16)"): a catalogue of DISCLOSURES rows and a ledger of
//! APPLICATIONS rows of one town (code BENCH) in 2025, in the import
//! templates. The ledger cycles through the procedures (closed, correction,
//! consultation, fee, extension, still open), so the import replays every
//! kind of event through the engine.
//!
//!     cargo run --release --example import_bench_files -- DISCLOSURES APPLICATIONS OUT_DIR

use chrono::{Datelike, Days, NaiveDate};
use gongkai::domain::import::ImportKind;
use gongkai::domain::import::cells::{Cell, excel_serial_of};
use gongkai::spreadsheet;

const CATEGORIES: [&str; 5] = ["部门预算", "部门决算", "机构职能", "乡村振兴", "安全生产"];

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn date(day: NaiveDate) -> Cell {
    Cell::Date(excel_serial_of(day))
}

fn day_of_2025(n: usize) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2025, 1, 2).expect("a date");
    first + Days::new((n % 330) as u64)
}

fn disclosure(n: usize) -> Vec<Cell> {
    let published = day_of_2025(n);
    let category = CATEGORIES[n % CATEGORIES.len()];
    let body = format!(
        "{}（第{n}号）。本文件依据《中华人民共和国政府信息公开条例》主动公开，内容包括工作目标、主要任务、保障措施和责任分工。",
        category
    )
    .repeat(3);
    vec![
        text(format!("基准镇{category}公告第{n}号")),
        text("BENCH"),
        text(category),
        date(published - Days::new(3)),
        date(published),
        Cell::Empty,
        text(format!("BENCH-旧-2025-{n:06}")),
        text(body),
        Cell::Empty,
    ]
}

fn application(n: usize) -> Vec<Cell> {
    let received = day_of_2025(n);
    let after = |days: u64| date(received + Days::new(days));
    let mut row = vec![Cell::Empty; ImportKind::Applications.columns().len()];
    row[0] = text(format!("基准依申〔2025〕{n}号"));
    row[1] = text(["自然人", "商业企业", "法律服务机构"][n % 3]);
    row[2] = text(format!("申请人{n}"));
    row[5] = text("13812345678");
    row[8] = text(["当面", "信函", "网上申请", "电子邮件"][n % 4]);
    row[9] = date(received);
    row[10] = text(format!("请公开基准镇2024年第{n}项财政支出情况"));
    let closed = match n % 6 {
        // Correction requested and received.
        1 => {
            row[11] = after(1);
            row[12] = after(5);
            Some(25)
        }
        // A third party consulted.
        2 => {
            row[13] = after(2);
            row[14] = after(9);
            Some(25)
        }
        // A fee asked for and paid.
        3 => {
            row[15] = after(2);
            row[16] = after(6);
            row[17] = text("50");
            Some(20)
        }
        // Extended.
        4 => {
            row[18] = after(12);
            row[19] = text("需调取档案");
            Some(35)
        }
        // Still open at the end of the ledger, when received late in the year.
        5 if received.month0() >= 10 => None,
        _ => Some(10),
    };
    if let Some(days) = closed {
        row[20] = after(days);
        row[21] = text(["予以公开", "部分公开", "本机关不掌握相关政府信息"][n % 3]);
        row[22] = text("已答复");
    }
    row
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, disclosures, applications, out] = &args[..] else {
        eprintln!("usage: import_bench_files DISCLOSURES APPLICATIONS OUT_DIR");
        std::process::exit(2);
    };
    let disclosures: usize = disclosures.parse().expect("a number of disclosures");
    let applications: usize = applications.parse().expect("a number of applications");
    std::fs::create_dir_all(out).expect("the folder can be made");
    let files = [
        (
            ImportKind::Disclosures,
            "disclosures.xlsx",
            (0..disclosures).map(disclosure).collect::<Vec<_>>(),
        ),
        (
            ImportKind::Applications,
            "applications.xlsx",
            (0..applications).map(application).collect(),
        ),
    ];
    for (kind, name, rows) in files {
        let bytes = spreadsheet::write(kind, &rows).expect("the workbook is written");
        let path = format!("{out}/{name}");
        std::fs::write(&path, bytes).expect("the file is written");
        println!("wrote {} rows to {path}", rows.len());
    }
}
