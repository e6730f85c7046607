import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createAccount } from "../../lib/accounts/create-account";
import { saveAccountSettings } from "../../lib/accounts/save-account-settings";
import { removeAccount } from "../../lib/accounts/remove-account";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { generateEncodingAesKey } from "../../lib/wechat/crypto";
import { newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { eventually } from "../helpers/eventually";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";
import { bigMsgId, messageXml, postSigned, signMessage, verificationPath, type SignedRequest, type SimAccount } from "../helpers/wechat-simulator";

// Several accounts on one instance, each at its own URL (/api/wechat/<AppID>) and at
// /api/wechat?account=<AppID>: traffic for two at once lands under the right one, a signature
// made with another account's Token is refused, and removing one leaves the others as they were.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let sql: pg.Client;
let prisma: InstanceType<typeof PrismaClient>;
const key = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
const plain = newSimAccount("plain");
const safe = newSimAccount("safe");
const ids = { plain: "", safe: "", doomed: "" };

/** The same request, addressed by path instead of `?account=`. */
function byPath(req: SignedRequest, appId: string): SignedRequest {
  const [, query = ""] = req.path.split("?");
  const q = new URLSearchParams(query);
  q.delete("account");
  return { ...req, path: `/api/wechat/${appId}?${q}` };
}
const text = (content: string) => ({
  ToUserName: "gh_x",
  FromUserName: openId(),
  CreateTime: 1714112445,
  MsgType: "text",
  Content: content,
  MsgId: bigMsgId(),
});
const messagesFrom = async (fromUser: string) =>
  (await sql.query(`SELECT a.app_id, m.encrypted FROM message m JOIN account a ON a.id = m.account_id WHERE m.from_user = $1`, [fromUser])).rows;
const messageCount = async (accountId: string) => Number((await sql.query(`SELECT count(*) FROM message WHERE account_id = $1`, [accountId])).rows[0].count);
const served = async (account: SimAccount) =>
  (await fetch(app.url + byPath({ path: verificationPath(account, "e"), body: "", timestamp: "", nonce: "" }, account.appId).path)).status;

async function addAccount(a: ReturnType<typeof newSimAccount>, displayName?: string) {
  const created = await createAccount(
    prisma,
    { appId: a.appId, token: a.token, encodingAesKey: a.encodingAesKey, messageMode: a.mode, accountType: "service", certified: true, displayName },
    key,
  );
  return created.id;
}

before(async () => {
  db = await createTestDatabase();
  // The plaintext account comes from the environment and is the oldest: the default one.
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_APPID: plain.appId, WECHAT_TOKEN: plain.token, WECHAT_MESSAGE_MODE: "plain" } });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  ids.plain = (await sql.query(`SELECT id FROM account WHERE app_id = $1`, [plain.appId])).rows[0].id;
  ids.safe = await addAccount(safe, "客服号");
  await eventually(async () => (await served(safe)) === 200, { timeoutMs: 2_000, what: "the new account reaching the app" });
});

after(async () => {
  await prisma?.$disconnect();
  await sql?.end();
  await app?.stop();
  await db?.drop();
});

