import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { configureLib, TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { installMenuApis, MENU_PATHS } from "../helpers/mock-wechat/menu";
import { createTestDatabase } from "../helpers/test-database";

// Re-ordering and removing conditional menus against the mock's menu APIs, over real HTTP and a
// real PostgreSQL: WeChat matches the newest first, so a new order is copies added and originals
// deleted, and a failure midway must leave a state that is reported as WeChat holds it.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let menus: ReturnType<typeof installMenuApis>;
let pool: pg.Pool;
let accountId: string;
let reorder: typeof import("../../lib/menu/reorder-conditional");
let cond: typeof import("../../lib/menu/conditional-menus");
let queries: typeof import("../../lib/menu/conditional-queries");
const main = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex"), accountType: "service" as const };
const menuFor = (name: string) => ({ button: [{ type: "click" as const, name, key: `K_${name}` }] });

/** The tags of the conditional menus WeChat holds, in matching order (newest first). */
const matchOrder = () => [...menus.conditional(main.appId)].reverse().map((c) => String(c.matchrule.tag_id));

before(async () => {
  mock = await startMockWeChatApi();
  menus = installMenuApis(mock);
  db = await createTestDatabase();
  mock.addApp({ appId: main.appId, secret: main.appSecret });
  accountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, main);
  configureLib(db.url, mock.url);
  reorder = await import("../../lib/menu/reorder-conditional");
  cond = await import("../../lib/menu/conditional-menus");
  queries = await import("../../lib/menu/conditional-queries");
  pool = (await import("../../lib/db")).getPool();
  menus.setTags(main.appId, [
    { id: 101, name: "A" },
    { id: 102, name: "B" },
    { id: 103, name: "C" },
  ]);
  menus.setFollower(main.appId, "o_ab", [101, 102]);
});
after(async () => {
  await pool?.end();
  await mock?.close();
  await db?.drop();
});

