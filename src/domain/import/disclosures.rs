//! A row of the disclosures template, checked: the content as staff would
//! enter it (`DisclosureContent::validate`), its organisation and category
//! known, its publication day, and its old 索引号 kept verbatim.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cells::Cell;
use super::headers::*;
use super::{Problem, Severity};
use crate::domain::canonical::Canonical;
use crate::domain::disclosure::{Category, DisclosureContent};
use crate::error::AppError;

const MAX_INDEX_NO_CHARS: usize = 60;

/// What the rows are checked against.
pub struct DisclosureContext<'a> {
    /// The organisation of rows without 发布机构代码 (`--organization`).
    pub default_organization: Option<&'a str>,
    /// Organisation codes known to the deployment, with their ids.
    pub organizations: &'a HashMap<String, i64>,
    pub categories: &'a [Category],
    pub today: NaiveDate,
}

/// A checked row: what a published disclosure is created from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosureRow {
    pub row: usize,
    pub organization_id: i64,
    pub organization_code: String,
    pub category_id: i64,
    pub content: DisclosureContent,
    pub published_on: NaiveDate,
    /// The old 索引号, verbatim; None: gongkai assigns one.
    pub index_no: Option<String>,
    /// How a later import of the same row finds it: the old 索引号, or the
    /// title and publication day.
    pub key: String,
    /// The row's content, to tell a changed row from the same one.
    pub fingerprint: String,
}

fn category<'a>(categories: &'a [Category], text: &str) -> Option<&'a Category> {
    categories
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(text))
        .or_else(|| categories.iter().find(|c| c.name == text))
}

/// The column of a content field `DisclosureContent::validate` names.
fn column_of(field: &str) -> &'static str {
    match field {
        "title" => TITLE,
        "docNumber" => DOC_NUMBER,
        "body" => BODY,
        _ => FORMED_ON,
    }
}

