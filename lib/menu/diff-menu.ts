import type { MenuButton, MenuDocument } from "./validate-menu";

// What changed between two menus, button by button. A button keeps its identity through its key,
// else its url, else its name, else its place, so reordering shows as moves, not as every button
// removed and added again. Client-safe.

export type MenuButtonChange = {
  kind: "added" | "removed" | "changed" | "moved";
  /** Where it is in the newer menu (the older one for a removed button), e.g. button[1].sub_button[0]. */
  path: string;
  /** Where it was in the older menu, when it moved or changed place. */
  fromPath?: string;
  name: string;
  /** changed: each field that differs, old and new value (undefined when absent). */
  fields?: Array<{ field: string; from: string | undefined; to: string | undefined }>;
};

const FIELDS = ["name", "type", "key", "url", "appid", "pagepath", "article_id"] as const;

type Flat = { path: string; parent: string | null; button: MenuButton; isParent: boolean };

function flatten(doc: MenuDocument): Flat[] {
  const out: Flat[] = [];
  doc.button.forEach((b, i) => {
    const path = `button[${i}]`;
    const subs = b.sub_button ?? [];
    out.push({ path, parent: null, button: b, isParent: subs.length > 0 });
    subs.forEach((s, j) => out.push({ path: `${path}.sub_button[${j}]`, parent: path, button: s, isParent: false }));
  });
  return out;
}

// Identity across versions, strongest first: a key or a url names what a leaf does, a name is
// what a follower sees, and last the place in the tree.
const MATCHERS: Array<(b: Flat, a: Flat) => boolean> = [
  (b, a) => !a.isParent && !b.isParent && !!a.button.key && b.button.key === a.button.key,
  (b, a) => !a.isParent && !b.isParent && !!a.button.url && b.button.url === a.button.url,
  (b, a) => a.isParent === b.isParent && (a.button.name ?? "") === (b.button.name ?? ""),
  (b, a) => a.isParent === b.isParent && b.path === a.path,
];

export function diffMenus(from: MenuDocument, to: MenuDocument): MenuButtonChange[] {
  const before = flatten(from);
  const after = flatten(to);
  const unmatched = new Set(before);
  const pairs: Array<[Flat | null, Flat]> = after.map((a) => [null, a]);
  for (const matches of MATCHERS) {
    for (const pair of pairs) {
      if (pair[0]) continue;
      const found = before.find((b) => unmatched.has(b) && matches(b, pair[1]));
      if (found) {
        unmatched.delete(found);
        pair[0] = found;
      }
    }
  }
  const changes: MenuButtonChange[] = [];
  for (const [b, a] of pairs) {
    const name = a.button.name ?? "";
    if (!b) {
      changes.push({ kind: "added", path: a.path, name });
      continue;
    }
    const fields = FIELDS.filter((f) => !(a.isParent && f !== "name") && b.button[f] !== a.button[f]).map((f) => ({
      field: f,
      from: b.button[f],
      to: a.button[f],
    }));
    if (fields.length) changes.push({ kind: "changed", path: a.path, ...(b.path !== a.path ? { fromPath: b.path } : {}), name, fields });
    else if (b.path !== a.path) changes.push({ kind: "moved", path: a.path, fromPath: b.path, name });
  }
  for (const b of before) if (unmatched.has(b)) changes.push({ kind: "removed", path: b.path, name: b.button.name ?? "" });
  return changes;
}
