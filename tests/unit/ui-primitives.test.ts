import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

// One way to draw each thing: every table through the Table primitive, every labelled control
// through Field, every secret through SecretField. Reading the sources is the only way to see a
// hand-written copy creep back in before it drifts from the primitive in looks or semantics.

const ROOT = path.resolve(".");
const PRIMITIVES = path.join("components", "ui");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".tsx"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const files = [...sources("app"), ...sources("components")].filter((f) => !f.startsWith(PRIMITIVES + path.sep));
const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");

function offenders(find: (src: string) => string[]): string[] {
  return files.flatMap((f) => find(read(f)).map((what) => `${f}: ${what}`));
}

describe("UI primitives", () => {
  test("no table is written by hand outside components/ui", () => {
    const found = offenders((src) => [...new Set([...src.matchAll(/<(table|thead|tbody|tfoot|tr|th|td|caption)[\s>]/g)].map((m) => `<${m[1]}>`))]);
    assert.deepEqual(found, []);
  });

  test("no label is written by hand outside components/ui, except a radio's or a checkbox's own", () => {
    const found = offenders((src) =>
      [...src.matchAll(/<label[\s>]/g)]
        // A choice's label is its option text, not a field's label: it sits next to its input.
        .filter((m) => !/type="(radio|checkbox)"/.test(src.slice(Math.max(0, m.index - 300), src.indexOf("</label>", m.index))))
        .map((m) => src.slice(m.index, src.indexOf("\n", m.index)).trim()),
    );
    assert.deepEqual(found, []);
  });

  test("no secret or mask is displayed by hand outside SecretField", () => {
    const found = offenders((src) => [
      // A mask put into a control's value, or a secret put into a <code>.
      ...[...src.matchAll(/value=\{[^}\n]*Mask\b[^\n]*/g)].map((m) => m[0]),
      ...[...src.matchAll(/<code[^>]*>\s*\{[^}]*secret[^}]*\}/gi)].map((m) => m[0].replace(/\s+/g, " ")),
    ]);
    assert.deepEqual(found, []);
  });
});