/// Checks row `row` (as the spreadsheet numbers it); the problems found,
/// and the row when it has no error.
pub fn check(
    map: &ColumnMap,
    cells: &[Cell],
    row: usize,
    context: &DisclosureContext<'_>,
) -> (Option<DisclosureRow>, Vec<Problem>) {
    let mut problems = Vec::new();
    let text = |header: &str| map.cell(cells, header).text();
    let date = |header: &str, problems: &mut Vec<Problem>| match map.cell(cells, header).date() {
        Ok(day) => day,
        Err(message) => {
            problems.push(Problem::error(row, header, message));
            None
        }
    };
    let title = text(TITLE);
    if title.is_none() {
        problems.push(Problem::error(row, TITLE, "请填写标题"));
    }
    let body = text(BODY);
    if body.is_none() {
        problems.push(Problem::error(row, BODY, "请填写正文"));
    }
    let code = text(ORGANIZATION_CODE).or(context.default_organization.map(str::to_owned));
    let organization = match code {
        Some(code) => match context.organizations.get(&code) {
            Some(id) => Some((code, *id)),
            None => {
                problems.push(Problem::error(
                    row,
                    ORGANIZATION_CODE,
                    format!("没有代码为 {code} 的机构"),
                ));
                None
            }
        },
        None => {
            problems.push(Problem::error(
                row,
                ORGANIZATION_CODE,
                "请填写发布机构代码（或在导入时指定机构）",
            ));
            None
        }
    };
    let category = match text(CATEGORY) {
        Some(name) => match category(context.categories, &name) {
            Some(found) => Some(found.id),
            None => {
                problems.push(Problem::error(
                    row,
                    CATEGORY,
                    format!("没有名称或代码为“{name}”的主题分类"),
                ));
                None
            }
        },
        None => {
            problems.push(Problem::error(row, CATEGORY, "请填写主题分类"));
            None
        }
    };
    let published_on = date(PUBLISHED_ON, &mut problems);
    let formed_on = date(FORMED_ON, &mut problems);
    match published_on {
        None if !problems
            .iter()
            .any(|p| p.column.as_deref() == Some(PUBLISHED_ON)) =>
        {
            problems.push(Problem::error(row, PUBLISHED_ON, "请填写发布日期"));
        }
        Some(day) if day > context.today => {
            problems.push(Problem::error(row, PUBLISHED_ON, "发布日期不能晚于今天"));
        }
        Some(day) if formed_on.is_some_and(|formed| formed > day) => {
            problems.push(Problem::error(row, FORMED_ON, "成文日期不能晚于发布日期"));
        }
        _ => {}
    }
    let index_no = text(INDEX_NO);
    if index_no
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_INDEX_NO_CHARS || n.chars().any(char::is_control))
    {
        problems.push(Problem::error(
            row,
            INDEX_NO,
            format!("索引号不能超过{MAX_INDEX_NO_CHARS}个字符"),
        ));
    }
    if text(ATTACHMENTS).is_some() {
        problems.push(Problem::new(
            row,
            Some(ATTACHMENTS.to_owned()),
            Severity::Warning,
            "附件暂不随表格导入，请在系统中另行上传",
        ));
    }
    let (
        Some(title),
        Some(body),
        Some((code, organization_id)),
        Some(category_id),
        Some(published_on),
    ) = (title, body, organization, category, published_on)
    else {
        return (None, problems);
    };
    let content = DisclosureContent {
        title,
        doc_number: text(DOC_NUMBER),
        body,
        // Without a day of formation, the publication day stands in.
        formed_on: formed_on.unwrap_or(published_on),
    };
    let content = match content.validate(context.today) {
        Ok(content) => content,
        Err(AppError::BadUserInput { field, message }) => {
            problems.push(Problem::error(row, column_of(&field), message));
            return (None, problems);
        }
        Err(other) => {
            problems.push(Problem::new(row, None, Severity::Error, other.to_string()));
            return (None, problems);
        }
    };
    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }
    let published = published_on.to_string();
    let key = match &index_no {
        Some(index_no) => format!("index:{index_no}"),
        None => format!("title:{}:{published}", content.title),
    };
    let formed = content.formed_on.to_string();
    let fingerprint = Canonical::new("import disclosure v1")
        .field("organization", &code)
        .field("category", &category_id.to_string())
        .field("title", &content.title)
        .optional("docNumber", content.doc_number.as_deref())
        .field("body", &content.body)
        .field("formedOn", &formed)
        .field("publishedOn", &published)
        .optional("indexNo", index_no.as_deref())
        .digest();
    let checked = DisclosureRow {
        row,
        organization_id,
        organization_code: code,
        category_id,
        content,
        published_on,
        index_no,
        key,
        fingerprint,
    };
    (Some(checked), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }

    const HEADERS: [&str; 8] = [
        "标题",
        "发布机构代码",
        "主题分类",
        "成文日期",
        "发布日期",
        "文号",
        "索引号",
        "正文",
    ];

    /// Checks one row of the template's columns; the problems as (column, severity).
    fn problems_of(values: [&str; 8]) -> (Option<DisclosureRow>, Vec<(String, Severity)>) {
        let headers: Vec<Cell> = HEADERS.iter().map(|h| text(h)).collect();
        let (map, header_problems) = ColumnMap::match_headers(DISCLOSURE_COLUMNS, &headers);
        assert!(header_problems.is_empty());
        let organizations = HashMap::from([("PYNC".to_owned(), 5)]);
        let categories = vec![Category {
            id: 9,
            code: "BMYS".into(),
            name: "部门预算".into(),
            parent_id: None,
        }];
        let context = DisclosureContext {
            default_organization: None,
            organizations: &organizations,
            categories: &categories,
            today: day("2025-12-01"),
        };
        let cells: Vec<Cell> = values.iter().map(|v| text(v)).collect();
        let (checked, problems) = check(&map, &cells, 2, &context);
        let problems = problems
            .into_iter()
            .map(|p| {
                assert_eq!(p.row, 2);
                (p.column.unwrap_or_default(), p.severity)
            })
            .collect();
        (checked, problems)
    }

    #[test]
    fn rows_of_the_catalogue() {
        use Severity::Error;
        let good = [
            "南村镇2025年部门预算",
            "PYNC",
            "部门预算",
            "2025/3/4",
            "2025年3月10日",
            "南府〔2025〕3号",
            "OLD/2025-003",
            "预算全文",
        ];
        let (checked, problems) = problems_of(good);
        assert!(problems.is_empty(), "{problems:?}");
        let checked = checked.unwrap();
        assert_eq!((checked.organization_id, checked.category_id), (5, 9));
        assert_eq!(checked.published_on, day("2025-03-10"));
        assert_eq!(checked.content.formed_on, day("2025-03-04"));
        assert_eq!(checked.index_no.as_deref(), Some("OLD/2025-003"));
        assert_eq!(checked.key, "index:OLD/2025-003");
        // (changed cells, expected problems)
        type Problems<'a> = &'a [(&'a str, Severity)];
        let cases: [(&[(usize, &str)], Problems); 8] = [
            (&[(2, "BMYS")], &[]),
            (&[(3, "")], &[]),
            (&[(0, "")], &[("标题", Error)]),
            (&[(1, "XXXX")], &[("发布机构代码", Error)]),
            (&[(2, "天气")], &[("主题分类", Error)]),
            (
                &[(4, "2025-13-01"), (7, "")],
                &[("正文", Error), ("发布日期", Error)],
            ),
            (&[(4, "2026-01-02")], &[("发布日期", Error)]),
            (&[(3, "2025-03-11")], &[("成文日期", Error)]),
        ];
        for (changes, expected) in cases {
            let mut values = good;
            for (at, value) in changes.iter() {
                values[*at] = value;
            }
            let (checked, problems) = problems_of(values);
            let expected: Vec<(String, Severity)> =
                expected.iter().map(|(c, s)| (c.to_string(), *s)).collect();
            assert_eq!(problems, expected, "{changes:?}");
            assert_eq!(checked.is_some(), expected.is_empty(), "{changes:?}");
        }
        // The fingerprint follows the content, and only the content.
        let (again, _) = problems_of(good);
        assert_eq!(again.unwrap().fingerprint, checked.fingerprint);
        let mut edited = good;
        edited[7] = "预算全文（更正）";
        let (edited, _) = problems_of(edited);
        assert_ne!(edited.unwrap().fingerprint, checked.fingerprint);
        // Without an old index number, the title and day find the row again.
        let mut unnumbered = good;
        unnumbered[6] = "";
        let (unnumbered, _) = problems_of(unnumbered);
        assert_eq!(
            unnumbered.unwrap().key,
            "title:南村镇2025年部门预算:2025-03-10"
        );
    }
}
