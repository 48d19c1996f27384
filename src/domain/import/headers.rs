//! The two templates' columns, matched by their Chinese header (with a few
//! common synonyms), never by position.

use std::collections::HashMap;

use super::cells::Cell;
use super::{Problem, Severity};

/// One column of a template.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    /// The header the template writes (and export uses).
    pub header: &'static str,
    /// Other headers ledgers use for the same column.
    pub synonyms: &'static [&'static str],
    pub required: bool,
    /// The template's example row.
    pub example: &'static str,
}

const fn column(
    header: &'static str,
    synonyms: &'static [&'static str],
    required: bool,
    example: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        header,
        synonyms,
        required,
        example,
    }
}

// The disclosures template.
pub const TITLE: &str = "标题";
pub const ORGANIZATION_CODE: &str = "发布机构代码";
pub const CATEGORY: &str = "主题分类";
pub const FORMED_ON: &str = "成文日期";
pub const PUBLISHED_ON: &str = "发布日期";
pub const DOC_NUMBER: &str = "文号";
pub const INDEX_NO: &str = "索引号";
pub const BODY: &str = "正文";
pub const ATTACHMENTS: &str = "附件";

pub const DISCLOSURE_COLUMNS: &[ColumnSpec] = &[
    column(
        TITLE,
        &["题名", "信息名称", "名称", "文件标题"],
        true,
        "南村镇2025年部门预算",
    ),
    column(
        ORGANIZATION_CODE,
        &["机构代码", "发布机构编码"],
        false,
        "PYNC",
    ),
    column(
        CATEGORY,
        &["分类", "信息分类", "主题分类代码", "类别"],
        true,
        "部门预算",
    ),
    column(
        FORMED_ON,
        &["生成日期", "形成日期", "印发日期"],
        false,
        "2025-03-04",
    ),
    column(
        PUBLISHED_ON,
        &["公开日期", "发布时间", "公开时间"],
        true,
        "2025-03-10",
    ),
    column(
        DOC_NUMBER,
        &["发文字号", "文件编号"],
        false,
        "南府〔2025〕3号",
    ),
    column(
        INDEX_NO,
        &["索引编号"],
        false,
        "11440113MB2C91234X/2025-00003",
    ),
    column(
        BODY,
        &["内容", "信息内容", "正文内容"],
        true,
        "根据《中华人民共和国预算法》……",
    ),
    column(ATTACHMENTS, &["附件名称"], false, ""),
];

// The applications template: the intake, then the procedure.
pub const EXTERNAL_NO: &str = "原登记编号";
pub const APPLICANT_TYPE: &str = "申请人类型";
pub const APPLICANT_NAME: &str = "申请人姓名/名称";
pub const ID_TYPE: &str = "证件类型";
pub const ID_NUMBER: &str = "证件号码";
pub const PHONE: &str = "联系电话";
pub const EMAIL: &str = "电子邮箱";
pub const ADDRESS: &str = "通信地址";
pub const CHANNEL: &str = "申请方式";
pub const RECEIVED_ON: &str = "收到日期";
pub const DESCRIPTION: &str = "申请内容";
pub const CORRECTION_REQUESTED_ON: &str = "补正通知日期";
pub const CORRECTION_RECEIVED_ON: &str = "补正收到日期";
pub const CONSULTATION_STARTED_ON: &str = "征求意见开始日期";
pub const CONSULTATION_ENDED_ON: &str = "征求意见结束日期";
pub const FEE_REQUESTED_ON: &str = "收费通知日期";
pub const FEE_PAID_ON: &str = "缴费日期";
pub const FEE_YUAN: &str = "收费金额（元）";
pub const EXTENDED_ON: &str = "延期日期";
pub const EXTENSION_REASON: &str = "延期理由";
pub const CLOSED_ON: &str = "办结日期";
pub const OUTCOME: &str = "办理结果";
pub const REPLY: &str = "答复内容";

