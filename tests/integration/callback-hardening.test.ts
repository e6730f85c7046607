import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { getCallbackStatus } from "../../lib/callback/callback-status";
import { pruneCallbackEvents } from "../../lib/callback/callback-log";
import { parseEnv } from "../../lib/env";
import { computeSignature } from "../../lib/wechat/signature";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, verificationPath, type SimAccount } from "../helpers/wechat-simulator";

// Issue 7, parts 4 and 5: refused requests are counted, not stored one by one; only a verified
// handshake moves the handshake status; stale timestamps and wrong URL signatures are refused
// before the body is read; a 413 reaches a client that is still sending.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let pool: pg.Pool;
const accounts = { plain: newSimAccount("plain"), compat: newSimAccount("compat"), safe: newSimAccount("safe") };
const ids: Record<string, string> = {};
const now = () => Math.floor(Date.now() / 1000);
const text = () => ({ ToUserName: "gh_x", FromUserName: openId(), CreateTime: now(), MsgType: "text", Content: "hi", MsgId: bigMsgId() });

/** The URL signature WeChat puts on every callback, with the given timestamp. */
function signedQuery(a: SimAccount, timestamp: string, extra: Record<string, string> = {}): URLSearchParams {
  const nonce = String(randomBytes(4).readUInt32BE());
  return new URLSearchParams({ signature: computeSignature(a.token, timestamp, nonce), timestamp, nonce, account: a.appId, ...extra });
}

/** A real client that writes the whole body with a declared Content-Length, as WeChat's side would. */
function postWholeBody(url: string, body: Buffer): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    let status: number | undefined;
    const req = http.request(url, { method: "POST", headers: { "content-type": "text/xml", "content-length": String(body.length) } }, (res) => {
      status = res.statusCode!;
      res.resume();
      res.on("end", () => resolve({ status: status! }));
      res.on("error", () => resolve({ status: status! }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => (status !== undefined ? resolve({ status }) : resolve({ error: err.code ?? err.message })));
    req.end(body);
  });
}

before(async () => {
  db = await createTestDatabase();
  const p = accounts.plain;
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_APPID: p.appId, WECHAT_TOKEN: p.token, WECHAT_MESSAGE_MODE: "plain" } });
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  ids.compat = await insertAccount(db.url, TEST_ENCRYPTION_KEY, accounts.compat);
  ids.safe = await insertAccount(db.url, TEST_ENCRYPTION_KEY, accounts.safe);
  ids.plain = (await pool.query(`SELECT id FROM account WHERE app_id = $1`, [p.appId])).rows[0].id;
  for (const a of [accounts.compat, accounts.safe]) {
    await eventually(async () => (await fetch(app.url + verificationPath(a, "ping"))).status === 200, {
      what: "the new accounts reach the app",
      timeoutMs: 15_000,
    });
  }
});

after(async () => {
  await pool?.end();
  await app?.stop();
  await db?.drop();
});

