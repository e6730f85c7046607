import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { TEST_ENCRYPTION_KEY } from "./app-server";

// `npm run mpdesk -- …` as an operator runs it: its own process, on the given database.

export type CliRun = { code: number | null; stdout: string; stderr: string };

export function runMpdesk(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/mpdesk.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, MPDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, AUTH_SECRET: randomBytes(32).toString("base64"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
