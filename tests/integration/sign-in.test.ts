import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import { authenticateUser } from "../../lib/auth/authenticate-user";
import { hashPassword } from "../../lib/auth/password";
import { changeOwnPassword } from "../../lib/auth/manage-users";
import { CEILING_PAIR_LIMIT, EMAIL_CEILING, IP_CEILING, PAIR_LIMIT } from "../../lib/auth/login-throttle";
import { FAILURE_LIMIT } from "../../lib/tokens/key-failure-limit";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { startApp, type AppServer } from "../helpers/app-server";
import { rawRequest, signInOverHttp } from "../helpers/sign-in";
import { createTestDatabase } from "../helpers/test-database";

// The sign-in throttle over real HTTP against the started app. 127.0.0.1 plays the trusted
// reverse proxy (MPDESK_TRUSTED_PROXIES=127.0.0.1/32); other loopback addresses play clients
// connecting directly, whose X-Forwarded-For must be ignored.

const PROXY = "127.0.0.1";
const ADMIN_IP = "127.0.0.2";
const ATTACKER = "127.0.0.3";
const PASSWORD = "the right password";
// Public addresses as the proxy reports them.
const ADMIN_PUBLIC = "192.0.2.10";
const ATTACKER_PUBLIC = "198.51.100.66";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: InstanceType<typeof PrismaClient>;
let app: AppServer;

async function newUser(name: string): Promise<string> {
  const email = `${name}@example.com`;
  await prisma.user.create({ data: { email, passwordHash: await hashPassword(PASSWORD), role: "admin" } });
  return email;
}

before(async () => {
  db = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  app = await startApp({ databaseUrl: db.url, env: { MPDESK_TRUSTED_PROXIES: `${PROXY}/32` } });
});
after(async () => {
  await app?.stop();
  await prisma?.$disconnect();
  await db?.drop();
});

describe("sign-in throttle over HTTP", () => {
  test("five failures sent with a spoofed X-Forwarded-For of the admin's IP do not lock the admin out", async () => {
    const email = await newUser("spoofed");
    // Through the proxy, which appends the attacker's real address to the header the attacker wrote.
    for (let i = 0; i < 5; i++) {
      assert.equal(
        (await signInOverHttp(app.url, { email, password: `wrong ${i}`, from: PROXY, forwardedFor: `${ADMIN_PUBLIC}, ${ATTACKER_PUBLIC}` })).outcome,
        "invalid",
      );
    }
    // And directly, where the header is not believed at all.
    for (let i = 0; i < 5; i++) {
      assert.equal((await signInOverHttp(app.url, { email, password: `wrong ${i}`, from: ATTACKER, forwardedFor: ADMIN_PUBLIC })).outcome, "invalid");
    }
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: PROXY, forwardedFor: ADMIN_PUBLIC })).outcome, "ok");
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: ADMIN_IP })).outcome, "ok");
    // The failures were counted against the attacker's own addresses.
    assert.equal(
      (await signInOverHttp(app.url, { email, password: PASSWORD, from: PROXY, forwardedFor: `${ADMIN_PUBLIC}, ${ATTACKER_PUBLIC}` })).outcome,
      "throttled",
    );
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: ATTACKER, forwardedFor: ADMIN_IP })).outcome, "throttled");
  });

  test("the internal peer header cannot be forged: a client's own x-mpdesk-peer is replaced by its socket address", async () => {
    const email = await newUser("forged-peer");
    for (let i = 0; i < 5; i++) {
      const outcome = await signInOverHttp(app.url, { email, password: `wrong ${i}`, from: ATTACKER, headers: { "x-mpdesk-peer": ADMIN_IP } });
      assert.equal(outcome.outcome, "invalid");
    }
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: ADMIN_IP })).outcome, "ok");
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: ATTACKER, headers: { "x-mpdesk-peer": ADMIN_IP } })).outcome, "throttled");
  });

  test("rotating X-Forwarded-For does not bypass the throttle, directly or through the trusted proxy", async () => {
    const direct = await newUser("rotation-direct");
    for (let i = 0; i < 5; i++) await signInOverHttp(app.url, { email: direct, password: "wrong", from: "127.0.0.4", forwardedFor: `198.51.100.${i + 1}` });
    assert.equal((await signInOverHttp(app.url, { email: direct, password: PASSWORD, from: "127.0.0.4", forwardedFor: "198.51.100.77" })).outcome, "throttled");

    const proxied = await newUser("rotation-proxied");
    // The proxy appends the address it saw (203.0.113.9); everything to its left is the client's.
    for (let i = 0; i < 5; i++)
      await signInOverHttp(app.url, { email: proxied, password: "wrong", from: PROXY, forwardedFor: `198.51.100.${i + 1}, 203.0.113.9` });
    assert.equal(
      (await signInOverHttp(app.url, { email: proxied, password: PASSWORD, from: PROXY, forwardedFor: "198.51.100.99, 203.0.113.9" })).outcome,
      "throttled",
    );
    // Another client behind the same proxy is not affected.
    assert.equal((await signInOverHttp(app.url, { email: proxied, password: PASSWORD, from: PROXY, forwardedFor: "203.0.113.10" })).outcome, "ok");
  });

  test("a 3 KB X-Forwarded-For is still counted, and the right password is then refused", async () => {
    const email = await newUser("long-xff");
    // Incompressible, so it cannot shrink below the btree row limit.
    const long = randomBytes(2304).toString("base64");
    for (let i = 0; i < 5; i++) {
      assert.equal((await signInOverHttp(app.url, { email, password: "wrong", from: PROXY, forwardedFor: long })).outcome, "invalid");
    }
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: PROXY, forwardedFor: long })).outcome, "throttled");
  });

  test("twenty parallel wrong attempts: at most five reach the password check", async () => {
    const email = await newUser("parallel");
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => signInOverHttp(app.url, { email, password: `wrong ${i}`, from: "127.0.0.6" })));
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
    const invalid = counts.invalid ?? 0;
    assert.ok(invalid >= 1 && invalid <= PAIR_LIMIT, `invalid: ${invalid}, all: ${JSON.stringify(counts)}`);
    assert.equal(counts.error, undefined, `no sign-in ends in a server error: ${JSON.stringify(outcomes.filter((o) => o.outcome === "error"))}`);
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: "127.0.0.6" })).outcome, invalid === PAIR_LIMIT ? "throttled" : "ok");
  });
});

