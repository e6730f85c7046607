import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import { insertAccount, newSimAccount } from "../helpers/accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "../helpers/app-server";
import { startMockWeChatApi, type MockWeChatApi } from "../helpers/mock-wechat-api";
import { runMpdesk } from "../helpers/run-mpdesk";
import { signedInCookies } from "../helpers/sign-in";
import { createTestDatabase } from "../helpers/test-database";

// Per-account access, end to end: two accounts A and B on one instance, a member who views A
// only, and the operator's CLI that grants roles and scopes API keys. A member without access to
// an account gets nothing of it from any route: the same 404 as an account that does not exist.

const VIEWER_A = { email: "viewer-a@example.com", password: "viewer of a only" };
const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
// B is the oldest account, so it is the default one: a route without ?account= must still not
// fall back to it for someone who may not see it.
const simB = newSimAccount("plain");
const simA = newSimAccount("safe");
const secretA = randomBytes(16).toString("hex");
const secretB = randomBytes(16).toString("hex");
const contentA = `hello-from-a-${randomBytes(4).toString("hex")}`;
const contentB = `private-to-b-${randomBytes(4).toString("hex")}`;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let mock: MockWeChatApi;
let app: AppServer;
let sql: pg.Client;
let idA: string;
let idB: string;
let msgA: string;
let msgB: string;
let viewerCookie: string;
let adminCookie: string;

const mpdesk = (args: string[]) => runMpdesk(args, { databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });
const lastLine = (s: string) => s.trimEnd().split("\n").at(-1)!;

async function insertMessage(accountId: string, content: string): Promise<string> {
  const { rows } = await sql.query(
    `INSERT INTO message (account_id, direction, msg_type, from_user, to_user, content, raw_xml, fields, dedupe_key, received_at)
     VALUES ($1, 'inbound', 'text', 'o_follower', 'gh_1', $2, $3, '{}', $4, now()) RETURNING id::text AS id`,
    [accountId, content, `<xml><Content><![CDATA[${content}]]></Content></xml>`, `k-${content}`],
  );
  return rows[0].id;
}

async function get(path: string, cookie: string): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(app.url + path, { redirect: "manual", headers: { cookie, "accept-language": "en" } });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") ?? "" };
}

async function members(email: string): Promise<Array<[string, string]>> {
  const { rows } = await sql.query(
    `SELECT a.app_id, m.role FROM account_member m JOIN account a ON a.id = m.account_id JOIN "user" u ON u.id = m.user_id WHERE u.email = $1 ORDER BY a.app_id`,
    [email],
  );
  return rows.map((r) => [r.app_id, r.role]);
}

