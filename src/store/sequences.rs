use entity::number_sequence::{ActiveModel, Column, Entity};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, Set};

use crate::error::{AppError, AppResult};

/// Moves the counter of `scope` to at least `value`, inside the caller's
/// transaction: numbers of the counter's shape that came from elsewhere
/// (an imported catalogue's old 索引号) are never handed out again.
pub async fn raise_to(txn: &DatabaseTransaction, scope: &str, value: i32) -> AppResult<()> {
    Entity::insert(ActiveModel {
        scope: Set(scope.to_owned()),
        last_value: Set(0),
    })
    .on_conflict_do_nothing()
    .exec(txn)
    .await?;
    let raise = Query::update()
        .table(Entity)
        .value(Column::LastValue, value)
        .and_where(Expr::col(Column::Scope).eq(scope))
        .and_where(Expr::col(Column::LastValue).lt(value))
        .to_owned();
    txn.execute(&raise).await?;
    Ok(())
}

/// The next number of `scope`, taken inside the caller's transaction: the
/// UPDATE locks the counter row until that transaction ends, so concurrent
/// callers queue, and a rollback gives the number back (gapless).
pub async fn next(txn: &DatabaseTransaction, scope: &str) -> AppResult<i32> {
    Entity::insert(ActiveModel {
        scope: Set(scope.to_owned()),
        last_value: Set(0),
    })
    .on_conflict_do_nothing()
    .exec(txn)
    .await?;
    let advance = Query::update()
        .table(Entity)
        .value(Column::LastValue, Expr::col(Column::LastValue).add(1))
        .and_where(Expr::col(Column::Scope).eq(scope))
        .returning_col(Column::LastValue)
        .to_owned();
    let row = txn
        .query_one(&advance)
        .await?
        .ok_or_else(|| AppError::internal(format!("sequence {scope} vanished")))?;
    Ok(row.try_get::<i32>("", "last_value")?)
}
