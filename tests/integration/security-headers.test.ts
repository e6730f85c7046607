import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { newSimAccount } from "../helpers/accounts";
import { startApp, type AppServer } from "../helpers/app-server";
import { createTestDatabase } from "../helpers/test-database";
import { verificationPath } from "../helpers/wechat-simulator";

// The security headers, on pages and on every API answer, the callback's echostr included.

const account = { ...newSimAccount("plain"), selectByAppId: false };
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;

before(async () => {
  db = await createTestDatabase();
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_APPID: account.appId, WECHAT_TOKEN: account.token, PUBLIC_URL: "https://mp.example.com" } });
});
after(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (path: string) => fetch(app.url + path, { redirect: "manual" });

function assertStatic(res: Response, what: string) {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  assert.equal(res.headers.get("x-frame-options"), "DENY", `${what}: X-Frame-Options`);
  assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin", `${what}: Referrer-Policy`);
  assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, `${what}: frame-ancestors`);
}

test("API answers: the echostr text, health JSON, the token endpoint's 401, a refused callback", async () => {
  const echo = await get(verificationPath(account, "1234567890"));
  assert.equal(echo.status, 200);
  assert.equal(await echo.text(), "1234567890");
  assertStatic(echo, "echostr");
  assert.match(echo.headers.get("content-security-policy")!, /default-src 'none'/);

  const health = await get("/api/health");
  assert.equal(health.status, 200);
  assertStatic(health, "/api/health");

  const token = await get("/api/token");
  assert.equal(token.status, 401);
  assertStatic(token, "/api/token");

  const refused = await get("/api/wechat?echostr=x");
  assert.equal(refused.status, 400);
  assertStatic(refused, "refused callback");
});

test("pages: a CSP whose nonce is on every inline script Next renders, and HSTS for an https PUBLIC_URL", async () => {
  const login = await get("/login");
  assert.equal(login.status, 200);
  assertStatic(login, "/login");
  const csp = login.headers.get("content-security-policy")!;
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce, `a nonce in ${csp}`);
  assert.match(csp, /script-src [^;]*'strict-dynamic'/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /base-uri 'self'/);
  const html = await login.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.ok(scripts.length > 0);
  for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), `script without the nonce: ${s}`);
  assert.equal(login.headers.get("strict-transport-security"), "max-age=31536000");

  const again = await get("/login");
  assert.notEqual(/'nonce-([^']+)'/.exec(again.headers.get("content-security-policy")!)?.[1], nonce, "a fresh nonce per response");

  const home = await get("/");
  assert.equal(home.status, 307, "signed out: to /login");
  assert.equal(home.headers.get("x-content-type-options"), "nosniff");
  assert.equal(home.headers.get("x-frame-options"), "DENY");
});
