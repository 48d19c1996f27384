//! Segmentation for Chinese full-text search.
//!
//! Chinese has no spaces between words and most words have two characters
//! (公开, 执法). Trigram indexes (FTS5 trigram, pg_trgm) cannot serve a
//! two-character query, and a dictionary segmenter misses words it does not
//! know (place names like 南村). So every run of CJK characters is indexed as
//! its overlapping bigrams (南村镇 → 南村 村镇) and a query must match all of
//! its own bigrams: any substring of two or more characters is found, from
//! an ordinary word index on both databases (FTS5 unicode61, PostgreSQL
//! 'simple' tsvector). Latin words and numbers are indexed whole, lowercased,
//! so 文号 such as 番府办〔2024〕12号 are found by 2024 or 12 as well.

/// CJK ideographs (the unified blocks and their extensions).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// The terms of `text`, in order, duplicates kept.
fn terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut cjk_run: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |run: &mut Vec<char>, terms: &mut Vec<String>| {
        match run.len() {
            0 => {}
            1 => terms.push(run[0].to_string()),
            _ => terms.extend(run.windows(2).map(|pair| pair.iter().collect())),
        }
        run.clear();
    };
    let flush_word = |word: &mut String, terms: &mut Vec<String>| {
        if !word.is_empty() {
            terms.push(std::mem::take(word));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut terms);
            cjk_run.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk_run, &mut terms);
            word.extend(c.to_lowercase());
        } else {
            flush_cjk(&mut cjk_run, &mut terms);
            flush_word(&mut word, &mut terms);
        }
    }
    flush_cjk(&mut cjk_run, &mut terms);
    flush_word(&mut word, &mut terms);
    terms
}

/// What the search index stores for `text`: its terms separated by spaces.
pub fn index_terms(text: &str) -> String {
    terms(text).join(" ")
}

/// The two indexed columns of a disclosure: its title's terms, and those of
/// its 文号 and body.
pub fn disclosure_terms(title: &str, doc_number: Option<&str>, body: &str) -> (String, String) {
    (
        index_terms(title),
        index_terms(&format!("{} {body}", doc_number.unwrap_or_default())),
    )
}

/// Whether the full-text index holds `term`: every bigram and word does; a
/// lone CJK character has no bigram of its own and is matched by substring.
pub fn is_indexed(term: &str) -> bool {
    term.chars().count() > 1 || term.is_ascii()
}

/// The distinct terms a query must all match; empty when it has nothing
/// searchable. Only letters, digits and ideographs survive, so no query
/// syntax of either database can pass through.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut distinct = Vec::new();
    for term in terms(query) {
        if !distinct.contains(&term) {
            distinct.push(term);
        }
    }
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexing() {
        let cases = [
            (
                "南村镇2022年法治政府建设年度报告",
                "南村 村镇 2022 年法 法治 治政 政府 府建 建设 设年 年度 度报 报告",
            ),
            ("番府办〔2024〕12号", "番府 府办 2024 12 号"),
            ("关于 GDPR 的说明", "关于 gdpr 的说 说明"),
            ("镇", "镇"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(index_terms(text), expected, "{text}");
        }
    }

    #[test]
    fn queries() {
        let cases: [(&str, &[&str]); 7] = [
            ("公开", &["公开"]),
            ("执法 公示", &["执法", "公示"]),
            ("南村镇", &["南村", "村镇"]),
            ("12号", &["12", "号"]),
            ("\"公开\" OR 1=1 --", &["公开", "or", "1"]),
            ("'; DROP TABLE", &["drop", "table"]),
            ("。，！", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(query_terms(query), expected, "{query}");
        }
    }

    #[test]
    fn every_substring_of_two_or_more_characters_matches() {
        let indexed = index_terms("关于开展2025年安全生产大检查的通知");
        let index: Vec<&str> = indexed.split(' ').collect();
        for query in ["安全", "安全生产", "生产大检", "通知", "2025", "开展2025年"] {
            // A lone ideograph (年 here) is matched by substring in the store.
            let indexed_terms = query_terms(query).into_iter().filter(|t| is_indexed(t));
            for term in indexed_terms {
                assert!(index.contains(&term.as_str()), "{query}: {term}");
            }
        }
        assert!(
            !query_terms("安检")
                .iter()
                .all(|t| index.contains(&t.as_str()))
        );
    }
}