before(async () => {
  mock = await startMockWeChatApi();
  mock.addApp({ appId: simA.appId, secret: secretA });
  mock.addApp({ appId: simB.appId, secret: secretB });
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  idB = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...simB, appSecret: secretB });
  idA = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...simA, appSecret: secretA });
  await sql.query(`UPDATE account SET display_name = '客服号' WHERE id = $1`, [idA]);
  msgA = await insertMessage(idA, contentA);
  msgB = await insertMessage(idB, contentB);
  app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: mock.url } });
  const viewer = await sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), $1, $2, 'viewer') RETURNING id`, [
    VIEWER_A.email,
    await hashPassword(VIEWER_A.password),
  ]);
  await sql.query(`INSERT INTO account_member (user_id, account_id, role) VALUES ($1, $2, 'viewer')`, [viewer.rows[0].id, idA]);
  viewerCookie = await signedInCookies(app.url, VIEWER_A.email, VIEWER_A.password);
  adminCookie = await signedInCookies(app.url, ADMIN.email, ADMIN.password);
});

after(async () => {
  await app?.stop();
  await sql?.end();
  await mock?.close();
  await db?.drop();
});

describe("a viewer of A gets nothing of B", () => {
  const NOT_FOUND = { error: "not_found" };

  test("export: B and an unknown AppID answer the same 404; A and the default (A, the first the viewer sees) hold A's messages only", async () => {
    for (const appId of [simB.appId, `wx${randomBytes(8).toString("hex")}`]) {
      for (const format of ["csv", "ndjson"]) {
        const res = await get(`/api/messages/export?account=${appId}&format=${format}`, viewerCookie);
        assert.equal(res.status, 404, `${appId} ${format}: ${res.body.slice(0, 200)}`);
        assert.deepEqual(JSON.parse(res.body), NOT_FOUND);
      }
    }
    for (const path of [`/api/messages/export?account=${simA.appId}&format=ndjson`, "/api/messages/export?format=ndjson"]) {
      const res = await get(path, viewerCookie);
      assert.equal(res.status, 200, path);
      assert.ok(res.body.includes(contentA), `${path} lacks A's message`);
      assert.ok(!res.body.includes(contentB), `${path} leaked B's message`);
    }
    // The refusal is about the viewer, not the route: an administrator exports B.
    const asAdmin = await get(`/api/messages/export?account=${simB.appId}&format=ndjson`, adminCookie);
    assert.equal(asAdmin.status, 200);
    assert.ok(asAdmin.body.includes(contentB));
  });

  test("live updates: every scope of B is 404; of A (and by default) it is A's", async () => {
    for (const scope of ["messages", "callback", "token"]) {
      const refused = await get(`/api/live?account=${simB.appId}&scope=${scope}`, viewerCookie);
      assert.equal(refused.status, 404, `${scope}: ${refused.body}`);
      assert.deepEqual(JSON.parse(refused.body), NOT_FOUND);
      for (const path of [`/api/live?account=${simA.appId}&scope=${scope}`, `/api/live?scope=${scope}`]) {
        const res = await get(path, viewerCookie);
        assert.equal(res.status, 200, path);
        assert.match(JSON.parse(res.body).version, new RegExp(`^${idA}\\|`), path);
      }
      const admin = await get(`/api/live?account=${simB.appId}&scope=${scope}`, adminCookie);
      assert.match(JSON.parse(admin.body).version, new RegExp(`^${idB}\\|`));
    }
  });

  test("a raw message of B is 404, whatever account the link names; A's is served", async () => {
    for (const path of [`/api/messages/${msgB}/raw`, `/api/messages/${msgB}/raw?account=${simA.appId}`]) {
      const res = await get(path, viewerCookie);
      assert.equal(res.status, 404, path);
      assert.deepEqual(JSON.parse(res.body), NOT_FOUND);
      assert.ok(!res.body.includes(contentB));
    }
    const missing = await get(`/api/messages/99999999/raw`, viewerCookie);
    assert.equal(missing.status, 404, "a message that does not exist answers alike");
    const own = await get(`/api/messages/${msgA}/raw`, viewerCookie);
    assert.equal(own.status, 200);
    assert.ok(own.body.includes(contentA));
    // The message's own account decides, not the default one: the administrator gets B's from the same URL.
    assert.ok((await get(`/api/messages/${msgB}/raw`, adminCookie)).body.includes(contentB));
  });

  // The pages live under /a/<AppID>/ (the console's account URLs).
  test("pages: every page of B is 404; A's log is 200 and shows nothing of B", async () => {
    for (const path of [`/a/${simB.appId}/messages`, `/a/${simB.appId}/settings`, `/a/${simB.appId}/token`, `/a/${simB.appId}`]) {
      const res = await get(path, viewerCookie);
      assert.equal(res.status, 404, `${path}: ${res.status}`);
      assert.ok(!res.body.includes(contentB), `${path} leaked B's message`);
    }
    const own = await get(`/a/${simA.appId}/messages`, viewerCookie);
    assert.equal(own.status, 200);
    assert.ok(own.body.includes(contentA), "A's log shows A's message");
    assert.ok(!own.body.includes(contentB), "A's log shows B's message");
    assert.ok(!own.body.includes(simB.appId), "A's log names account B (the switcher?)");
  });

  test("overview: B's quarantined rows, whose reasons quote B's data, are not counted or shown on A's", async () => {
    const reasonB = `value too long near ${contentB}`;
    await sql.query(`INSERT INTO message_quarantine (account_id, source, sqlstate, reason, payload) VALUES ($1, $2, '22001', $3, '{}')`, [
      idB,
      `live:${randomBytes(6).toString("hex")}`,
      reasonB,
    ]);
    try {
      const own = await get(`/a/${simA.appId}`, viewerCookie);
      assert.equal(own.status, 200);
      assert.ok(!own.body.includes(reasonB), "A's overview shows B's quarantine reason");
      const admin = await get(`/a/${simB.appId}`, adminCookie);
      assert.ok(admin.body.includes(reasonB), "B's overview shows B's quarantine reason");
    } finally {
      await sql.query(`DELETE FROM message_quarantine WHERE reason = $1`, [reasonB]);
    }
  });
});

