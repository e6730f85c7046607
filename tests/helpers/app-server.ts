import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../lib/embedded-postgres";
import { eventually } from "./eventually";

// Starts the real app the way `npm start` does (scripts/start.ts, then `next start`) on a free
// port, against the given database, and waits until /api/health answers.

export const TEST_ENCRYPTION_KEY = randomBytes(32).toString("base64");

/**
 * Configures this test process's own lib/ as the apps are configured: the test database, the
 * mock WeChat API and the test encryption key. Call it before importing lib/ (config is read once).
 */
export function configureLib(databaseUrl: string, wechatApiBase: string, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WECHAT_API_BASE: wechatApiBase,
    MPDESK_WECHAT_TIMEOUT_MS: "2000",
    LOG_LEVEL: "error",
    ...extra,
  });
}

export type AppServer = { url: string; dataDir: string; logs: () => string; stop(): Promise<void>; process: ChildProcess };

export async function startApp(opts: { databaseUrl?: string; dataDir?: string; env?: Record<string, string> }): Promise<AppServer> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "mpdesk-app-"));
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
      PORT: String(port),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      MPDESK_DATA_DIR: dataDir,
      ADMIN_EMAIL: "admin@example.com",
      ADMIN_PASSWORD: "correct horse battery",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status === 200, {
      timeoutMs: 60_000,
      intervalMs: 100,
      giveUp: () => (child.exitCode !== null ? new Error(`app exited early (${child.exitCode}):\n${output}`) : undefined),
    });
  } catch (err) {
    if (child.exitCode !== null) throw err;
    child.kill("SIGKILL");
    throw new Error(`app did not become healthy in 60 s:\n${output}`);
  }
  return {
    url,
    dataDir,
    process: child,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
