import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { signedInCookies } from "../helpers/sign-in";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { createTestDatabase } from "../helpers/test-database";

// What the server itself refuses, whatever the browser shows. Every admin server action is
// posted over HTTP exactly as React posts it (the Next-Action header and React's own encoding of
// the arguments), with a viewer's session: each must answer the translated refusal and leave the
// database as it was. The route handlers that need a session answer 401 JSON to a script that
// has none, or whose session has ended, rather than redirecting it to the sign-in page.

const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const ENDED = { email: "ended@example.com", password: "ended password 1" };
const FORBIDDEN_EN = "Not allowed: only admins can do this.";
const sim = newSimAccount("safe");
// An account the viewer is admin of: being an account's admin gives nothing on another account.
const simOwn = newSimAccount("plain");
const FOLLOWER = "oFollowerOfTheGuardTest";

// The form actions and argument actions of the console, by file and export. The test below
// checks that this list is the build's whole list, so a new action cannot be left out.
const USER_ACTIONS = ["app/(console)/actions.ts#signOutAction", "app/(console)/password/actions.ts#changePassword", "app/(auth)/login/actions.ts#login"];

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let app: AppServer;
let wechatApi: MockWeChatApi;
let sql: pg.Client;
let accountId: string;
let ownAccountId: string;
let adminCookie: string;
let viewerCookie: string;
let otherUserId: string;
let apiKeyId: string;

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };
let manifest: Record<string, ManifestEntry>;

// React's own client encoding of server-action arguments, the one the browser runs.
const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-turbopack/client.node.js") as { encodeReply(v: unknown): Promise<string | FormData> };

function actionOf(file: string, name: string): { id: string; page: string } {
  const found = Object.entries(manifest).find(([, e]) => e.filename === file && e.exportedName === name);
  assert.ok(found, `no server action ${file}#${name} in the build`);
  const [id, entry] = found;
  // A page that uses the action, as the path the browser posts to: route groups dropped, and an
  // account's pages (/a/[appid]/…) at the test's account, a follower's thread at FOLLOWER.
  const worker = Object.keys(entry.workers).find((w) => w.endsWith("/page") && !w.replaceAll("[appid]", "").replaceAll("[openid]", "").includes("["));
  assert.ok(worker, `no page without other parameters uses ${name}`);
  const page =
    worker
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace(/\/\([^)]*\)/g, "")
      .replaceAll("[appid]", sim.appId)
      .replaceAll("[openid]", FOLLOWER) || "/";
  return { id, page };
}

/** Posts a server action as React does; `args` are the action's arguments (a form's: [prev, FormData]). */
async function postAction(file: string, name: string, args: unknown[], cookie: string): Promise<{ status: number; body: string; location: string | null }> {
  const { id, page } = actionOf(file, name);
  const res = await fetch(app.url + page, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "next-action": id, accept: "text/x-component", origin: app.url, "accept-language": "en" },
    body: await encodeReply(args),
  });
  return { status: res.status, body: await res.text(), location: res.headers.get("location") ?? res.headers.get("x-action-redirect") };
}

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};

/** Every table an admin action could change, row by row. */
async function snapshot(): Promise<string> {
  const tables = [
    "account",
    `"user"`,
    "account_member",
    "api_key",
    "api_key_account",
    "access_token",
    "token_refresh_event",
    "message",
    "media_asset",
    "reply_rule",
    "reply_keyword",
    "reply_message",
    "menu_draft",
    "menu_version",
  ];
  const parts: unknown[] = [];
  for (const table of tables) parts.push((await sql.query(`SELECT * FROM ${table} ORDER BY 1`)).rows);
  return JSON.stringify(parts);
}

