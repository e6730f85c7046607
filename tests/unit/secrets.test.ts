import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import pg from "pg";
import { createAccountDirectory } from "../../lib/accounts/callback-accounts";
import { decodeKey, parseEnv } from "../../lib/env";
import { checkHealth } from "../../lib/health";
import { freePort } from "../../lib/embedded-postgres";
import { csvHeaderLine, toCsvLines } from "../../lib/messages/export-messages";
import type { MessageDetail } from "../../lib/messages/get-message";
import type { MessageStore } from "../../lib/messages/message-store";
import { decryptLegacySecret, decryptSecret, encryptLegacySecret, encryptSecret } from "../../lib/secrets";
import { secretGenerationRule } from "../../scripts/lib/data-dir";
import { newNonce, pageContentSecurityPolicy, strictTransportSecurity } from "../../lib/http/security-headers";

const KEY = randomBytes(32);

describe("secret envelopes are bound to their cell", () => {
  const a = randomUUID();
  const b = randomUUID();

  test("round trip in the same cell", () => {
    const env = encryptSecret("app-secret-1234", KEY, "account.app_secret", a);
    assert.match(env, /^v2:/);
    assert.equal(decryptSecret(env, KEY, "account.app_secret", a), "app-secret-1234");
  });

  test("copied to another row, or to another column of the same row, it does not decrypt", () => {
    const env = encryptSecret("app-secret-1234", KEY, "account.app_secret", a);
    assert.throws(() => decryptSecret(env, KEY, "account.app_secret", b), /does not decrypt here/);
    assert.throws(() => decryptSecret(env, KEY, "account.encoding_aes_key", a), /does not decrypt here/);
    assert.throws(() => decryptSecret(env, KEY, "access_token.token", a), /does not decrypt here/);
    const rotated = encryptSecret("k".repeat(43), KEY, "account.encoding_aes_key", a);
    assert.throws(() => decryptSecret(rotated, KEY, "account.previous_encoding_aes_key", a));
  });

  test("another key does not decrypt", () => {
    const env = encryptSecret("x", KEY, "access_token.token", a);
    assert.throws(() => decryptSecret(env, randomBytes(32), "access_token.token", a));
  });

  test("a v1 envelope (no AAD) is read only by the upgrade, never by an ordinary read", () => {
    const legacy = encryptLegacySecret("old-secret", KEY);
    assert.match(legacy, /^v1:/);
    assert.throws(() => decryptSecret(legacy, KEY, "account.app_secret", a), /older mpdesk/);
    assert.equal(decryptLegacySecret(legacy, KEY), "old-secret");
  });
});

describe("MPDESK_ENCRYPTION_KEY must decode to exactly 32 bytes", () => {
  const b64 = randomBytes(32).toString("base64");
  const hex = randomBytes(32).toString("hex");
  test("accepted: base64 (padded or not), base64url, hex", () => {
    assert.equal(decodeKey(b64)?.length, 32);
    assert.equal(decodeKey(b64.replace(/=$/, ""))?.length, 32);
    assert.equal(decodeKey(randomBytes(32).toString("base64url"))?.length, 32);
    assert.equal(decodeKey(hex)?.toString("hex"), hex);
    assert.equal(decodeKey(` ${b64}\n`)?.toString("base64"), b64, "surrounding whitespace from a file is fine");
  });
  test("refused: junk the lenient base64 decoder would skip, wrong lengths, two keys pasted together", () => {
    for (const bad of [
      b64 + "!!!",
      "!!" + b64,
      b64.slice(0, 20) + " * " + b64.slice(20),
      b64 + randomBytes(32).toString("base64"),
      b64.replace(/=$/, "") + "=extra",
      randomBytes(31).toString("base64"),
      randomBytes(33).toString("base64"),
      randomBytes(48).toString("base64"),
      hex.slice(0, 62),
      hex + "00",
      "x".repeat(32),
    ]) {
      assert.equal(decodeKey(bad), null, `accepted ${JSON.stringify(bad)}`);
    }
  });
  test("the error names MPDESK_ENCRYPTION_KEY", () => {
    const base = { DATABASE_URL: "postgres://u@h/db", AUTH_SECRET: "s".repeat(40) };
    assert.throws(() => parseEnv({ ...base, MPDESK_ENCRYPTION_KEY: b64 + "!!!" }), /MPDESK_ENCRYPTION_KEY must be 32 random bytes/);
    assert.equal(parseEnv({ ...base, MPDESK_ENCRYPTION_KEY: b64 }).encryptionKey.length, 32);
  });
});

