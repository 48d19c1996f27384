//! What differs between SQLite and PostgreSQL in searching disclosures:
//! the full-text index and its query syntax, the substring function, and
//! how to keep the planner off the listing index. Terms are quoted here,
//! so that no term can act as query syntax of either database.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{Condition, ConnectionTrait, DatabaseBackend};

use crate::store::sql;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    /// FTS5 table disclosure_fts over title_terms and body_terms.
    Sqlite,
    /// GIN-indexed tsvectors: search_vector (title and body), and the
    /// title's own (idx_disclosure_title_search).
    Postgres,
}

/// The title's terms as PostgreSQL indexes them on their own.
const TITLE_VECTOR: &str = "to_tsvector('simple', disclosure.title_terms)";

/// The words a full-text match looks up, as the planner estimates them.
const TS_QUERY: &str = "to_tsquery('simple', ?)";

/// The words hidden from the planner behind a subquery it runs first: for
/// a capped count, whose plan is the same whatever the words (the index
/// lists their matches), so that the plan made without them costs what
/// one made with them does and PostgreSQL keeps it. Shown, they had the
/// statement that chooses a search's plan planned anew on every request
/// (1M items: 0.3–0.6 ms of planning, against 0.04 ms once kept).
const UNESTIMATED_TS_QUERY: &str = "(SELECT to_tsquery('simple', ?))";

impl Dialect {
    pub(super) fn of(db: &impl ConnectionTrait) -> Dialect {
        match db.get_database_backend() {
            DatabaseBackend::Postgres => Dialect::Postgres,
            _ => Dialect::Sqlite,
        }
    }

    fn backend(self) -> DatabaseBackend {
        match self {
            Dialect::Sqlite => DatabaseBackend::Sqlite,
            Dialect::Postgres => DatabaseBackend::Postgres,
        }
    }

    /// Every term is in the item (its title alone when `title_only`), as
    /// the full-text index lists the matches; the words are shown to the
    /// planner when `estimated`.
    pub(super) fn index_match(
        self,
        terms: &[&String],
        title_only: bool,
        estimated: bool,
    ) -> SimpleExpr {
        match self {
            Dialect::Postgres => {
                let vector = if title_only {
                    TITLE_VECTOR
                } else {
                    "search_vector"
                };
                let words = if estimated {
                    TS_QUERY
                } else {
                    UNESTIMATED_TS_QUERY
                };
                sql::expr(
                    self.backend(),
                    &format!("{vector} @@ {words}"),
                    [ts_terms(terms.iter().copied(), " & ")],
                )
            }
            Dialect::Sqlite => sql::expr(
                self.backend(),
                "disclosure.id IN (SELECT rowid FROM disclosure_fts WHERE disclosure_fts MATCH ?)",
                [fts_query(terms, title_only)],
            ),
        }
    }

    /// Every term is in the item, tested on the row where it lies along
    /// the listing index, in the stored terms of its title and body. Not
    /// PostgreSQL's tsvector, although the row holds it: at 1.8 kB a row it
    /// is mostly TOASTed, and reading it from each row cost a word's page
    /// about twice what the terms do (1M items, 12 words: 0.4–5.1 ms against
    /// 0.2–2.2 ms).
    pub(super) fn in_place_match(self, terms: &[&String], title_only: bool) -> SimpleExpr {
        if title_only {
            self.all_terms_in(terms, &["title_terms"])
        } else {
            self.all_terms_in(terms, &["title_terms", "body_terms"])
        }
    }

    /// Every term is one of the space-separated terms stored in one of
    /// `columns`. A substring position rather than LIKE: the planner
    /// guesses LIKE '%…%' to match almost nothing and would sort the whole
    /// table rather than walk the listing index, which is what this test is
    /// for.
    fn all_terms_in(self, terms: &[&String], columns: &[&str]) -> SimpleExpr {
        let position = match self {
            Dialect::Postgres => "strpos",
            Dialect::Sqlite => "instr",
        };
        let mut all = Condition::all();
        for term in terms {
            let mut any = Condition::any();
            for column in columns {
                any = any.add(sql::expr(
                    self.backend(),
                    &format!("{position}(' ' || disclosure.{column} || ' ', ?) > 0"),
                    [format!(" {term} ")],
                ));
            }
            all = all.add(any);
        }
        all.into()
    }

    /// The listing time in a form no index provides, so that the database
    /// collects the matches and sorts them instead of walking the listing
    /// index.
    pub(super) fn unindexed_listed_at(self) -> SimpleExpr {
        match self {
            Dialect::Postgres => Expr::cust("(disclosure.listed_at + INTERVAL '0 seconds')"),
            Dialect::Sqlite => Expr::cust("+disclosure.listed_at"),
        }
    }

