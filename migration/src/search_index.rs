//! The search index's DDL, which more than a migration needs: the bulk
//! loader (the server's store::bulk) drops the triggers and indexes while
//! it loads rows in bulk, and replays these after. Each text is what its
//! migration ran and stays as it is once that migration has landed; a
//! change is a new constant used by a new migration, and the lists at the
//! end then name the newest.

/// Keeps SQLite's FTS5 index in step with the disclosure table, one
/// statement each (migration 8, m20261126_000008_create_disclosure).
pub const SQLITE_FTS_TRIGGERS: [(&str, &str); 3] = [
    (
        "disclosure_fts_insert",
        "CREATE TRIGGER disclosure_fts_insert AFTER INSERT ON disclosure BEGIN
            INSERT INTO disclosure_fts(rowid, title_terms, body_terms)
            VALUES (new.id, new.title_terms, new.body_terms);
        END",
    ),
    (
        "disclosure_fts_delete",
        "CREATE TRIGGER disclosure_fts_delete AFTER DELETE ON disclosure BEGIN
            INSERT INTO disclosure_fts(disclosure_fts, rowid, title_terms, body_terms)
            VALUES ('delete', old.id, old.title_terms, old.body_terms);
        END",
    ),
    (
        "disclosure_fts_update",
        "CREATE TRIGGER disclosure_fts_update AFTER UPDATE OF title_terms, body_terms ON disclosure BEGIN
            INSERT INTO disclosure_fts(disclosure_fts, rowid, title_terms, body_terms)
            VALUES ('delete', old.id, old.title_terms, old.body_terms);
            INSERT INTO disclosure_fts(rowid, title_terms, body_terms)
            VALUES (new.id, new.title_terms, new.body_terms);
        END",
    ),
];

/// PostgreSQL's full-text index over title and body (migration 8).
pub const POSTGRES_SEARCH_INDEX: (&str, &str) = (
    "idx_disclosure_search",
    "CREATE INDEX IF NOT EXISTS idx_disclosure_search ON disclosure USING GIN (search_vector)",
);

/// PostgreSQL's full-text index over titles alone (migration 12,
/// m20261127_000012_scale_indexes).
pub const POSTGRES_TITLE_SEARCH_INDEX: (&str, &str) = (
    "idx_disclosure_title_search",
    "CREATE INDEX IF NOT EXISTS idx_disclosure_title_search ON disclosure
     USING GIN (to_tsvector('simple', title_terms))",
);

/// SQLite's triggers as the migrations leave them: what the bulk loader replays.
pub const SQLITE_TRIGGERS: [(&str, &str); 3] = SQLITE_FTS_TRIGGERS;

/// PostgreSQL's search indexes as the migrations leave them: what the bulk
/// loader rebuilds.
pub const POSTGRES_INDEXES: [(&str, &str); 2] =
    [POSTGRES_SEARCH_INDEX, POSTGRES_TITLE_SEARCH_INDEX];
