//! Request limits. Depth and complexity are async-graphql's own checks,
//! set on the schema (so subscriptions over WebSocket are held to them
//! too); aliases and directives per field are counted here on the parsed
//! document, before the schema sees it (`api::prepare`). async-graphql
//! reports its checks as bare English messages with no code, so
//! `http::graphql` recognises those texts, pinned by the `limits` tests.

use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::api::error::{QUERY_TOO_COMPLEX, request_error};

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5000;
pub const MAX_DIRECTIVES_PER_FIELD: usize = 4;
pub const MAX_RECURSIVE_DEPTH: usize = 32;
pub const MAX_ALIASES: usize = 30;

/// The message of every refusal for size, whichever limit it was.
pub const TOO_COMPLEX_MESSAGE: &str = "查询过于复杂或嵌套过深";

/// Refuses documents over the alias or directive limits. Aliases are
/// limited because they would let one request run the same costly field
/// many times.
pub fn check_written(document: &ExecutableDocument) -> Result<(), ServerError> {
    let written = Written::of(document);
    if written.aliases > MAX_ALIASES {
        return Err(request_error(
            QUERY_TOO_COMPLEX,
            &format!("查询中的别名不能超过{MAX_ALIASES}个"),
        ));
    }
    if written.most_directives > MAX_DIRECTIVES_PER_FIELD {
        return Err(request_error(
            QUERY_TOO_COMPLEX,
            &format!("每个字段的指令不能超过{MAX_DIRECTIVES_PER_FIELD}个"),
        ));
    }
    Ok(())
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
