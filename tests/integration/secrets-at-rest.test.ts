import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createAccountDirectory } from "../../lib/accounts/callback-accounts";
import { freePort } from "../../lib/embedded-postgres";
import { decryptSecret, encryptLegacySecret, encryptSecret } from "../../lib/secrets";
import { upgradeSecretEnvelopes } from "../../lib/upgrade-secret-envelopes";
import { generateEncodingAesKey } from "../../lib/wechat/crypto";
import { TEST_ENCRYPTION_KEY } from "../helpers/app-server";
import { createTestDatabase } from "../helpers/test-database";

// Secrets at rest: envelopes bound to their cell, the one-time upgrade of older envelopes, and the
// start's rules for the generated secrets file.

const KEY = Buffer.from(TEST_ENCRYPTION_KEY, "base64");
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Client;
const tmp = mkdtempSync(path.join(os.tmpdir(), "mpdesk-secrets-"));

before(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await db?.drop();
  rmSync(tmp, { recursive: true, force: true });
});

const read = async (id: string) =>
  (
    await sql.query(
      `SELECT a.app_secret_enc, a.encoding_aes_key_enc, a.previous_encoding_aes_key_enc, t.token_enc FROM account a LEFT JOIN access_token t ON t.account_id = a.id WHERE a.id = $1`,
      [id],
    )
  ).rows[0];

describe("envelopes bound to their row and column", () => {
  test("envelopes written without AAD are upgraded once, and still decrypt", async () => {
    const id = randomUUID();
    const [k1, k2] = [generateEncodingAesKey(), generateEncodingAesKey()];
    await sql.query(
      `INSERT INTO account (id, app_id, token, app_secret_enc, encoding_aes_key_enc, previous_encoding_aes_key_enc) VALUES ($1, $2, 'tok', $3, $4, $5)`,
      [id, `wx${randomBytes(8).toString("hex")}`, encryptLegacySecret("the-app-secret", KEY), encryptLegacySecret(k2, KEY), encryptLegacySecret(k1, KEY)],
    );
    await sql.query(`INSERT INTO access_token (account_id, token_enc) VALUES ($1, $2)`, [id, encryptLegacySecret("ACCESS_TOKEN", KEY)]);
    // Written with another key: reported, left untouched.
    const stranger = randomUUID();
    const foreign = encryptLegacySecret("x", randomBytes(32));
    await sql.query(`INSERT INTO account (id, app_id, token, app_secret_enc) VALUES ($1, $2, 'tok', $3)`, [
      stranger,
      `wx${randomBytes(8).toString("hex")}`,
      foreign,
    ]);

    const report = await upgradeSecretEnvelopes(db.url, KEY);
    assert.equal(report.upgraded, 4);
    assert.deepEqual(report.failed, [{ cell: "account.app_secret", id: stranger }]);
    const row = await read(id);
    for (const v of Object.values(row)) assert.match(String(v), /^v2:/);
    assert.equal(decryptSecret(row.app_secret_enc, KEY, "account.app_secret", id), "the-app-secret");
    assert.equal(decryptSecret(row.encoding_aes_key_enc, KEY, "account.encoding_aes_key", id), k2);
    assert.equal(decryptSecret(row.previous_encoding_aes_key_enc, KEY, "account.previous_encoding_aes_key", id), k1);
    assert.equal(decryptSecret(row.token_enc, KEY, "access_token.token", id), "ACCESS_TOKEN");
    assert.equal((await read(stranger)).app_secret_enc, foreign);

    assert.equal((await upgradeSecretEnvelopes(db.url, KEY)).upgraded, 0, "a second start has nothing to do");
  });

  test("a key copied into another account's row is refused there; the other accounts keep working", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const [ka, kb] = [generateEncodingAesKey(), generateEncodingAesKey()];
    const appIds = [`wx${randomBytes(8).toString("hex")}`, `wx${randomBytes(8).toString("hex")}`];
    await sql.query(`DELETE FROM account`);
    await sql.query(
      `INSERT INTO account (id, app_id, token, message_mode, encoding_aes_key_enc, created_at) VALUES ($1, $2, 'tok', 'safe', $3, now() - interval '1 minute'), ($4, $5, 'tok', 'safe', $6, now())`,
      [a, appIds[0], encryptSecret(ka, KEY, "account.encoding_aes_key", a), b, appIds[1], encryptSecret(kb, KEY, "account.encoding_aes_key", b)],
    );
    // Someone with write access to the database (but not the key) moves A's key into B's row,
    // and into A's previous-key column.
    await sql.query(`UPDATE account SET encoding_aes_key_enc = (SELECT encoding_aes_key_enc FROM account WHERE id = $1) WHERE id = $2`, [a, b]);
    await sql.query(`UPDATE account SET previous_encoding_aes_key_enc = encoding_aes_key_enc WHERE id = $1`, [a]);

    const pool = new pg.Pool({ connectionString: db.url });
    try {
      const dir = createAccountDirectory({ pool, connectionString: db.url, encryptionKey: KEY });
      await dir.reload();
      const accA = await dir.resolve(appIds[0]);
      const accB = await dir.resolve(appIds[1]);
      assert.equal(accA?.aesKeys.length, 1, "A keeps its own key; the copy in its previous-key column is refused");
      assert.equal(accB?.aesKeys.length, 0, "B does not get A's key");
    } finally {
      await pool.end();
    }
  });
});

describe("the start and its generated secrets", () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", PORT: "1", ...env } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });

  test("NODE_ENV=production never generates them", () => {
    const dataDir = mkdtempSync(path.join(tmp, "prod-"));
    const r = start({ NODE_ENV: "production", MPDESK_DATA_DIR: dataDir });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /AUTH_SECRET is not set/);
    assert.match(r.stderr, /MPDESK_ENCRYPTION_KEY is not set/);
    assert.equal(existsSync(path.join(dataDir, "secrets.json")), false);
  });

  test("a service (no terminal) with a DATABASE_URL of its own does not generate them", async () => {
    const dataDir = mkdtempSync(path.join(tmp, "svc-"));
    const r = start({ DATABASE_URL: `postgresql://u:p@127.0.0.1:${await freePort()}/x`, MPDESK_DATA_DIR: dataDir });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /AUTH_SECRET is not set/);
    assert.match(r.stderr, /not generated/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "one clear sentence, no stack trace");
    assert.equal(existsSync(path.join(dataDir, "secrets.json")), false);
  });

  test("secrets.json readable by others is made 0600 at start, with a warning", async () => {
    const dataDir = mkdtempSync(path.join(tmp, "mode-"));
    const file = path.join(dataDir, "secrets.json");
    writeFileSync(file, JSON.stringify({ EMBEDDED_PG_PASSWORD: "pw" }) + "\n");
    chmodSync(file, 0o644);
    // Everything set, the database on a closed port: the start fails later, but has checked the file first.
    const r = start({
      DATABASE_URL: `postgresql://u:p@127.0.0.1:${await freePort()}/x`,
      MPDESK_DATA_DIR: dataDir,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    });
    assert.equal(statSync(file).mode & 0o777, 0o600, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: .*secrets\.json was readable by others \(mode 644\); now 600/);
  });
});
