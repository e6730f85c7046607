import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { authenticateUser } from "../../lib/auth/authenticate-user";
import { changeUserRole, createUser, removeUser, resetUserPassword } from "../../lib/auth/manage-users";
import { hashPassword } from "../../lib/auth/password";
import { saveAccountSettings, type TCredentialsForm } from "../../lib/accounts/save-account-settings";
import { summarizeAccounts } from "../../lib/accounts/accounts-overview";
import { renameAccount, ZRenameForm } from "../../lib/accounts/rename-account";
import { createPool } from "../../lib/db";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { exportMessages } from "../../lib/messages/export-messages";
import { listMessages, SEARCH_WINDOW, type MessageListItem } from "../../lib/messages/list-messages";
import { listFollowerThread } from "../../lib/messages/list-follower-thread";
import { getWindowMeter } from "../../lib/outbound/window-meter";
import { decryptSecret } from "../../lib/secrets";
import { generateEncodingAesKey } from "../../lib/wechat/crypto";
import { createTestDatabase } from "../helpers/test-database";
import { insertMessages } from "../../lib/messages/insert-messages";
import { normalizeInbound } from "../../lib/messages/inbound-row";
import { contentGrams, termGrams } from "../../lib/messages/search-grams";
import { parseWeChatXml } from "../../lib/wechat/xml";

// The console's data layer against a real PostgreSQL: keyset pages that never skip or repeat a
// row, content search that works for Chinese, settings with key rotation, sign-in throttling
// and the last-admin rule.

const KEY = Buffer.alloc(32, 7);
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let prisma: InstanceType<typeof PrismaClient>;
let accountId: string;

type Row = {
  fromUser?: string;
  msgType?: string;
  event?: string | null;
  content?: string | null;
  receivedAt: string;
  direction?: "inbound" | "outbound";
  toUser?: string;
};
async function insert(rows: Row[]) {
  for (const r of rows) {
    await pool.query(
      `INSERT INTO message (account_id, direction, msg_type, event, from_user, to_user, content, content_grams, raw_xml, fields, dedupe_key, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, mpdesk_search_grams($7), '<xml/>', '{}', $8, $9)`,
      [
        accountId,
        r.direction ?? "inbound",
        r.msgType ?? "text",
        r.event ?? null,
        r.fromUser ?? "oFollower",
        r.toUser ?? "gh_1",
        r.content ?? null,
        randomUUID(),
        r.receivedAt,
      ],
    );
  }
}

