//! What the HTTP layer learns about a request from inside the executor:
//! whether execution began (everything before it, a parse, validation or
//! variable-coercion failure, is a request error that the
//! `application/graphql-response+json` media type answers with 400 and no
//! `data`), and the name of the operation that ran (for logs and metrics).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};

/// Handed in with each request's data; filled while it runs.
#[derive(Default, Debug)]
pub struct Observed {
    executed: AtomicBool,
    operation: OnceLock<String>,
}

impl Observed {
    pub fn executed(&self) -> bool {
        self.executed.load(Ordering::Relaxed)
    }

    /// The operation's name when the document named it (an anonymous
    /// operation has none).
    pub fn operation(&self) -> Option<&str> {
        self.operation.get().map(String::as_str)
    }
}

pub struct Observe;

impl ExtensionFactory for Observe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Observe)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Observe {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(observed) = ctx.data_opt::<Arc<Observed>>() {
            observed.executed.store(true, Ordering::Relaxed);
            if let Some(name) = operation_name {
                let _ = observed.operation.set(name.to_owned());
            }
        }
        next.run(ctx, operation_name).await
    }
}
