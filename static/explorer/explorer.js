// Starts GraphiQL on /graphql, subscriptions over the graphql-ws WebSocket
// at /graphql/ws (graphql-ws is bundled in graphiql.min.js). A file of its
// own, so the page's CSP needs no inline script; every asset is served by
// gongkai itself. Signed-in calls: put {"authorization": "Bearer …"} in the
// Headers tab; GraphiQL sends it with every request and, for a
// subscription, as the connection_init payload the server reads it from.
(function () {
  var here = window.location;
  var socket = (here.protocol === "https:" ? "wss://" : "ws://") + here.host + "/graphql/ws";
  var fetcher = GraphiQL.createFetcher({
    url: new URL("/graphql", here.href).href,
    subscriptionUrl: socket
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
