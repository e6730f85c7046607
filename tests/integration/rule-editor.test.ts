import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { RULES_CHANNEL } from "../../lib/replies/rule-queries";
import { findAccountRule, listAccountRules } from "../../lib/replies/rule-set-io";
import { deleteRule, reorderRules, saveRule, setRuleEnabled, type RuleAccount } from "../../lib/replies/save-rule";
import { createTestDatabase } from "../helpers/test-database";

// lib/replies/save-rule.ts against a real PostgreSQL: each write is one transaction that ends with
// the reload NOTIFY, ids and origins survive edits, and nothing of another account is touched.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: InstanceType<typeof PrismaClient>;
let listener: pg.Client;
const notified: string[] = [];
const unverified: RuleAccount = { id: randomUUID(), accountType: "subscription", certified: false };
const other: RuleAccount = { id: randomUUID(), accountType: "service", certified: true };

const keywordRule = (name: string, content = "99 元") => ({
  name,
  trigger: "keyword",
  keywords: [{ match: "contain", pattern: name }],
  replies: [{ type: "text", content }],
});

/** The NOTIFYs that arrived for this account since the last call. */
async function notificationsFor(accountId: string): Promise<number> {
  await new Promise((r) => setTimeout(r, 100));
  const n = notified.filter((id) => id === accountId).length;
  notified.length = 0;
  return n;
}

before(async () => {
  db = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  for (const a of [unverified, other]) {
    await prisma.$executeRaw`INSERT INTO account (id, app_id, token, account_type, certified) VALUES (${a.id}::uuid, ${`wx${randomBytes(8).toString("hex")}`}, 'tok3n', ${a.accountType}::account_type, ${a.certified})`;
  }
  listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  listener.on("notification", (m) => notified.push(m.payload ?? ""));
  await listener.query(`LISTEN ${RULES_CHANNEL}`);
});

after(async () => {
  await listener?.end();
  await prisma?.$disconnect();
  await db?.drop();
});

