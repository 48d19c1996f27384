//! Request limits, checked by an extension that answers QUERY_TOO_COMPLEX
//! itself. async-graphql could enforce depth, complexity and directives too,
//! but reports them as bare English messages a caller could only recognise
//! by their text; here they are numbers compared with the limits. Only the
//! recursion limit stays async-graphql's (it guards its own recursive walks
//! before any extension sees the document), and `http::graphql` recognises
//! that one message, pinned by a test.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use crate::api::error::QUERY_TOO_COMPLEX;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5000;
pub const MAX_DIRECTIVES_PER_FIELD: usize = 4;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_ALIASES: usize = 30;

/// Refuses documents over the depth, complexity, alias or directive limits.
/// Aliases are limited because they would let one request run the same
/// costly field many times.
pub struct Limits;

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Limits)
    }
}

fn too_complex(message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", QUERY_TOO_COMPLEX);
    error
}

#[async_graphql::async_trait::async_trait]
impl Extension for Limits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let written = Written::of(&document);
        if written.aliases > MAX_ALIASES {
            return Err(too_complex(format!("查询中的别名不能超过{MAX_ALIASES}个")));
        }
        if written.most_directives > MAX_DIRECTIVES_PER_FIELD {
            return Err(too_complex(format!(
                "每个字段的指令不能超过{MAX_DIRECTIVES_PER_FIELD}个"
            )));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > MAX_DEPTH || result.complexity > MAX_COMPLEXITY {
            return Err(vec![too_complex("查询过于复杂或嵌套过深".to_owned())]);
        }
        Ok(result)
    }
}

/// What the document spells out: its aliases, and the most directives on
/// one field. Fragments count once however often they are spread (which
/// also keeps cyclic fragments from looping here).
#[derive(Debug, Default, PartialEq, Eq)]
struct Written {
    aliases: usize,
    most_directives: usize,
}

impl Written {
    fn of(document: &ExecutableDocument) -> Self {
        let mut written = Written::default();
        for (_, operation) in document.operations.iter() {
            written.add(&operation.node.selection_set.node);
        }
        for fragment in document.fragments.values() {
            written.add(&fragment.node.selection_set.node);
        }
        written
    }

    fn add(&mut self, set: &SelectionSet) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    self.aliases += usize::from(field.node.alias.is_some());
                    self.most_directives = self.most_directives.max(field.node.directives.len());
                    self.add(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => self.add(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_directives_are_counted_as_written() {
        let cases = [
            (
                "{ a: organizations { code } b: organizations { c: code } }",
                (3, 0),
            ),
            (
                "{ organizations @include(if: true) @skip(if: false) { code @skip(if: false) } }",
                (0, 2),
            ),
            (
                "query { ...F ...F } fragment F on Query { x: organizations { ... on Organization { y: code @include(if: true) } } }",
                (2, 1),
            ),
        ];
        for (query, (aliases, most_directives)) in cases {
            let document = async_graphql::parser::parse_query(query).unwrap();
            assert_eq!(
                Written::of(&document),
                Written {
                    aliases,
                    most_directives
                },
                "{query}"
            );
        }
    }
}
