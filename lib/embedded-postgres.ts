import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { AppError, isAppError } from "./app-error";

// Real PostgreSQL binaries shipped inside an npm package: the default database when
// DATABASE_URL is unset, and the test suite's own server. Same SQL and adapter as production.
//
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user. That user must
// be able to run the binaries and own the data folder. A clone under a private home folder
// (mode 700) offers neither, and loosening the user's folder is not ours to do. So, as root only:
// the binaries are copied once to a root-owned, world-traversable folder under /var/lib/mpdesk,
// and a data folder the `postgres` user cannot reach is kept under /var/lib/mpdesk/data/<hash of
// its path>, which stays the same for a checkout across restarts.

export type EmbeddedDatabase = {
  adminUrl: string;
  urlFor(database: string): string;
  port: number;
  /** Where the data really is: the requested folder, or its stand-in under /var/lib/mpdesk. */
  dataDir: string;
  /** Why the data is not in the requested folder, when it is not. */
  relocatedBecause?: string;
  stop(): Promise<void>;
};

/** A failure to start the embedded server, worded for the person running `npm start` or `npm test`. */
const startFailure = (message: string) => new AppError("EMBEDDED_POSTGRES", { message });

const INSTALL_ROOT = "/var/lib/mpdesk";
type Account = { uid: number; gid: number };

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  password: string;
  preferredPort?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const requested = path.resolve(opts.dataDir);
  const account = process.getuid?.() === 0 ? postgresAccount() : undefined;
  const placed = placeDataDir(requested, account);
  const dataDir = placed.dir;
  const tree = installedTree(packageTree(), account);
  const port = await pickPort(opts.preferredPort);
  const recent: string[] = [];
  const log = (m: string) => {
    recent.push(m);
    if (recent.length > 40) recent.shift();
    opts.onLog?.(m);
  };
  // The postgres user may not be able to enter our working directory (a private checkout).
  const run = { cwd: path.dirname(dataDir), env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" }, ...(account ?? {}) };
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initdb(tree, dataDir, opts.password, account, run, log);

  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"];
  const child = spawn(path.join(tree, "bin", "postgres"), ["-D", dataDir, "-p", String(port), ...flags], { ...run, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stopOnExit = () => child.exitCode === null && child.kill("SIGINT");
  process.once("exit", stopOnExit);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(startFailure("it was not ready within 60 s")), 60_000);
      let buffered = "";
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          log(line + "\n");
          if (line.includes("database system is ready to accept connections")) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      child.stderr!.on("data", onData);
      child.stdout!.on("data", onData);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(startFailure(spawnFailure(path.join(tree, "bin", "postgres"), err)));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        reject(startFailure(`it exited (${signal ?? `code ${code}`}): ${lastError(recent) || "no output"}`));
      });
    });
  } catch (err) {
    if (child.exitCode === null && child.pid) child.kill("SIGKILL");
    process.removeListener("exit", stopOnExit);
    throw startFailure(`The embedded PostgreSQL in ${dataDir} did not start: ${sentence((err as Error).message)}`);
  }
  const urlFor = (database: string) => `postgresql://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    process.removeListener("exit", stopOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, the data is made durable.
    child.kill("SIGINT");
    const slow = setTimeout(() => child.kill("SIGQUIT"), 30_000);
    await exited;
    clearTimeout(slow);
  };
  return { adminUrl: urlFor("postgres"), urlFor, port, dataDir, relocatedBecause: placed.because, stop };
}

/**
 * An embedded server in a fresh temporary folder, gone after stop(): the one way the test suite
 * and the benchmarks get a PostgreSQL of their own.
 */
export async function startThrowawayPostgres(opts: { preferredPort?: number; onLog?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "mpdesk-pg-"));
  // Our own folder, so the `postgres` user (when we are root) may keep the data in it.
  chmodSync(tmp, 0o755);
  const dataDir = path.join(tmp, "postgres");
  const remove = () => {
    removeEmbeddedStandIn(dataDir);
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const db = await startEmbeddedPostgres({ dataDir, password: randomBytes(12).toString("hex"), ...opts });
    return {
      ...db,
      async stop() {
        await db.stop().catch(() => {});
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}

async function initdb(tree: string, dataDir: string, password: string, account: Account | undefined, run: object, log: (m: string) => void) {
  // The password goes through a file only the server's user can read, beside the data folder.
  const pwfile = path.join(path.dirname(dataDir), `.pwfile-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (account) chownSync(pwfile, account.uid, account.gid);
  const bin = path.join(tree, "bin", "initdb");
  try {
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, [`--pgdata=${dataDir}`, "--auth=password", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"], {
        ...run,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const collect = (d: Buffer) => {
        output.push(d.toString("utf8"));
        log(d.toString("utf8"));
      };
      child.stdout!.on("data", collect);
      child.stderr!.on("data", collect);
      child.once("error", (err) => reject(startFailure(spawnFailure(bin, err))));
      child.once("close", (code) => (code === 0 ? resolve() : reject(startFailure(`initdb failed (code ${code}): ${lastError(output) || "no output"}`))));
    });
  } catch (err) {
    throw startFailure(`The embedded PostgreSQL could not create its data folder ${dataDir}: ${sentence((err as Error).message)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** The PostgreSQL tree (bin/, lib/, share/) of the package built for this machine. */
function packageTree(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let dir: string;
  try {
    // The package's only export names its binaries; the tree is two folders up from them.
    const entry = createRequire(import.meta.url).resolve(name);
    dir = path.resolve(path.dirname(entry), "..", "native");
  } catch {
    throw startFailure(
      `The embedded PostgreSQL has no binaries for this machine (${name} is not installed): run \`npm install\`, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  for (const exe of ["postgres", "initdb"]) {
    if (!existsSync(path.join(dir, "bin", exe))) {
      throw startFailure(
        `The embedded PostgreSQL is incomplete (${path.join(dir, "bin", exe)} is missing): run \`npm install\` again, or set DATABASE_URL to use your own PostgreSQL.`,
      );
    }
  }
  return dir;
}