describe("the per-e-mail ceiling across addresses", () => {
  test("slows an attacker who rotates addresses, but never locks the owner out", async () => {
    const email = await newUser("ceiling");
    // The owner has signed in from home before.
    assert.equal((await authenticateUser(prisma, { email, password: PASSWORD, ip: "192.0.2.1" })).ok, true);
    for (let i = 0; i < EMAIL_CEILING; i++) {
      assert.deepEqual(await authenticateUser(prisma, { email, password: "wrong", ip: `198.51.100.${i + 1}` }), { ok: false, reason: "invalid" });
    }
    // A fresh attacker address now gets CEILING_PAIR_LIMIT attempt instead of PAIR_LIMIT.
    for (let i = 0; i < CEILING_PAIR_LIMIT; i++) assert.equal((await authenticateUser(prisma, { email, password: "wrong", ip: "198.51.100.200" })).ok, false);
    const slowed = await authenticateUser(prisma, { email, password: "wrong", ip: "198.51.100.200" });
    assert.equal(!slowed.ok && slowed.reason, "throttled");
    // The owner's known address keeps its full allowance: a typo or two, then in.
    for (let i = 0; i < PAIR_LIMIT - 1; i++)
      assert.deepEqual(await authenticateUser(prisma, { email, password: "typo", ip: "192.0.2.1" }), { ok: false, reason: "invalid" });
    assert.equal((await authenticateUser(prisma, { email, password: PASSWORD, ip: "192.0.2.1" })).ok, true);
    // And from an address that never failed, the first attempt still gets through.
    assert.equal((await authenticateUser(prisma, { email, password: PASSWORD, ip: "192.0.2.77" })).ok, true);
  });

  test("one address trying a new e-mail each time is stopped after IP_CEILING failures; its known users still get in", async () => {
    const email = await newUser("shared-office");
    const office = "203.0.113.77";
    assert.equal((await authenticateUser(prisma, { email, password: PASSWORD, ip: office })).ok, true);
    for (let i = 0; i < IP_CEILING; i++) {
      const r = await authenticateUser(prisma, { email: `nobody-${i}-${randomBytes(3).toString("hex")}@example.com`, password: "wrong", ip: office });
      assert.deepEqual(r, { ok: false, reason: "invalid" }, `attempt ${i}`);
    }
    // Every fresh e-mail is now refused before any hashing...
    const next = await authenticateUser(prisma, { email: "one-more@example.com", password: "wrong", ip: office });
    assert.equal(!next.ok && next.reason, "throttled");
    // ...but a user who signed in from this address before is not locked out by the others.
    assert.equal((await authenticateUser(prisma, { email, password: PASSWORD, ip: office })).ok, true);
  });

  test("what is stored stays bounded whatever the client sends", async () => {
    const email = await newUser("bounded");
    await authenticateUser(prisma, { email, password: "wrong", ip: "x".repeat(20_000) });
    const rows = await prisma.$queryRaw<{ n: number }[]>`SELECT max(length(key))::int AS n FROM login_throttle`;
    assert.equal(rows[0]!.n, 64);
  });
});