before(async () => {
  db = await createTestDatabase();
  // Seeding ten thousand rows on a loaded machine can outlast the app's 3 s statement timeout,
  // which is about the callback's budget, not about these queries.
  pool = createPool(db.url, 4, { statementTimeoutMs: 60_000 });
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  accountId = randomUUID();
  await pool.query(`INSERT INTO account (id, app_id, token) VALUES ($1, 'wx00000000000000aa', 'tok')`, [accountId]);
});
after(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe("message log queries", () => {
  test("keyset pages cover every row exactly once, even when many share a timestamp", async () => {
    const t = "2026-11-20T10:00:00.123456Z";
    await insert(Array.from({ length: 130 }, (_, i) => ({ receivedAt: i % 3 ? t : `2026-11-20T10:00:0${i % 10}.5Z`, content: `page row ${i}` })));
    const seen: MessageListItem[] = [];
    const pages = [];
    let page = await listMessages(pool, { accountId, filters: { q: "page row" }, limit: 50 });
    for (;;) {
      pages.push(page);
      seen.push(...page.items);
      if (!page.older) break;
      page = await listMessages(pool, { accountId, filters: { q: "page row" }, cursor: { before: page.older }, limit: 50 });
    }
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [50, 50, 30],
    );
    assert.equal(new Set(seen.map((r) => r.id)).size, 130);
    const order = seen.map((r) => [r.receivedAt.getTime(), BigInt(r.id)] as const);
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      assert.ok(a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]), "newest first, then id");
    }
    // Going back with "newer" yields the same pages.
    const back = await listMessages(pool, { accountId, filters: { q: "page row" }, cursor: { after: pages[2]!.newer! }, limit: 50 });
    assert.deepEqual(
      back.items.map((r) => r.id),
      pages[1]!.items.map((r) => r.id),
    );
    const first = await listMessages(pool, { accountId, filters: { q: "page row" }, cursor: { after: back.newer! }, limit: 50 });
    assert.deepEqual(
      first.items.map((r) => r.id),
      pages[0]!.items.map((r) => r.id),
    );
    assert.equal(first.newer, null);
  });

  test("content search finds Chinese words of one, two and more characters, and Latin text in any case", async () => {
    await insert([
      { receivedAt: "2026-11-21T08:00:00Z", content: "请问退款多久到账？" },
      { receivedAt: "2026-11-21T08:01:00Z", content: "我想开发票" },
      { receivedAt: "2026-11-21T08:02:00Z", content: "Where is my REFUND?" },
      { receivedAt: "2026-11-21T08:03:00Z", content: "100% 真的_吗" },
    ]);
    const contents = async (q: string) => (await listMessages(pool, { accountId, filters: { q } })).items.map((r) => r.preview);
    assert.deepEqual(await contents("退款"), ["请问退款多久到账？"]);
    assert.deepEqual(await contents("退款多久到账"), ["请问退款多久到账？"]);
    assert.deepEqual(await contents("票"), ["我想开发票"]);
    assert.deepEqual(await contents("refund"), ["Where is my REFUND?"]);
    assert.deepEqual(await contents("100%"), ["100% 真的_吗"]); // no LIKE wildcards
    assert.deepEqual(await contents("_吗"), ["100% 真的_吗"]);
    assert.deepEqual(await contents("退票"), []);
  });

  test("the GIN index on character grams serves Chinese terms in this (C-locale) database", async () => {
    const client = await pool.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const { rows } = await client.query(`EXPLAIN SELECT id FROM message WHERE content_grams @> $1::text[]`, [termGrams("退款")]);
      assert.match(rows.map((r) => r["QUERY PLAN"]).join("\n"), /message_content_grams_idx/);
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });

  test("grams computed in Node (when storing and searching) equal mpdesk_search_grams() in SQL", async () => {
    const samples = ["你好，请问退款怎么办理", "Refund  NOW please", " a ", "😀表情 emoji", "Tab\there\nnew line", "x", ""];
    for (const text of samples) {
      const { rows } = await pool.query("SELECT mpdesk_search_grams($1) AS g", [text]);
      assert.deepEqual([...rows[0].g].sort(), contentGrams(text).sort(), JSON.stringify(text));
    }
  });

  test("a message stored through the callback's insert path is found by search", async () => {
    const xml =
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oSearch]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[请帮我开专票 INVOICE]]></Content><MsgId>6054768590064713999</MsgId></xml>";
    await insertMessages(pool, [normalizeInbound(parseWeChatXml(xml), xml, accountId, false, new Date())]);
    for (const q of ["专票", "invoice", "开专票 inv", "票"]) {
      const page = await listMessages(pool, { accountId, filters: { q } });
      assert.ok(
        page.items.some((r) => r.preview === "请帮我开专票 INVOICE"),
        q,
      );
    }
  });

  test("a rare term older than the newest SEARCH_WINDOW rows is still found", async () => {
    await insert([{ receivedAt: "2026-01-01T00:00:00Z", content: "很久以前的暗号 zebra" }]);
    await pool.query(
      `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, content, content_grams, raw_xml, fields, dedupe_key, received_at)
       SELECT $1, 'inbound', 'text', 'oBulk', 'gh_1', 'bulk ' || i, mpdesk_search_grams('bulk ' || i), '<xml/>', '{}', 'bulk' || i, timestamptz '2026-11-22' + i * interval '1 second'
         FROM generate_series(1, $2::int) i`,
      [accountId, SEARCH_WINDOW + 50],
    );
    const page = await listMessages(pool, { accountId, filters: { q: "暗号" } });
    assert.deepEqual(
      page.items.map((r) => r.preview),
      ["很久以前的暗号 zebra"],
    );
    const bulk = await listMessages(pool, { accountId, filters: { q: "bulk 1" }, limit: 10 });
    assert.equal(bulk.items.length, 10);
    assert.ok(bulk.older);
  });

  test("filters by type, event, direction, follower and calendar day in the viewer's time zone", async () => {
    await insert([
      { receivedAt: "2026-11-23T15:30:00Z", msgType: "event", event: "subscribe", fromUser: "oAlice" }, // 23:30 in Shanghai
      { receivedAt: "2026-11-23T16:30:00Z", msgType: "event", event: "CLICK", fromUser: "oAlice" }, // 00:30 on the 24th
      { receivedAt: "2026-11-23T16:31:00Z", direction: "outbound", fromUser: "gh_1", toUser: "oAlice", content: "客服回复" },
    ]);
    const ids = async (filters: Parameters<typeof listMessages>[1]["filters"]) =>
      (await listMessages(pool, { accountId, filters, tz: "Asia/Shanghai" })).items.map((r) => r.event ?? r.preview);
    assert.deepEqual(await ids({ type: "event", event: "CLICK" }), ["CLICK"]);
    assert.deepEqual(await ids({ openid: "oAlice" }), ["客服回复", "CLICK", "subscribe"]);
    assert.deepEqual(await ids({ direction: "outbound" }), ["客服回复"]);
    assert.deepEqual(await ids({ openid: "oAlice", from: "2026-11-23", to: "2026-11-23" }), ["subscribe"]);
    assert.deepEqual(await ids({ openid: "oAlice", from: "2026-11-24" }), ["客服回复", "CLICK"]);
  });

  test("a follower's thread and the customer-service window", async () => {
    const thread = await listFollowerThread(pool, { accountId, openId: "oAlice" });
    assert.deepEqual(
      thread.items.map((r) => r.event ?? r.content),
      ["subscribe", "CLICK", "客服回复"],
    );
    const w = await getWindowMeter(pool, accountId, "oAlice", new Date("2026-11-23T16:30:30Z"));
    assert.equal(w.lastInteraction?.toISOString(), "2026-11-23T16:30:00.000Z", "the CLICK opened it; the outbound reply does not count");
    assert.deepEqual([w.open, w.openedBy, w.limit], [true, "event", 3]);
    // A click opens the window for a minute only.
    assert.equal((await getWindowMeter(pool, accountId, "oAlice", new Date("2026-11-23T16:31:00Z"))).open, false);
  });

  test("the export walks every matching row in batches", async () => {
    let n = 0;
    let batches = 0;
    for await (const batch of exportMessages(pool, { accountId, filters: { q: "bulk" }, tz: "UTC", batchSize: 3000 })) {
      n += batch.length;
      batches++;
    }
    assert.equal(n, SEARCH_WINDOW + 50);
    assert.equal(batches, Math.ceil((SEARCH_WINDOW + 50) / 3000));
  });
});