describe("conditional menus: sync, re-order, remove", () => {
  test("without a default menu: none held, and addconditional is refused by WeChat (65303)", async () => {
    assert.deepEqual(await reorder.syncConditionalMenus(pool, accountId, null), { hasDefault: false, menu: null, conditional: [] });
    await assert.rejects(cond.addConditionalMenu(pool, accountId, menuFor("A"), { tag_id: "101" }, null), /65303/);
  });

  test("sync lists them newest first and keeps them in menu_conditional", async () => {
    const { callWeChatApi } = await import("../../lib/tokens/call-wechat-api");
    await callWeChatApi(accountId, { method: "POST", path: MENU_PATHS.create, body: menuFor("default") });
    for (const tag of ["101", "102", "103"]) {
      const added = await cond.addConditionalMenu(pool, accountId, menuFor(tag === "101" ? "A" : tag === "102" ? "B" : "C"), { tag_id: tag }, null);
      assert.equal(added.ok, true);
    }
    const held = await reorder.syncConditionalMenus(pool, accountId, null);
    assert.equal(held.hasDefault, true);
    assert.deepEqual(
      held.conditional.map((c) => [c.matchrule.tag_id, c.menu.button[0]!.name]),
      [
        ["103", "C"],
        ["102", "B"],
        ["101", "A"],
      ],
    );
    assert.deepEqual((await queries.listConditionalMenus(pool, accountId)).map((c) => (c.matchrule as { tag_id: string }).tag_id).sort(), [
      "101",
      "102",
      "103",
    ]);
  });

  test("re-ordering re-adds only the menus above the last that keeps its place, and trymatch follows the new order", async () => {
    const held = await reorder.syncConditionalMenus(pool, accountId, null);
    const [c, b, a] = held.conditional.map((x) => x.menuId) as [string, string, string];
    // o_ab has tags A and B: B (newer) wins now.
    assert.equal((await cond.tryMatchMenu(accountId, "o_ab")).button[0]!.name, "B");
    const adds = mock.calls(MENU_PATHS.addConditional);
    const dels = mock.calls(MENU_PATHS.delConditional);
    const out = await reorder.reorderConditionalMenus(pool, accountId, [a, c, b], null);
    assert.ok(out?.ok, JSON.stringify(out));
    assert.deepEqual(matchOrder(), ["101", "103", "102"]);
    // c and b are already in that relative order and keep their place: only a is copied, and its original deleted.
    assert.equal(mock.calls(MENU_PATHS.addConditional) - adds, 1);
    assert.equal(mock.calls(MENU_PATHS.delConditional) - dels, 1);
    for (const kept of [b, c])
      assert.ok(
        menus.conditional(main.appId).some((x) => x.menuid === kept),
        "a menu that kept its place kept its menuid",
      );
    assert.equal((await cond.tryMatchMenu(accountId, "o_ab")).button[0]!.name, "A");
    assert.deepEqual(
      out.held.conditional.map((x) => x.matchrule.tag_id),
      ["101", "103", "102"],
    );
    assert.equal((await queries.listConditionalMenus(pool, accountId)).length, 3);
  });

  test("an order that is not what WeChat holds is refused without a call", async () => {
    const adds = mock.calls(MENU_PATHS.addConditional);
    const held = await reorder.syncConditionalMenus(pool, accountId, null);
    const ids = held.conditional.map((x) => x.menuId);
    assert.equal(await reorder.reorderConditionalMenus(pool, accountId, ids.slice(1), null), null);
    assert.equal(await reorder.reorderConditionalMenus(pool, accountId, [...ids.slice(1), "999"], null), null);
    const same = await reorder.reorderConditionalMenus(pool, accountId, ids, null);
    assert.ok(same?.ok);
    assert.equal(mock.calls(MENU_PATHS.addConditional), adds, "the same order added nothing");
  });

  test("a failed re-add leaves the originals matching in their old order, and says what WeChat holds", async () => {
    const held = await reorder.syncConditionalMenus(pool, accountId, null);
    const before = matchOrder();
    const [x, y, z] = held.conditional.map((c) => c.menuId) as [string, string, string];
    // Reversed: x keeps its place; y's copy is added (lowest priority first), then z's fails.
    mock.script(main.appId, MENU_PATHS.addConditional, {}, { errcode: 45064 });
    const out = await reorder.reorderConditionalMenus(pool, accountId, [z, y, x], null);
    assert.ok(out && !out.ok, JSON.stringify(out));
    assert.equal(out.failure.step, "add");
    assert.equal(out.failure.menuId, z);
    assert.equal(out.failure.errcode, 45064);
    assert.deepEqual(out.failure.copied, [y]);
    assert.deepEqual(out.failure.deleted, []);
    // WeChat holds the three originals and y's copy, the newest: it matches first, the rest as before.
    assert.deepEqual(matchOrder(), [before[1], ...before]);
    assert.deepEqual(
      out.held.conditional.map((c) => c.matchrule.tag_id),
      matchOrder(),
      "the answer is what WeChat holds",
    );
    assert.equal((await queries.listConditionalMenus(pool, accountId)).length, 4, "and menu_conditional too");
  });

  test("remove: delconditional, kept list updated; an unknown menuid is WeChat's 65301", async () => {
    const held = await reorder.syncConditionalMenus(pool, accountId, null);
    const first = held.conditional[0]!.menuId;
    await cond.deleteConditionalMenu(pool, accountId, first);
    const after = await reorder.syncConditionalMenus(pool, accountId, null);
    assert.equal(after.conditional.length, held.conditional.length - 1);
    assert.ok(!after.conditional.some((c) => c.menuId === first));
    await assert.rejects(cond.deleteConditionalMenu(pool, accountId, first), /65301/);
    assert.equal((await queries.listConditionalMenus(pool, accountId)).length, after.conditional.length);
  });
});