/** What the console answers a session cookie: 200 when signed in, else where it redirects. */
async function consoleWith(cookie: string): Promise<string> {
  const res = await rawRequest(`${app.url}/`, { headers: { cookie } });
  return res.status === 200 ? "signed in" : String(res.headers.location ?? res.status);
}

describe("sessions end on the server", () => {
  test("sign-out ends the session: its cookie, replayed, no longer opens the console", async () => {
    const email = await newUser("signout");
    const session = await signInOverHttp(app.url, { email, password: PASSWORD, from: ADMIN_IP });
    assert.equal(session.outcome, "ok");
    assert.equal(await consoleWith(session.cookie), "signed in");
    const csrf = await rawRequest(`${app.url}/api/auth/csrf`, { headers: { cookie: session.cookie } });
    const csrfCookie = (csrf.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
    const out = await rawRequest(`${app.url}/api/auth/signout`, {
      method: "POST",
      headers: { cookie: `${session.cookie}; ${csrfCookie}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (JSON.parse(csrf.body) as { csrfToken: string }).csrfToken }).toString(),
    });
    assert.equal(out.status, 302);
    assert.match(await consoleWith(session.cookie), /\/login\?expired=1/);
  });

  test("changing one's own password ends the other sessions; the new password signs in", async () => {
    const email = await newUser("own-password");
    const other = await signInOverHttp(app.url, { email, password: PASSWORD, from: ADMIN_IP });
    assert.equal(await consoleWith(other.cookie), "signed in");
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    assert.deepEqual(await changeOwnPassword(prisma, user.id, { currentPassword: "not it", newPassword: "a new password", ip: ADMIN_IP }), {
      ok: false,
      reason: "wrongCurrent",
    });
    assert.equal(await consoleWith(other.cookie), "signed in", "a wrong current password changes nothing");
    assert.deepEqual(await changeOwnPassword(prisma, user.id, { currentPassword: PASSWORD, newPassword: "a new password", ip: ADMIN_IP }), { ok: true, email });
    assert.match(await consoleWith(other.cookie), /\/login\?expired=1/);
    assert.equal((await signInOverHttp(app.url, { email, password: PASSWORD, from: ADMIN_IP })).outcome, "invalid");
    assert.equal((await signInOverHttp(app.url, { email, password: "a new password", from: ADMIN_IP })).outcome, "ok");
  });

  test("the current password is checked under the sign-in throttle", async () => {
    const email = await newUser("own-password-guess");
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    for (let i = 0; i < PAIR_LIMIT; i++) {
      assert.deepEqual(await changeOwnPassword(prisma, user.id, { currentPassword: `guess ${i}`, newPassword: "a new password", ip: "198.51.100.50" }), {
        ok: false,
        reason: "wrongCurrent",
      });
    }
    const refused = await changeOwnPassword(prisma, user.id, { currentPassword: PASSWORD, newPassword: "a new password", ip: "198.51.100.50" });
    assert.equal(!refused.ok && refused.reason, "throttled");
  });
});

describe("GET /api/token bounds the cost of wrong keys", () => {
  test("after 30 wrong keys from one address: 429 with Retry-After, for that address only", async () => {
    const wrongKey = () => `Bearer mpd_${randomBytes(32).toString("base64url")}`;
    const statuses: number[] = [];
    for (let i = 0; i < FAILURE_LIMIT + 2; i++) {
      statuses.push((await rawRequest(`${app.url}/api/token`, { headers: { authorization: wrongKey() }, localAddress: "127.0.0.7" })).status);
    }
    assert.deepEqual(statuses.slice(0, FAILURE_LIMIT), Array(FAILURE_LIMIT).fill(401));
    assert.deepEqual(statuses.slice(FAILURE_LIMIT), [429, 429]);
    const limited = await rawRequest(`${app.url}/api/token`, { headers: { authorization: wrongKey() }, localAddress: "127.0.0.7" });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers["retry-after"]);
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${limited.headers["retry-after"]}`);
    // Rotating X-Forwarded-For from a direct client does not escape it.
    assert.equal(
      (await rawRequest(`${app.url}/api/token`, { headers: { authorization: wrongKey(), "x-forwarded-for": "198.51.100.3" }, localAddress: "127.0.0.7" }))
        .status,
      429,
    );
    // Another address is unaffected.
    assert.equal((await rawRequest(`${app.url}/api/token`, { headers: { authorization: wrongKey() }, localAddress: "127.0.0.8" })).status, 401);
  });
});