describe("mpdesk user create --account, user grant", () => {
  test("create: members on the accounts named, an administrator, a viewer of every account; an unknown AppID is refused by name", async () => {
    const [member, multi, administrator, everyAccount, unknown] = await Promise.all([
      mpdesk(["user", "create", "--email", "a-only@example.com", "--password", "a long password", "--account", simA.appId]),
      mpdesk([
        "user",
        "create",
        "--email",
        "both@example.com",
        "--password",
        "a long password",
        "--role",
        "admin",
        "--account",
        simA.appId,
        "--account",
        simB.appId,
      ]),
      mpdesk(["user", "create", "--email", "root@example.com", "--password", "a long password", "--role", "admin"]),
      mpdesk(["user", "create", "--email", "all@example.com", "--password", "a long password", "--role", "viewer"]),
      mpdesk(["user", "create", "--email", "nobody@example.com", "--password", "a long password", "--account", simA.appId, "--account", "wxdoesnotexist0000"]),
    ]);
    for (const r of [member, multi, administrator, everyAccount]) assert.equal(r.code, 0, r.stderr);
    assert.match(member.stdout, new RegExp(`viewer on ${simA.appId}`));
    const { rows } = await sql.query(`SELECT email, role FROM "user" WHERE email LIKE '%@example.com' AND email <> ALL($1) ORDER BY email`, [
      [ADMIN.email, VIEWER_A.email],
    ]);
    assert.deepEqual(
      rows.map((r) => [r.email, r.role]),
      [
        ["a-only@example.com", "viewer"],
        ["all@example.com", "viewer"],
        ["both@example.com", "viewer"],
        ["root@example.com", "admin"],
      ],
    );
    assert.deepEqual(await members("a-only@example.com"), [[simA.appId, "viewer"]]);
    assert.deepEqual(
      await members("both@example.com"),
      [...[simA.appId, simB.appId]].sort().map((a) => [a, "admin"]),
    );
    assert.deepEqual(await members("root@example.com"), []);
    assert.deepEqual(
      await members("all@example.com"),
      [...[simA.appId, simB.appId]].sort().map((a) => [a, "viewer"]),
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /wxdoesnotexist0000/);
    assert.equal((await sql.query(`SELECT 1 FROM "user" WHERE email = 'nobody@example.com'`)).rowCount, 0);
  });

  test("grant admin, viewer, none; refused for an administrator, an unknown account or user, a wrong role", async () => {
    await sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), 'grantee@example.com', 'x', 'viewer')`);
    const grant = (role: string, appId = simB.appId, email = "grantee@example.com") =>
      mpdesk(["user", "grant", "--email", email, "--account", appId, "--role", role]);

    const asAdmin = await grant("admin");
    assert.equal(asAdmin.code, 0, asAdmin.stderr);
    assert.match(asAdmin.stdout, new RegExp(`grantee@example.com is now admin on ${simB.appId}`));
    assert.deepEqual(await members("grantee@example.com"), [[simB.appId, "admin"]]);
    const asViewer = await grant("viewer");
    assert.equal(asViewer.code, 0, asViewer.stderr);
    assert.deepEqual(await members("grantee@example.com"), [[simB.appId, "viewer"]]);
    const removed = await grant("none");
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /no longer has access/);
    assert.deepEqual(await members("grantee@example.com"), []);

    const [administrator, unknownAccount, unknownUser, wrongRole] = await Promise.all([
      grant("viewer", simA.appId, ADMIN.email),
      grant("viewer", "wxdoesnotexist0000"),
      grant("viewer", simA.appId, "ghost@example.com"),
      grant("owner"),
    ]);
    assert.equal(administrator.code, 1);
    assert.match(administrator.stderr, /administrators already have every account/);
    assert.deepEqual(await members(ADMIN.email), [], "nothing stored for an administrator");
    assert.equal(unknownAccount.code, 1);
    assert.match(unknownAccount.stderr, /wxdoesnotexist0000/);
    assert.equal(unknownUser.code, 1);
    assert.match(unknownUser.stderr, /ghost@example.com/);
    assert.equal(wrongRole.code, 2);
  });
});

describe("mpdesk api-key create --account", () => {
  test("a repeated --account scopes the key to those accounts; list shows the scope; an unknown AppID is refused", async () => {
    const [both, onlyA, everyAccount, unknown] = await Promise.all([
      mpdesk(["api-key", "create", "--name", "both", "--account", simA.appId, "--account", simB.appId]),
      mpdesk(["api-key", "create", "--name", "only-a", "--account", simA.appId]),
      mpdesk(["api-key", "create", "--name", "every"]),
      mpdesk(["api-key", "create", "--name", "stray", "--account", "wxdoesnotexist0000"]),
    ]);
    for (const r of [both, onlyA, everyAccount]) assert.equal(r.code, 0, r.stderr);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /wxdoesnotexist0000/);
    const token = async (key: string, appId: string) => {
      const res = await fetch(`${app.url}/api/token?account=${appId}`, { headers: { authorization: `Bearer ${lastLine(key)}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    for (const appId of [simA.appId, simB.appId]) {
      assert.equal((await token(both.stdout, appId)).status, 200, `both → ${appId}`);
      assert.equal((await token(everyAccount.stdout, appId)).status, 200, `every → ${appId}`);
    }
    assert.equal((await token(onlyA.stdout, simA.appId)).status, 200);
    assert.deepEqual(await token(onlyA.stdout, simB.appId), { status: 403, body: { error: "forbidden" } });

    const list = await mpdesk(["api-key", "list"]);
    assert.equal(list.code, 0, list.stderr);
    const row = (name: string) => list.stdout.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
    assert.ok(row("both").includes(simA.appId) && row("both").includes(simB.appId), row("both"));
    assert.ok(row("only-a").includes(simA.appId) && !row("only-a").includes(simB.appId), row("only-a"));
    assert.match(row("every"), /\sall\s/);
    assert.equal((await sql.query(`SELECT 1 FROM api_key WHERE name = 'stray'`)).rowCount, 0);
  });
});

