//! The GraphQL explorer: GraphiQL (a pinned release, vendored under
//! static/explorer with its licences) embedded in the binary and served
//! under /explorer, so it works on an intranet with no internet. Its CSP
//! lets the page reach nothing but this server.

use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{IntoResponse, Request, Response, handler};

use super::portal::request_host;

/// Only the server itself. GraphiQL's editor sets styles at run time
/// (style attributes), so styles may be inline; scripts may not. The
/// subscriptions' WebSocket (`/graphql/ws`) is named with the host the
/// browser used: CSP 3 lets `'self'` match ws: and wss: of the page's own
/// origin, but browsers of CSP 2 (still met on government desktops) do not.
pub fn explorer_csp(host: Option<&str>) -> String {
    let sockets = host
        .map(|host| format!(" ws://{host} wss://{host}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
         connect-src 'self'{sockets}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

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
pub fn page(req: &Request) -> Response {
    include_str!("../../static/explorer/index.html")
        .with_content_type("text/html; charset=utf-8")
        .with_header(
            header::CONTENT_SECURITY_POLICY,
            explorer_csp(request_host(req)),
        )
        .into_response()
}

#[handler]
pub fn asset(req: &Request, Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => bytes
            .to_vec()
            .with_content_type(*content_type)
            .with_header(header::CACHE_CONTROL, "public, max-age=86400")
            .with_header(
                header::CONTENT_SECURITY_POLICY,
                explorer_csp(request_host(req)),
            )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
