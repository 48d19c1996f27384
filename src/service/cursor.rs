//! Cursors are opaque to clients: a listing's position in its order,
//! encoded here so that neither GraphQL nor the client sees the store's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate};

use crate::error::{AppError, AppResult};
use crate::store::applications::ApplicationCursor;
use crate::store::disclosures::ListCursor;

fn invalid() -> AppError {
    AppError::bad_input("after", "分页游标无效")
}

fn decoded(cursor: &str) -> AppResult<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    String::from_utf8(raw).map_err(|_| invalid())
}

pub(crate) fn encode_disclosure(cursor: &ListCursor) -> String {
    let raw = format!(
        "{}:{}:{}",
        u8::from(cursor.title_hit),
        cursor.listed_at.timestamp_micros(),
        cursor.id
    );
    URL_SAFE_NO_PAD.encode(raw)
}

pub(crate) fn decode_disclosure(cursor: &str) -> AppResult<ListCursor> {
    let raw = decoded(cursor)?;
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

/// `date:id`, or `date:id:1` / `date:id:0` when running applications come
/// first (whether the clock of the last one ran), so that cursors issued
/// before that order existed still read.
pub(crate) fn encode_application(cursor: &ApplicationCursor) -> String {
    let raw = match cursor.running {
        None => format!("{}:{}", cursor.date, cursor.id),
        Some(running) => format!("{}:{}:{}", cursor.date, cursor.id, u8::from(running)),
    };
    URL_SAFE_NO_PAD.encode(raw)
}

pub(crate) fn decode_application(cursor: &str) -> AppResult<ApplicationCursor> {
    let raw = decoded(cursor)?;
    let mut parts = raw.split(':');
    let (Some(date), Some(id), running, None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    Ok(ApplicationCursor {
        running: match running {
            None => None,
            Some("1") => Some(true),
            Some("0") => Some(false),
            Some(_) => return Err(invalid()),
        },
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
        assert_eq!(
            decode_disclosure(&encode_disclosure(&cursor)).unwrap(),
            cursor
        );
        for bad in [
            "",
            "not base64!",
            &URL_SAFE_NO_PAD.encode("1:2"),
            &URL_SAFE_NO_PAD.encode("1:x:3"),
        ] {
            assert!(decode_disclosure(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn application_cursors_round_trip() {
        for running in [None, Some(true), Some(false)] {
            let cursor = ApplicationCursor {
                running,
                date: NaiveDate::from_ymd_opt(2026, 3, 19).unwrap(),
                id: 7,
            };
            assert_eq!(
                decode_application(&encode_application(&cursor)).unwrap(),
                cursor
            );
        }
        assert_eq!(
            decode_application(&URL_SAFE_NO_PAD.encode("2026-03-19:7"))
                .unwrap()
                .running,
            None,
            "a cursor issued before the running-first order"
        );
        assert!(decode_application(&URL_SAFE_NO_PAD.encode("2026-03-19:7:2")).is_err());
        assert!(
            decode_application(&encode_disclosure(&ListCursor {
                title_hit: false,
                listed_at: DateTime::UNIX_EPOCH,
                id: 1
            }))
            .is_err()
        );
    }
}