describe("refused requests cannot fill the disk", () => {
  test("5,000 garbage requests grow the database by less than 400 kB, and the console still counts them", async (t) => {
    const refusedBefore = (await getCallbackStatus(pool, ids.plain!)).refused24h;
    await pool.query("CHECKPOINT");
    const sizeBefore = Number((await pool.query(`SELECT pg_database_size(current_database()) AS n`)).rows[0].n);
    const xff = () => randomBytes(7_500).toString("hex"); // 15,000 characters that do not compress
    const kinds = [
      () => fetch(app.url + "/api/wechat", { headers: { "x-forwarded-for": xff() } }),
      () => fetch(app.url + "/api/wechat", { method: "POST", body: "x", headers: { "x-forwarded-for": xff() } }),
      () => fetch(app.url + "/api/wechat?signature=" + "0".repeat(40) + `&timestamp=${now()}&nonce=1&echostr=e`, { headers: { "x-forwarded-for": xff() } }),
      () =>
        fetch(app.url + "/api/wechat?signature=" + "0".repeat(40) + `&timestamp=${now()}&nonce=1`, {
          method: "POST",
          body: "<xml/>",
          headers: { "x-forwarded-for": xff() },
        }),
    ];
    const total = 5_000;
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        const i = sent++;
        const res = await kinds[i % kinds.length]!();
        await res.arrayBuffer();
        assert.ok(res.status === 400 || res.status === 401, `status ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    // Every request names the default account (plain) or none: the console counts all of them.
    await eventually(async () => (await getCallbackStatus(pool, ids.plain!)).refused24h - refusedBefore === total, {
      what: "the refusals to be counted",
      timeoutMs: 15_000,
    });
    await pool.query("CHECKPOINT");
    const sizeAfter = Number((await pool.query(`SELECT pg_database_size(current_database()) AS n`)).rows[0].n);
    const grown = sizeAfter - sizeBefore;
    t.diagnostic(`database grew by ${Math.round(grown / 1024)} kB after ${total} refused requests`);
    assert.ok(grown < 400 * 1024, `database grew by ${Math.round(grown / 1024)} kB`);
    const longest = (await pool.query(`SELECT max(length(coalesce(last_source_ip, ''))) AS n, max(length(coalesce(reason, ''))) AS r FROM callback_event`))
      .rows[0];
    assert.ok(longest.n <= 64 && longest.r <= 64, "every stored string is bounded");
  });

  test("only a verified handshake changes the handshake status", async () => {
    const echo = "verified-" + randomBytes(4).toString("hex");
    const sent = Date.now() - 1_000;
    assert.equal(await (await fetch(app.url + verificationPath(accounts.safe, echo))).text(), echo);
    const verified = await eventually(
      async () => {
        const s = await getCallbackStatus(pool, ids.safe!);
        return s.lastVerifiedAt && s.lastVerifiedAt.getTime() >= sent && s.lastHandshake?.outcome === "verified" ? s : false;
      },
      { what: "the handshake to be recorded", timeoutMs: 15_000 },
    );
    // Anonymous GETs: no parameters, a wrong signature for this account, a stale one.
    assert.equal((await fetch(app.url + "/api/wechat")).status, 400);
    assert.equal((await fetch(app.url + verificationPath(accounts.safe, "x", "WrongToken123"))).status, 401);
    assert.equal((await fetch(app.url + `/api/wechat?${signedQuery(accounts.safe, String(now() - 3600), { echostr: "x" })}`)).status, 401);
    await eventually(async () => (await getCallbackStatus(pool, ids.safe!)).refused24h >= 2, { what: "the refusals to be counted", timeoutMs: 15_000 });
    const after = await getCallbackStatus(pool, ids.safe!);
    assert.equal(after.lastHandshake?.outcome, "verified");
    assert.equal(after.lastVerifiedAt?.getTime(), verified.lastVerifiedAt!.getTime());
  });

  test("retention: old counts are pruned, an account's latest verification is kept", async () => {
    const quiet = await insertAccount(db.url, TEST_ENCRYPTION_KEY, newSimAccount("plain"));
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    for (const [outcome, reason, status, when] of [
      ["refused", "bad_signature", 401, at(40)],
      ["verified", "", 200, at(40)],
      ["verified", "", 200, at(50)],
      ["refused", "bad_signature", 401, at(1)],
    ] as const) {
      await pool.query(
        `INSERT INTO callback_event (account_id, method, outcome, reason, status, minute, count, first_at, last_at)
         VALUES ($1, 'GET', $2, $3, $4, date_trunc('minute', $5::timestamptz), 3, $5, $5)`,
        [quiet, outcome, reason, status, when],
      );
    }
    const deleted = await pruneCallbackEvents(pool, 30);
    assert.equal(deleted, 2, "the old refusal and the older verification go");
    const left = (await pool.query(`SELECT outcome, last_at FROM callback_event WHERE account_id = $1 ORDER BY last_at`, [quiet])).rows;
    assert.deepEqual(
      left.map((r) => r.outcome),
      ["verified", "refused"],
      "the console still knows WeChat verified the URL",
    );
    assert.equal((await getCallbackStatus(pool, quiet)).lastVerifiedAt?.getTime(), left[0].last_at.getTime());
    assert.equal(parseEnv({ ...baseEnv(), MPDESK_CALLBACK_EVENT_RETENTION_DAYS: "7" }).MPDESK_CALLBACK_EVENT_RETENTION_DAYS, 7);
    assert.equal(parseEnv(baseEnv()).MPDESK_CALLBACK_EVENT_RETENTION_DAYS, 30);
  });
});

function baseEnv() {
  return { DATABASE_URL: "postgres://x@localhost/x", AUTH_SECRET: "a".repeat(32), MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
}

describe("timestamp window", () => {
  test("a correctly signed handshake or message outside 300 s is refused with 401, in every mode", async () => {
    for (const a of Object.values(accounts)) {
      for (const ts of [now() - 330, now() + 330]) {
        const get = await fetch(app.url + `/api/wechat?${signedQuery(a, String(ts), { echostr: "e" })}`);
        assert.equal(get.status, 401, `${a.mode} GET ${ts}`);
        assert.ok(!(await get.text()).includes("e\n"));
        const post = signMessage(a, messageXml(text()), { timestamp: String(ts) });
        assert.equal((await postSigned(app.url, post)).status, 401, `${a.mode} POST ${ts}`);
      }
      // Within the window both are served.
      assert.equal((await fetch(app.url + `/api/wechat?${signedQuery(a, String(now() - 200), { echostr: "ok" })}`)).status, 200);
      assert.equal((await postSigned(app.url, signMessage(a, messageXml(text()), { timestamp: String(now() - 200) }))).status, 200);
    }
    assert.equal(parseEnv({ ...baseEnv(), MPDESK_CALLBACK_TIMESTAMP_WINDOW_S: "60" }).MPDESK_CALLBACK_TIMESTAMP_WINDOW_S, 60);
    assert.equal(parseEnv(baseEnv()).MPDESK_CALLBACK_TIMESTAMP_WINDOW_S, 300);
  });
});

describe("verify before reading", () => {
  for (const mode of ["compat", "safe"] as const) {
    test(`${mode}: a wrong URL signature is refused before the body is read`, async () => {
      const good = signMessage(accounts[mode], messageXml(text()));
      const forged = good.path.replace(/([?&])signature=[0-9a-f]+/, "$1signature=" + "0".repeat(40));
      // msg_signature is right, but the URL signature is not: 401 without looking at the body.
      assert.equal((await postSigned(app.url, { ...good, path: forged })).status, 401);
      // A body that would be 400 (not XML) or 413 (too large) if it were read.
      assert.equal((await fetch(app.url + forged, { method: "POST", body: "not xml" })).status, 401);
      const big = await postWholeBody(app.url + forged, Buffer.alloc(2 * 1024 * 1024, "A"));
      assert.deepEqual(big, { status: 401 });
      // No URL signature at all, only msg_signature: refused too, before reading.
      const bare = good.path.replace(/([?&])signature=[0-9a-f]+&?/, "$1");
      assert.ok(!/[?&]signature=/.test(bare));
      assert.deepEqual(await postWholeBody(app.url + bare, Buffer.alloc(2 * 1024 * 1024, "A")), { status: 400 });
    });
  }
});

describe("plaintext in compatible mode", () => {
  test("is refused with 403: WeChat sends every compatible-mode message with encrypt_type=aes", async () => {
    const req = signMessage({ ...accounts.compat, mode: "plain" }, messageXml(text()));
    const res = await postSigned(app.url, req);
    assert.equal(res.status, 403);
    assert.match(res.text, /plaintext_refused_in_compat_mode/);
  });
  test("while an account still set to plaintext in mpdesk accepts encrypted messages once it has the key", async () => {
    // Switching 明文→兼容 in the MP admin takes effect at once; mpdesk's setting may lag.
    const migrating = newSimAccount("plain");
    await insertAccount(db.url, TEST_ENCRYPTION_KEY, migrating);
    await eventually(async () => (await fetch(app.url + verificationPath(migrating, "p"))).status === 200, {
      what: "the account to reach the app",
      timeoutMs: 15_000,
    });
    for (const mode of ["compat", "safe"] as const) {
      const res = await postSigned(app.url, signMessage({ ...migrating, mode }, messageXml(text())));
      assert.equal(res.status, 200, res.text);
    }
  });
});

describe("the 413 arrives", () => {
  test("a real client writing 5 MiB with Content-Length gets 413, not a reset, in every mode", async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, "A");
    for (let round = 0; round < 4; round++) {
      for (const a of Object.values(accounts)) {
        const req = signMessage(a, messageXml(text()));
        const got = await postWholeBody(app.url + req.path, body);
        assert.deepEqual(got, { status: 413 }, `${a.mode}, round ${round}`);
      }
    }
    // And the server still serves.
    assert.equal((await postSigned(app.url, signMessage(accounts.safe, messageXml(text())))).status, 200);
  });
});
