import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const deps: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };

test("prisma, @prisma/client and @prisma/adapter-pg are one release", () => {
  // The generated client imports @prisma/client's runtime; the CLI that generated it must match.
  assert.equal(deps["@prisma/client"], deps["prisma"]);
  assert.equal(deps["@prisma/adapter-pg"], deps["prisma"]);
});

test("every dependency is pinned to an exact version (next-auth is a beta)", () => {
  for (const [name, version] of Object.entries(deps)) assert.match(version, /^\d+\.\d+\.\d+(-[\w.]+)?$/, `${name}@${version}`);
  assert.equal(deps["next-auth"], "5.0.0-beta.32");
});
