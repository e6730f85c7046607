import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

// Code is read by people who have this repository and nothing else: a comment that points at
// onboarding notes or documents kept elsewhere sends its reader nowhere. Say the rule instead.

const OUTSIDE = /\b(?:wechat-protocol|wechat-apis|seed-notes|STACK|CONVENTIONS)\.md\b|\.\.\/shared\//;

test("no source file names a document outside the repository", () => {
  const files = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.mjs", "*.js", "*.css", "*.sql", ".ci/*"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  assert.ok(files.length > 50, "the tracked sources were listed");
  const offenders = files.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .flatMap((line, i) => (OUTSIDE.test(line) && f !== "tests/unit/source-hygiene.test.ts" ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(offenders, []);
});