describe("account settings", () => {
  const base: TCredentialsForm = {
    appId: "wx0123456789abcdef",
    token: "token123",
    messageMode: "plain",
    accountType: "service",
    certified: true,
    appSecret: "0123456789abcdefABCDEFGHIJ987654",
  };

  test("creates, then keeps secrets left empty and rotates a new EncodingAESKey", async () => {
    const created = await saveAccountSettings(prisma, base, KEY);
    assert.ok(created.ok && created.created);
    const id = created.ok ? created.accountId : "";
    const k1 = generateEncodingAesKey();
    const k2 = generateEncodingAesKey();
    assert.deepEqual(await saveAccountSettings(prisma, { ...base, accountId: id, appSecret: undefined, messageMode: "safe" }, KEY), {
      ok: false,
      field: "encodingAesKey",
      reason: "required",
    });
    const first = await saveAccountSettings(prisma, { ...base, accountId: id, appSecret: undefined, encodingAesKey: k1, messageMode: "safe" }, KEY);
    assert.ok(first.ok && !first.rotated);
    const same = await saveAccountSettings(prisma, { ...base, accountId: id, appSecret: undefined, encodingAesKey: k1, messageMode: "safe" }, KEY);
    assert.ok(same.ok && !same.rotated, "saving the same key is not a rotation");
    const second = await saveAccountSettings(prisma, { ...base, accountId: id, appSecret: undefined, encodingAesKey: k2, messageMode: "safe" }, KEY);
    assert.ok(second.ok && second.rotated);
    const row = await prisma.account.findUniqueOrThrow({ where: { id } });
    assert.equal(decryptSecret(row.encodingAesKeyEnc!, KEY, "account.encoding_aes_key", id), k2);
    assert.equal(decryptSecret(row.previousEncodingAesKeyEnc!, KEY, "account.previous_encoding_aes_key", id), k1);
    assert.equal(decryptSecret(row.appSecretEnc!, KEY, "account.app_secret", id), base.appSecret, "an empty AppSecret keeps the saved one");
  });

  test("refuses an AppID another account uses", async () => {
    const r = await saveAccountSettings(prisma, { ...base, appId: "wx00000000000000aa" }, KEY);
    assert.deepEqual(r, { ok: false, field: "appId", reason: "taken" });
  });

  test("a new account takes its display name from step 2; a later save of the credentials keeps it; rename changes or clears it", async () => {
    const created = await saveAccountSettings(prisma, { ...base, appId: "wx00000000000000c1", displayName: "客服号" }, KEY);
    assert.ok(created.ok);
    const id = created.ok ? created.accountId : "";
    const name = async () => (await prisma.account.findUniqueOrThrow({ where: { id } })).displayName;
    assert.equal(await name(), "客服号");
    assert.ok((await saveAccountSettings(prisma, { ...base, appId: "wx00000000000000c1", accountId: id, displayName: "ignored" }, KEY)).ok);
    assert.equal(await name(), "客服号", "the credentials form does not rename");
    assert.ok(await renameAccount(prisma, id, ZRenameForm.parse({ displayName: "  订阅号  " }).displayName));
    assert.equal(await name(), "订阅号");
    assert.ok(await renameAccount(prisma, id, ZRenameForm.parse({ displayName: "" }).displayName));
    assert.equal(await name(), null, "blank clears it");
    assert.equal(ZRenameForm.safeParse({ displayName: "x".repeat(65) }).success, false);
    assert.equal(ZRenameForm.safeParse({ displayName: "a\u0007b" }).success, false);
    assert.equal(await renameAccount(prisma, randomUUID(), "nobody"), false);
  });
});

