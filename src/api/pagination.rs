//! Relay connections: `first` (default 20, at most 100); the cursors are
//! the service's (`service::cursor`).

use async_graphql::SimpleObject;

use crate::error::{AppError, AppResult};

pub const DEFAULT_PAGE_SIZE: i32 = 20;
pub const MAX_PAGE_SIZE: i32 = 100;

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// The page size asked for, checked.
pub fn page_size(first: Option<i32>) -> AppResult<u64> {
    match first.unwrap_or(DEFAULT_PAGE_SIZE) {
        n @ 0..=MAX_PAGE_SIZE => Ok(n as u64),
        _ => Err(AppError::bad_input(
            "first",
            format!("每页条数应在0到{MAX_PAGE_SIZE}之间"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes() {
        let cases = [
            (None, Some(20)),
            (Some(0), Some(0)),
            (Some(100), Some(100)),
            (Some(101), None),
            (Some(-1), None),
        ];
        for (first, expected) in cases {
            assert_eq!(page_size(first).ok(), expected, "{first:?}");
        }
    }
}
