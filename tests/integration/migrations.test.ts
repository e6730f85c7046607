import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { applyMigrations } from "../../lib/apply-migrations";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { createTestDatabase } from "../helpers/test-database";

// The committed SQL migrations, applied by our own runner, must (1) keep Prisma's bookkeeping
// so `prisma migrate deploy` stays interchangeable, and (2) produce the schema the generated
// Prisma client expects, column for column.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
before(async () => (db = await createTestDatabase()));
after(async () => db?.drop());

test("each migration is recorded once with Prisma's sha256 checksum; re-running applies nothing", async () => {
  const again = await applyMigrations(db.url);
  assert.deepEqual(again.applied, []);
  const names = readdirSync("prisma/migrations", { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
  await client.end();
  assert.deepEqual(
    rows.map((r) => r.migration_name),
    names,
  );
  for (const r of rows) {
    const sql = readFileSync(`prisma/migrations/${r.migration_name}/migration.sql`);
    assert.equal(r.checksum, createHash("sha256").update(sql).digest("hex"));
    assert.ok(r.finished_at);
    assert.equal(r.applied_steps_count, 1);
  }
});

test("the generated Prisma client reads and writes every model of the migrated schema", async () => {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  try {
    const account = await prisma.account.create({ data: { appId: "wx0123456789abcdef", token: "tok" } });
    const data = {
      accountId: account.id,
      direction: "inbound",
      msgType: "text",
      fromUser: "o1",
      toUser: "gh",
      msgId: "6054768590064713728",
      createTime: 1714112445n,
      rawXml: "<xml/>",
      fields: { a: "1" },
      dedupeKey: "k",
      locationX: 1.5,
      scale: 3,
    } as const;
    const message = await prisma.message.create({ data });
    assert.equal(message.msgId, "6054768590064713728");
    await prisma.callbackEvent.create({ data: { accountId: account.id, method: "GET", outcome: "verified", status: 200 } });
    await prisma.user.create({ data: { email: "a@b.c", passwordHash: "x", role: "admin" } });
    const viewer = await prisma.user.create({
      data: { email: "v@b.c", passwordHash: "x", memberships: { create: { accountId: account.id, role: "viewer" } } },
    });
    const key = await prisma.apiKey.create({ data: { name: "k", keyHash: "h", prefix: "mpd_", accounts: { create: { accountId: account.id } } } });
    await prisma.account.update({ where: { id: account.id }, data: { displayName: "客服号" } });
    const scoped = await prisma.account.findUniqueOrThrow({ where: { id: account.id }, include: { members: true, apiKeys: true } });
    assert.equal(scoped.displayName, "客服号");
    assert.deepEqual(
      scoped.members.map((m) => [m.userId, m.role]),
      [[viewer.id, "viewer"]],
    );
    assert.deepEqual(
      scoped.apiKeys.map((k) => k.apiKeyId),
      [key.id],
    );
    const loaded = await prisma.account.findUniqueOrThrow({ where: { id: account.id }, include: { messages: true, callbackEvents: true } });
    assert.equal(loaded.messages.length, 1);
    assert.equal(loaded.callbackEvents.length, 1);
    await assert.rejects(prisma.message.create({ data }), /Unique constraint/);
  } finally {
    await prisma.$disconnect();
  }
});

test("reply rules: a rule with keywords, replies and a cooldown; names unique per account; deleted with their account", async () => {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  try {
    const account = await prisma.account.create({ data: { appId: "wxrules0123456789", token: "tok" } });
    assert.equal(account.timeZone, "Asia/Shanghai");
    const rule = await prisma.replyRule.create({
      data: {
        accountId: account.id,
        name: "退款",
        trigger: "keyword",
        priority: 10,
        windowStartMin: 18 * 60,
        windowEndMin: 9 * 60,
        replyMode: "all",
        keywords: { create: [{ position: 0, match: "regex", pattern: "^退款\\d+$" }] },
        replies: { create: [{ position: 0, type: "news", title: "T", url: "https://example.com" }] },
        cooldowns: { create: { accountId: account.id, follower: "o1", lastFiredAt: new Date(), dedupeKey: "k" } },
      },
      include: { keywords: true, replies: true, cooldowns: true },
    });
    assert.equal(rule.cooldownS, 3600);
    assert.equal(rule.enabled, true);
    assert.deepEqual([rule.keywords.length, rule.replies[0]!.type, rule.cooldowns[0]!.follower], [1, "news", "o1"]);
    await assert.rejects(prisma.replyRule.create({ data: { accountId: account.id, name: "退款", trigger: "default" } }), /Unique constraint/);
    // Half a window is refused by the database itself.
    await assert.rejects(prisma.replyRule.create({ data: { accountId: account.id, name: "half", trigger: "default", windowStartMin: 60 } }));
    await prisma.account.delete({ where: { id: account.id } });
    assert.equal(await prisma.replyRule.count({ where: { accountId: account.id } }), 0);
    assert.equal(await prisma.replyCooldown.count({ where: { accountId: account.id } }), 0);
  } finally {
    await prisma.$disconnect();
  }
});

test("per-account access: viewers from before keep viewing the accounts that existed; administrators get no rows", async () => {
  // A database as the release before per-account access left it: every migration up to that one.
  const admin = process.env.MPDESK_TEST_PG_URL!;
  const name = `mpdesk_t_${randomBytes(6).toString("hex")}`;
  const server = new pg.Client({ connectionString: admin });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-migrations-"));
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    const all = readdirSync("prisma/migrations", { withFileTypes: true }).filter((d) => d.isDirectory());
    const access = all.findIndex((d) => d.name.endsWith("_account_access"));
    assert.ok(access > 0, "the per-account access migration exists");
    for (const d of all.slice(0, access)) cpSync(path.join("prisma/migrations", d.name), path.join(dir, d.name), { recursive: true });
    await applyMigrations(url.toString(), dir);

    await client.connect();
    const accounts = (
      await client.query(
        `INSERT INTO account (id, app_id, token) VALUES (gen_random_uuid(), 'wx00000000000000a1', 't'), (gen_random_uuid(), 'wx00000000000000a2', 't') RETURNING id`,
      )
    ).rows.map((r) => r.id as string);
    const users = await client.query(
      `INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), 'old-viewer@example.com', 'x', 'viewer'), (gen_random_uuid(), 'old-admin@example.com', 'x', 'admin') RETURNING id, role`,
    );
    const viewerId = users.rows.find((r) => r.role === "viewer")!.id as string;

    const rest = await applyMigrations(url.toString());
    assert.ok(rest.applied.includes(all[access]!.name), `applied ${rest.applied.join(", ")}`);
    const { rows } = await client.query(`SELECT user_id, account_id, role FROM account_member ORDER BY account_id`);
    assert.deepEqual(
      rows.map((r) => [r.user_id, r.account_id, r.role]),
      [...accounts].sort().map((a) => [viewerId, a, "viewer"]),
    );
  } finally {
    await client.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
  }
});