describe("the overview of all accounts", () => {
  test("one statement gives each account its last message, verification, token state and 24-hour count, in the order asked", async () => {
    const quiet = randomUUID();
    const busy = randomUUID();
    await pool.query(`INSERT INTO account (id, app_id, token) VALUES ($1, 'wx00000000000000d1', 'tok'), ($2, 'wx00000000000000d2', 'tok')`, [quiet, busy]);
    const now = Date.now();
    for (const [i, hoursAgo] of [1, 5, 23, 30].entries()) {
      await pool.query(
        `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, raw_xml, fields, dedupe_key, received_at)
         VALUES ($1, 'inbound', 'text', 'o1', 'gh_1', '<xml/>', '{}', $2, $3)`,
        [busy, `d-${i}`, new Date(now - hoursAgo * 3600_000)],
      );
    }
    await pool.query(
      `INSERT INTO callback_event (account_id, method, outcome, reason, status, minute, count, first_at, last_at)
       VALUES ($1, 'GET', 'verified', '', 200, date_trunc('minute', now()), 1, now(), now())`,
      [busy],
    );
    await pool.query(`INSERT INTO access_token (account_id, token_enc, expires_at) VALUES ($1, 'sealed', now() + interval '1 hour')`, [busy]);
    const ghost = randomUUID();
    const [b, q] = await summarizeAccounts(pool, [busy, ghost, quiet]);
    assert.equal(b?.accountId, busy);
    assert.equal(q?.accountId, quiet, "an id with no account is left out, the order kept");
    assert.equal(b!.messages24h, 3, "the message 30 hours old is not counted");
    assert.ok(b!.lastMessageAt && Math.abs(b!.lastMessageAt.getTime() - (now - 3600_000)) < 1000);
    assert.ok(b!.lastVerifiedAt);
    assert.equal(b!.tokenState, "valid");
    assert.deepEqual(q, { accountId: quiet, lastMessageAt: null, lastVerifiedAt: null, messages24h: 0, tokenState: "none" });
    assert.deepEqual(await summarizeAccounts(pool, []), []);
  });
});