before(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  wechatApi = await startMockWeChatApi();
  wechatApi.addApp({ appId: sim.appId, secret: "0123456789abcdefABCDEFGHIJ987654" });
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: wechatApi.url } });
  manifest = (JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, ManifestEntry> }).node;
  accountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, sim);
  for (const u of [VIEWER, ENDED]) {
    // Members who view the account: everything they may do there is read-only.
    const { rows } = await sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), $1, $2, 'viewer') RETURNING id`, [
      u.email,
      await hashPassword(u.password),
    ]);
    await sql.query(`INSERT INTO account_member (user_id, account_id, role) VALUES ($1, $2, 'viewer')`, [rows[0].id, accountId]);
  }
  otherUserId = (await sql.query(`SELECT id FROM "user" WHERE email = $1`, [ENDED.email])).rows[0].id;
  ownAccountId = await insertAccount(db.url, TEST_ENCRYPTION_KEY, simOwn);
  await sql.query(`INSERT INTO account_member (user_id, account_id, role) SELECT id, $1, 'admin' FROM "user" WHERE email = $2`, [ownAccountId, VIEWER.email]);
  apiKeyId = (
    await sql.query(`INSERT INTO api_key (id, name, key_hash, prefix) VALUES (gen_random_uuid(), 'billing', md5(random()::text), 'mpd_abcd') RETURNING id`)
  ).rows[0].id;
  adminCookie = await signedInCookies(app.url, ADMIN.email, ADMIN.password);
  viewerCookie = await signedInCookies(app.url, VIEWER.email, VIEWER.password);
});

after(async () => {
  await app?.stop();
  await wechatApi?.close();
  await sql?.end();
  await db?.drop();
});

describe("a viewer replaying admin server actions", () => {
  const SETTINGS = "app/(console)/_setup/actions.ts";
  const TOKEN = "app/(console)/token/actions.ts";
  const USERS = "app/(console)/users/actions.ts";
  const MANAGE = "app/(console)/a/[appid]/manage/actions.ts";
  const API_KEYS = "app/(console)/api-keys/actions.ts";
  const THREAD = "app/(console)/a/[appid]/messages/followers/[openid]/actions.ts";
  const REPLY_IMPORT = "app/(console)/a/[appid]/settings/replies/actions.ts";
  const RULES = "app/(console)/a/[appid]/rules/actions.ts";
  const SOME_RULE = "6f1c2c7e-1111-4a4a-9b9b-123456789abc";
  const MENU = "app/(console)/a/[appid]/menu/actions.ts";
  const MENU_CONDITIONAL = "app/(console)/a/[appid]/menu/conditional-actions.ts";
  const MENU_IMPORT = "app/(console)/a/[appid]/settings/menu/actions.ts";
  const MENU_DOC = { button: [{ type: "click", name: "hijacked", key: "HIJACK" }] };
  // The menu's argument actions: the AppID first, then the action's own arguments.
  const callCases = (): [string, string, unknown[]][] => [
    [MENU, "saveMenuDraftAction", [sim.appId, MENU_DOC]],
    [MENU, "publishMenuAction", [sim.appId, MENU_DOC]],
    [MENU, "rollbackMenuAction", [sim.appId, 1]],
    [MENU, "createClickRuleAction", [sim.appId, "HIJACK", "hijacked", "a viewer's reply"]],
    [MENU_CONDITIONAL, "addConditionalMenuAction", [sim.appId, MENU_DOC, { tag_id: "100" }, "VIP"]],
    [MENU_CONDITIONAL, "removeConditionalMenuAction", [sim.appId, "400000001"]],
    [MENU_CONDITIONAL, "reorderConditionalMenusAction", [sim.appId, ["400000002", "400000001"], {}]],
  ];
  const formCases = (): [string, string, Record<string, string>][] => [
    [
      SETTINGS,
      "saveCredentials",
      { account: sim.appId, appId: sim.appId, token: "HijackedToken123", messageMode: "plain", accountType: "service", certified: "on" },
    ],
    [
      SETTINGS,
      "createAccountAction",
      { appId: "wx00000000000000ff", token: "IntruderToken123", messageMode: "plain", accountType: "service", certified: "on" },
    ],
    [SETTINGS, "saveKind", { account: sim.appId, accountType: "service", certified: "on" }],
    [MANAGE, "renameAccountAction", { account: sim.appId, displayName: "hijacked" }],
    [MANAGE, "removeAccountAction", { account: sim.appId, confirm: sim.appId }],
    [TOKEN, "refreshTokenAction", { account: sim.appId, intent: "test" }],
    [REPLY_IMPORT, "importAutorepliesAction", { account: sim.appId }],
    [MENU_IMPORT, "importMenuAction", { account: sim.appId }],
    [
      RULES,
      "saveRuleAction",
      {
        account: sim.appId,
        rule: JSON.stringify({ name: "stolen", trigger: "keyword", keywords: [{ match: "equal", pattern: "x" }], replies: [{ type: "text", content: "x" }] }),
      },
    ],
    [RULES, "deleteRuleAction", { account: sim.appId, id: SOME_RULE }],
    [RULES, "setRuleEnabledAction", { account: sim.appId, id: SOME_RULE, enabled: "false" }],
    [RULES, "reorderRulesAction", { account: sim.appId, order: SOME_RULE }],
    [USERS, "addUser", { email: "intruder@example.com", role: "admin", password: "intruder password" }],
    [USERS, "updateUser", { intent: "role", userId: otherUserId, role: "admin" }],
    [USERS, "updateUser", { intent: "reset", userId: otherUserId }],
    [USERS, "updateUser", { intent: "remove", userId: otherUserId }],
    [USERS, "updateAccess", { userId: otherUserId, [`account:${accountId}`]: "admin" }],
    [API_KEYS, "createKeyAction", { name: "stolen-global", "permission:token:read": "on" }],
    [API_KEYS, "createKeyAction", { name: "stolen-scoped", scope: "some", [`account:${accountId}`]: "on", "permission:messages:send": "on" }],
    [API_KEYS, "revokeKeyAction", { id: apiKeyId, name: "billing" }],
    [THREAD, "sendReplyAction", { account: sim.appId, openid: FOLLOWER, text: "a viewer's reply" }],
  ];

  test("the list of actions is the build's: every other action is an admin action tested here", () => {
    const tested = new Set([
      ...formCases().map(([f, n]) => `${f}#${n}`),
      ...callCases().map(([f, n]) => `${f}#${n}`),
      // Reads only (menu/trymatch): every member of the account may ask which menu a follower sees.
      `${MENU_CONDITIONAL}#tryMatchMenuAction`,
      `${SETTINGS}#generateCredential`,
      `${SETTINGS}#generateNewCredential`,
      `${SETTINGS}#revealAccountSecret`,
    ]);
    for (const entry of Object.values(manifest)) {
      if (!entry.filename || !entry.exportedName) continue;
      const key = `${entry.filename}#${entry.exportedName}`;
      assert.ok(tested.has(key) || USER_ACTIONS.includes(key), `server action ${key} is neither tested as admin-only nor listed as a user action`);
    }
  });

  test("each form action answers the refusal and changes nothing", async () => {
    for (const [file, name, fields] of formCases()) {
      const before = await snapshot();
      const res = await postAction(file, name, [null, form(fields)], viewerCookie);
      assert.equal(res.status, 200, `${name} ${fields.intent ?? ""}: ${res.status} ${res.body.slice(0, 300)}`);
      assert.ok(res.body.includes(FORBIDDEN_EN), `${name} ${fields.intent ?? ""} did not answer the refusal: ${res.body.slice(0, 300)}`);
      assert.equal(await snapshot(), before, `${name} ${fields.intent ?? ""} changed the database`);
    }
    assert.equal(wechatApi.tokenCalls(sim.appId), 0, "a viewer made mpdesk call WeChat");
  });

  test("each menu action called with arguments answers nothing, calls no WeChat API and changes nothing", async () => {
    const menuTables = async () =>
      JSON.stringify([
        await snapshot(),
        ...(await Promise.all(
          ["menu_draft", "menu_version", "menu_conditional", "reply_rule"].map(async (t) => (await sql.query(`SELECT * FROM ${t} ORDER BY 1`)).rows),
        )),
      ]);
    for (const [file, name, args] of callCases()) {
      const before = await menuTables();
      const res = await postAction(file, name, args, viewerCookie);
      assert.equal(res.status, 200, `${name}: ${res.status} ${res.body.slice(0, 300)}`);
      // accountAdminCall answers null to a viewer: no message of success, no result at all.
      assert.doesNotMatch(res.body, /"ok":true/, `${name} ran for a viewer: ${res.body.slice(0, 300)}`);
      assert.equal(await menuTables(), before, `${name} changed the database`);
    }
    assert.equal(wechatApi.tokenCalls(sim.appId), 0, "a viewer made mpdesk call WeChat");
  });

  test("the same requests from an admin do reach the actions (the replay is a real one)", async () => {
    const res = await postAction(
      API_KEYS,
      "createKeyAction",
      [null, form({ name: "admin-made", scope: "some", [`account:${accountId}`]: "on", "permission:token:read": "on" })],
      adminCookie,
    );
    assert.equal(res.status, 200, res.body.slice(0, 300));
    const made = await sql.query(`SELECT k.id, a.account_id FROM api_key k LEFT JOIN api_key_account a ON a.api_key_id = k.id WHERE k.name = 'admin-made'`);
    assert.deepEqual(
      made.rows.map((r) => r.account_id),
      [accountId],
      "one key, scoped to the account ticked",
    );
    const access = await postAction(USERS, "updateAccess", [null, form({ userId: otherUserId, [`account:${accountId}`]: "admin" })], adminCookie);
    assert.equal(access.status, 200, access.body.slice(0, 300));
    assert.deepEqual((await sql.query(`SELECT role FROM account_member WHERE user_id = $1`, [otherUserId])).rows, [{ role: "admin" }]);
    await sql.query(`UPDATE account_member SET role = 'viewer' WHERE user_id = $1`, [otherUserId]);
    const renamed = await postAction(MANAGE, "renameAccountAction", [null, form({ account: sim.appId, displayName: "客服号" })], adminCookie);
    assert.equal(renamed.status, 200, renamed.body.slice(0, 300));
    assert.equal((await sql.query(`SELECT display_name FROM account WHERE id = $1`, [accountId])).rows[0].display_name, "客服号");
    const draft = await postAction(MENU, "saveMenuDraftAction", [sim.appId, MENU_DOC], adminCookie);
    assert.match(draft.body, /"ok":true/, draft.body.slice(0, 300));
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM menu_draft WHERE account_id = $1`, [accountId])).rows[0].n, 1);
    const kind = await postAction(SETTINGS, "saveKind", [null, form({ account: sim.appId, accountType: "service", certified: "on" })], adminCookie);
    assert.equal(kind.status, 200, kind.body.slice(0, 300));
    assert.deepEqual((await sql.query(`SELECT account_type, certified FROM account WHERE id = $1`, [accountId])).rows[0], {
      account_type: "service",
      certified: true,
    });
  });

  test("an account's admin changes that account, and is refused on the account they only view", async () => {
    const own = await postAction(SETTINGS, "saveKind", [null, form({ account: simOwn.appId, accountType: "service", certified: "on" })], viewerCookie);
    assert.equal(own.status, 200, own.body.slice(0, 300));
    // The answer re-renders the page, whose dictionary holds the refusal text too: the action's own result says it ran.
    assert.match(own.body, /"ok":true/, own.body.slice(0, 300));
    assert.deepEqual((await sql.query(`SELECT account_type, certified FROM account WHERE id = $1`, [ownAccountId])).rows[0], {
      account_type: "service",
      certified: true,
    });
    const before = await snapshot();
    const other = await postAction(SETTINGS, "saveKind", [null, form({ account: sim.appId, accountType: "subscription" })], viewerCookie);
    assert.ok(other.body.includes(FORBIDDEN_EN), other.body.slice(0, 300));
    assert.equal(await snapshot(), before);
  });

  test("Generate and Show give a viewer nothing", async () => {
    const token = (await sql.query(`SELECT token FROM account WHERE id = $1`, [accountId])).rows[0].token as string;
    for (const field of ["token", "encodingAesKey"]) {
      const res = await postAction(SETTINGS, "revealAccountSecret", [sim.appId, field], viewerCookie);
      assert.equal(res.status, 200, res.body.slice(0, 300));
      assert.ok(!res.body.includes(token) && !res.body.includes(sim.encodingAesKey), `the viewer was shown the ${field}`);
    }
    const asAdmin = await postAction(SETTINGS, "revealAccountSecret", [sim.appId, "encodingAesKey"], adminCookie);
    assert.ok(asAdmin.body.includes(sim.encodingAesKey), `the admin's replay did not reveal the key: ${asAdmin.body.slice(0, 300)}`);

    for (const [name, args] of [
      ["generateCredential", [sim.appId, "token"]],
      ["generateNewCredential", ["token"]],
    ] as const) {
      const generated = await postAction(SETTINGS, name, [...args], viewerCookie);
      assert.equal(generated.status, 200, generated.body.slice(0, 300));
      assert.doesNotMatch(generated.body, /"[A-Za-z0-9]{32}"/, `a viewer got a generated Token from ${name}`);
      assert.match((await postAction(SETTINGS, name, [...args], adminCookie)).body, /"[A-Za-z0-9]{32}"/, name);
    }
  });

  test("an admin's input that does not parse gets per-field messages from the dictionary", async () => {
    const res = await postAction(
      SETTINGS,
      "saveCredentials",
      [null, form({ account: sim.appId, appId: "nope", token: "x", messageMode: "plain" })],
      adminCookie,
    );
    assert.equal(res.status, 200, res.body.slice(0, 300));
    assert.match(res.body, /"errors":\{[^}]*"appId":"[^"]+"/);
    assert.match(res.body, /"errors":\{[^}]*"token":"[^"]+"/);
  });
});

