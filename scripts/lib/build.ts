import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// `npm start` builds only when the sources changed since the last build: a hash of every input
// file, kept beside the build output.

const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const STAMP = ".next/mpdesk-source-hash";

export const nextBin = path.resolve("node_modules/next/dist/bin/next");

function hashSources(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(path.join(p, name));
    } else {
      hash.update(p).update("\0").update(readFileSync(p)).update("\0");
    }
  };
  INPUTS.forEach(visit);
  return hash.digest("hex");
}

export function buildIsCurrent(): boolean {
  return existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === hashSources();
}

export function buildApp({ force = false } = {}): void {
  if (!force && buildIsCurrent()) return;
  const started = Date.now();
  // Hashed before building: a source edited while `next build` runs must make the next start rebuild.
  const sourceHash = hashSources();
  console.log("[mpdesk] building the app (next build)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  writeFileSync(STAMP, sourceHash);
  console.log(`[mpdesk] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
