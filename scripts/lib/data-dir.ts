import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// The git-ignored data folder (.mpdesk by default): the embedded database, the spool, and the
// secrets generated for a development start.

export function dataDir(env = process.env): string {
  return path.resolve(env.MPDESK_DATA_DIR || ".mpdesk");
}

type LocalSecrets = { AUTH_SECRET: string; MPDESK_ENCRYPTION_KEY: string; EMBEDDED_PG_PASSWORD: string };
type SecretName = keyof LocalSecrets;

const generators: Record<SecretName, () => string> = {
  AUTH_SECRET: () => randomBytes(32).toString("base64"),
  MPDESK_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  EMBEDDED_PG_PASSWORD: () => randomBytes(18).toString("base64url"),
};

export const secretsFile = (dir: string) => path.join(dir, "secrets.json");

/**
 * Secrets generated once and kept in the data folder, so sessions and encrypted data survive
 * restarts. Only the names asked for are generated; values already in the file are kept.
 */
export function loadLocalSecrets(dir: string, names: SecretName[]): Partial<LocalSecrets> {
  const file = secretsFile(dir);
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: Partial<LocalSecrets> = { ...existing };
  for (const name of names) secrets[name] ??= generators[name]();
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return secrets;
}

/** At every start: the file holds keys, so it must be the owner's alone. Returns a warning when it was not. */
export function ensureSecretsFilePrivate(dir: string): string | null {
  const file = secretsFile(dir);
  if (!existsSync(file)) return null;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  chmodSync(file, 0o600);
  return `${file} was readable by others (mode ${mode.toString(8)}); now 600. Consider the keys in it exposed if others could log in here.`;
}

/**
 * Whether AUTH_SECRET and MPDESK_ENCRYPTION_KEY may be generated (and then kept in secrets.json)
 * when unset. A generated key on a disk nobody looks after means encrypted data and sessions lost
 * with that disk, so only where mpdesk really runs in development: never with NODE_ENV=production;
 * otherwise for `npm run dev`, for the embedded database (whose data lives in the same folder as
 * the file, so key and data stay together), or when someone at a terminal sees the warning.
 * A service (no terminal) with a DATABASE_URL of its own is a deployment and must set both.
 */
export function secretGenerationRule(
  env: Record<string, string | undefined>,
  ctx: { dev: boolean; interactive: boolean },
): { allowed: true } | { allowed: false; reason: string } {
  if (env.NODE_ENV === "production") return { allowed: false, reason: "NODE_ENV is production" };
  if (ctx.dev || !env.DATABASE_URL || ctx.interactive) return { allowed: true };
  return { allowed: false, reason: "DATABASE_URL is set and mpdesk is not running in a terminal, so this looks like a deployment" };
}
