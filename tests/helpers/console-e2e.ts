import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before } from "node:test";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import pg from "pg";
import { accountPath } from "../../lib/accounts/account-path";
import { hashPassword } from "../../lib/auth/password";
import { insertAccount, newSimAccount } from "./accounts";
import { startApp, TEST_ENCRYPTION_KEY, type AppServer } from "./app-server";
import { cspViolations, launchBrowser, newContext } from "./browser";
import { signedInCookies } from "./sign-in";
import { eventually } from "./eventually";
import { createTestDatabase } from "./test-database";
import { startMockWeChatApi, type MockWeChatApi } from "./mock-wechat-api";
import { openId } from "./message-catalog";
import { bigMsgId, messageXml, postSigned, signMessage, type SimAccount } from "./wechat-simulator";

// What every console test file in Chromium shares: one app, its database, WeChat's API played
// over HTTP and one browser per file (starting the app is slow) — but no state. Each test makes
// the users, accounts and messages it needs, with names of its own, and gets fresh browser
// contexts signed in over next-auth's HTTP endpoints, so tests pass alone and in any order.
// Only tests about the login form itself type into it.

export const LIVE_TIMEOUT = 15_000;

export type User = { email: string; password: string; role: "admin" | "viewer" };
export type SeededAccount = SimAccount & { id: string; encodingAesKey: string; appSecret: string };

export type ConsoleFixture = {
  app: AppServer;
  sql: pg.Client;
  wechatApi: MockWeChatApi;
  browser: Browser;
  /** A user with this role, as an admin would add one on the Users page. */
  newUser(role: "admin" | "viewer"): Promise<User>;
  /** An account with every credential set, known to WeChat's mocked API, in safe mode unless told. */
  seedAccount(opts?: { mode?: SimAccount["mode"]; accountType?: "subscription" | "service"; certified?: boolean }): Promise<SeededAccount>;
  /** Gives a member (a user of role viewer) this role on the account, as an administrator would on the Users page. */
  grant(user: User, account: SeededAccount, role: "admin" | "viewer"): Promise<void>;
  /**
   * A fresh browser context, signed in as `user` (or as a new user of that role). With `account`,
   * a new viewer is granted that account, as a viewer.
   */
  signedIn(
    user: User | "admin" | "viewer",
    opts?: { account?: SeededAccount; locale?: "zh-CN" | "en-US" },
  ): Promise<{ context: BrowserContext; page: Page; user: User }>;
  /** A fresh signed-out context, whose browser asks for `locale` (Chinese unless told). */
  signedOut(opts?: { locale?: "zh-CN" | "en-US" }): Promise<{ context: BrowserContext; page: Page }>;
  /** A message as WeChat would POST it to the callback, to this account, from this follower. */
  receive(account: SeededAccount, fields: Record<string, unknown>): Promise<void>;
};

/** An account's page, as the console links it: `/a/<AppID>` then `sub`. */
export const at = (account: { appId: string }, sub: "" | `/${string}` = "", search = "") => accountPath(account.appId, sub, search);

/** Registers the file's before/after hooks; the fixture is ready inside tests. */
export function useConsoleApp(): ConsoleFixture {
  const contexts: BrowserContext[] = [];
  let db: { url: string; drop(): Promise<void> };
  const fx = {} as ConsoleFixture;

  before(async () => {
    db = await createTestDatabase();
    fx.sql = new pg.Client({ connectionString: db.url });
    await fx.sql.connect();
    fx.wechatApi = await startMockWeChatApi();
    fx.app = await startApp({ databaseUrl: db.url, env: { WECHAT_API_BASE: fx.wechatApi.url } });
    fx.browser = await launchBrowser();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await fx.browser?.close();
    await fx.app?.stop();
    await fx.wechatApi?.close();
    await fx.sql?.end();
    await db?.drop();
    // Every context of every test in this file recorded its violations here.
    assert.deepEqual(cspViolations, [], "a page violated the Content-Security-Policy");
  });

  fx.newUser = async (role) => {
    const user: User = { email: `${role}-${randomBytes(5).toString("hex")}@example.com`, password: `password ${randomBytes(6).toString("hex")}`, role };
    await fx.sql.query(`INSERT INTO "user" (id, email, password_hash, role) VALUES (gen_random_uuid(), $1, $2, $3)`, [
      user.email,
      await hashPassword(user.password),
      role,
    ]);
    return user;
  };

  fx.seedAccount = async (opts = {}) => {
    const sim = newSimAccount(opts.mode ?? "safe");
    const appSecret = randomBytes(16).toString("hex");
    const id = await insertAccount(db.url, TEST_ENCRYPTION_KEY, { ...sim, appSecret, accountType: opts.accountType, certified: opts.certified });
    fx.wechatApi.addApp({ appId: sim.appId, secret: appSecret });
    return { ...sim, id, appSecret };
  };

  fx.signedOut = async (opts = {}) => {
    const context = await newContext(fx.browser, fx.app.url, opts.locale);
    contexts.push(context);
    return { context, page: await context.newPage() };
  };

  fx.grant = async (user, account, role) => {
    await fx.sql.query(
      `INSERT INTO account_member (user_id, account_id, role) SELECT id, $2, $3 FROM "user" WHERE email = $1
       ON CONFLICT (user_id, account_id) DO UPDATE SET role = EXCLUDED.role`,
      [user.email, account.id, role],
    );
  };

  fx.signedIn = async (who, opts = {}) => {
    const user = typeof who === "string" ? await fx.newUser(who) : who;
    if (who === "viewer" && opts.account) await fx.grant(user, opts.account, "viewer");
    const { context, page } = await fx.signedOut({ locale: opts.locale });
    const cookies = (await signedInCookies(fx.app.url, user.email, user.password)).split("; ").map((pair) => {
      const i = pair.indexOf("=");
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: fx.app.url };
    });
    await context.addCookies(cookies);
    return { context, page, user };
  };

  fx.receive = async (account, fields) => {
    const xml = messageXml({ ToUserName: "gh_97417a04a28d", CreateTime: Math.floor(Date.now() / 1000), ...fields });
    const res = await toNewAccount(() => postSigned(fx.app.url, signMessage(account, xml)));
    assert.equal(res.status, 200, res.text);
  };

  return fx;
}

/**
 * A request to the callback for an account a test has just inserted: the app learns of it by a
 * NOTIFY, so until then it answers 404 (unknown account). Repeated until it answers otherwise.
 */
export function toNewAccount<T extends { status: number }>(send: () => Promise<T>): Promise<T> {
  return eventually(
    async () => {
      const res = await send();
      return res.status === 404 ? false : res;
    },
    { what: "the new account reaching the app" },
  );
}

export { bigMsgId, openId };