pub const APPLICATION_COLUMNS: &[ColumnSpec] = &[
    column(
        EXTERNAL_NO,
        &["登记编号", "原编号", "受理编号", "申请编号", "编号"],
        true,
        "南村依申请〔2025〕1号",
    ),
    column(APPLICANT_TYPE, &["申请人类别"], false, "自然人"),
    column(
        APPLICANT_NAME,
        &["申请人", "申请人姓名", "申请人名称", "姓名", "名称"],
        true,
        "张三",
    ),
    column(ID_TYPE, &["证件种类"], false, "居民身份证"),
    column(
        ID_NUMBER,
        &["身份证号", "身份证号码", "证件号", "统一社会信用代码"],
        false,
        "11010519491231002X",
    ),
    column(
        PHONE,
        &["电话", "手机", "手机号码", "联系方式"],
        false,
        "13812345678",
    ),
    column(
        EMAIL,
        &["邮箱", "电子邮件", "Email", "E-mail"],
        false,
        "zhangsan@example.cn",
    ),
    column(
        ADDRESS,
        &["地址", "联系地址", "通讯地址"],
        false,
        "广州市番禺区南村镇兴业大道1号",
    ),
    column(CHANNEL, &["申请渠道", "提交方式", "渠道"], false, "当面"),
    column(
        RECEIVED_ON,
        &["受理日期", "申请日期", "收到申请日期", "登记日期"],
        true,
        "2025-03-04",
    ),
    column(
        DESCRIPTION,
        &[
            "所需信息",
            "申请公开内容",
            "所需政府信息内容描述",
            "内容描述",
        ],
        true,
        "请公开南村镇2024年财政预算执行情况",
    ),
    column(CORRECTION_REQUESTED_ON, &["补正告知日期"], false, ""),
    column(
        CORRECTION_RECEIVED_ON,
        &["补正日期", "补正材料收到日期"],
        false,
        "",
    ),
    column(
        CONSULTATION_STARTED_ON,
        &["征求意见开始", "征求意见日期"],
        false,
        "",
    ),
    column(CONSULTATION_ENDED_ON, &["征求意见结束"], false, ""),
    column(FEE_REQUESTED_ON, &["收费告知日期"], false, ""),
    column(FEE_PAID_ON, &["缴费时间"], false, ""),
    column(FEE_YUAN, &["收费金额", "收费（元）"], false, ""),
    column(EXTENDED_ON, &["延长日期", "延期答复日期"], false, ""),
    column(EXTENSION_REASON, &["延期原因", "延长理由"], false, ""),
    column(CLOSED_ON, &["答复日期", "办结时间"], false, "2025-03-20"),
    column(
        OUTCOME,
        &["答复结果", "处理结果", "办理结果类型"],
        false,
        "予以公开",
    ),
    column(
        REPLY,
        &["答复摘要", "答复内容摘要"],
        false,
        "已向申请人提供南村镇2024年财政预算执行情况",
    ),
];

