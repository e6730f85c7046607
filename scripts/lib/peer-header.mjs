// Loaded with `--import` into the process that runs `next start` / `next dev`, before Next
// creates its HTTP server. Route handlers and server actions cannot see the socket, so this hands
// them the peer address in a header that a client cannot forge: any incoming value is deleted,
// then it is set from the socket. The client address is decided from it in one place
// (lib/http/client-ip.ts).
//
// Why a preload and not a custom server around Next's programmatic API: measured with
// `npm run bench`, the custom server cost about a fifth of the framework's throughput floor
// (1,020 against 1,303 req/s on GET /api/health/live), while this costs one listener call.
import http from "node:http";

const PEER_HEADER = "x-mpdesk-peer";

function stampPeer(req) {
  // Node folds repeated headers into one entry, so one delete removes every copy; rawHeaders is
  // rewritten too, so no layer that reads it sees the client's value.
  delete req.headers[PEER_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === PEER_HEADER) raw.splice(i, 2);
  const peer = req.socket.remoteAddress ?? "";
  req.headers[PEER_HEADER] = peer;
  raw.push(PEER_HEADER, peer);
}

const createServer = http.createServer;
http.createServer = function createServerWithPeer(...args) {
  const server = createServer.apply(this, args);
  // First among the request listeners, whether Next passed its own to createServer or adds it later.
  server.prependListener("request", stampPeer);
  return server;
};