describe("CSV export neutralises formulas whatever the spreadsheet's locale", () => {
  const rowWith = (content: string) =>
    ({ id: "1", receivedAt: new Date("2026-11-24T00:00:00Z"), direction: "inbound", msgType: "text", content, encrypted: false }) as unknown as MessageDetail;
  // The content column, parsed back the way a spreadsheet's CSV reader would (RFC 4180).
  const contentCell = (line: string): string => {
    const cells: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = "";
        i++;
        for (;;) {
          if (line[i] === '"' && line[i + 1] === '"') ((v += '"'), (i += 2));
          else if (line[i] === '"') break;
          else v += line[i++];
        }
        cells.push(v);
        i += 2;
      } else {
        const end = line.indexOf(",", i);
        const stop = end === -1 ? line.length : end;
        cells.push(line.slice(i, stop).replace(/\r\n$/, ""));
        i = stop + 1;
      }
    }
    return cells[10]!;
  };

  const hostile = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x")',
    " =1+1",
    "  +cmd|' /C calc'!A0",
    "\u3000=1",
    "\u00a0@x",
    "\n=1",
    " \t-2",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " ＝1",
  ];
  for (const value of hostile) {
    test(`${JSON.stringify(value)} is prefixed with a single quote`, () => {
      const cell = contentCell(toCsvLines([rowWith(value)]));
      assert.equal(cell, `'${value}`);
    });
  }

  test("harmless text is left alone", () => {
    for (const value of ["hello", "你好", "a=b", "email@example.com", "1-2"]) assert.equal(contentCell(toCsvLines([rowWith(value)])), value);
  });

  test("cells holding either separator are quoted, so a `;` locale cannot split them", () => {
    const line = toCsvLines([rowWith("a;=b,c")]);
    assert.match(line, /,"a;=b,c",/);
    assert.match(toCsvLines([rowWith("x;y")]), /,"x;y",/);
    assert.ok(csvHeaderLine().startsWith("\uFEFF"));
  });
});

describe("/api/health tells an anonymous caller no connection details", () => {
  test("with the database on a closed port, the body has a generic reason and no host, port or user", async () => {
    const port = await freePort();
    const url = `postgresql://mpdesk_secret_user:pw@127.0.0.1:${port}/mpdesk`;
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      const accounts = createAccountDirectory({ pool, connectionString: url, encryptionKey: KEY });
      const store = { spoolSize: async () => 0, replayRounds: () => 0 } as unknown as MessageStore;
      const health = await checkHealth({ pool, accounts, store, spoolDir: "/tmp/mpdesk-health-test-spool" });
      assert.equal(health.database.reachable, false);
      assert.equal(health.database.error, "database unreachable");
      const body = JSON.stringify(health);
      assert.doesNotMatch(body, new RegExp(String(port)));
      assert.doesNotMatch(body, /127\.0\.0\.1|mpdesk_secret_user|ECONNREFUSED/);
    } finally {
      await pool.end();
    }
  });
});

describe("when AUTH_SECRET and MPDESK_ENCRYPTION_KEY may be generated", () => {
  const service = { dev: false, interactive: false };
  test("the newcomer's `npm install && npm start`, even without a terminal: the embedded database", () => {
    assert.equal(secretGenerationRule({}, service).allowed, true);
    assert.equal(secretGenerationRule({ NODE_ENV: "development" }, service).allowed, true);
  });
  test("`npm run dev`, or someone at a terminal, with a DATABASE_URL", () => {
    assert.equal(secretGenerationRule({ DATABASE_URL: "postgres://h/db" }, { dev: true, interactive: false }).allowed, true);
    assert.equal(secretGenerationRule({ DATABASE_URL: "postgres://h/db" }, { dev: false, interactive: true }).allowed, true);
  });
  test("never with NODE_ENV=production; not for a service with its own database", () => {
    for (const ctx of [service, { dev: true, interactive: true }]) {
      assert.deepEqual(secretGenerationRule({ NODE_ENV: "production" }, ctx), { allowed: false, reason: "NODE_ENV is production" });
    }
    assert.equal(secretGenerationRule({ DATABASE_URL: "postgres://h/db" }, service).allowed, false);
  });
});

describe("page security headers", () => {
  test("HSTS only for an https PUBLIC_URL", () => {
    assert.equal(strictTransportSecurity("https://mp.example.com"), "max-age=31536000");
    assert.equal(strictTransportSecurity("http://mp.example.com"), null);
    assert.equal(strictTransportSecurity(undefined), null);
  });
  test("the page CSP: nonce-only scripts, no eval outside `next dev`, never framed", () => {
    const csp = pageContentSecurityPolicy("abc");
    assert.match(csp, /script-src 'self' 'nonce-abc' 'strict-dynamic'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.match(pageContentSecurityPolicy("abc", { dev: true }), /'unsafe-eval'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.notEqual(newNonce(), newNonce());
  });
});
