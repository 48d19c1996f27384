//! Readies a request for the schema: the persisted query resolved, the
//! document parsed once and held to the written limits, the operation's
//! name known. Done here, before `Schema::execute`, rather than in
//! async-graphql extensions: with any extension installed the executor
//! wraps every field's resolution in the extension chain, and the three
//! extensions this replaced cost 11% of the CPU of a catalogue listing
//! (BENCHMARKS.md, "Beside PostGraphile").

use async_graphql::extensions::apollo_persisted_queries::CacheStorage;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Request, ServerError, Value};
use sha2::{Digest, Sha256};

use crate::api::error::{BAD_USER_INPUT, request_error};
use crate::api::limits;

/// A persisted query's hash the server does not (or no longer) hold;
/// Apollo's link resends the text on this code.
pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

/// A request whose document is parsed and within the limits.
pub struct Prepared {
    pub request: Request,
    /// The name of the operation it runs, when the document names it.
    pub operation_name: Option<String>,
    /// Whether every operation in the document is a query (all a GET may run).
    pub only_queries: bool,
}

/// Everything that can refuse a request before it runs, apart from the
/// schema's validation: each error here is a request error.
pub async fn prepare(
    mut request: Request,
    persisted: &impl CacheStorage,
) -> Result<Prepared, ServerError> {
    resolve_persisted(&mut request, persisted).await?;
    let named = request.operation_name.clone();
    let document = request.parsed_query()?;
    limits::check_written(document)?;
    let operation_name = named.or_else(|| match &document.operations {
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            operations.keys().next().map(ToString::to_string)
        }
        _ => None,
    });
    let only_queries = document
        .operations
        .iter()
        .all(|(_, operation)| operation.node.ty == OperationType::Query);
    Ok(Prepared {
        request,
        operation_name,
        only_queries,
    })
}

/// Apollo's automatic persisted queries: a request carrying
/// `extensions.persistedQuery` with only the hash runs the document cached
/// under it; with the text too, the text is checked against the hash and
/// cached.
async fn resolve_persisted(
    request: &mut Request,
    persisted: &impl CacheStorage,
) -> Result<(), ServerError> {
    let Some(extension) = request.extensions.remove("persistedQuery") else {
        return Ok(());
    };
    let Some(hash) = version_one_hash(&extension) else {
        return Err(request_error(
            BAD_USER_INPUT,
            "持久化查询的参数不合法，仅支持第1版",
        ));
    };
    if request.query.is_empty() {
        let Some(document) = persisted.get(hash).await else {
            return Err(request_error(
                PERSISTED_QUERY_NOT_FOUND,
                "未找到持久化查询，请连同查询语句重新发送",
            ));
        };
        request.set_parsed_query(document);
        return Ok(());
    }
    if format!("{:x}", Sha256::digest(request.query.as_bytes())) != hash {
        return Err(request_error(
            BAD_USER_INPUT,
            "持久化查询的哈希与查询语句不符",
        ));
    }
    let document = request.parsed_query()?.clone();
    persisted.set(hash, document).await;
    Ok(())
}

/// `sha256Hash` of a `{ version: 1, sha256Hash }` extension.
fn version_one_hash(extension: &Value) -> Option<String> {
    let Value::Object(fields) = extension else {
        return None;
    };
    match (fields.get("version")?, fields.get("sha256Hash")?) {
        (Value::Number(version), Value::String(hash)) if version.as_i64() == Some(1) => {
            Some(hash.clone())
        }
        _ => None,
    }
}
