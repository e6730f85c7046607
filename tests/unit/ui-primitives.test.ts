import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { SecretField } from "../../components/ui/secret-field";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../../components/ui/table";

// One way to draw each thing: every table through the Table primitive, every labelled control
// through Field, every secret through SecretField. Reading the sources is the only way to see a
// hand-written copy creep back in before it drifts from the primitive in looks or semantics.

const ROOT = path.resolve(".");
const PRIMITIVES = path.join("components", "ui");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.isFile() && e.name.endsWith(".tsx") ? [rel] : [];
  });
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
        .filter((m) => !/type="(radio|checkbox)"/.test(src.slice(Math.max(0, m.index - 600), src.indexOf("</label>", m.index))))
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

describe("what the primitives render", () => {
  const labels = { show: "Show", hide: "Hide", copy: "Copy", copied: "Copied" };
  const html = (el: ReturnType<typeof createElement>) => renderToStaticMarkup(el);

  test("a saved secret without a reveal action is its mask and nothing else: no button to ask for more", () => {
    const out = html(createElement(SecretField, { id: "s", label: "Token", mask: "••••1234", labels }));
    assert.match(out, /<code[^>]*data-testid="s"[^>]*>••••1234<\/code>/);
    assert.doesNotMatch(out, /<button/);
  });

  test("with a reveal action, Show and Copy, and still only the mask in the markup", () => {
    const out = html(createElement(SecretField, { id: "s", label: "Token", mask: "••••1234", labels, reveal: async () => "secret-1234" }));
    assert.match(out, /<button[^>]*aria-pressed="false"[^>]*>Show/);
    assert.match(out, /<button[^>]*>.*Copy/);
    assert.doesNotMatch(out, /secret-1234/);
  });

  test("a secret shown once is shown in full, with Copy and no Show", () => {
    const out = html(createElement(SecretField, { id: "k", testId: "new-api-key", label: "Key", value: "mpd_abc", labels }));
    assert.match(out, /data-testid="new-api-key"[^>]*>mpd_abc<\/code>/);
    assert.match(out, /Copy/);
    assert.doesNotMatch(out, />Show</);
  });

  test("in a form, the mask is a read-only input its label and hint point at", () => {
    const out = html(
      createElement(SecretField, { id: "appSecret", label: "AppSecret", mask: "Saved ••••7654", hint: "From the MP admin", control: "input", labels }),
    );
    assert.match(out, /<label for="appSecret"/);
    assert.match(out, /<input(?=[^>]*id="appSecret")(?=[^>]*aria-describedby="appSecret-hint")(?=[^>]*readOnly)(?=[^>]*value="Saved ••••7654")/);
    assert.match(out, /id="appSecret-hint"/);
  });

  test("a table scrolls inside its wrapper and its column headings say they are", () => {
    const out = html(
      createElement(
        Table,
        { className: "min-w-[40rem]" },
        createElement(TableHeader, null, createElement(TableRow, null, createElement(TableHead, null, "Email"))),
        createElement(TableBody, null, createElement(TableRow, null, createElement(TableCell, null, "a@b"))),
      ),
    );
    assert.match(out, /^<div[^>]*class="[^"]*overflow-x-auto[^"]*"><table/);
    assert.match(out, /<th[^>]*scope="col"[^>]*>Email<\/th>/);
    assert.match(out, /<td[^>]*>a@b<\/td>/);
  });
});
