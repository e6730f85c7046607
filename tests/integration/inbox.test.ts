import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { insertAccount } from "../helpers/accounts";
import { TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { createTestDatabase } from "../helpers/test-database";
import { listInbox } from "../../lib/inbox/list-inbox";
import { markThreadRead } from "../../lib/inbox/mark-thread-read";

// The inbox query against a real PostgreSQL: who is waiting (their last message unanswered by a
// person or a service, in a window still open), newest first, with unread counts per user.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let accountId: string;
let otherAccountId: string;
const alice = randomUUID();
const bob = randomUUID();
const ORIGINAL_ID = "gh_97417a04a28d";
const HOUR = 3600_000;
const openId = () => `o${randomBytes(12).toString("base64url")}`;
const ago = (ms: number) => new Date(Date.now() - ms);

/** An inbound row as the callback stores it; returns its id. */
async function inbound(from: string, at: Date, opts: { event?: string; content?: string; account?: string } = {}): Promise<string> {
  const { rows } = await pool.query(
    `INSERT INTO message (account_id, direction, msg_type, event, from_user, to_user, content, raw_xml, fields, dedupe_key, received_at)
     VALUES ($1, 'inbound', $2, $3, $4, $5, $6, '<xml/>', '{}', $7, $8) RETURNING id::text`,
    [
      opts.account ?? accountId,
      opts.event ? "event" : "text",
      opts.event ?? null,
      from,
      ORIGINAL_ID,
      opts.event ? null : (opts.content ?? "在吗？"),
      randomUUID(),
      at,
    ],
  );
  return rows[0].id;
}

/** An outbound row as sendCustomMessage or a rule stores it. */
async function outbound(to: string, at: Date, s: { source: "console" | "api" | "rule"; status: "sent" | "queued" | "failed"; errcode?: number }) {
  await pool.query(
    `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, content, raw_xml, fields, send_via, send_source, send_status, send_errcode, sent_by_user_id, received_at)
     VALUES ($1, 'outbound', 'text', $2, $3, '您好', '', '{}', 'custom', $4::send_source, $5::send_status, $6, $7, $8)`,
    [accountId, ORIGINAL_ID, to, s.source, s.status, s.errcode ?? null, s.source === "console" ? alice : null, at],
  );
}

const waitingFor = async (userId: string) => new Map((await listInbox(pool, { accountId, userId, limit: 1000 })).items.map((i) => [i.openId, i]));

before(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  accountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { appId: `wx${randomBytes(8).toString("hex")}`, token: "tok3n", mode: "plain" });
  otherAccountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { appId: `wx${randomBytes(8).toString("hex")}`, token: "tok3n", mode: "plain" });
  for (const [id, email] of [
    [alice, "alice@example.com"],
    [bob, "bob@example.com"],
  ])
    await pool.query(`INSERT INTO "user" (id, email, password_hash) VALUES ($1, $2, 'x')`, [id, email]);
});
after(async () => {
  await pool?.end();
  await db?.drop();
});

test("lists the followers whose last message waits in an open window, newest first, with the window's end", async () => {
  const older = openId();
  const newer = openId();
  const expired = openId();
  const eventOnly = openId();
  const elsewhere = openId();
  const olderAt = ago(3 * HOUR);
  await inbound(older, ago(5 * HOUR));
  await inbound(older, olderAt, { content: "第二条" });
  await inbound(newer, ago(10 * 60_000), { content: "最新的" });
  await inbound(expired, ago(49 * HOUR));
  await inbound(eventOnly, ago(60_000), { event: "subscribe" });
  await inbound(elsewhere, ago(60_000), { account: otherAccountId });

  const items = (await listInbox(pool, { accountId, userId: alice, limit: 1000 })).items.filter((i) =>
    [older, newer, expired, eventOnly, elsewhere].includes(i.openId),
  );
  assert.deepEqual(
    items.map((i) => i.openId),
    [newer, older],
    "newest first; an expired window, an event alone and another account's follower are not listed",
  );
  const o = items[1]!;
  assert.equal(o.preview, "第二条");
  assert.equal(o.lastAt.getTime(), olderAt.getTime());
  assert.equal(o.until.getTime(), olderAt.getTime() + 48 * HOUR);
  assert.ok(Math.abs(o.leftMs - 45 * HOUR) < 60_000, `about 45 h left, not ${o.leftMs} ms`);
  assert.equal(o.unread, 2);
});