/**
 * The tree to run: the package's own when the server's user can reach it, else a copy under
 * /var/lib/mpdesk named by its version and content, made once and shared by every checkout.
 */
function installedTree(source: string, account: Account | undefined): string {
  if (!account || blockedFor(path.join(source, "bin"), account) === undefined) return source;
  let version = "local";
  try {
    version = JSON.parse(readFileSync(path.join(source, "..", "package.json"), "utf8")).version ?? version;
  } catch {
    /* a tree without its package.json: the content hash alone names it */
  }
  const digest = createHash("sha256")
    .update(readFileSync(path.join(source, "bin", "postgres")))
    .digest("hex")
    .slice(0, 12);
  const target = path.join(installRoot(account), `pg-${version}-${digest}`);
  if (existsSync(path.join(target, "bin", "postgres"))) return target;
  // Copied under a temporary name and renamed: a start that is interrupted, or two at once,
  // never leave a half-copied tree under the final name.
  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    cpSync(source, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    try {
      renameSync(partial, target);
    } catch (err) {
      if (!existsSync(path.join(target, "bin", "postgres"))) throw err;
    }
  } catch (err) {
    throw startFailure(`Could not copy the PostgreSQL binaries to ${target}: ${sentence((err as Error).message)}`);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return target;
}

/** Readable by everyone, executables runnable by everyone, owned by root: nobody else may change them. */
function openUp(dir: string) {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) openUp(p);
    else chmodSync(p, st.mode & 0o111 ? 0o755 : 0o644);
  }
}

