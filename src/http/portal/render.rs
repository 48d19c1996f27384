//! The portal's templates (embedded in the binary, escaped by minijinja by
//! their extension: HTML and XML) and the filters they use.

use std::sync::LazyLock;

use minijinja::{Environment, Value, context};
use serde::Serialize;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let pages = [
        ("base.html", include_str!("../../../templates/base.html")),
        ("home.html", include_str!("../../../templates/home.html")),
        ("item.html", include_str!("../../../templates/item.html")),
        ("apply.html", include_str!("../../../templates/apply.html")),
        (
            "applied.html",
            include_str!("../../../templates/applied.html"),
        ),
        ("track.html", include_str!("../../../templates/track.html")),
        (
            "annual_reports.html",
            include_str!("../../../templates/annual_reports.html"),
        ),
        ("guide.html", include_str!("../../../templates/guide.html")),
        (
            "message.html",
            include_str!("../../../templates/message.html"),
        ),
        ("feed.xml", include_str!("../../../templates/feed.xml")),
        (
            "sitemap.xml",
            include_str!("../../../templates/sitemap.xml"),
        ),
    ];
    for (name, source) in pages {
        env.add_template(name, source)
            .expect("the portal's templates parse");
    }
    env.add_filter("segments", segments);
    env.add_filter("paragraphs", paragraphs);
    env.add_filter("markdown", markdown);
    env.add_filter("filesize", filesize);
    env.add_filter("day", day);
    env
});

/// Renders `name` with `ctx`.
pub fn page(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    TEMPLATES.get_template(name)?.render(ctx)
}

/// Renders `name` with a serialisable context plus the page's CSRF token.
pub fn page_with<S: Serialize>(
    name: &str,
    data: S,
    csrf: &str,
) -> Result<String, minijinja::Error> {
    page(
        name,
        context! { csrf => csrf, ..Value::from_serialize(data) },
    )
}

#[derive(Serialize)]
struct Segment {
    text: String,
    hit: bool,
}

/// `text` cut into runs that match one of the search's words (case-folded)
/// and runs that don't, for the template to mark the former.
fn segments(text: String, search: Option<String>) -> Value {
    Value::from_serialize(highlight(&text, search.as_deref().unwrap_or_default()))
}

fn highlight(text: &str, search: &str) -> Vec<Segment> {
    let words: Vec<String> = search
        .split_whitespace()
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let mut hit = vec![false; chars.len()];
    for word in &words {
        let word: Vec<char> = word.chars().collect();
        if word.len() > lower.len() {
            continue;
        }
        for start in 0..=lower.len() - word.len() {
            if lower[start..start + word.len()] == word[..] {
                hit[start..start + word.len()].fill(true);
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for (c, h) in chars.into_iter().zip(hit) {
        match out.last_mut() {
            Some(last) if last.hit == h => last.text.push(c),
            _ => out.push(Segment {
                text: c.to_string(),
                hit: h,
            }),
        }
    }
    out
}

/// The body's paragraphs (blank lines and line breaks both separate).
fn paragraphs(text: String) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An annual report's Markdown (tables included) as HTML. Any raw HTML in
/// it is shown as text, never passed through.
fn markdown(text: String) -> Value {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(&text, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    Value::from_safe_string(out)
}

/// A byte count as people read it (1.2 MB).
fn filesize(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// The China date of an RFC 3339 instant (or a date as it is).
fn day(value: Option<String>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    match chrono::DateTime::parse_from_rfc3339(&value) {
        Ok(at) => crate::domain::calendar::china_date(at.to_utc())
            .format("%Y-%m-%d")
            .to_string(),
        Err(_) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, search: &str) -> String {
        highlight(text, search)
            .into_iter()
            .map(|s| {
                if s.hit {
                    format!("[{}]", s.text)
                } else {
                    s.text
                }
            })
            .collect()
    }

    #[test]
    fn search_words_are_marked() {
        let cases = [
            ("安全生产检查通知", "安全", "[安全]生产检查通知"),
            ("安全生产检查通知", "检查 安全", "[安全]生产[检查]通知"),
            ("Safety First", "safety", "[Safety] First"),
            ("无关标题", "安全", "无关标题"),
            ("安全", "", "安全"),
            ("生产安全安全", "安全", "生产[安全安全]"),
        ];
        for (text, search, expected) in cases {
            assert_eq!(marked(text, search), expected, "{text} / {search}");
        }
    }

    #[test]
    fn raw_html_in_markdown_is_text() {
        let out = markdown("| a | b |\n|---|---|\n| <script>x</script> | 2 |".to_owned());
        let out = out.as_str().unwrap();
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(!out.contains("<script>"), "{out}");
    }

    #[test]
    fn every_template_parses() {
        assert!(TEMPLATES.templates().count() >= 11);
    }

    #[test]
    fn sizes() {
        assert_eq!(filesize(512), "512 B");
        assert_eq!(filesize(2048), "2.0 KB");
        assert_eq!(filesize(3 * 1024 * 1024 + 100), "3.0 MB");
    }
}
