// `npm test`: the whole suite against a real PostgreSQL — the server named by TEST_DATABASE_URL,
// or an embedded one started here in a temporary folder. DATABASE_URL is never read, so a test
// run cannot touch a deployment's data. `--only unit|integration|e2e` narrows the run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../lib/embedded-postgres";
import { buildApp } from "./lib/build";

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const suites = only ? [only] : ["unit", "integration", "e2e"];
// Naming test files runs just those: `npm test -- tests/integration/callback.test.ts`.
const named = process.argv.slice(2).filter((a) => a.endsWith(".test.ts"));
const files = named.length ? named : suites.flatMap((s) => {
  const dir = path.join("tests", s);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .sort()
    .map((f) => path.join(dir, f));
});

delete process.env.DATABASE_URL;
process.env.NEXT_TELEMETRY_DISABLED = "1";

async function main() {
  let embedded: EmbeddedDatabase | undefined;
  let tmp: string | undefined;
  const needsDatabase = files.some((f) => !f.includes("/unit/"));
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (needsDatabase && !adminUrl) {
    tmp = mkdtempSync(path.join(os.tmpdir(), "mpdesk-test-"));
    chmodSync(tmp, 0o755); // the server runs as the `postgres` user when we are root
    const started = Date.now();
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "postgres"), password: randomBytes(12).toString("hex") });
    adminUrl = embedded.adminUrl;
    console.log(`[test] embedded PostgreSQL on port ${embedded.port} in ${Date.now() - started} ms`);
  }
  const code = await runTests(adminUrl).catch((err) => {
    console.error(err);
    return 1;
  });
  await embedded?.stop().catch(() => {});
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}

async function runTests(adminUrl: string | undefined): Promise<number> {
  if (files.some((f) => !f.includes("/unit/"))) buildApp();
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...files], {
      stdio: "inherit",
      env: { ...process.env, MPDESK_TEST_PG_URL: adminUrl ?? "" },
    });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (c) => resolve(c ?? 1));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
