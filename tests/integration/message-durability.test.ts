import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createPool } from "../../lib/db";
import { normalizeInbound, type InboundRow } from "../../lib/messages/inbound-row";
import { createMessageStore } from "../../lib/messages/message-store";
import { listSpool, writeToSpool } from "../../lib/messages/spool";
import { parseWeChatXml } from "../../lib/wechat/xml";
import { eventually } from "../helpers/eventually";
import { bigMsgId, messageXml } from "../helpers/wechat-simulator";
import { openId } from "../helpers/message-catalog";
import { createTestDatabase } from "../helpers/test-database";

// The message store against a real PostgreSQL: a row the database refuses for good is set aside
// with its reason and never blocks the others; transient refusals spool; spool files that cannot
// be read right now wait, and only a file that cannot be parsed is put aside.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: pg.Pool;
let sql: pg.Client;
let accountId: string;

function row(over: Partial<InboundRow> = {}): InboundRow {
  const fields = parseWeChatXml(
    messageXml({ ToUserName: "gh_x", FromUserName: openId(), CreateTime: 1714112445, MsgType: "text", Content: "hi", MsgId: bigMsgId() }),
  );
  const r = normalizeInbound(fields, "<xml/>", accountId, false, new Date());
  return { ...r, ...over };
}
/** A row whose unique key exceeds the btree row limit: random, so compression cannot save it. */
function oversized(): InboundRow {
  const msgId = randomBytes(2000).toString("base64").slice(0, 3000);
  const r = row();
  return { ...r, msgId, dedupeKey: JSON.stringify(["m", r.fromUser, msgId]) };
}
const stored = async (r: InboundRow) =>
  Number((await sql.query("SELECT count(*) FROM message WHERE account_id = $1 AND dedupe_key = $2", [accountId, r.dedupeKey])).rows[0].count);
const quarantined = async () => (await sql.query("SELECT reason, sqlstate, source, payload FROM message_quarantine ORDER BY id")).rows;
const tmpSpool = () => mkdtempSync(path.join(os.tmpdir(), "mpdesk-spool-"));

before(async () => {
  db = await createTestDatabase();
  pool = createPool(db.url, 4);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  accountId = randomUUID();
  await sql.query(`INSERT INTO account (id, app_id, token) VALUES ($1, 'wx00000000000000dd', 'tok')`, [accountId]);
});
after(async () => {
  await sql?.end();
  await pool?.end();
  await db?.drop();
});

describe("spool replay", () => {
  test("one row the database refuses is quarantined with its reason; the rows around it are stored", async () => {
    const dir = tmpSpool();
    const store = createMessageStore({ pool, spoolDir: dir });
    await sql.query("DELETE FROM message_quarantine").catch(() => {});
    const good = Array.from({ length: 250 }, () => row());
    const bad = oversized();
    // The bad row sits in the middle of the first batch of 200.
    for (const r of good.slice(0, 100)) await writeToSpool(dir, r);
    await writeToSpool(dir, bad);
    for (const r of good.slice(100)) await writeToSpool(dir, r);

    await store.replaySpool();
    for (const r of good) assert.equal(await stored(r), 1, "every good row stored once");
    assert.equal(await stored(bad), 0);
    assert.deepEqual(await listSpool(dir), [], "nothing left to retry");
    const q = await quarantined();
    assert.equal(q.length, 1);
    assert.equal(q[0].sqlstate, "54000");
    assert.match(q[0].reason, /index row size|exceeds/i);
    assert.equal(JSON.parse(q[0].payload).msgId, bad.msgId, "the whole row is kept for an operator");

    // A second pass neither retries nor duplicates anything.
    await store.replaySpool();
    assert.equal((await quarantined()).length, 1);
    rmSync(dir, { recursive: true, force: true });
  });

  test("only an unparsable file is put aside; a file that cannot be read now is retried later", async () => {
    const dir = tmpSpool();
    const good = row();
    const later = row();
    await writeToSpool(dir, good);
    const laterName = await writeToSpool(dir, later);
    writeFileSync(path.join(dir, "000000000000001-1-garbage.json"), "{ not json");
    // A real I/O error: an entry that is a directory (EISDIR), which no retry can parse but no
    // parse error either: it waits for an operator without being moved or deleted.
    mkdirSync(path.join(dir, "000000000000002-1-dir.json"));
    let failing = true;
    const io = {
      readFile: (async (file: string, enc: BufferEncoding) => {
        if (failing && file.endsWith(laterName)) throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
        return readFile(file, enc);
      }) as typeof readFile,
    };
    const store = createMessageStore({ pool, spoolDir: dir, spoolIo: io });
    await store.replaySpool();
    assert.equal(await stored(good), 1);
    assert.equal(await stored(later), 0, "the file that failed to read is not lost");
    const left = await listSpool(dir);
    assert.deepEqual(left.sort(), ["000000000000002-1-dir.json", laterName].sort());
    assert.deepEqual(
      readdirSync(path.join(dir, "unreadable")).filter((n) => n.endsWith(".json")),
      ["000000000000001-1-garbage.json"],
    );

    failing = false;
    await store.replaySpool();
    assert.equal(await stored(later), 1, "retried once the I/O error cleared");
    assert.deepEqual(await listSpool(dir), ["000000000000002-1-dir.json"]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("live path", () => {
  test("a batch with one refused row: the others are stored, the refused one is quarantined, nobody gets an error", async () => {
    const dir = tmpSpool();
    const store = createMessageStore({ pool, spoolDir: dir });
    const good = Array.from({ length: 60 }, () => row());
    const bad = oversized();
    const all = [...good.slice(0, 30), bad, ...good.slice(30)];
    const results = await Promise.all(all.map((r) => store.record(r)));
    assert.equal(results[30]!.stored, "quarantined");
    for (const [i, r] of results.entries()) if (i !== 30) assert.equal(r.stored, "inserted");
    for (const r of good) assert.equal(await stored(r), 1);
    assert.ok((await quarantined()).some((q) => JSON.parse(q.payload).msgId === bad.msgId));
    assert.deepEqual(await listSpool(dir), []);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a statement timeout (57014) spools within the budget; the row is stored once when the lock is gone", async () => {
    const dir = tmpSpool();
    const tight = createPool(db.url, 2, { statementTimeoutMs: 200 });
    const store = createMessageStore({ pool: tight, spoolDir: dir });
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE message IN ACCESS EXCLUSIVE MODE");
      const r = row();
      const started = Date.now();
      const out = await store.record(r);
      const took = Date.now() - started;
      assert.equal(out.stored, "spooled");
      assert.ok(took < 4_500, `answered within WeChat's budget (${took} ms)`);
      // The server cancels a statement after its timeout, so nothing of ours stays queued on the
      // lock, which is held until COMMIT below: without a server-side timeout this never holds.
      await eventually(
        async () =>
          Number(
            (await sql.query(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO message%'`)).rows[0].count,
          ) === 0,
        { what: "no insert left waiting on the lock", timeoutMs: 2_000 },
      );
      await locker.query("COMMIT");
      await store.replaySpool();
      assert.equal(await stored(r), 1);
      assert.deepEqual(await listSpool(dir), []);
    } finally {
      await locker.end();
      await tight.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