let endedCookie: string;

describe("route handlers that need a session", () => {
  let rawId: string;
  const routes = () => ["/api/live?scope=messages", "/api/messages/export?format=csv", `/api/messages/${rawId}/raw`];

  before(async () => {
    rawId = (
      await sql.query(
        `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, raw_xml, fields, dedupe_key, received_at)
         VALUES ($1, 'inbound', 'text', 'o_follower', 'gh_1', '<xml/>', '{}', 'k1', now()) RETURNING id::text AS id`,
        [accountId],
      )
    ).rows[0].id;
    endedCookie = await signedInCookies(app.url, ENDED.email, ENDED.password);
    // The session ends on the server (as sign-out or a password change does); the cookie stays valid-looking.
    await sql.query(`UPDATE "user" SET session_version = session_version + 1 WHERE email = $1`, [ENDED.email]);
  });

  test("signed in, each answers 200", async () => {
    for (const path of routes()) {
      const res = await fetch(app.url + path, { redirect: "manual", headers: { cookie: viewerCookie } });
      assert.equal(res.status, 200, `${path}: ${res.status}`);
      await res.arrayBuffer();
    }
  });

  for (const [who, cookie] of [
    ["without a session", () => ""],
    ["with a session that has ended", () => endedCookie],
  ] as const) {
    test(`${who}, each answers 401 {"error":"unauthorized"}, never a redirect`, async () => {
      for (const path of routes()) {
        const res = await fetch(app.url + path, { redirect: "manual", headers: cookie() ? { cookie: cookie() } : {} });
        const body = await res.text();
        assert.equal(res.status, 401, `${path}: ${res.status} ${res.headers.get("location") ?? ""} ${body.slice(0, 200)}`);
        assert.equal(res.headers.get("location"), null, path);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/, path);
        assert.deepEqual(JSON.parse(body), { error: "unauthorized" }, path);
      }
    });
  }
});

describe("a session that has ended, replaying an admin action", () => {
  test("is sent to sign in, and nothing changes", async () => {
    // The ended user is promoted meanwhile: only the ended session, not the role, can refuse it.
    await sql.query(`UPDATE "user" SET role = 'admin' WHERE email = $1`, [ENDED.email]);
    const before = await snapshot();
    const res = await postAction(
      "app/(console)/users/actions.ts",
      "addUser",
      [null, form({ email: "late@example.com", role: "admin", password: "late password 1" })],
      endedCookie,
    );
    assert.ok(!res.body.includes("late@example.com"), `the action ran: ${res.status} ${res.body.slice(0, 300)}`);
    assert.match(res.location ?? "", /\/login/, `not sent to sign in: ${res.status} ${res.body.slice(0, 200)}`);
    assert.equal(await snapshot(), before);
  });
});
