// `npm test`: the whole suite against a real PostgreSQL — the server named by TEST_DATABASE_URL,
// or an embedded one started here in a temporary folder. DATABASE_URL is never read, so a test
// run cannot touch a deployment's data. `--only unit|integration|e2e` narrows the run.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { startThrowawayPostgres, type EmbeddedDatabase } from "../lib/embedded-postgres";
import { buildApp } from "./lib/build";

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const suites = only ? [only] : ["unit", "integration", "e2e"];
// Naming test files runs just those: `npm test -- tests/integration/callback.test.ts`.
const named = process.argv.slice(2).filter((a) => a.endsWith(".test.ts"));
const files = named.length
  ? named
  : suites.flatMap((s) => {
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
  const needsDatabase = files.some((f) => !f.includes("/unit/"));
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (needsDatabase && !adminUrl) {
    const started = Date.now();
    try {
      embedded = await startThrowawayPostgres();
    } catch (err) {
      console.error(`[test] ${(err as Error).message}`);
      process.exit(1);
    }
    adminUrl = embedded.adminUrl;
    console.log(`[test] embedded PostgreSQL on port ${embedded.port} in ${Date.now() - started} ms`);
  }
  const code = await runTests(adminUrl).catch((err) => {
    console.error(`[test] ${(err as Error).message}`);
    return 1;
  });
  await embedded?.stop();
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
    child.on("error", (err) => {
      console.error(`[test] could not run the tests: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
}

main().catch((err) => {
  console.error(`[test] ${(err as Error).message}`);
  process.exit(1);
});