test("a person's or a service's answer ends the wait; a rule's, a failed one or one before the message does not; 45015 closes it", async () => {
  const byConsole = openId();
  const byApiQueued = openId();
  const byRule = openId();
  const failed = openId();
  const answeredBefore = openId();
  const closedByWeChat = openId();
  for (const f of [byConsole, byApiQueued, byRule, failed, closedByWeChat]) await inbound(f, ago(2 * HOUR));
  await outbound(byConsole, ago(HOUR), { source: "console", status: "sent" });
  await outbound(byApiQueued, ago(HOUR), { source: "api", status: "queued" });
  await outbound(byRule, ago(HOUR), { source: "rule", status: "sent" });
  await outbound(failed, ago(HOUR), { source: "console", status: "failed", errcode: 40003 });
  await outbound(closedByWeChat, ago(HOUR), { source: "api", status: "failed", errcode: 45015 });
  await outbound(answeredBefore, ago(3 * HOUR), { source: "console", status: "sent" });
  await inbound(answeredBefore, ago(2 * HOUR));

  const waiting = await waitingFor(alice);
  assert.ok(!waiting.has(byConsole), "answered from the console");
  assert.ok(!waiting.has(byApiQueued), "answered by a service, queued for retry");
  assert.ok(waiting.has(byRule), "a rule's automatic answer still leaves the person waiting");
  assert.ok(waiting.has(failed), "a failed send did not answer");
  assert.ok(waiting.has(answeredBefore), "the answer came before the follower's new message");
  assert.ok(!waiting.has(closedByWeChat), "WeChat said the window is closed");

  // Writing again after the answer puts the follower back.
  await inbound(byConsole, ago(60_000), { content: "还有一个问题" });
  const again = (await waitingFor(alice)).get(byConsole);
  assert.ok(again, "waiting again after a new message");
  assert.equal(again.preview, "还有一个问题");
});

test("unread counts are per user: opening the thread marks it read for that user only, and later messages are unread again", async () => {
  const f = openId();
  await inbound(f, ago(30 * 60_000));
  await inbound(f, ago(20 * 60_000), { event: "CLICK" });
  const last = await inbound(f, ago(10 * 60_000));
  assert.equal((await waitingFor(alice)).get(f)?.unread, 2, "events are not counted");

  await markThreadRead(pool, { userId: alice, accountId, openId: f, throughId: last });
  assert.equal((await waitingFor(alice)).get(f)?.unread, 0, "read by alice");
  assert.equal((await waitingFor(bob)).get(f)?.unread, 2, "bob has not read it");
  assert.ok((await waitingFor(alice)).has(f), "reading is not answering: still waiting");

  const newest = await inbound(f, ago(60_000));
  assert.equal((await waitingFor(alice)).get(f)?.unread, 1);
  // An older page of the thread rendered late never moves the marker back.
  await markThreadRead(pool, { userId: alice, accountId, openId: f, throughId: String(BigInt(last) - 1n) });
  assert.equal((await waitingFor(alice)).get(f)?.unread, 1);
  await markThreadRead(pool, { userId: alice, accountId, openId: f, throughId: newest });
  assert.equal((await waitingFor(alice)).get(f)?.unread, 0);
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inbox_read WHERE user_id = $1 AND open_id = $2`, [alice, f]);
  assert.equal(rows[0].n, 1, "one marker per user and follower");

  // The table as prisma/schema.prisma describes it (the migration and the model agree).
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  try {
    const marker = await prisma.inboxRead.findUniqueOrThrow({ where: { userId_accountId_openId: { userId: alice, accountId, openId: f } } });
    assert.equal(marker.readThrough, BigInt(newest));
    await markThreadRead(pool, { userId: bob, accountId, openId: f, throughId: newest });
    assert.equal(await prisma.inboxRead.count({ where: { userId: bob } }), 1);
    // A removed user's markers go with them.
    await prisma.user.delete({ where: { id: bob } });
    assert.equal(await prisma.inboxRead.count({ where: { userId: bob } }), 0);
  } finally {
    await prisma.$disconnect();
  }
});

test("pages of the inbox follow each other without a gap or a repeat, even when two messages share a time", async () => {
  const other = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { appId: `wx${randomBytes(8).toString("hex")}`, token: "tok3n", mode: "plain" });
  const followers = Array.from({ length: 7 }, () => openId());
  const at = ago(HOUR);
  // Three share the same instant: only the id tells them apart in the order.
  for (const [i, f] of followers.entries()) await inbound(f, i < 3 ? at : ago(HOUR + i * 60_000), { account: other });
  const seen: string[] = [];
  let before: string | undefined;
  for (let page = 0; page < 10; page++) {
    const p = await listInbox(pool, { accountId: other, userId: alice, limit: 3, before });
    assert.ok(p.items.length <= 3);
    seen.push(...p.items.map((i) => i.openId));
    if (!p.older) break;
    before = p.older;
  }
  assert.equal(seen.length, 7);
  assert.deepEqual(new Set(seen), new Set(followers));
  // Newest first: the three at the same instant (newest id first), then the older ones.
  assert.deepEqual(seen.slice(0, 3), followers.slice(0, 3).reverse());
  assert.deepEqual(seen.slice(3), followers.slice(3));
});
