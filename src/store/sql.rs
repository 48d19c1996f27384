//! The one placeholder convention of the store's own SQL text: write `?`
//! for each bound value, in order of appearance. PostgreSQL numbers its
//! placeholders (`$1`, `$2`, …) and reads `?` as a jsonb operator, which
//! sea-query leaves alone there, so the text is numbered for it here.

use sea_orm::sea_query::{Expr, SimpleExpr};
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
}
