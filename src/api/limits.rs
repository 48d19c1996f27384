//! Request limits. async-graphql enforces depth, complexity, directives and
//! recursion when asked to; aliases it does not count, so an extension does.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, Variables};

use crate::api::error::QUERY_TOO_COMPLEX;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5000;
pub const MAX_DIRECTIVES_PER_FIELD: usize = 4;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_ALIASES: usize = 30;

/// Refuses documents with more than `MAX_ALIASES` aliased fields, which
/// would otherwise let one request run the same costly field many times.
pub struct AliasLimit;

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AliasLimit)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AliasLimit {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if count_aliases(&document) > MAX_ALIASES {
            let mut error = ServerError::new(format!("查询中的别名不能超过{MAX_ALIASES}个"), None);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", QUERY_TOO_COMPLEX);
            return Err(error);
        }
        Ok(document)
    }
}

/// Aliases written in the document; fragments count once however often they
/// are spread (which also keeps cyclic fragments from looping here).
fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set.node)
                }
                Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| in_set(&op.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|f| in_set(&f.node.selection_set.node))
        .sum();
    operations + fragments
}