describe("the Users and API keys pages", () => {
  test("Users: per member a role per account, accounts named beside their AppIDs; administrators have every account; not for a member", async () => {
    const page = await get("/users", adminCookie);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(VIEWER_A.email));
    assert.ok(page.body.includes(`name="account:${idA}"`) && page.body.includes(`name="account:${idB}"`), "a role per account");
    assert.ok(page.body.includes("客服号"), "the display name beside the AppID");
    assert.ok(page.body.includes("Every account (admin)"), "an administrator's access");
    const refused = await get("/users", viewerCookie);
    assert.ok(refused.body.includes("Not allowed"));
    assert.ok(!refused.body.includes(`name="account:${idA}"`));
  });

  test("API keys: each key with the accounts it covers, All when unscoped; not for a member", async () => {
    await runMpdesk(["api-key", "create", "--name", "page-scoped", "--account", simA.appId], { databaseUrl: db.url });
    const page = await get("/api-keys", adminCookie);
    assert.equal(page.status, 200);
    const cells = [...page.body.matchAll(/data-testid="key-accounts"[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!);
    assert.ok(
      cells.some((c) => c.includes(simA.appId) && c.includes("客服号") && !c.includes(simB.appId)),
      `scoped: ${cells.join(" | ")}`,
    );
    assert.ok(
      cells.some((c) => c.includes(">All<")),
      `unscoped: ${cells.join(" | ")}`,
    );
    const refused = await get("/api-keys", viewerCookie);
    assert.ok(refused.body.includes("Not allowed"));
    assert.ok(!refused.body.includes("page-scoped"));
  });
});
