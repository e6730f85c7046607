import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { InboundRow } from "./inbound-row";

// The last line of defence when PostgreSQL is unreachable: a verified message is written to a
// file of its own, fsync'd (file and folder) before WeChat is told `success`, and replayed
// into the database later. One file per message makes the write atomic (temp file + rename)
// and lets several instances replay the same folder: the unique key makes a double replay harmless.

const SUFFIX = ".json";

export async function writeToSpool(dir: string, row: InboundRow): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${Date.now().toString().padStart(15, "0")}-${process.pid}-${randomBytes(6).toString("hex")}${SUFFIX}`;
  const tmp = path.join(dir, `.${name}.tmp`);
  const file = await open(tmp, "wx", 0o600);
  try {
    await file.writeFile(JSON.stringify(row));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path.join(dir, name));
  const folder = await open(dir, "r");
  try {
    await folder.sync(); // the rename itself must survive a power cut
  } finally {
    await folder.close();
  }
  return name;
}

export async function listSpool(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(SUFFIX) && !n.startsWith(".")).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

export type SpoolEntry = { name: string; row: InboundRow };

/** The file reads replay depends on, injectable so tests can provoke EIO or EMFILE honestly. */
export type SpoolIo = { readFile: typeof readFile };
const defaultIo: SpoolIo = { readFile };

export type SpoolRead = {
  entries: SpoolEntry[];
  /** Files whose content is not a spooled row: no retry can change that. */
  unreadable: Array<{ name: string; reason: string }>;
  /** Files that could not be read this time (EMFILE, EIO, EISDIR …): left in place for the next pass. */
  failed: Array<{ name: string; error: unknown }>;
};

const isRow = (v: unknown): v is InboundRow => {
  const r = v as Partial<InboundRow> | null;
  return typeof r === "object" && r !== null && typeof r.accountId === "string" && typeof r.dedupeKey === "string" && typeof r.msgType === "string";
};

export async function readSpoolEntries(dir: string, names: string[], io: SpoolIo = defaultIo): Promise<SpoolRead> {
  const out: SpoolRead = { entries: [], unreadable: [], failed: [] };
  for (const name of names) {
    let text: string;
    try {
      text = await io.readFile(path.join(dir, name), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue; // another instance replayed it
      out.failed.push({ name, error: err });
      continue;
    }
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (err) {
      out.unreadable.push({ name, reason: `not JSON: ${(err as Error).message}` });
      continue;
    }
    if (isRow(row)) out.entries.push({ name, row });
    else out.unreadable.push({ name, reason: "JSON, but not a spooled message" });
  }
  return out;
}

export async function removeFromSpool(dir: string, name: string): Promise<void> {
  await unlink(path.join(dir, name)).catch((err) => {
    if (err.code !== "ENOENT") throw err;
  });
}

export const UNREADABLE_DIR = "unreadable";

/** A file we cannot parse is kept aside for an operator, with why, never deleted and never retried forever. */
export async function quarantineSpoolFile(dir: string, name: string, reason = "unparsable"): Promise<void> {
  const aside = path.join(dir, UNREADABLE_DIR);
  await mkdir(aside, { recursive: true });
  await writeFile(path.join(aside, `${name}.reason.txt`), `${new Date().toISOString()} ${reason}\n`, { mode: 0o600 }).catch(() => {});
  await rename(path.join(dir, name), path.join(aside, name)).catch(() => {});
}

export async function countUnreadable(dir: string): Promise<number> {
  try {
    return (await readdir(path.join(dir, UNREADABLE_DIR))).filter((n) => n.endsWith(SUFFIX)).length;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}
