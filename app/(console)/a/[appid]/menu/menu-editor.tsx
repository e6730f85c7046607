"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, fieldIds } from "@/components/ui/field";
import { controlClass, Input, Select } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Dictionary } from "@/lib/i18n";
import type { MenuTaps, TapCount } from "@/lib/menu/menu-taps";
import { diffMenus } from "@/lib/menu/diff-menu";
import { KEYED_TYPES, MENU_LIMITS, MENU_TYPES, utf8Bytes, validateMenu, type MenuButton, type MenuDocument, type MenuProblem } from "@/lib/menu/validate-menu";
import { createClickRuleAction, publishMenuAction, rollbackMenuAction, saveMenuDraftAction, type MenuActionResult } from "./actions";

// The menu editor: the tree (3 × 5, drag or Move up / Move down to reorder), the selected
// button's fields checked while typing by the validator the server runs again, WeChat's bottom
// bar as a phone shows it, and the published versions with diff and rollback.

export type EditorVersion = { number: number; body: MenuDocument; at: string; by: string; restoredFrom: number | null };
type Strings = Dictionary["customMenu"];
type Sel = { i: number; j: number | null };
type LinkedReply = { name: string; summary: string };

const fmt = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
const pathOf = (s: Sel) => (s.j === null ? `button[${s.i}]` : `button[${s.i}].sub_button[${s.j}]`);
const isParent = (b: MenuButton | undefined) => !!b && Array.isArray(b.sub_button) && (b.sub_button.length > 0 || b.type === undefined);
const LEAF_FIELDS = ["key", "url", "appid", "pagepath", "article_id"] as const;

function fieldsOf(type: string): Array<(typeof LEAF_FIELDS)[number]> {
  if (type === "view") return ["url"];
  if (type === "miniprogram") return ["url", "appid", "pagepath"];
  if (type === "article_id" || type === "article_view_limited") return ["article_id"];
  if ((KEYED_TYPES as readonly string[]).includes(type)) return ["key"];
  return [];
}

function keysIn(doc: MenuDocument): Set<string> {
  const keys = new Set<string>();
  for (const b of doc.button) {
    if (b.key) keys.add(b.key);
    for (const s of b.sub_button ?? []) if (s.key) keys.add(s.key);
  }
  return keys;
}
function freshKey(doc: MenuDocument): string {
  const keys = keysIn(doc);
  let n = 1;
  while (keys.has(`MENU_${n}`)) n++;
  return `MENU_${n}`;
}

/** A leaf's taps: a CLICK by its key, a VIEW by its url; a parent's are its leaves' together. */
function tapsOf(taps: MenuTaps | null, b: MenuButton): TapCount | null {
  if (!taps) return null;
  if (isParent(b)) {
    const all = b.sub_button!.map((s) => tapsOf(taps, s)).filter((x): x is TapCount => !!x);
    return all.length ? { d7: all.reduce((n, x) => n + x.d7, 0), d30: all.reduce((n, x) => n + x.d30, 0) } : null;
  }
  if (b.type === "view" && b.url) return taps.view[b.url] ?? { d7: 0, d30: 0 };
  if (b.key && b.type !== "view") return taps.click[b.key] ?? { d7: 0, d30: 0 };
  return null;
}

function problemText(t: Strings, p: MenuProblem): string {
  return fmt(t.problems[p.code], { limit: p.limit ?? "", actual: p.actual ?? "" });
}

