import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { configureLib, TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { installMenuApis, MENU_PATHS } from "../helpers/mock-wechat/menu";
import { runMpdesk } from "../helpers/run-mpdesk";
import { createTestDatabase } from "../helpers/test-database";

// The custom menu against the mock's menu APIs over real HTTP and a real PostgreSQL: from the CLI
// as an operator runs it, and through lib/menu as the console's actions call it.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let menus: ReturnType<typeof installMenuApis>;
let pool: pg.Pool;
let dir: string;
let lib: typeof import("../../lib/menu/publish-menu");
let queries: typeof import("../../lib/menu/menu-queries");
const main = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex"), accountType: "service" as const };
const unverified = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex") };
const ids: Record<string, string> = {};

const mpdesk = (args: string[]) => runMpdesk(args, { databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });
function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

const V1 = {
  button: [
    { type: "click", name: "今日歌曲", key: "V1001_TODAY_MUSIC" },
    {
      name: "菜单",
      sub_button: [
        { type: "view", name: "搜索", url: "https://www.example.com/search" },
        { type: "miniprogram", name: "小程序", url: "https://mp.weixin.qq.com", appid: "wx286b93c14bbf93aa", pagepath: "pages/lunar/index" },
        { type: "location_select", name: "发送位置", key: "rselfmenu_2_0" },
      ],
    },
  ],
};
const V2 = { button: [{ type: "click", name: "Help 帮助", key: "HELP" }] };

before(async () => {
  mock = await startMockWeChatApi();
  menus = installMenuApis(mock);
  db = await createTestDatabase();
  for (const a of [main, unverified]) {
    mock.addApp({ appId: a.appId, secret: a.appSecret });
    ids[a.appId] = await insertAccount(db.url, TEST_ENCRYPTION_KEY, a);
  }
  menus.withoutMenuApi(unverified.appId);
  dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-menu-"));
  configureLib(db.url, mock.url);
  lib = await import("../../lib/menu/publish-menu");
  queries = await import("../../lib/menu/menu-queries");
  pool = (await import("../../lib/db")).getPool();
});
after(async () => {
  await pool?.end();
  await mock?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("menu publish and export on the CLI", () => {
  test("an invalid file is refused with every reason and WeChat is never called", async () => {
    const file = writeJson("bad.json", {
      button: [
        { type: "click", name: "会员服务中心", key: "A" },
        {
          name: "更多",
          sub_button: [
            { type: "view", name: "官网", url: "ftp://example.com" },
            { type: "click", name: "重复", key: "A" },
          ],
        },
      ],
    });
    const run = await mpdesk(["menu", "publish", file, "--account", main.appId]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /button\[0\]\.name: 18 bytes; at most 16 .*\(WeChat 40018, name_too_long\)/);
    assert.match(run.stderr, /button\[1\]\.sub_button\[0\]\.url: .*\(WeChat 40027, url_scheme\)/);
    assert.match(run.stderr, /button\[1\]\.sub_button\[1\]\.key: the key "A" is already used by button\[0\] \(WeChat 40026, key_duplicate\)/);
    assert.match(run.stderr, /nothing was sent/);
    assert.equal(mock.calls(MENU_PATHS.create), 0, "menu/create was not called");
    assert.equal((await queries.listMenuVersions(pool, ids[main.appId]!)).length, 0);

    const notJson = await mpdesk(["menu", "publish", writeJson("broken.json", '{"button": ['), "--account", main.appId]);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /not JSON/);
    assert.equal(mock.calls(MENU_PATHS.create), 0);
  });

  test("a valid file is sent to menu/create as written, recorded as version 1 by the CLI, and exported the same", async () => {
    const run = await mpdesk(["menu", "publish", writeJson("v1.json", V1), "--account", main.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /menu published as version 1 .*within about 5 minutes/);
    assert.deepEqual(mock.bodies(main.appId, MENU_PATHS.create).at(-1), {
      access_token: mock.bodies(main.appId, MENU_PATHS.create).at(-1)!.access_token,
      ...V1,
    });
    assert.deepEqual(menus.menu(main.appId), V1.button);
    const [v] = await queries.listMenuVersions(pool, ids[main.appId]!);
    assert.deepEqual([v?.number, v?.publishedVia, v?.publishedByUserId, v?.body], [1, "cli", null, V1]);

    const exported = await mpdesk(["menu", "export", "--account", main.appId]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(JSON.parse(exported.stdout), V1);
  });

  test("publish without a file publishes the saved draft", async () => {
    await queries.saveMenuDraft(pool, ids[main.appId]!, V2, null);
    const run = await mpdesk(["menu", "publish", "--account", main.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /version 2/);
    assert.deepEqual(menus.menu(main.appId), V2.button);
  });

  test("an account without the menu API: WeChat's 48001 is printed with what to do; no version is recorded", async () => {
    const run = await mpdesk(["menu", "publish", writeJson("v1-unverified.json", V1), "--account", unverified.appId]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /48001 .*certified/);
    assert.equal((await queries.listMenuVersions(pool, ids[unverified.appId]!)).length, 0);
    const exported = await mpdesk(["menu", "export", "--account", unverified.appId]);
    assert.equal(exported.code, 1);
    assert.match(exported.stderr, /48001/);
  });

  test("export of a menu set by another program reads menu/get, in menu/create's format", async () => {
    const other = { ...newSimAccount("plain"), appSecret: randomBytes(16).toString("hex"), accountType: "service" as const };
    mock.addApp({ appId: other.appId, secret: other.appSecret });
    await insertAccount(db.url, TEST_ENCRYPTION_KEY, other);
    const none = await mpdesk(["menu", "export", "--account", other.appId]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no menu is published/);
    // Another program's menu/create, straight at WeChat.
    const token = await fetch(`${mock.url}/cgi-bin/stable_token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "client_credential", appid: other.appId, secret: other.appSecret }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    await fetch(`${mock.url}${MENU_PATHS.create}?access_token=${token.access_token}`, { method: "POST", body: JSON.stringify(V1) });
    const run = await mpdesk(["menu", "export", "--account", other.appId]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), V1, "the empty sub_button of menu/get's leaves is gone");
  });
});

describe("versions and rollback", () => {
  test("a version records who published it; rollback republishes the old version exactly", async () => {
    const accountId = ids[main.appId]!;
    const userId = (
      await pool.query<{ id: string }>(
        `INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), 'menu@example.com', 'x', 'admin') RETURNING id`,
      )
    ).rows[0]!.id;
    const V3 = { button: [...V1.button, { type: "view", name: "官网 Site", url: "https://www.example.com/" }] };
    const published = await lib.publishMenu(pool, accountId, V3, { via: "console", userId });
    assert.ok(published.ok);
    assert.deepEqual([published.version.number, published.version.publishedVia, published.version.publishedByEmail], [3, "console", "menu@example.com"]);

    const sent = mock.bodies(main.appId, MENU_PATHS.create);
    const v1Body = sent[0]!;
    const before = sent.length;
    const back = await lib.rollbackMenu(pool, accountId, 1, { via: "console", userId });
    assert.ok(back.ok);
    assert.deepEqual([back.version.number, back.version.restoredFrom], [4, 1]);
    const again = mock.bodies(main.appId, MENU_PATHS.create);
    assert.equal(again.length, before + 1);
    const strip = ({ access_token: _t, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(strip(again.at(-1)!), strip(v1Body), "menu/create got version 1's body again");
    assert.equal(JSON.stringify(strip(again.at(-1)!)), JSON.stringify(V1), "in the same order, field by field");
    assert.equal(await queries.readMenuVersionText(pool, accountId, 4), await queries.readMenuVersionText(pool, accountId, 1));

    const versions = await queries.listMenuVersions(pool, accountId);
    assert.deepEqual(
      versions.map((v) => [v.number, v.publishedVia]),
      [
        [4, "console"],
        [3, "console"],
        [2, "cli"],
        [1, "cli"],
      ],
    );
    assert.deepEqual(await lib.diffMenuVersions(pool, accountId, 1, 3), [{ kind: "added", path: "button[2]", name: "官网 Site" }]);
    await assert.rejects(lib.rollbackMenu(pool, accountId, 99, { via: "console", userId }), /No menu version 99/);
  });

  test("an invalid menu given to the library is refused before WeChat, like the CLI's", async () => {
    const calls = mock.calls(MENU_PATHS.create);
    const outcome = await lib.publishMenu(pool, ids[main.appId]!, { button: [{ type: "click", name: "x" }] }, { via: "console", userId: null });
    assert.equal(outcome.ok, false);
    assert.deepEqual(!outcome.ok && outcome.problems.map((p) => [p.path, p.errcode]), [["button[0].key", 40019]]);
    assert.equal(mock.calls(MENU_PATHS.create), calls);
  });

  test("two publishes at once get consecutive numbers, and the last recorded is what WeChat holds", async () => {
    const accountId = ids[main.appId]!;
    const a = { button: [{ type: "click", name: "A", key: "A" }] };
    const b = { button: [{ type: "click", name: "B", key: "B" }] };
    mock.setDelay(MENU_PATHS.create, 150);
    const [ra, rb] = await Promise.all([
      lib.publishMenu(pool, accountId, a, { via: "cli", userId: null }),
      lib.publishMenu(pool, accountId, b, { via: "cli", userId: null }),
    ]);
    mock.setDelay(MENU_PATHS.create, 0);
    assert.ok(ra.ok && rb.ok);
    assert.deepEqual([ra.version.number, rb.version.number].sort(), [5, 6]);
    const latest = await queries.latestMenuVersion(pool, accountId);
    assert.deepEqual(latest?.body.button, menus.menu(main.appId));
  });
});

describe("the mock speaks WeChat's shape errors by the same rules", () => {
  test("menu/create answers 40016–40027 for what the validator refuses", async () => {
    const { validateMenu } = await import("../../lib/menu/validate-menu");
    const token = await fetch(`${mock.url}/cgi-bin/stable_token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "client_credential", appid: main.appId, secret: main.appSecret }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const cases = [
      { button: [] },
      { button: [{ type: "click", name: "会员服务中心", key: "k" }] },
      { button: [{ type: "text", name: "a", key: "k" }] },
      { button: [{ type: "click", name: "a", key: "k".repeat(129) }] },
      { button: [{ type: "view", name: "a", url: "" }] },
      { button: [{ name: "m", sub_button: Array.from({ length: 6 }, (_, i) => ({ type: "click", name: `s${i}`, key: `k${i}` })) }] },
      { button: [{ name: "m", sub_button: [{ type: "img", name: "a" }] }] },
      { button: [{ name: "m", sub_button: [{ type: "click", name: "长".repeat(21), key: "k" }] }] },
      { button: [{ name: "m", sub_button: [{ type: "click", name: "a", key: "" }] }] },
      { button: [{ name: "m", sub_button: [{ type: "view", name: "a", url: "https://e.com/" + "x".repeat(1020) }] }] },
    ];
    for (const c of cases) {
      const answer = (await fetch(`${mock.url}${MENU_PATHS.create}?access_token=${token.access_token}`, { method: "POST", body: JSON.stringify(c) }).then((r) =>
        r.json(),
      )) as { errcode: number };
      assert.equal(answer.errcode, validateMenu(c)[0]?.errcode, JSON.stringify(c));
    }
    // The menu published above is untouched by the refused calls.
    assert.ok(menus.menu(main.appId)?.length);
  });
});

describe("taps per button", () => {
  test("CLICKs by key and VIEWs by url over the last 7 and 30 days, inbound events of this account only", async () => {
    const { countMenuTaps } = await import("../../lib/menu/menu-taps");
    const accountId = ids[main.appId]!;
    const now = new Date("2026-12-02T12:00:00Z");
    const day = 86_400_000;
    let n = 0;
    const event = (account: string, event: string, key: string, daysAgo: number, direction = "inbound") =>
      pool.query(
        `INSERT INTO message (account_id, direction, msg_type, event, event_key, from_user, to_user, create_time, raw_xml, fields, dedupe_key, received_at)
         VALUES ($1, $2, 'event', $3, $4, 'o1', 'gh', 1, '<xml/>', '{}', $5, $6)`,
        [account, direction, event, key, `taps-${++n}`, new Date(now.getTime() - daysAgo * day)],
      );
    await event(accountId, "CLICK", "V1001_TODAY_MUSIC", 1);
    await event(accountId, "CLICK", "V1001_TODAY_MUSIC", 6.9);
    await event(accountId, "CLICK", "V1001_TODAY_MUSIC", 12);
    await event(accountId, "CLICK", "V1001_TODAY_MUSIC", 31);
    await event(accountId, "VIEW", "https://www.example.com/search", 2);
    await event(accountId, "view", "https://www.example.com/search", 20);
    await event(accountId, "subscribe", "", 1);
    await event(ids[unverified.appId]!, "CLICK", "V1001_TODAY_MUSIC", 1);
    assert.deepEqual(await countMenuTaps(pool, accountId, now), {
      click: { V1001_TODAY_MUSIC: { d7: 2, d30: 3 } },
      view: { "https://www.example.com/search": { d7: 1, d30: 2 } },
    });
  });
});

describe("conditional menus by tag", () => {
  test("tags/get, addconditional by tag (other criteria refused before WeChat), trymatch, delconditional; kept as WeChat holds them", async () => {
    const cond = await import("../../lib/menu/conditional-menus");
    const { listConditionalMenus } = await import("../../lib/menu/conditional-queries");
    const { menuFromWeChat } = await import("../../lib/menu/wechat-menu");
    const accountId = ids[main.appId]!;
    menus.setTags(main.appId, [
      { id: 2, name: "星标组", count: 1 },
      { id: 100, name: "VIP", count: 1 },
    ]);
    menus.setFollower(main.appId, "o_vip", [100]);
    menus.setFollower(main.appId, "o_plain", []);
    assert.deepEqual(await cond.fetchTags(accountId), [
      { id: 2, name: "星标组", count: 1 },
      { id: 100, name: "VIP", count: 1 },
    ]);
    const vip = { button: [{ type: "click", name: "VIP 专享", key: "VIP" }] };
    const calls = mock.calls(MENU_PATHS.addConditional);
    await assert.rejects(cond.addConditionalMenu(pool, accountId, vip, { tag_id: "100", sex: "1" }, null), /by tag only \(65320\): sex/);
    const invalid = await cond.addConditionalMenu(pool, accountId, { button: [{ type: "click", name: "x" }] }, { tag_id: "100" }, null);
    assert.equal(invalid.ok, false);
    assert.equal(mock.calls(MENU_PATHS.addConditional), calls, "nothing invalid reached WeChat");

    const added = await cond.addConditionalMenu(pool, accountId, vip, { tag_id: "100" }, null);
    assert.ok(added.ok);
    assert.deepEqual(
      (await listConditionalMenus(pool, accountId)).map((c) => [c.menuId, c.matchrule, c.body]),
      [[added.menuId, { tag_id: "100" }, vip]],
    );
    assert.deepEqual(menuFromWeChat((await cond.tryMatchMenu(accountId, "o_vip")).button), vip, "a VIP follower sees the VIP menu");
    assert.deepEqual(menuFromWeChat((await cond.tryMatchMenu(accountId, "o_plain")).button).button, menus.menu(main.appId), "the others, the default menu");

    await cond.deleteConditionalMenu(pool, accountId, added.menuId);
    assert.deepEqual(await listConditionalMenus(pool, accountId), []);
    assert.deepEqual(menus.conditional(main.appId), []);
    await assert.rejects(cond.deleteConditionalMenu(pool, accountId, added.menuId), /65301/);
  });
});
