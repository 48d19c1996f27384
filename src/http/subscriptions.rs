//! GraphQL subscriptions over WebSocket at `GET /graphql/ws`
//! (graphql-transport-ws, and the older subscriptions-transport-ws). The
//! access token travels in `connection_init`'s payload as
//! `{"authorization": "Bearer …"}`; without a valid one the connection is
//! closed before anything is subscribed. The server pings every 15 s so
//! that proxies keep an idle connection open.

use std::net::IpAddr;
use std::time::Duration;

use async_graphql::Data as GqlData;
use async_graphql::http::{
    ALL_WEBSOCKET_PROTOCOLS, WebSocket as GqlWebSocket, WebSocketProtocols, WsMessage,
};
use async_graphql_poem::GraphQLProtocol;
use futures_util::{SinkExt, StreamExt, future};
use poem::web::websocket::{Message, WebSocket, WebSocketStream};
use poem::web::{Data, RemoteAddr};
use poem::{IntoResponse, Request, handler};

use super::HttpState;
use super::graphql::client_ip;
use crate::api::context::RequestContext;
use crate::domain::policy::Caller;
use crate::service::{Services, accounts};

/// How often the server pings an open connection.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[handler]
pub async fn ws(
    req: &Request,
    websocket: WebSocket,
    protocol: GraphQLProtocol,
    Data(state): Data<&HttpState>,
) -> impl IntoResponse {
    let state = state.clone();
    let remote: &RemoteAddr = req.remote_addr();
    let ip = client_ip(&state, req.headers(), remote);
    websocket
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(socket, state, protocol.0, ip))
}

async fn serve(
    socket: WebSocketStream,
    state: HttpState,
    protocol: WebSocketProtocols,
    ip: IpAddr,
) {
    let (mut sink, source) = socket.split();
    let source = source
        .take_while(|message| future::ready(message.is_ok()))
        .filter_map(|message| {
            future::ready(
                message
                    .ok()
                    .filter(|m| m.is_text() || m.is_binary())
                    .map(Message::into_bytes),
            )
        });
    let services = state.services.clone();
    let graphql = GqlWebSocket::new(state.schema.clone(), source, protocol)
        .on_connection_init(move |payload| connection_data(services, payload, ip))
        .map(|message| match message {
            WsMessage::Text(text) => Message::text(text),
            WsMessage::Close(code, reason) => Message::close_with(code, reason),
        });
    futures_util::pin_mut!(graphql);
    let ping = match protocol {
        WebSocketProtocols::GraphQLWS => r#"{"type":"ping"}"#,
        WebSocketProtocols::SubscriptionsTransportWS => r#"{"type":"ka"}"#,
    };
    let mut pings = tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
    loop {
        let message = tokio::select! {
            message = graphql.next() => match message {
                Some(message) => message,
                None => break,
            },
            _ = pings.tick() => Message::text(ping),
        };
        if sink.send(message).await.is_err() {
            break;
        }
    }
}

/// The connection's caller, from the token in `connection_init`.
async fn connection_data(
    services: Services,
    payload: serde_json::Value,
    ip: IpAddr,
) -> async_graphql::Result<GqlData> {
    let token = payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(|v| v.as_str())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or_else(|| async_graphql::Error::new("请先登录"))?;
    let now = services.clock.now();
    let actor = accounts::actor_for_token(&services, token.trim(), now)
        .await
        .map_err(|_| async_graphql::Error::new("登录已失效，请重新登录"))?;
    let mut data = GqlData::default();
    data.insert(RequestContext::new(Caller::SignedIn(actor), now, ip));
    Ok(data)
}
