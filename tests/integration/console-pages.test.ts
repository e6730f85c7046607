import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { createPool } from "../../lib/db";
import { getDailyCounts } from "../../lib/messages/message-stats";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { signedInCookies } from "../helpers/sign-in";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage } from "../helpers/wechat-simulator";

// The console's pages over real HTTP against the started app, with content a follower chose:
// names that are also Object.prototype's, raw XML built to blow up a pretty-printer, and what a
// viewer's browser receives of the account's secrets.

const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const sim = { ...newSimAccount("plain"), selectByAppId: true };
// The account's pages are under /a/<AppID>.
const at = (sub = "") => `/a/${sim.appId}${sub}`;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let pool: pg.Pool;
let accountId: string;
let adminCookie: string;
let viewerCookie: string;

const get = (path: string, cookie?: string, headers: Record<string, string> = {}, redirect: RequestRedirect = "manual") =>
  fetch(app.url + path, { redirect, headers: { ...(cookie ? { cookie } : {}), ...headers } });

before(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, 2);
  app = await startApp({ databaseUrl: db.url });
  accountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, sim);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), $1, $2, 'viewer') RETURNING id`,
    [VIEWER.email, await hashPassword(VIEWER.password)],
  );
  await pool.query(`INSERT INTO account_member (user_id, account_id, role) VALUES ($1, $2, 'viewer')`, [rows[0]!.id, accountId]);
  adminCookie = await signedInCookies(app.url, ADMIN.email, ADMIN.password);
  viewerCookie = await signedInCookies(app.url, VIEWER.email, VIEWER.password);
});

after(async () => {
  await app?.stop();
  await pool?.end();
  await db?.drop();
});

async function insertRaw(rawXml: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, raw_xml, fields, dedupe_key, received_at)
     VALUES ($1, 'inbound', 'text', $2, 'gh_1', $3, '{}', $4, now()) RETURNING id::text AS id`,
    [accountId, openId(), rawXml, randomUUID()],
  );
  return rows[0]!.id;
}