    /// How many items (of any status) hold every term in their title,
    /// counted no further than `limit`, from the title's own index: a
    /// scalar subquery.
    pub(super) fn title_match_count(self, terms: &[&String], limit: u64) -> SimpleExpr {
        let limit = limit as i64;
        match self {
            Dialect::Postgres => sql::expr(
                self.backend(),
                &format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 FROM disclosure
                     WHERE {TITLE_VECTOR} @@ {UNESTIMATED_TS_QUERY} LIMIT ?) AS capped)"
                ),
                [
                    sea_orm::Value::from(ts_terms(terms.iter().copied(), " & ")),
                    limit.into(),
                ],
            ),
            Dialect::Sqlite => sql::expr(
                self.backend(),
                "(SELECT COUNT(*) FROM (SELECT rowid FROM disclosure_fts
                 WHERE disclosure_fts MATCH ? LIMIT ?))",
                [sea_orm::Value::from(fts_query(terms, true)), limit.into()],
            ),
        }
    }
}

/// `terms` as tsquery lexemes joined by an operator: each quoted, quotes
/// doubled and backslashes (tsquery's escape) dropped, so operators, `:*`
/// and parentheses stay literal. Empty terms are left out.
pub(super) fn ts_terms<'a>(terms: impl Iterator<Item = &'a String>, operator: &str) -> String {
    terms
        .filter(|t| !t.is_empty())
        .map(|t| format!("'{}'", t.replace('\\', "").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(operator)
}

/// `terms` as FTS5 strings (quotes doubled, so NEAR, AND, `*`, `:` and `^`
/// are words like any other), joined by `operator` (" " for all of them).
/// Empty terms are left out.
pub(super) fn fts_terms<'a>(terms: impl Iterator<Item = &'a String>, operator: &str) -> String {
    terms
        .filter(|t| !t.is_empty())
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(operator)
}

/// An FTS5 query for all `terms`, in the title column alone when `title_only`.
pub(super) fn fts_query(terms: &[&String], title_only: bool) -> String {
    let phrases = fts_terms(terms.iter().copied(), " ");
    if title_only {
        format!("title_terms : ({phrases})")
    } else {
        phrases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(terms: &[&str]) -> Vec<String> {
        terms.iter().map(|t| t.to_string()).collect()
    }

    /// (terms, tsquery, FTS5 query): hostile input stays inside its quotes.
    const CASES: [(&[&str], &str, &str); 9] = [
        (&["公开", "预算"], "'公开' & '预算'", "\"公开\" \"预算\""),
        (&["it's"], "'it''s'", "\"it's\""),
        (&["say \"hi\""], "'say \"hi\"'", "\"say \"\"hi\"\"\""),
        (&["a & b | !c"], "'a & b | !c'", "\"a & b | !c\""),
        (&["x:*", "(y)"], "'x:*' & '(y)'", "\"x:*\" \"(y)\""),
        (
            &["NEAR", "a NEAR/2 b"],
            "'NEAR' & 'a NEAR/2 b'",
            "\"NEAR\" \"a NEAR/2 b\"",
        ),
        (&["*", "^a"], "'*' & '^a'", "\"*\" \"^a\""),
        (
            &["back\\slash", "\\'"],
            "'backslash' & ''''",
            "\"back\\slash\" \"\\'\"",
        ),
        (&["", "a", ""], "'a'", "\"a\""),
    ];

    #[test]
    fn terms_are_quoted_for_each_database() {
        for (terms, tsquery, fts) in CASES {
            let terms = owned(terms);
            let refs: Vec<&String> = terms.iter().collect();
            assert_eq!(ts_terms(terms.iter(), " & "), tsquery, "{terms:?}");
            assert_eq!(fts_query(&refs, false), fts, "{terms:?}");
        }
        assert_eq!(ts_terms(owned(&[]).iter(), " & "), "");
        assert_eq!(fts_query(&[], false), "");
        let title = owned(&["a\"b"]);
        assert_eq!(
            fts_query(&title.iter().collect::<Vec<_>>(), true),
            "title_terms : (\"a\"\"b\")"
        );
        assert_eq!(
            fts_terms(owned(&["a", "b"]).iter(), " OR "),
            "\"a\" OR \"b\""
        );
    }

    /// SQLite runs each quoted query as plain words: no syntax error, and
    /// only the row holding the words matches.
    #[tokio::test]
    async fn fts5_reads_hostile_terms_as_words() {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared(
            "CREATE VIRTUAL TABLE t USING fts5(title_terms, body_terms);
             INSERT INTO t VALUES ('near a b', 'x y'), ('it s say hi', 'back slash');",
        )
        .await
        .unwrap();
        for (terms, _, _) in CASES {
            let terms = owned(terms);
            let refs: Vec<&String> = terms.iter().collect();
            for title_only in [false, true] {
                let statement = Statement::from_sql_and_values(
                    DatabaseBackend::Sqlite,
                    "SELECT COUNT(*) AS n FROM t WHERE t MATCH ?",
                    [fts_query(&refs, title_only).into()],
                );
                let row = db.query_one_raw(statement).await;
                assert!(row.is_ok(), "{terms:?}: {row:?}");
            }
        }
        let near = owned(&["NEAR", "a"]);
        let statement = Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "SELECT COUNT(*) AS n FROM t WHERE t MATCH ?",
            [fts_query(&near.iter().collect::<Vec<_>>(), true).into()],
        );
        let row = db.query_one_raw(statement).await.unwrap().unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    }
}