describe("saving rules from the console", () => {
  test("a new rule goes last in the order, from the console, and every instance is told", async () => {
    const a = await saveRule(prisma, unverified, null, keywordRule("价格"));
    const b = await saveRule(prisma, unverified, null, keywordRule("退款"));
    assert.ok(a.ok && b.ok);
    assert.equal(await notificationsFor(unverified.id), 2);
    const rules = await listAccountRules(prisma, unverified.id);
    assert.deepEqual(
      rules.map((r) => [r.name, r.origin]),
      [
        ["价格", "console"],
        ["退款", "console"],
      ],
    );
    assert.ok(rules[0]!.priority < rules[1]!.priority);
  });

  test("a name already used is refused on the name field, and nothing is told", async () => {
    const again = await saveRule(prisma, unverified, null, keywordRule("价格"));
    assert.deepEqual(again, { ok: false, issues: [{ path: "name", reason: "nameTaken" }] });
    assert.equal(await notificationsFor(unverified.id), 0);
  });

  test("an edit keeps the rule's id, place and origin, replaces its keywords and replies, and clears an import's reason once on", async () => {
    const [first] = await listAccountRules(prisma, unverified.id);
    await prisma.replyRule.update({ where: { id: first!.id }, data: { origin: "wechat_import", enabled: false, disabledReason: "needsCustomerService" } });
    const saved = await saveRule(prisma, unverified, first!.id, {
      ...keywordRule("价格", "88 元"),
      keywords: [
        { match: "equal", pattern: "价格" },
        { match: "regex", pattern: "^price$" },
      ],
    });
    assert.deepEqual(saved, { ok: true, id: first!.id, created: false });
    const now = (await findAccountRule(prisma, unverified.id, first!.id))!;
    assert.equal(now.priority, first!.priority);
    assert.equal(now.origin, "wechat_import");
    assert.equal(now.disabledReason, null);
    assert.equal(now.enabled, true);
    assert.deepEqual(
      now.keywords.map((k) => k.match),
      ["equal", "regex"],
    );
    assert.deepEqual(now.replies, [{ type: "text", content: "88 元" }]);
  });

  test("reply-all is refused on an account without customer service, on save and on switching it on", async () => {
    const refused = await saveRule(prisma, unverified, null, { ...keywordRule("all"), replyMode: "all" });
    assert.deepEqual(refused, { ok: false, issues: [{ path: "replyMode", reason: "needsCustomerService" }] });
    const allowed = await saveRule(prisma, other, null, { ...keywordRule("all"), replyMode: "all", enabled: false });
    assert.ok(allowed.ok);
    assert.equal(await setRuleEnabled(prisma, other, allowed.id, true), "ok");
    // The same rule moved under an unverified account's rules cannot be switched on there.
    await prisma.replyRule.update({ where: { id: allowed.id }, data: { accountId: unverified.id, enabled: false } });
    assert.equal(await setRuleEnabled(prisma, unverified, allowed.id, true), "needsCustomerService");
    await deleteRule(prisma, unverified.id, allowed.id);
  });

  test("reordering needs every rule of the account once; a stale list changes nothing", async () => {
    const ids = (await listAccountRules(prisma, unverified.id)).map((r) => r.id);
    notified.length = 0;
    assert.equal(await reorderRules(prisma, unverified.id, [ids[1]!]), false);
    assert.equal(await reorderRules(prisma, unverified.id, [ids[1]!, ids[1]!]), false);
    assert.equal(await notificationsFor(unverified.id), 0);
    assert.equal(await reorderRules(prisma, unverified.id, [ids[1]!, ids[0]!]), true);
    assert.equal(await notificationsFor(unverified.id), 1);
    assert.deepEqual(
      (await listAccountRules(prisma, unverified.id)).map((r) => r.id),
      [ids[1], ids[0]],
    );
  });

  test("another account's rule is not found: not edited, switched, or deleted", async () => {
    const [mine] = await listAccountRules(prisma, unverified.id);
    assert.deepEqual(await saveRule(prisma, other, mine!.id, keywordRule("x")), { ok: false, notFound: true });
    assert.equal(await setRuleEnabled(prisma, other, mine!.id, false), "notFound");
    assert.equal(await deleteRule(prisma, other.id, mine!.id), false);
    assert.ok(await findAccountRule(prisma, unverified.id, mine!.id));
    assert.equal(await deleteRule(prisma, unverified.id, mine!.id), true);
    assert.equal(await findAccountRule(prisma, unverified.id, mine!.id), null);
  });
});

describe("writers of one account's rules", () => {
  test("run one at a time: two new rules saved at once get distinct places, and two imports of one file at once both succeed", async () => {
    const account: RuleAccount = { id: randomUUID(), accountType: "service", certified: true };
    await prisma.$executeRaw`INSERT INTO account (id, app_id, token, account_type, certified) VALUES (${account.id}::uuid, ${`wx${randomBytes(8).toString("hex")}`}, 'tok3n', 'service'::account_type, true)`;
    const saved = await Promise.all(["甲", "乙", "丙", "丁"].map((name) => saveRule(prisma, account, null, keywordRule(name))));
    assert.ok(saved.every((s) => s.ok));
    const priorities = (await listAccountRules(prisma, account.id)).map((r) => r.priority);
    assert.equal(new Set(priorities).size, 4, `each rule has its own place: ${priorities.join(", ")}`);

    const { importRuleSet } = await import("../../lib/replies/rule-set-io");
    const { ZRuleSetFile } = await import("../../lib/replies/rule-fields");
    const file = ZRuleSetFile.parse({ version: 1, rules: [keywordRule("戊"), keywordRule("己")] });
    const results = await Promise.allSettled([importRuleSet(prisma, account.id, file), importRuleSet(prisma, account.id, file)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled"],
      String(results.map((r) => (r.status === "rejected" ? r.reason : "")).join(" ")),
    );
    assert.deepEqual((await listAccountRules(prisma, account.id)).map((r) => r.name).sort(), ["己", "戊"]);
  });
});
