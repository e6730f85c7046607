import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// The git-ignored data folder (.mpdesk by default): the embedded database, the spool, and the
// secrets generated for a development start.

export function dataDir(env = process.env): string {
  return path.resolve(env.MPDESK_DATA_DIR || ".mpdesk");
}

type LocalSecrets = { AUTH_SECRET: string; MPDESK_ENCRYPTION_KEY: string; EMBEDDED_PG_PASSWORD: string };

/** Secrets generated once and kept in the data folder, so sessions and encrypted data survive restarts. */
export function loadLocalSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, "secrets.json");
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: LocalSecrets = {
    AUTH_SECRET: existing.AUTH_SECRET ?? randomBytes(32).toString("base64"),
    MPDESK_ENCRYPTION_KEY: existing.MPDESK_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
    EMBEDDED_PG_PASSWORD: existing.EMBEDDED_PG_PASSWORD ?? randomBytes(18).toString("base64url"),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return secrets;
}
