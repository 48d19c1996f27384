//! Relay connections: `first` (default 20, at most 100) and opaque cursors.

use async_graphql::SimpleObject;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;

use crate::error::{AppError, AppResult};
use chrono::NaiveDate;

use crate::store::applications::ApplicationCursor;
use crate::store::disclosures::ListCursor;

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

/// Cursors are opaque to clients: the position in the listing's order.
pub fn encode_cursor(cursor: &ListCursor) -> String {
    let raw = format!(
        "{}:{}:{}",
        u8::from(cursor.title_hit),
        cursor.listed_at.timestamp_micros(),
        cursor.id
    );
    URL_SAFE_NO_PAD.encode(raw)
}

pub fn decode_cursor(cursor: &str) -> AppResult<ListCursor> {
    let invalid = || AppError::bad_input("after", "分页游标无效");
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let raw = String::from_utf8(raw).map_err(|_| invalid())?;
    let mut parts = raw.split(':');
    let (Some(hit), Some(micros), Some(id), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    Ok(ListCursor {
        title_hit: hit == "1",
        listed_at: micros
            .parse()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(invalid)?,
        id: id.parse().map_err(|_| invalid())?,
    })
}

pub fn encode_application_cursor(cursor: &ApplicationCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", cursor.date, cursor.id))
}

pub fn decode_application_cursor(cursor: &str) -> AppResult<ApplicationCursor> {
    let invalid = || AppError::bad_input("after", "分页游标无效");
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let raw = String::from_utf8(raw).map_err(|_| invalid())?;
    let (date, id) = raw.split_once(':').ok_or_else(invalid)?;
    Ok(ApplicationCursor {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| invalid())?,
        id: id.parse().map_err(|_| invalid())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let cursor = ListCursor {
            title_hit: true,
            listed_at: DateTime::from_timestamp_micros(1_795_729_983_123_456).unwrap(),
            id: 42,
        };
        assert_eq!(decode_cursor(&encode_cursor(&cursor)).unwrap(), cursor);
        for bad in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("1:2"),
            &URL_SAFE_NO_PAD.encode("1:x:3"),
        ] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn application_cursors_round_trip() {
        let cursor = ApplicationCursor {
            date: NaiveDate::from_ymd_opt(2026, 3, 19).unwrap(),
            id: 7,
        };
        assert_eq!(
            decode_application_cursor(&encode_application_cursor(&cursor)).unwrap(),
            cursor
        );
        assert!(
            decode_application_cursor(&encode_cursor(&ListCursor {
                title_hit: false,
                listed_at: DateTime::UNIX_EPOCH,
                id: 1
            }))
            .is_err()
        );
    }

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
