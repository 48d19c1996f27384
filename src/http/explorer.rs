//! The GraphQL explorer: GraphiQL (a pinned release, vendored under
//! static/explorer with its licences) embedded in the binary and served
//! under /explorer, so it works on an intranet with no internet. Its CSP
//! lets the page reach nothing but this server.

use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{IntoResponse, Response, handler};

/// Only the server itself. GraphiQL's editor sets styles at run time
/// (style attributes), so styles may be inline; scripts may not.
pub const EXPLORER_CSP: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// (name, content type, bytes) of every asset the page loads.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/explorer/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/explorer/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/explorer/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/explorer/react-dom.production.min.js"),
    ),
    (
        "explorer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/explorer/explorer.js"),
    ),
    (
        "explorer.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/explorer/explorer.css"),
    ),
];

#[handler]
pub fn page() -> Response {
    include_str!("../../static/explorer/index.html")
        .with_content_type("text/html; charset=utf-8")
        .with_header(header::CONTENT_SECURITY_POLICY, EXPLORER_CSP)
        .into_response()
}

#[handler]
pub fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => bytes
            .to_vec()
            .with_content_type(*content_type)
            .with_header(header::CACHE_CONTROL, "public, max-age=86400")
            .with_header(header::CONTENT_SECURITY_POLICY, EXPLORER_CSP)
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