export function MenuEditor({
  appId,
  initial,
  versions,
  replies: initialReplies,
  taps,
  readOnly,
  t,
  common,
  onChange,
}: {
  appId: string;
  initial: MenuDocument;
  versions: EditorVersion[];
  replies: Record<string, LinkedReply>;
  taps: MenuTaps;
  readOnly: boolean;
  t: Strings;
  common: Dictionary["common"];
  /** Told the menu being edited, e.g. to add it as a conditional menu. */
  onChange?: (doc: MenuDocument) => void;
}) {
  const router = useRouter();
  const [doc, setDoc] = useState<MenuDocument>(() => ({ button: structuredClone(initial.button ?? []) }));
  useEffect(() => onChange?.(doc), [doc, onChange]);
  const [sel, setSel] = useState<Sel | null>(initial.button?.length ? { i: 0, j: null } : null);
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState<MenuActionResult | null>(null);
  const [pending, start] = useTransition();
  const [created, setCreated] = useState<Record<string, LinkedReply>>({});
  const [picked, setPicked] = useState<number[]>([]);
  const [dragging, setDragging] = useState<Sel | null>(null);
  const replies = { ...initialReplies, ...created };
  const problems = useMemo(() => validateMenu(doc), [doc]);

  const selected = sel ? (sel.j === null ? doc.button[sel.i] : doc.button[sel.i]?.sub_button?.[sel.j]) : undefined;
  const edit = (fn: (d: MenuDocument) => void) =>
    setDoc((d) => {
      const next = structuredClone(d);
      fn(next);
      return next;
    });
  const at = (d: MenuDocument, s: Sel) => (s.j === null ? d.button[s.i]! : d.button[s.i]!.sub_button![s.j]!);
  const siblings = (d: MenuDocument, s: Sel) => (s.j === null ? d.button : d.button[s.i]!.sub_button!);

  function move(from: Sel, to: number) {
    const list = siblings(doc, from);
    const index = from.j ?? from.i;
    if (to < 0 || to >= list.length || to === index) return;
    edit((d) => {
      const l = siblings(d, from);
      const [item] = l.splice(index, 1);
      l.splice(to, 0, item!);
    });
    setSel(from.j === null ? { i: to, j: null } : { i: from.i, j: to });
  }
  function addTop() {
    edit((d) => void d.button.push({ type: "click", name: t.newButton, key: freshKey(d) }));
    setSel({ i: doc.button.length, j: null });
  }
  function addSub(i: number) {
    const parent = doc.button[i]!;
    const count = isParent(parent) ? parent.sub_button!.length : 1;
    edit((d) => {
      const b = d.button[i]!;
      // A leaf that gets a sub-menu keeps what it did as the first sub-button.
      if (!isParent(b)) d.button[i] = { name: b.name, sub_button: [{ ...b, sub_button: undefined }] };
      const subs = d.button[i]!.sub_button!;
      subs.push({ type: "click", name: `${t.newSub} ${subs.length + 1}`, key: freshKey(d) });
      for (const s of subs) delete s.sub_button;
    });
    setSel({ i, j: count });
    setOpen(i);
  }
  function remove(s: Sel) {
    edit((d) => void siblings(d, s).splice(s.j ?? s.i, 1));
    setSel(s.j === null ? (doc.button.length > 1 ? { i: Math.max(0, s.i - 1), j: null } : null) : { i: s.i, j: null });
  }
  function setField(field: keyof MenuButton, value: string) {
    if (!sel) return;
    edit((d) => {
      const b = at(d, sel) as Record<string, unknown>;
      if (value === "" && field !== "name") delete b[field];
      else b[field] = value;
    });
  }
  function setType(type: string) {
    if (!sel || !selected) return;
    edit((d) => {
      const b = at(d, sel);
      const next: MenuButton =
        type === "sub_menu" ? { name: b.name, sub_button: [{ type: "click", name: `${t.newSub} 1`, key: freshKey(d) }] } : { type, name: b.name };
      for (const f of fieldsOf(type)) if (b[f]) next[f] = b[f];
      if (fieldsOf(type).includes("key") && !next.key) next.key = freshKey(d);
      if (sel.j === null) d.button[sel.i] = next;
      else d.button[sel.i]!.sub_button![sel.j] = next;
    });
    if (type === "sub_menu") setOpen(sel.i);
  }

  function run(call: () => Promise<MenuActionResult | null>) {
    start(async () => {
      const result = await call();
      setNotice(result ?? { ok: false, message: common.forbidden });
      if (result?.ok) router.refresh();
    });
  }
  function createRule(key: string, name: string, text: string) {
    start(async () => {
      const result = await createClickRuleAction(appId, key, name, text);
      setNotice(result ?? { ok: false, message: common.forbidden });
      if (result?.ok && result.rule) setCreated((c) => ({ ...c, [result.rule!.eventKey]: { name: result.rule!.name, summary: result.rule!.summary } }));
    });
  }

  const selPath = sel ? pathOf(sel) : null;
  const fieldProblem = (field: string) => (selPath ? problems.find((p) => p.path === `${selPath}.${field}`) : undefined);
  const problemIn = (path: string) => problems.some((p) => p.path === path || p.path.startsWith(`${path}.`));
  const treeProblems = problems.filter((p) => p.path === "button" || p.path.endsWith(".sub_button") || /\]$/.test(p.path));

  const row = (s: Sel, b: MenuButton, depth: 0 | 1) => {
    const active = sel?.i === s.i && sel?.j === s.j;
    const index = s.j ?? s.i;
    const count = siblings(doc, s).length;
    return (
      <li
        key={pathOf(s)}
        draggable={!readOnly}
        onDragStart={(e) => {
          setDragging(s);
          e.dataTransfer.effectAllowed = "move";
          e.dataTransfer.setData("text/plain", pathOf(s));
        }}
        onDragOver={(e) => {
          if (dragging && (dragging.j === null) === (s.j === null) && (s.j === null || dragging.i === s.i)) e.preventDefault();
        }}
        onDrop={(e) => {
          e.preventDefault();
          if (dragging) move(dragging, index);
          setDragging(null);
        }}
        onDragEnd={() => setDragging(null)}
        className={cn(
          "group flex flex-wrap items-center gap-x-2 rounded-md border px-2 py-1.5 text-sm",
          depth ? "ml-6" : "",
          active ? "border-emerald-400 bg-emerald-50" : "border-slate-200 bg-white",
        )}
        data-testid={`menu-row-${pathOf(s)}`}
      >
        {!readOnly ? (
          <span aria-hidden className="cursor-grab select-none text-slate-400">
            ⋮⋮
          </span>
        ) : null}
        <button
          type="button"
          className="min-w-0 flex-1 truncate text-left focus-visible:outline-2 focus-visible:outline-emerald-600"
          aria-pressed={active}
          onClick={() => setSel(s)}
        >
          {b.name || "—"}
          {problemIn(pathOf(s)) ? (
            <span className="ml-2 text-xs text-red-600" aria-hidden>
              ●
            </span>
          ) : null}
        </button>
        {!readOnly && active ? (
          <span className="flex gap-1">
            <Button
              size="sm"
              variant="ghost"
              className="px-2"
              aria-label={`${t.moveUp} ${b.name ?? ""}`}
              disabled={index === 0}
              onClick={() => move(s, index - 1)}
            >
              ↑
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="px-2"
              aria-label={`${t.moveDown} ${b.name ?? ""}`}
              disabled={index === count - 1}
              onClick={() => move(s, index + 1)}
            >
              ↓
            </Button>
            <Button size="sm" variant="ghost" className="px-2" aria-label={`${t.remove} ${b.name ?? ""}`} onClick={() => remove(s)}>
              ✕
            </Button>
          </span>
        ) : null}
        <TapBadge taps={tapsOf(taps, b)} t={t} />
      </li>
    );
  };

  const type = selected ? (isParent(selected) ? "sub_menu" : (selected.type ?? "")) : "";
  const nameLimit = sel?.j === null ? MENU_LIMITS.topName : MENU_LIMITS.subName;
  const keyReply = selected?.type === "click" && selected.key ? replies[selected.key] : undefined;

  return (
    <div className="space-y-6">
      <div className="grid gap-6 xl:grid-cols-[minmax(0,20rem)_minmax(0,1fr)_18rem]">
        <Card>
          <CardHeader title={t.tree} description={readOnly ? undefined : t.treeHint} />
          <CardBody>
            <ul className="space-y-1.5" aria-label={t.tree}>
              {doc.button.map((b, i) => [
                row({ i, j: null }, b, 0),
                ...(isParent(b) ? b.sub_button!.map((s, j) => row({ i, j }, s, 1)) : []),
                !readOnly && (isParent(b) ? b.sub_button!.length < MENU_LIMITS.subButtons : true) ? (
                  <li key={`add-${i}`} className="ml-6">
                    <button type="button" className="text-xs font-medium text-emerald-700 hover:underline" onClick={() => addSub(i)}>
                      + {t.addSub}（{b.name}）
                    </button>
                  </li>
                ) : null,
              ])}
            </ul>
            {!readOnly && doc.button.length < MENU_LIMITS.topButtons ? (
              <Button variant="secondary" size="sm" className="mt-3" onClick={addTop}>
                + {t.addTop}
              </Button>
            ) : null}
          </CardBody>
        </Card>

        <Card>
          <CardHeader title={selected ? fmt(t.editing, { name: selected.name ?? "" }) : t.selectToEdit} />
          <CardBody className="space-y-4">
            {selected && sel ? (
              <>
                <FieldRow
                  id="menu-name"
                  label={t.fields.name}
                  problem={fieldProblem("name")}
                  t={t}
                  hint={fmt(t.fields.nameBytes, { n: utf8Bytes(selected.name ?? ""), max: nameLimit })}
                >
                  {(props) => <Input {...props} value={selected.name ?? ""} disabled={readOnly} onChange={(e) => setField("name", e.target.value)} />}
                </FieldRow>
                <FieldRow id="menu-type" label={t.fields.type} problem={fieldProblem("type")} t={t}>
                  {(props) => (
                    <Select {...props} value={type} disabled={readOnly} onChange={(e) => setType(e.target.value)}>
                      {type === "" ? <option value="">—</option> : null}
                      {sel.j === null ? <option value="sub_menu">{t.types.sub_menu}</option> : null}
                      {MENU_TYPES.map((ty) => (
                        <option key={ty} value={ty}>
                          {t.types[ty]}
                        </option>
                      ))}
                    </Select>
                  )}
                </FieldRow>
                {type !== "sub_menu"
                  ? fieldsOf(type).map((f) => (
                      <FieldRow key={f} id={`menu-${f}`} label={t.fields[f]} problem={fieldProblem(f)} t={t}>
                        {(props) => <Input {...props} value={selected[f] ?? ""} disabled={readOnly} onChange={(e) => setField(f, e.target.value)} />}
                      </FieldRow>
                    ))
                  : null}
                {selected.type === "click" ? (
                  <ClickReply
                    key={selected.key ?? ""}
                    t={t}
                    linked={keyReply}
                    readOnly={readOnly}
                    pending={pending}
                    rules={Object.entries(replies).map(([eventKey, r]) => ({ eventKey, ...r }))}
                    onPick={(key) => setField("key", key)}
                    onCreate={(text) =>
                      selected.key ? createRule(selected.key, selected.name ?? "", text) : setNotice({ ok: false, message: t.reply.needsKey })
                    }
                  />
                ) : null}
              </>
            ) : null}
            <div role="status" aria-live="polite" className="space-y-1 border-t border-slate-100 pt-3 text-sm">
              {problems.length ? (
                <>
                  <p className="font-medium text-red-700">{fmt(t.problemCount, { n: problems.length })}</p>
                  <ul className="list-disc pl-5 text-red-700">
                    {treeProblems.map((p) => (
                      <li key={`${p.path}-${p.code}`}>
                        {p.path}: {problemText(t, p)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <p className="text-emerald-700">{t.valid}</p>
              )}
            </div>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title={t.preview} description={t.previewHint} />
          <CardBody>
            <PhonePreview doc={doc} open={open} setOpen={setOpen} onPick={setSel} taps={taps} t={t} />
          </CardBody>
        </Card>
      </div>

      {!readOnly ? (
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="secondary" disabled={pending} onClick={() => run(() => saveMenuDraftAction(appId, doc))}>
            {t.saveDraft}
          </Button>
          <Button disabled={pending || problems.length > 0} onClick={() => run(() => publishMenuAction(appId, doc))}>
            {pending ? t.publishing : t.publish}
          </Button>
          <p className="text-sm text-amber-800">{t.publishWarning}</p>
        </div>
      ) : null}
      {notice ? (
        <p role={notice.ok ? "status" : "alert"} className={cn("text-sm", notice.ok ? "text-emerald-700" : "text-red-700")}>
          {notice.message}
        </p>
      ) : null}

      <Versions
        versions={versions}
        t={t}
        readOnly={readOnly}
        pending={pending}
        picked={picked}
        setPicked={setPicked}
        onOpen={(v) => {
          setDoc({ button: structuredClone(v.body.button) });
          setSel(v.body.button.length ? { i: 0, j: null } : null);
        }}
        onRollback={(n) =>
          run(async () => {
            const result = await rollbackMenuAction(appId, n);
            const restored = versions.find((v) => v.number === n);
            if (result?.ok && restored) {
              setDoc({ button: structuredClone(restored.body.button) });
              setSel(restored.body.button.length ? { i: 0, j: null } : null);
            }
            return result;
          })
        }
      />
    </div>
  );
}

function FieldRow({
  id,
  label,
  hint,
  problem,
  t,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  problem: MenuProblem | undefined;
  t: Strings;
  children: (props: ReturnType<typeof fieldIds>) => React.ReactNode;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={problem ? problemText(t, problem) : null}>
      {children(fieldIds(id, { hint: !!hint, error: !!problem }))}
    </Field>
  );
}

function ClickReply({
  t,
  linked,
  rules,
  readOnly,
  pending,
  onPick,
  onCreate,
}: {
  t: Strings;
  linked: LinkedReply | undefined;
  rules: Array<LinkedReply & { eventKey: string }>;
  readOnly: boolean;
  pending: boolean;
  onPick: (key: string) => void;
  onCreate: (text: string) => void;
}) {
  const [text, setText] = useState("");
  return (
    <fieldset className="space-y-2 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">{t.reply.title}</legend>
      <p className={cn("text-sm", linked ? "text-slate-700" : "text-amber-800")}>
        {linked ? fmt(t.reply.linked, { name: linked.name, summary: linked.summary }) : t.reply.none}
      </p>
      {!readOnly ? (
        <>
          {rules.length ? (
            <Field id="menu-pick-rule" label={t.reply.pick}>
              <Select id="menu-pick-rule" value="" onChange={(e) => e.target.value && onPick(e.target.value)}>
                <option value="">{t.reply.pickNone}</option>
                {rules.map((r) => (
                  <option key={r.eventKey} value={r.eventKey}>
                    {r.name} ({r.eventKey})
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          {!linked ? (
            <Field id="menu-new-reply" label={t.reply.createLabel}>
              <textarea id="menu-new-reply" className={cn(controlClass, "h-16 py-2")} value={text} onChange={(e) => setText(e.target.value)} />
              <Button size="sm" variant="secondary" disabled={pending || !text.trim()} onClick={() => onCreate(text.trim())}>
                {t.reply.create}
              </Button>
            </Field>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}

function TapBadge({ taps, t }: { taps: TapCount | null; t: Strings }) {
  if (!taps) return null;
  return (
    <span className="basis-full pl-5 text-xs tabular-nums text-slate-500" title={t.tapsTitle}>
      {fmt(t.taps, { d7: taps.d7, d30: taps.d30 })}
    </span>
  );
}

export function PhonePreview({
  doc,
  open,
  setOpen,
  onPick,
  taps,
  t,
}: {
  doc: MenuDocument;
  open: number | null;
  setOpen: (i: number | null) => void;
  onPick: (s: Sel) => void;
  /** null: a menu the taps are not counted for (e.g. trymatch's answer). */
  taps: MenuTaps | null;
  t: Strings;
}) {
  return (
    <div className="mx-auto w-64 overflow-hidden rounded-[2rem] border-8 border-slate-800 bg-slate-800 shadow-lg" data-testid="menu-preview">
      <div className="relative flex h-96 flex-col bg-[#ededed]">
        <div className="bg-[#ededed] py-2 text-center text-xs font-medium text-slate-700">{t.preview}</div>
        <div className="flex-1" />
        {open !== null && isParent(doc.button[open]) ? (
          <ul
            className="absolute bottom-12 z-10 rounded-md border border-slate-200 bg-white text-center text-xs text-slate-800 shadow"
            style={{ left: `calc(2rem + ${open} * (100% - 2rem) / ${doc.button.length} + 4px)`, width: `calc((100% - 2rem) / ${doc.button.length} - 8px)` }}
            aria-label={doc.button[open]!.name}
          >
            {doc.button[open]!.sub_button!.map((s, j) => (
              <li key={j} className="border-b border-slate-100 last:border-0">
                <button type="button" className="w-full truncate px-1 py-2 hover:bg-slate-50" onClick={() => onPick({ i: open, j })}>
                  {s.name || "—"}
                </button>
                <PreviewTaps taps={tapsOf(taps, s)} t={t} />
              </li>
            ))}
          </ul>
        ) : null}
        <div className="flex border-t border-slate-200 bg-[#f7f7f7] pl-8 text-[10px] text-slate-500">
          {doc.button.map((b, i) => (
            <span key={i} className="flex-1 text-center">
              <PreviewTaps taps={tapsOf(taps, b)} t={t} />
            </span>
          ))}
        </div>
        <nav className="flex h-12 items-stretch border-t border-slate-300 bg-[#f7f7f7] text-xs text-slate-800" aria-label={t.preview}>
          <span aria-hidden className="flex w-8 items-center justify-center border-r border-slate-300 text-slate-500">
            ⌨
          </span>
          {doc.button.length ? (
            doc.button.map((b, i) => (
              <button
                key={i}
                type="button"
                aria-expanded={isParent(b) ? open === i : undefined}
                className="flex min-w-0 flex-1 items-center justify-center gap-1 border-r border-slate-300 px-1 last:border-0 hover:bg-slate-100"
                onClick={() => {
                  onPick({ i, j: null });
                  setOpen(isParent(b) && open !== i ? i : null);
                }}
              >
                {isParent(b) ? <span aria-hidden>≡</span> : null}
                <span className="truncate">{b.name || "—"}</span>
              </button>
            ))
          ) : (
            <span className="flex flex-1 items-center justify-center text-slate-400">{t.previewEmpty}</span>
          )}
        </nav>
      </div>
    </div>
  );
}

function PreviewTaps({ taps, t }: { taps: TapCount | null; t: Strings }) {
  if (!taps) return null;
  return <span className="block pb-1 text-[10px] tabular-nums text-slate-500">{fmt(t.tapsShort, { d7: taps.d7, d30: taps.d30 })}</span>;
}

function Versions({
  versions,
  t,
  readOnly,
  pending,
  picked,
  setPicked,
  onOpen,
  onRollback,
}: {
  versions: EditorVersion[];
  t: Strings;
  readOnly: boolean;
  pending: boolean;
  picked: number[];
  setPicked: (p: number[]) => void;
  onOpen: (v: EditorVersion) => void;
  onRollback: (n: number) => void;
}) {
  const [a, b] = [...picked].sort((x, y) => x - y);
  const older = versions.find((v) => v.number === a);
  const newer = versions.find((v) => v.number === b);
  const changes = older && newer ? diffMenus(older.body, newer.body) : null;
  return (
    <Card>
      <CardHeader title={t.versions} description={versions.length > 1 ? t.diffPick : undefined} />
      <CardBody className="space-y-4">
        {versions.length ? (
          <Table density="compact" edge={0}>
            <TableHeader>
              <TableRow>
                <TableHead>{t.compare}</TableHead>
                <TableHead>{t.version}</TableHead>
                <TableHead>{t.publishedAt}</TableHead>
                <TableHead>{t.publishedBy}</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {versions.map((v, index) => (
                <TableRow key={v.number} data-testid={`menu-version-${v.number}`}>
                  <TableCell className="py-1.5 pr-2">
                    <input
                      type="checkbox"
                      aria-label={`${t.compare} ${t.version} ${v.number}`}
                      checked={picked.includes(v.number)}
                      onChange={(e) => setPicked(e.target.checked ? [...picked, v.number].slice(-2) : picked.filter((n) => n !== v.number))}
                    />
                  </TableCell>
                  <TableCell className="py-1.5 pr-2 font-medium">
                    {t.version} {v.number}
                    {v.restoredFrom ? <span className="ml-2 text-xs font-normal text-slate-500">{fmt(t.restoredFrom, { n: v.restoredFrom })}</span> : null}
                  </TableCell>
                  <TableCell className="py-1.5 pr-2 tabular-nums text-slate-600">{v.at}</TableCell>
                  <TableCell className="py-1.5 pr-2 text-slate-600">{v.by}</TableCell>
                  <TableCell className="space-x-2 py-1.5 text-right">
                    <Button size="sm" variant="ghost" onClick={() => onOpen(v)}>
                      {t.loadVersion}
                    </Button>
                    {!readOnly && index > 0 ? (
                      <Button size="sm" variant="secondary" disabled={pending} aria-label={`${t.rollback} ${v.number}`} onClick={() => onRollback(v.number)}>
                        {t.rollback}
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <p className="text-sm text-slate-500">{t.versionsEmpty}</p>
        )}
        {changes && older && newer ? (
          <section aria-label={fmt(t.diffTitle, { a: older.number, b: newer.number })} className="rounded-lg border border-slate-200 p-3">
            <h3 className="mb-2 text-sm font-medium">{fmt(t.diffTitle, { a: older.number, b: newer.number })}</h3>
            {changes.length ? (
              <ul className="space-y-1 text-sm">
                {changes.map((c, k) => (
                  <li key={k}>
                    <span
                      className={cn(
                        "mr-2 rounded px-1.5 py-0.5 text-xs",
                        c.kind === "added" ? "bg-emerald-100" : c.kind === "removed" ? "bg-red-100" : "bg-amber-100",
                      )}
                    >
                      {t.diffKinds[c.kind]}
                    </span>
                    {c.name} <span className="text-xs text-slate-500">{c.path}</span>
                    {c.kind === "moved" ? (
                      <span className="ml-2 text-xs text-slate-500">{fmt(t.diffMoved, { from: c.fromPath ?? "", to: c.path })}</span>
                    ) : null}
                    {c.fields?.map((f) => (
                      <span key={f.field} className="ml-2 text-xs text-slate-600">
                        {f.field}: {f.from ?? "—"} → {f.to ?? "—"}
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">{t.diffNone}</p>
            )}
          </section>
        ) : null}
      </CardBody>
    </Card>
  );
}