/** /var/lib/mpdesk, created root-owned and world-traversable, and checked to be reachable. */
function installRoot(account: Account): string {
  if (!existsSync(INSTALL_ROOT)) {
    mkdirSync(INSTALL_ROOT, { recursive: true, mode: 0o755 });
    chmodSync(INSTALL_ROOT, 0o755); // whatever the umask
  }
  const blocked = blockedFor(INSTALL_ROOT, account);
  if (blocked) {
    throw startFailure(
      `The "postgres" user cannot enter ${blocked} (mode ${modeOf(blocked)}), where the embedded PostgreSQL keeps what it cannot reach in a private folder: set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return INSTALL_ROOT;
}

/** The stand-in for a data folder the server's user cannot reach: fixed per requested path. */
function relocatedDir(requested: string): string {
  return path.join(INSTALL_ROOT, "data", createHash("sha256").update(requested).digest("hex").slice(0, 16), "postgres");
}

/**
 * Where the data of `requested` lives. Once a cluster exists in one place it stays there, so a
 * checkout keeps its data even if its folder's mode changes later.
 */
function placeDataDir(requested: string, account: Account | undefined): { dir: string; because?: string } {
  if (!account) {
    mkdirSync(path.dirname(requested), { recursive: true });
    return { dir: requested };
  }
  const stand = relocatedDir(requested);
  let dir = requested;
  let because: string | undefined;
  const blocked = () => {
    const d = blockedFor(path.dirname(requested), account);
    return d ? `the "postgres" user cannot enter ${d} (mode ${modeOf(d)})` : `it was first created there`;
  };
  if (existsSync(path.join(stand, "PG_VERSION")) && !existsSync(path.join(requested, "PG_VERSION"))) {
    dir = stand;
    because = blocked();
  } else if (!existsSync(path.join(requested, "PG_VERSION"))) {
    mkdirSync(path.dirname(requested), { recursive: true });
    if (blockedFor(path.dirname(requested), account)) {
      dir = stand;
      because = blocked();
    }
  }
  try {
    if (dir === stand) {
      installRoot(account);
      mkdirSync(path.dirname(stand), { recursive: true, mode: 0o755 });
      chmodSync(path.join(INSTALL_ROOT, "data"), 0o755);
      chmodSync(path.dirname(stand), 0o755);
      // For whoever finds this folder: which checkout it belongs to.
      writeFileSync(path.join(path.dirname(stand), "data-of"), requested + "\n");
    }
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
    if (!existsSync(path.join(dir, "PG_VERSION"))) {
      chownSync(dir, account.uid, account.gid);
      chmodSync(dir, 0o700);
    }
  } catch (err) {
    if (isAppError(err, "EMBEDDED_POSTGRES")) throw err;
    throw startFailure(`Could not prepare the embedded PostgreSQL's data folder ${dir}: ${sentence((err as Error).message)}`);
  }
  return { dir, because };
}

/** The first folder on the way to `dir` (itself included) that the account cannot enter, if any. */
function blockedFor(dir: string, account: Account): string | undefined {
  const chain: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === path.dirname(d)) break;
  }
  for (const d of chain) {
    if (!existsSync(d)) return undefined; // created by us, below a folder that was reachable
    const st = statSync(d);
    const bit = st.uid === account.uid ? 0o100 : st.gid === account.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return d;
  }
  return undefined;
}

/** The `postgres` OS user the server runs as when we are root, created when missing. */
function postgresAccount(): Account {
  const read = (): Account | undefined => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
    } catch {
      return undefined;
    }
  };
  const found = read();
  if (found) return found;
  try {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { stdio: "ignore" });
  } catch {
    /* told apart below */
  }
  const created = read();
  if (created) return created;
  throw startFailure(
    `PostgreSQL does not run as root, and a "postgres" user to run it as could not be created (useradd failed): create one, run mpdesk as another user, or set DATABASE_URL to use your own PostgreSQL.`,
  );
}

function spawnFailure(file: string, err: NodeJS.ErrnoException): string {
  if (err.code === "EACCES") return `${file} may not be run by the user it runs as (EACCES)`;
  if (err.code === "ENOENT") return `${file} is missing (ENOENT)`;
  return `${file} could not be run (${err.code ?? err.message})`;
}

/** The most telling line of PostgreSQL's output: its last FATAL/ERROR, else its last line. */
function lastError(output: string[]): string {
  const lines = output
    .join("")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = lines.filter((l) => /\b(FATAL|ERROR|PANIC)\b|^initdb: error/.test(l));
  return (bad.at(-1) ?? lines.at(-1) ?? "").replace(/^.*?\b(FATAL|ERROR|PANIC):\s*/, "");
}

function sentence(text: string): string {
  const one = text.replace(/\s*\n\s*/g, " ").trim();
  return /[.!?]$/.test(one) ? one : `${one}.`;
}

function modeOf(p: string): string {
  return (statSync(p).mode & 0o777).toString(8);
}

/** Where the existing data of a requested data folder is: the folder itself, or its stand-in. */
export function embeddedDataDir(dataDir: string): string {
  const requested = path.resolve(dataDir);
  const stand = relocatedDir(requested);
  return existsSync(path.join(stand, "PG_VERSION")) && !existsSync(path.join(requested, "PG_VERSION")) ? stand : requested;
}

/** Removes the stand-in of a requested data folder, for throwaway servers (the caller removes its own folder). */
export function removeEmbeddedStandIn(dataDir: string): void {
  const requested = path.resolve(dataDir);
  const stand = relocatedDir(requested);
  if (existsSync(stand)) rmSync(path.dirname(stand), { recursive: true, force: true });
}

/**
 * The port of a PostgreSQL already running on this data folder (another `npm start` of the same
 * checkout), read from its postmaster.pid: line 1 is the pid, line 4 the port. Null when none runs;
 * a file left by a crash whose pid now belongs to another program is told apart by the port.
 */
export async function runningEmbeddedPostgres(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const file = path.join(embeddedDataDir(dataDir), "postmaster.pid");
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
