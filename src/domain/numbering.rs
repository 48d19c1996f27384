//! Tracking numbers and index numbers: `{org}-{year}-{seq}` and
//! `{org}/{year}-{seq}`, the sequence gapless per organisation and year.

/// 索引号, assigned at first publication: e.g. PYNC/2026-00012.
pub fn index_no(org_code: &str, year: i32, sequence: i32) -> String {
    format!("{org_code}/{year}-{sequence:05}")
}

/// The counter behind index numbers of one organisation and year.
pub fn index_no_scope(organization_id: i64, year: i32) -> String {
    format!("index:{organization_id}:{year}")
}

/// Tracking number of an application: e.g. PYNC-2026-00012.
pub fn tracking_no(org_code: &str, year: i32, sequence: i32) -> String {
    format!("{org_code}-{year}-{sequence:05}")
}

/// The counter behind tracking numbers of one organisation and year.
pub fn tracking_no_scope(organization_id: i64, year: i32) -> String {
    format!("tracking:{organization_id}:{year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(index_no("PYNC", 2026, 12), "PYNC/2026-00012");
        assert_eq!(index_no("PY", 2027, 1), "PY/2027-00001");
        assert_eq!(index_no_scope(5, 2026), "index:5:2026");
        assert_eq!(tracking_no("PYNC", 2026, 12), "PYNC-2026-00012");
        assert_ne!(tracking_no_scope(5, 2026), index_no_scope(5, 2026));
    }
}