describe("each account at its own URL", () => {
  test("plain and safe accounts take traffic at the same time, each message stored under its own account", async () => {
    const sent = Array.from({ length: 40 }, (_, i) => {
      const account = i % 2 ? safe : plain;
      const fields = text(`concurrent ${i}`);
      const signed = signMessage(account, messageXml(fields));
      return { account, fields, req: i % 4 < 2 ? byPath(signed, account.appId) : signed };
    });
    assert.ok(sent.some((s) => s.req.path.startsWith(`/api/wechat/${safe.appId}?`)) && sent.some((s) => s.req.path.includes(`account=${plain.appId}`)));
    const answers = await Promise.all(sent.map((s) => postSigned(app.url, s.req)));
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.text}`)), new Set(["200 success"]));
    for (const s of sent) {
      assert.deepEqual(await messagesFrom(s.fields.FromUserName), [{ app_id: s.account.appId, encrypted: s.account.mode === "safe" }], s.req.path);
    }
  });

  test("GET verification by path, in both modes; /api/wechat without an AppID serves the default (oldest) account", async () => {
    assert.equal(await served(plain), 200);
    assert.equal(await served(safe), 200);
    const fields = text("to the default");
    assert.equal((await postSigned(app.url, signMessage({ ...plain, selectByAppId: false }, messageXml(fields)))).status, 200);
    assert.deepEqual(await messagesFrom(fields.FromUserName), [{ app_id: plain.appId, encrypted: false }]);
    // The safe account's Token is not the default account's.
    assert.equal((await postSigned(app.url, signMessage({ ...safe, selectByAppId: false }, messageXml(text("wrong default"))))).status, 401);
  });

  test("an unknown AppID in the path answers as an unknown ?account= does", async () => {
    const stranger = newSimAccount("plain");
    const signed = signMessage(stranger, messageXml(text("nobody")));
    const [byQuery, byUrl] = await Promise.all([postSigned(app.url, signed), postSigned(app.url, byPath(signed, stranger.appId))]);
    assert.equal(byQuery.status, 404);
    assert.deepEqual(byUrl, byQuery);
    assert.equal(await served(stranger), 404);
  });
});

describe("a signature made with another account's Token", () => {
  test("is refused with 401 at the other account's URL, counted under that account, and stored nowhere", async () => {
    const before = await sql.query(`SELECT count(*)::int AS n FROM message`);
    const forged: Array<{ to: SimAccount; req: SignedRequest; fromUser: string }> = [];
    for (const [signer, target] of [
      [plain, safe],
      [safe, plain],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const fields = text(`cross ${i}`);
        // Signed (and, for safe, encrypted) exactly as WeChat would for the signer, but sent to the target's URL.
        const signed = signMessage({ ...signer, selectByAppId: false }, messageXml(fields));
        const q = new URLSearchParams(signed.path.split("?")[1]);
        q.set("account", target.appId);
        const req = i === 0 ? { ...signed, path: `/api/wechat?${q}` } : byPath(signed, target.appId);
        forged.push({ to: target, req, fromUser: fields.FromUserName });
      }
    }
    const answers = await Promise.all(forged.map((f) => postSigned(app.url, f.req)));
    assert.deepEqual(
      answers.map((a) => a.status),
      forged.map(() => 401),
    );
    assert.ok(answers.every((a) => a.text === "invalid signature: bad_signature"));
    // The handshake too.
    const handshake = byPath({ path: verificationPath(safe, "echo", plain.token), body: "", timestamp: "", nonce: "" }, safe.appId);
    const res = await fetch(app.url + handshake.path);
    assert.equal(res.status, 401);
    assert.ok(!(await res.text()).includes("echo"));

    for (const f of forged) assert.deepEqual(await messagesFrom(f.fromUser), [], "no message row");
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM message`)).rows[0].n, before.rows[0].n);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM message_quarantine`)).rows[0].n, 0);
    // Only the refusal counters, under the account whose URL was called (POSTs 3 each, plus the GET for safe).
    await eventually(async () => {
      const { rows } = await sql.query(
        `SELECT account_id, method, sum(count)::int AS n FROM callback_event WHERE reason = 'bad_signature' AND status = 401 GROUP BY account_id, method ORDER BY account_id, method`,
      );
      const expected = [
        { account_id: ids.plain, method: "POST", n: 3 + 1 }, // + the safe account's Token sent to /api/wechat above
        { account_id: ids.safe, method: "GET", n: 1 },
        { account_id: ids.safe, method: "POST", n: 3 },
      ].sort((a, b) => `${a.account_id}${a.method}`.localeCompare(`${b.account_id}${b.method}`));
      assert.deepEqual(rows, expected);
    });
  });
});

describe("each account's own credentials", () => {
  test("rotating one account's EncodingAESKey: it accepts the new and the previous key; the other account is untouched", async () => {
    const fresh = generateEncodingAesKey();
    const saved = await saveAccountSettings(
      prisma,
      { accountId: ids.safe, appId: safe.appId, token: safe.token, encodingAesKey: fresh, messageMode: "safe", accountType: "service", certified: true },
      key,
    );
    assert.ok(saved.ok && saved.rotated);
    const rotated = { ...safe, encodingAesKey: fresh };
    // Until the change reaches the app, the new key is unknown: wait for it to be accepted.
    await eventually(async () => (await postSigned(app.url, byPath(signMessage(rotated, messageXml(text("new key"))), safe.appId))).status === 200, {
      timeoutMs: 2_000,
      what: "the new key reaching the app",
    });
    for (const a of [rotated, safe]) {
      const fields = text("either key");
      assert.equal((await postSigned(app.url, byPath(signMessage(a, messageXml(fields)), safe.appId))).status, 200);
      assert.deepEqual(await messagesFrom(fields.FromUserName), [{ app_id: safe.appId, encrypted: true }]);
    }
    // The plaintext account neither gained a key nor changed mode: an encrypted body is refused there.
    const fields = text("not the plain account's key");
    const forged = signMessage({ ...plain, mode: "safe", encodingAesKey: fresh }, messageXml(fields));
    assert.equal((await postSigned(app.url, byPath(forged, plain.appId))).status, 400);
    assert.deepEqual(await messagesFrom(fields.FromUserName), []);
    const { rows } = await sql.query(`SELECT message_mode, encoding_aes_key_enc IS NULL AS no_key FROM account WHERE id = $1`, [ids.plain]);
    assert.deepEqual(rows, [{ message_mode: "plain", no_key: true }]);
  });
});

describe("removing an account", () => {
  test("deletes its data and its URL answers as an unknown account; the others keep theirs and keep being served", async () => {
    const doomed = newSimAccount("compat");
    ids.doomed = await addAccount(doomed);
    await eventually(async () => (await served(doomed)) === 200, { timeoutMs: 2_000, what: "the new account reaching the app" });
    for (const a of [plain, safe, doomed]) {
      for (let i = 0; i < 2; i++) assert.equal((await postSigned(app.url, byPath(signMessage(a, messageXml(text(`before ${i}`))), a.appId))).status, 200);
    }
    // A token row for two of them, a member of two, an API key scoped to the doomed account alone
    // and one scoped to it and the plain account.
    for (const id of [ids.plain, ids.doomed]) await sql.query(`INSERT INTO access_token (account_id) VALUES ($1)`, [id]);
    const user = randomUUID();
    await sql.query(`INSERT INTO "user" (id, email, password_hash) VALUES ($1, $2, 'x')`, [user, `m${randomBytes(3).toString("hex")}@example.com`]);
    for (const id of [ids.plain, ids.doomed]) await sql.query(`INSERT INTO account_member (user_id, account_id, role) VALUES ($1, $2, 'viewer')`, [user, id]);
    const [only, shared] = [randomUUID(), randomUUID()];
    for (const k of [only, shared]) {
      await sql.query(`INSERT INTO api_key (id, name, key_hash, prefix) VALUES ($1, $2, $3, 'mpd_')`, [k, `key ${k}`, `hash ${k}`]);
    }
    await sql.query(`INSERT INTO api_key_account (api_key_id, account_id) VALUES ($1, $3), ($2, $3), ($2, $4)`, [only, shared, ids.doomed, ids.plain]);
    const kept = { plain: await messageCount(ids.plain), safe: await messageCount(ids.safe) };
    // Its handshakes, once the counters are written (about once a second).
    const handshakes = await eventually(async () => {
      const n = Number((await sql.query(`SELECT COALESCE(sum(count), 0) AS n FROM callback_event WHERE account_id = $1`, [ids.doomed])).rows[0].n);
      return n >= 1 ? n : false;
    });

    const removal = await removeAccount(prisma, doomed.appId);
    assert.deepEqual(
      { ...removal, callbackEvents: undefined },
      {
        accountId: ids.doomed,
        appId: doomed.appId,
        displayName: null,
        messages: 2,
        callbackEvents: undefined,
        tokenRefreshEvents: 0,
        members: 1,
        apiKeyScopes: 1,
        apiKeysRevoked: 1,
        hasToken: true,
      },
    );
    assert.ok(removal!.callbackEvents >= handshakes, "its verifications counted");
    assert.equal(await removeAccount(prisma, doomed.appId), null, "nothing left to remove");

    // Its URL, by path and by ?account=, now answers like one that never existed.
    await eventually(async () => (await served(doomed)) === 404, { timeoutMs: 2_000, what: "the removal reaching the app" });
    assert.equal((await postSigned(app.url, signMessage(doomed, messageXml(text("after"))))).status, 404);
    for (const table of ["message", "callback_event", "access_token", "account_member", "api_key_account"]) {
      assert.equal((await sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE account_id = $1`, [ids.doomed])).rows[0].n, 0, table);
    }
    // A key that covered only the removed account is revoked (no scope left would mean every account); the other keeps the plain account.
    const keys = (await sql.query(`SELECT id, revoked_at IS NOT NULL AS revoked FROM api_key ORDER BY id`)).rows;
    assert.deepEqual(Object.fromEntries(keys.map((k) => [k.id, k.revoked])), { [only]: true, [shared]: false });
    assert.deepEqual((await sql.query(`SELECT account_id FROM api_key_account WHERE api_key_id = $1`, [shared])).rows, [{ account_id: ids.plain }]);

    // The others: their messages, token row and member role untouched, and still served.
    assert.deepEqual({ plain: await messageCount(ids.plain), safe: await messageCount(ids.safe) }, kept);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM access_token WHERE account_id = $1`, [ids.plain])).rows[0].n, 1);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM account_member WHERE account_id = $1`, [ids.plain])).rows[0].n, 1);
    for (const a of [plain, safe]) {
      const fields = text("after the removal");
      assert.equal((await postSigned(app.url, byPath(signMessage(a, messageXml(fields)), a.appId))).status, 200);
      assert.deepEqual(await messagesFrom(fields.FromUserName), [{ app_id: a.appId, encrypted: a.mode === "safe" }]);
    }
  });
});
