/// schema.graphql is what `gongkai export-schema` prints. Run with
/// UPDATE_SCHEMA=1 to rewrite it on purpose.
#[test]
fn schema_graphql_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let built = gongkai::api::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &built).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == built,
        "schema.graphql is stale: run `UPDATE_SCHEMA=1 cargo test --test api schema` and commit it"
    );
}