/// A header as ledgers write it, made comparable: spaces and a required
/// marker dropped, full-width parentheses and slashes folded.
fn normalize(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('*')
        .trim_end_matches('*')
        .replace("（必填）", "")
        .replace("(必填)", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// Where each template column is in the file.
#[derive(Clone, Debug)]
pub struct ColumnMap {
    columns: &'static [ColumnSpec],
    positions: HashMap<&'static str, usize>,
}

impl ColumnMap {
    /// Matches the header row against the template: a missing required
    /// column or a column given twice is an error, an unknown one a warning.
    pub fn match_headers(
        columns: &'static [ColumnSpec],
        headers: &[Cell],
    ) -> (ColumnMap, Vec<Problem>) {
        let mut names: HashMap<String, &'static str> = HashMap::new();
        for spec in columns {
            names.insert(normalize(spec.header), spec.header);
            for synonym in spec.synonyms {
                names.insert(normalize(synonym), spec.header);
            }
        }
        let mut positions = HashMap::new();
        let mut problems = Vec::new();
        for (position, cell) in headers.iter().enumerate() {
            let Some(text) = cell.text() else { continue };
            match names.get(&normalize(&text)) {
                Some(header) if positions.contains_key(header) => problems.push(Problem::new(
                    1,
                    Some(text.clone()),
                    Severity::Error,
                    format!("“{header}”列出现了两次"),
                )),
                Some(header) => {
                    positions.insert(*header, position);
                }
                None => problems.push(Problem::new(
                    1,
                    Some(text.clone()),
                    Severity::Warning,
                    "未识别的列，已忽略",
                )),
            }
        }
        for spec in columns.iter().filter(|s| s.required) {
            if !positions.contains_key(spec.header) {
                problems.push(Problem::new(
                    1,
                    Some(spec.header.to_owned()),
                    Severity::Error,
                    "缺少必需的列",
                ));
            }
        }
        (ColumnMap { columns, positions }, problems)
    }

    /// The map of a file in the template's own column order (what export writes).
    pub fn template(columns: &'static [ColumnSpec]) -> ColumnMap {
        let positions = columns
            .iter()
            .enumerate()
            .map(|(position, spec)| (spec.header, position))
            .collect();
        ColumnMap { columns, positions }
    }

    /// The cell of `header` in `cells` (Empty when the file has no such column).
    pub fn cell<'c>(&self, cells: &'c [Cell], header: &str) -> &'c Cell {
        debug_assert!(
            self.columns.iter().any(|s| s.header == header),
            "{header} is a column of the template"
        );
        self.positions
            .get(header)
            .and_then(|position| cells.get(*position))
            .unwrap_or(&Cell::Empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<Cell> {
        names.iter().map(|n| Cell::Text((*n).into())).collect()
    }

    #[test]
    fn headers_match_by_name_and_synonym() {
        // (headers, the column 标题 is found at, problems as (column, severity))
        type Problems<'a> = &'a [(&'a str, Severity)];
        let cases: [(&[&str], Option<usize>, Problems); 5] = [
            (&["标题", "主题分类", "发布日期", "正文"], Some(0), &[]),
            (
                &["信息内容", " 发布时间 ", "类别", "*信息名称*"],
                Some(3),
                &[],
            ),
            (
                &["正文", "标题（必填）", "分类", "公开日期", "备注"],
                Some(1),
                &[("备注", Severity::Warning)],
            ),
            (
                &["标题", "题名", "主题分类", "发布日期", "正文"],
                Some(0),
                &[("题名", Severity::Error)],
            ),
            (
                &["主题分类", "发布日期", "正文"],
                None,
                &[("标题", Severity::Error)],
            ),
        ];
        for (names, title_at, expected) in cases {
            let (map, problems) = ColumnMap::match_headers(DISCLOSURE_COLUMNS, &headers(names));
            assert_eq!(map.positions.get(TITLE).copied(), title_at, "{names:?}");
            let got: Vec<(&str, Severity)> = problems
                .iter()
                .map(|p| (p.column.as_deref().unwrap_or(""), p.severity))
                .collect();
            assert_eq!(got, expected, "{names:?}");
            assert!(problems.iter().all(|p| p.row == 1));
        }
    }

    #[test]
    fn every_header_and_synonym_is_distinct() {
        for columns in [DISCLOSURE_COLUMNS, APPLICATION_COLUMNS] {
            let mut seen = std::collections::HashSet::new();
            for spec in columns {
                for name in std::iter::once(&spec.header).chain(spec.synonyms) {
                    assert!(seen.insert(normalize(name)), "{name} twice");
                }
            }
        }
    }

    #[test]
    fn a_missing_column_reads_empty() {
        let (map, _) = ColumnMap::match_headers(APPLICATION_COLUMNS, &headers(&["申请人"]));
        let row = [Cell::Text("张三".into())];
        assert_eq!(map.cell(&row, APPLICANT_NAME), &Cell::Text("张三".into()));
        assert_eq!(map.cell(&row, PHONE), &Cell::Empty);
    }
}