describe("icons", () => {
  test("the favicon and the app's icons are served to a signed-out browser", async () => {
    for (const [path, type] of [
      ["/favicon.ico", /^image\//],
      ["/icon.svg", /^image\/svg\+xml/],
      ["/apple-touch-icon.png", /^image\/png/],
    ] as const) {
      const res = await get(path);
      assert.equal(res.status, 200, `${path}: ${res.status} ${res.headers.get("location") ?? ""}`);
      assert.match(res.headers.get("content-type") ?? "", type, path);
      assert.ok((await res.arrayBuffer()).byteLength > 0, path);
    }
    const html = await (await get("/login")).text();
    assert.match(html, /<link rel="icon" href="\/favicon\.ico"/);
    assert.match(html, /<link rel="apple-touch-icon" href="\/apple-touch-icon\.png"/);
  });
});

describe("names that are also Object.prototype's", () => {
  const hostile = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

  before(async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [i, type] of hostile.entries()) {
      const xml = messageXml({ ToUserName: "gh_1", FromUserName: openId(), CreateTime: now + i, MsgType: type, Content: `hostile ${type}`, MsgId: bigMsgId() });
      const res = await postSigned(app.url, signMessage(sim, xml));
      assert.equal(res.status, 200, `${type}: ${res.text}`);
    }
    const event = messageXml({ ToUserName: "gh_1", FromUserName: openId(), CreateTime: now, MsgType: "event", Event: "__proto__", EventKey: "constructor" });
    assert.equal((await postSigned(app.url, signMessage(sim, event))).status, 200);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM message WHERE account_id = $1`, [accountId]);
    assert.equal(rows[0].n, hostile.length + 1);
  });

  test("the daily counts keep them as ordinary types and leave Object.prototype alone", async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const daily = await getDailyCounts(pool, accountId, "Asia/Shanghai");
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before, "Object.prototype gained properties");
    assert.deepEqual(({} as Record<string, unknown>)["29"], undefined);
    assert.equal(daily.total, hostile.length + 1);
    const totals = new Map(daily.series.map((s) => [s.type, s.total]));
    for (const type of [...hostile, "event"]) assert.equal(totals.get(type), 1, type);
    for (const s of daily.series)
      assert.equal(
        s.values.reduce((a, b) => a + b, 0),
        s.total,
        s.type,
      );
  });

  test("the overview, the log, a filter, a thread and the sign-in page all still answer 200", async () => {
    const paths = [
      "/",
      at(),
      at("/messages"),
      at("/messages?type=__proto__"),
      at("/messages?type=constructor&event=__proto__"),
      at("/messages?type=event"),
      at("/settings"),
      at("/token"),
    ];
    for (const round of [1, 2]) {
      for (const path of paths) {
        const res = await get(path, adminCookie);
        const body = await res.text();
        assert.equal(res.status, 200, `round ${round} ${path}: ${res.status} ${body.slice(0, 200)}`);
        if (path === at("/messages")) for (const type of hostile) assert.ok(body.includes(`hostile ${type}`), `${path} lists ${type}`);
      }
      // The sign-in page, signed out, and the overview as another user: nothing was poisoned.
      assert.equal((await get("/login")).status, 200, `round ${round} /login`);
      assert.equal((await get("/", viewerCookie)).status, 200, `round ${round} / as viewer`);
    }
    const { rows } = await pool.query<{ id: string; from_user: string }>(`SELECT id::text AS id, from_user FROM message WHERE msg_type = '__proto__'`);
    assert.equal((await get(at(`/messages/${rows[0]!.id}`), adminCookie)).status, 200);
    assert.equal((await get(at(`/messages/followers/${rows[0]!.from_user}`), adminCookie)).status, 200);
  });
});

describe("what a viewer's browser receives", () => {
  test("neither the Token nor the EncodingAESKey, on any page, in the HTML or the RSC payload", async () => {
    assert.ok(sim.token.length >= 16 && sim.encodingAesKey.length === 43);
    for (const path of [at("/settings/server"), at("/settings/credentials"), at("/settings"), at("/settings/api"), "/", at(), at("/messages"), at("/token")]) {
      for (const headers of [{}, { rsc: "1" }] as Array<Record<string, string>>) {
        // A flight request is redirected once to a URL carrying its cache key (_rsc): follow it.
        const res = await get(path, viewerCookie, headers, headers.rsc ? "follow" : "manual");
        const body = await res.text();
        assert.equal(res.status, 200, `${path} ${JSON.stringify(headers)}`);
        if (headers.rsc) assert.match(res.headers.get("content-type") ?? "", /text\/x-component/, `${path} is a flight payload`);
        assert.ok(!body.includes(sim.token), `the Token reaches a viewer on ${path} ${JSON.stringify(headers)}`);
        assert.ok(!body.includes(sim.encodingAesKey), `the EncodingAESKey reaches a viewer on ${path} ${JSON.stringify(headers)}`);
      }
    }
    // They see that both exist, masked.
    const server = await (await get(at("/settings/server"), viewerCookie)).text();
    assert.ok(server.includes(`••••${sim.token.slice(-4)}`), "the Token, masked");
    assert.ok(server.includes(`••••${sim.encodingAesKey.slice(-4)}`), "the EncodingAESKey, masked");
  });
});

describe("raw XML that would break the detail page", () => {
  // Tags inside a comment once each added a level of indentation: 12 KB became 16 MB of page.
  const adversarial = `<xml><Content><![CDATA[x]]></Content><!--${"<a>".repeat(4000)}--></xml>`;

  test("a 12 KB hostile document renders in a page of normal size", async () => {
    const id = await insertRaw(adversarial);
    const started = Date.now();
    const res = await get(at(`/messages/${id}`), adminCookie);
    const body = await res.text();
    assert.equal(res.status, 200);
    assert.ok(body.length < 300_000, `the page is ${body.length} bytes`);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  test("above 64 KB the page shows the exact text and links a download that returns it byte for byte", async () => {
    const big = `<xml><Content><![CDATA[${"长".repeat(30_000)}]]></Content><!--${"<b>".repeat(12_000)}--></xml>`;
    assert.ok(Buffer.byteLength(big) > 64 * 1024);
    const id = await insertRaw(big);
    const html = await (await get(at(`/messages/${id}`), adminCookie)).text();
    assert.ok(html.includes(`href="/api/messages/${id}/raw?account=${sim.appId}"`), "a download link, naming the account");
    assert.ok(html.includes("&lt;!--&lt;b&gt;&lt;b&gt;&lt;b&gt;"), "the exact text, not re-indented");

    const signedOut = await get(`/api/messages/${id}/raw`);
    assert.equal(signedOut.status, 401);
    const res = await get(`/api/messages/${id}/raw`, viewerCookie);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/xml/);
    assert.match(res.headers.get("content-disposition") ?? "", new RegExp(`^attachment; filename="mpdesk-message-${id}\\.xml"$`));
    assert.equal(await res.text(), big);
    assert.equal((await get(`/api/messages/999999999/raw`, viewerCookie)).status, 404);
    assert.equal((await get(`/api/messages/not-a-number/raw`, viewerCookie)).status, 404);
  });
});

describe("the account in the URL", () => {
  test("the URLs from before it redirect to the same page of the first account, query string kept", async () => {
    for (const [from, to] of [
      ["/messages", at("/messages")],
      ["/messages?type=text&q=%E9%80%80%E6%AC%BE", at("/messages?type=text&q=%E9%80%80%E6%AC%BE")],
      ["/messages/12", at("/messages/12")],
      ["/messages/followers/o_abc", at("/messages/followers/o_abc")],
      ["/settings", at("/settings")],
      ["/settings/server", at("/settings/server")],
      ["/token", at("/token")],
    ]) {
      const res = await get(from!, viewerCookie);
      assert.ok(res.status === 307 || res.status === 308, `${from}: ${res.status}`);
      assert.equal(new URL(res.headers.get("location")!, app.url).pathname + new URL(res.headers.get("location")!, app.url).search, to, from);
    }
    // Signed out, the sign-in page comes first, as for any page.
    const signedOut = await get("/messages");
    assert.match(signedOut.headers.get("location") ?? "", /\/login/);
  });

  test("an account the user may not see answers 404 on every page of it, like an AppID that does not exist", async () => {
    const other = newSimAccount("plain");
    await insertAccount(db.url, TEST_ENCRYPTION_KEY, other);
    const subs = [
      "",
      "/messages",
      "/messages/1",
      "/messages/followers/o_x",
      "/settings",
      "/settings/credentials",
      "/settings/server",
      "/settings/api",
      "/token",
      "/manage",
    ];
    for (const sub of subs) {
      const res = await get(`/a/${other.appId}${sub}`, viewerCookie);
      await res.text();
      assert.equal(res.status, 404, `${sub} as a viewer of another account`);
      assert.equal((await get(`/a/${other.appId}${sub}`, adminCookie)).status, 200, `${sub} as an mpdesk administrator`);
    }
    assert.equal((await get("/a/wx0000000000000000/messages", adminCookie)).status, 404, "an AppID that does not exist");
    // The overview lists only what the viewer may see.
    const overview = await (await get("/", viewerCookie)).text();
    assert.ok(overview.includes(sim.appId) && !overview.includes(other.appId), "the viewer's overview lists the granted account only");
    const adminOverview = await (await get("/", adminCookie)).text();
    assert.ok(adminOverview.includes(sim.appId) && adminOverview.includes(other.appId), "the administrator's overview lists both");
  });
});
