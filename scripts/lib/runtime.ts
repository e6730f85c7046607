import { applyMigrations } from "../../lib/apply-migrations";
import { bootstrap } from "../../lib/bootstrap";
import { ensureDatabase, runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/embedded-postgres";
import { configError, parseEnv, type TEnv } from "../../lib/env";
import { upgradeSecretEnvelopes } from "../../lib/upgrade-secret-envelopes";
import { dataDir, ensureSecretsFilePrivate, loadLocalSecrets, secretGenerationRule } from "./data-dir";

// What `npm start` (and the operator CLI) do before the app can serve: settle configuration,
// bring up the embedded database when no DATABASE_URL is given, migrate, seed an empty database.

export type Runtime = { env: TEnv; childEnv: NodeJS.ProcessEnv; embedded?: EmbeddedDatabase; stop(): Promise<void> };

export async function prepareRuntime(opts: { seed?: boolean; quiet?: boolean; attach?: boolean; dev?: boolean } = {}): Promise<Runtime> {
  const say = (m: string) => opts.quiet || console.log(`[mpdesk] ${m}`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  const dir = dataDir(childEnv);
  childEnv.MPDESK_DATA_DIR = dir;

  const exposed = ensureSecretsFilePrivate(dir);
  if (exposed) console.warn(`[mpdesk] warning: ${exposed}`);

  const missing = (["AUTH_SECRET", "MPDESK_ENCRYPTION_KEY"] as const).filter((name) => !childEnv[name]);
  if (missing.length) {
    const rule = secretGenerationRule(childEnv, { dev: !!opts.dev, interactive: !!(process.stdin.isTTY && process.stdout.isTTY) });
    if (!rule.allowed) {
      throw configError(missing.map((name) => `${name} is not set (not generated: ${rule.reason}; set it, e.g. openssl rand -base64 32)`));
    }
  }
  const names = [...missing, ...(childEnv.DATABASE_URL ? [] : (["EMBEDDED_PG_PASSWORD"] as const))];
  const local = names.length ? loadLocalSecrets(dir, names) : {};
  for (const name of missing) {
    childEnv[name] = local[name];
    // The CLI (quiet) uses what `npm start` uses; the warning belongs to the start.
    if (!opts.quiet) console.warn(`[mpdesk] warning: ${name} is not set; using a generated one kept in ${dir}/secrets.json. Set it explicitly in production.`);
  }

  let embedded: EmbeddedDatabase | undefined;
  const running = childEnv.DATABASE_URL ? null : await runningEmbeddedPostgres(`${dir}/postgres`);
  if (running && opts.attach) {
    // The operator CLI next to a running `npm start`: use its database rather than a second server
    // on the same files (PostgreSQL would refuse). It stays up when we are done.
    childEnv.DATABASE_URL = `postgresql://postgres:${encodeURIComponent(local.EMBEDDED_PG_PASSWORD!)}@127.0.0.1:${running.port}/mpdesk`;
    say(`using the embedded PostgreSQL already running on 127.0.0.1:${running.port} (pid ${running.pid})`);
  } else if (running) {
    throw new Error(
      `The embedded PostgreSQL in ${dir}/postgres is already running (pid ${running.pid}, port ${running.port}): is mpdesk already started from this folder?\n` +
        `Stop it first, or give this instance its own MPDESK_DATA_DIR, or point both at one server with DATABASE_URL.`,
    );
  } else if (!childEnv.DATABASE_URL) {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: `${dir}/postgres`,
      password: local.EMBEDDED_PG_PASSWORD!,
      preferredPort: Number(childEnv.MPDESK_EMBEDDED_PG_PORT) || 54329,
    });
    await ensureDatabase(embedded.adminUrl, "mpdesk");
    childEnv.DATABASE_URL = embedded.urlFor("mpdesk");
    say(`embedded PostgreSQL on 127.0.0.1:${embedded.port} (data in ${embedded.dataDir}), ready in ${Date.now() - started} ms`);
    if (embedded.relocatedBecause) say(`its data is kept in ${embedded.dataDir}, not in ${dir}/postgres: ${embedded.relocatedBecause}`);
  }

  const stop = async () => {
    if (embedded) await embedded.stop().catch(() => {});
  };
  try {
    const env = parseEnv(childEnv);
    const migrated = await applyMigrations(env.DATABASE_URL);
    if (migrated.applied.length) say(`applied migrations: ${migrated.applied.join(", ")}`);
    const upgraded = await upgradeSecretEnvelopes(env.DATABASE_URL, env.encryptionKey);
    if (upgraded.upgraded) say(`re-encrypted ${upgraded.upgraded} stored secret(s), each now bound to its row and column`);
    for (const f of upgraded.failed) {
      console.warn(
        `[mpdesk] warning: the stored ${f.cell} of ${f.id} does not decrypt with MPDESK_ENCRYPTION_KEY; left as it is (save it again in the console)`,
      );
    }
    if (opts.seed !== false) await seed(env, childEnv, say);
    return { env, childEnv, embedded, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function seed(env: TEnv, source: NodeJS.ProcessEnv, say: (m: string) => void) {
  const { PrismaClient } = await import("../../lib/generated/prisma/client");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL }) });
  try {
    const report = await bootstrap(prisma, source, env.encryptionKey);
    if (report.createdAccount) say(`created the default account ${report.createdAccount} from WECHAT_* settings`);
    if (report.createdAdmin) {
      say(`created the first administrator: ${report.createdAdmin}`);
      if (report.generatedPassword) {
        // Printed exactly once, on the start that created it; it is stored only as a bcrypt hash.
        console.log(`\n  Administrator password (shown once): ${report.generatedPassword}\n`);
      }
    }
  } finally {
    await prisma.$disconnect();
  }
}
