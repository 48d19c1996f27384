//! How far long work has come (imports, exports, bulk loads): the use case
//! counts rows, whoever runs it shows them — the command line as a bar or
//! a plain line every few seconds (`crate::progress`), a server not at all
//! (`Silent`).

pub trait Progress: Send + Sync {
    /// A stage of `rows` rows begins (`rows` 0: not known in advance).
    fn start(&self, stage: &str, rows: u64);
    /// `rows` more rows of the stage are done.
    fn advance(&self, rows: u64);
    /// The stage is over.
    fn finish(&self);
}

/// Progress nobody watches: requests of the API.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _stage: &str, _rows: u64) {}
    fn advance(&self, _rows: u64) {}
    fn finish(&self) {}
}
