// The HTTP server `npm start` runs in place of `next start`: Next's documented programmatic API
// behind our own node:http server, for one reason. Route handlers and server actions cannot see
// the socket, so this process, which owns it, hands them the peer address in a header that a
// client cannot forge: any incoming value is deleted, then it is set from the socket. The client
// address is then decided from it in one place (lib/http/client-ip.ts).
//
// Plain JavaScript and no tsx, so the serving process loads nothing that `next start` would not.
import http from "node:http";
import next from "next";

const PEER_HEADER = "x-mpdesk-peer";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const started = Date.now();

const server = http.createServer((req, res) => {
  // Node folds repeated headers into one entry, so one delete removes every copy; rawHeaders is
  // rewritten too, so no layer that reads it sees the client's value.
  delete req.headers[PEER_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i].toLowerCase() === PEER_HEADER) raw.splice(i, 2);
  const peer = req.socket.remoteAddress ?? "";
  req.headers[PEER_HEADER] = peer;
  raw.push(PEER_HEADER, peer);
  handle(req, res);
});

// httpServer lets Next attach its own WebSocket upgrades (development's hot reload) to this server.
const app = next({ dev, dir: process.cwd(), hostname: "localhost", port, httpServer: server });
await app.prepare();
const handle = app.getRequestHandler();

server.listen(port, () => {
  console.log(` ✓ Ready in ${Date.now() - started}ms on port ${port}${dev ? " (development)" : ""}`);
});

// As `next start` does: stop accepting, let pending requests finish, close Next, exit 128+signal.
let closing = false;
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    if (dev) server.closeAllConnections();
    else server.closeIdleConnections();
    // A keep-alive client that never goes idle must not hold the shutdown forever.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
    server.close(() => {
      Promise.resolve(app.close?.())
        .catch((err) => console.error(err))
        .finally(() => process.exit(code));
    });
  });
}
