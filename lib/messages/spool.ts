import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
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

export async function readSpoolEntries(dir: string, names: string[]): Promise<{ entries: SpoolEntry[]; unreadable: string[] }> {
  const entries: SpoolEntry[] = [];
  const unreadable: string[] = [];
  for (const name of names) {
    try {
      entries.push({ name, row: JSON.parse(await readFile(path.join(dir, name), "utf8")) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue; // another instance replayed it
      unreadable.push(name);
    }
  }
  return { entries, unreadable };
}

export async function removeFromSpool(dir: string, name: string): Promise<void> {
  await unlink(path.join(dir, name)).catch((err) => {
    if (err.code !== "ENOENT") throw err;
  });
}

/** A file we cannot parse is kept aside for an operator, never deleted and never retried forever. */
export async function quarantineSpoolFile(dir: string, name: string): Promise<void> {
  await mkdir(path.join(dir, "unreadable"), { recursive: true });
  await rename(path.join(dir, name), path.join(dir, "unreadable", name)).catch(() => {});
}
