import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { TEST_ENCRYPTION_KEY } from "./app-server";

// `npm run mpdesk -- …` as an operator runs it: a separate process on the app's database.

export type MpdeskRun = { code: number | null; stdout: string; stderr: string };

/** `env` adds to the test's environment; a variable set to undefined is removed from it. */
export function runMpdesk(args: string[], opts: { databaseUrl: string; env?: Record<string, string | undefined>; input?: string }): Promise<MpdeskRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ...opts.env,
    };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/mpdesk.ts", ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(opts.input ?? "");
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
