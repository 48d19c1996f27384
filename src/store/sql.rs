//! The one placeholder convention of the store's own SQL text: write `?`
//! for each bound value, in order of appearance. PostgreSQL numbers its
//! placeholders (`$1`, `$2`, …) and reads `?` as a jsonb operator, which
//! sea-query leaves alone there, so the text is numbered for it here.

use sea_orm::sea_query::{Expr, SelectStatement, SimpleExpr};
use sea_orm::{DatabaseBackend, Statement, Value};

/// SQL text and the values it binds, in order, built piece by piece so
/// that a value is written where its placeholder is.
#[derive(Clone, Debug, Default)]
pub struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    pub fn text(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// A placeholder, and the value it binds.
    pub fn value(mut self, value: impl Into<Value>) -> Self {
        self.text.push('?');
        self.values.push(value.into());
        self
    }

    pub fn then(mut self, other: Sql) -> Self {
        self.text.push_str(&other.text);
        self.values.extend(other.values);
        self
    }

    pub fn statement(self, backend: DatabaseBackend) -> Statement {
        statement(backend, &self.text, self.values)
    }

    pub fn expr(self, backend: DatabaseBackend) -> SimpleExpr {
        expr(backend, &self.text, self.values)
    }
}

/// `sql` with its `?` placeholders as `backend` writes them.
pub(crate) fn numbered(backend: DatabaseBackend, sql: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push_str(&format!("${n}"));
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    }
}

/// A whole statement of our own.
pub(crate) fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, numbered(backend, sql), values)
}

/// A condition or value of our own inside a sea-query statement (which
/// renumbers `$n` into the statement's own order).
pub(crate) fn expr<V: Into<Value>>(
    backend: DatabaseBackend,
    sql: &str,
    values: impl IntoIterator<Item = V>,
) -> SimpleExpr {
    Expr::cust_with_values(numbered(backend, sql), values)
}

/// `query` as `backend` writes it, its LIMITs written as numbers rather
/// than bound. PostgreSQL plans a prepared statement again on every
/// execution unless the plan made without its values (the generic plan)
/// looks about as cheap as theirs, and it guesses a bound LIMIT at a tenth
/// of the rows: a listing's generic plan looked twice as dear as it is, and
/// each listing was planned anew on every request (0.25 ms of PostgreSQL's
/// time, a third of the listing's at 1M). A LIMIT is a number the store
/// chose, never input.
pub(crate) fn with_literal_limits(backend: DatabaseBackend, query: &SelectStatement) -> Statement {
    let statement = backend.build(query);
    let (DatabaseBackend::Postgres, Some(values)) = (backend, &statement.values) else {
        return statement;
    };
    let limit = |n: usize| match values.0.get(n.checked_sub(1)?) {
        Some(Value::BigUnsigned(Some(v))) => Some(*v as i128),
        Some(Value::BigInt(Some(v))) => Some(*v as i128),
        _ => None,
    };
    // Placeholders: (where `$` is, where its digits end, its number).
    let text = &statement.sql;
    let mut placeholders = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if let Ok(n) = text[i + 1..i + 1 + digits].parse::<usize>() {
                placeholders.push((i, i + 1 + digits, n));
            }
            i += 1 + digits;
        } else {
            i += 1;
        }
    }
    let inlined: Vec<usize> = placeholders
        .iter()
        .filter(|(at, _, n)| text[..*at].ends_with("LIMIT ") && limit(*n).is_some())
        .map(|(_, _, n)| *n)
        .collect();
    if inlined.is_empty() {
        return statement;
    }
    let mut sql = String::with_capacity(text.len());
    let mut written = 0;
    for (at, end, n) in placeholders {
        sql.push_str(&text[written..at]);
        match limit(n).filter(|_| inlined.contains(&n)) {
            Some(literal) => sql.push_str(&literal.to_string()),
            None => sql.push_str(&format!(
                "${}",
                n - inlined.iter().filter(|&&k| k < n).count()
            )),
        }
        written = end;
    }
    sql.push_str(&text[written..]);
    let values: Vec<Value> = values
        .0
        .iter()
        .enumerate()
        .filter(|(i, _)| !inlined.contains(&(i + 1)))
        .map(|(_, value)| value.clone())
        .collect();
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_their_placeholders() {
        let built = Sql::new("a = ")
            .value(1)
            .text(" AND ")
            .then(Sql::new("b = ").value(2))
            .statement(DatabaseBackend::Postgres);
        assert_eq!(built.sql, "a = $1 AND b = $2");
        assert_eq!(
            built.values.unwrap().0,
            vec![Value::from(1), Value::from(2)]
        );
    }

    #[test]
    fn placeholders_per_backend() {
        let pg = statement(
            DatabaseBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let sqlite = statement(
            DatabaseBackend::Sqlite,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(sqlite.sql, "a = ? AND b = ?");
        // Inside a larger statement, sea-query renumbers the expression's own.
        use sea_orm::ExprTrait;
        use sea_orm::sea_query::{PostgresQueryBuilder, Query, SqliteQueryBuilder};
        let query = Query::select()
            .expr(Expr::val(0))
            .and_where(Expr::val(1).eq(1))
            .and_where(expr(DatabaseBackend::Postgres, "f(?, ?)", [7, 8]))
            .to_owned();
        assert_eq!(
            query.build(PostgresQueryBuilder).0,
            "SELECT $1 WHERE $2 = $3 AND (f($4, $5))"
        );
        let query = Query::select()
            .expr(Expr::val(0))
            .and_where(expr(DatabaseBackend::Sqlite, "f(?, ?)", [7, 8]))
            .to_owned();
        assert_eq!(query.build(SqliteQueryBuilder).0, "SELECT ? WHERE f(?, ?)");
    }

    #[test]
    fn limits_are_written_as_numbers_for_postgres() {
        use sea_orm::ExprTrait;
        use sea_orm::sea_query::Query;
        let capped = Query::select()
            .expr(Expr::val(1))
            .and_where(Expr::col("a").eq("x"))
            .limit(10_001)
            .to_owned();
        let query = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(capped, "capped")
            .and_where(expr(DatabaseBackend::Postgres, "b = ?", ["$1 LIMIT 5"]))
            .limit(21)
            .to_owned();
        let pg = with_literal_limits(DatabaseBackend::Postgres, &query);
        assert_eq!(
            pg.sql,
            r#"SELECT COUNT(*) FROM (SELECT $1 WHERE "a" = $2 LIMIT 10001) AS "capped" WHERE b = $3 LIMIT 21"#
        );
        assert_eq!(
            pg.values.unwrap().0,
            vec![Value::from(1), Value::from("x"), Value::from("$1 LIMIT 5")]
        );
        let sqlite = with_literal_limits(DatabaseBackend::Sqlite, &query);
        assert_eq!(sqlite, DatabaseBackend::Sqlite.build(&query));
    }
}