describe("users and sign-in", () => {
  test("five failures per e-mail and IP lock sign-in for that pair only; success clears them", async () => {
    await prisma.user.create({ data: { email: "t@example.com", passwordHash: await hashPassword("right password"), role: "viewer" } });
    for (let i = 0; i < 4; i++)
      assert.deepEqual(await authenticateUser(prisma, { email: "t@example.com", password: "nope", ip: "198.51.100.1" }), { ok: false, reason: "invalid" });
    assert.equal(
      (await authenticateUser(prisma, { email: "T@Example.com ", password: "right password", ip: "198.51.100.1" })).ok,
      true,
      "four failures still let the owner in",
    );
    for (let i = 0; i < 5; i++) await authenticateUser(prisma, { email: "t@example.com", password: "nope", ip: "198.51.100.1" });
    const locked = await authenticateUser(prisma, { email: "t@example.com", password: "right password", ip: "198.51.100.1" });
    assert.equal(locked.ok, false);
    assert.equal(!locked.ok && locked.reason, "throttled");
    assert.ok(!locked.ok && locked.reason === "throttled" && locked.retryAfterMs > 14 * 60_000);
    assert.equal(
      (await authenticateUser(prisma, { email: "t@example.com", password: "right password", ip: "198.51.100.2" })).ok,
      true,
      "another address is not locked",
    );
  });

  test("the last admin cannot be demoted or removed; nobody removes themselves", async () => {
    const a = await prisma.user.create({ data: { email: "only-admin@example.com", passwordHash: "x", role: "admin" } });
    assert.deepEqual(await changeUserRole(prisma, a.id, "viewer"), { ok: false, reason: "lastAdmin" });
    const other = await prisma.user.findFirstOrThrow({ where: { email: "t@example.com" } });
    assert.deepEqual(await removeUser(prisma, a.id, other.id), { ok: false, reason: "lastAdmin" });
    assert.deepEqual(await removeUser(prisma, a.id, a.id), { ok: false, reason: "self" });
    assert.deepEqual(await changeUserRole(prisma, other.id, "admin"), { ok: true, email: "t@example.com" });
    assert.deepEqual(await changeUserRole(prisma, a.id, "viewer"), { ok: true, email: "only-admin@example.com" });
  });

  test("a password reset generates a new password and ends existing sessions", async () => {
    const u = await prisma.user.findFirstOrThrow({ where: { email: "t@example.com" } });
    const r = await resetUserPassword(prisma, u.id);
    assert.ok(r.ok && r.password.length === 20);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    assert.equal(after.sessionVersion, u.sessionVersion + 1);
    assert.equal((await authenticateUser(prisma, { email: "t@example.com", password: r.ok ? r.password : "", ip: "198.51.100.3" })).ok, true);
    const created = await createUser(prisma, { email: "new@example.com", role: "viewer" });
    assert.ok(created.ok && created.generatedPassword?.length === 20);
    assert.deepEqual(await createUser(prisma, { email: "new@example.com", role: "viewer" }), { ok: false, reason: "taken" });
  });
});
