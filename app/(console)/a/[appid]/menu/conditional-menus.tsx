"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Dictionary } from "@/lib/i18n";
import type { FollowerTag } from "@/lib/menu/conditional-menus";
import type { HeldConditional, HeldMenus } from "@/lib/menu/reorder-conditional";
import { validateMenu, type MenuDocument } from "@/lib/menu/validate-menu";
import {
  addConditionalMenuAction,
  removeConditionalMenuAction,
  reorderConditionalMenusAction,
  tryMatchMenuAction,
  type ConditionalResult,
} from "./conditional-actions";
import { PhonePreview } from "./menu-editor";

// Conditional menus by tag, in WeChat's matching order (newest first): add the editor's menu for
// a tag, remove one, move one up or down (a delete and re-add at WeChat's), and "which menu does
// this follower see?" through menu/trymatch, shown in the phone preview.

type Strings = Dictionary["customMenu"];
const fmt = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
const same = (a: MenuDocument, b: MenuDocument) => JSON.stringify(a.button) === JSON.stringify(b.button);

export function ConditionalMenus({
  appId,
  held: initialHeld,
  defaultMenu,
  tags,
  recent,
  unavailable,
  readOnly,
  editorDoc,
  t,
  common,
}: {
  appId: string;
  held: HeldMenus;
  /** The default menu as WeChat holds it, to name trymatch's answer. */
  defaultMenu: MenuDocument | null;
  tags: FollowerTag[];
  recent: string[];
  unavailable: string | null;
  readOnly: boolean;
  editorDoc: MenuDocument;
  t: Strings;
  common: Dictionary["common"];
}) {
  const c = t.conditional;
  const router = useRouter();
  const [pending, start] = useTransition();
  const [notice, setNotice] = useState<ConditionalResult | null>(null);
  const [override, setOverride] = useState<HeldMenus | null>(null);
  const [tagId, setTagId] = useState("");
  const [openId, setOpenId] = useState("");
  const [match, setMatch] = useState<{ which: string; menu: MenuDocument } | { error: string } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const held = override ?? initialHeld;
  const tagLabel = (rule: Record<string, unknown>) => {
    const id = String(rule.tag_id ?? "");
    const tag = tags.find((x) => String(x.id) === id);
    return tag ? fmt(c.tagName, { name: tag.name, id }) : fmt(c.unknownTag, { id });
  };
  const tagNames = Object.fromEntries(held.conditional.map((m) => [m.menuId, tagLabel(m.matchrule)]));
  const problems = validateMenu(editorDoc);
  const canChange = !readOnly && held.hasDefault;

  function run(call: () => Promise<ConditionalResult | null>) {
    start(async () => {
      const result = await call();
      setNotice(result ?? { ok: false, message: common.forbidden });
      setOverride(result?.held ?? null);
      router.refresh();
    });
  }
  function move(i: number, to: number) {
    const order = held.conditional.map((m) => m.menuId);
    const [id] = order.splice(i, 1);
    order.splice(to, 0, id!);
    run(() => reorderConditionalMenusAction(appId, order, tagNames));
  }
  function remove(m: HeldConditional) {
    if (!window.confirm(fmt(c.removeConfirm, { tag: tagNames[m.menuId]! }))) return;
    run(() => removeConditionalMenuAction(appId, m.menuId));
  }
  function add() {
    const tag = tags.find((x) => String(x.id) === tagId);
    if (!tag) return;
    run(() => addConditionalMenuAction(appId, editorDoc, { tag_id: tagId }, tag.name));
  }
  function tryMatch() {
    start(async () => {
      const result = await tryMatchMenuAction(appId, openId);
      if (!result?.ok || !result.menu) return setMatch({ error: result?.message ?? common.forbidden });
      const hit = held.conditional.find((m) => same(m.menu, result.menu!));
      const which = hit ? fmt(c.seesConditional, { tag: tagNames[hit.menuId]! }) : defaultMenu && same(defaultMenu, result.menu) ? c.seesDefault : c.seesOther;
      setOpen(null);
      setMatch({ which, menu: result.menu });
    });
  }

  return (
    <section aria-labelledby="conditional-title" className="mt-8 space-y-6" data-testid="conditional-menus">
      <Card>
        <CardHeader
          id="conditional-title"
          title={c.title}
          description={c.intro}
          action={
            <Button
              variant="secondary"
              size="sm"
              disabled={pending}
              onClick={() => {
                setOverride(null);
                router.refresh();
              }}
            >
              {c.refresh}
            </Button>
          }
        />
        <CardBody className="space-y-4">
          {unavailable ? <Callout tone="warning">{fmt(c.unavailable, { reason: unavailable })}</Callout> : null}
          {!held.hasDefault && !unavailable && !readOnly ? <Callout tone="info">{c.needsDefault}</Callout> : null}
          {readOnly ? <Callout tone="info">{c.readOnly}</Callout> : null}
          {notice ? (
            <Callout tone={notice.ok ? "success" : "warning"} role={notice.ok ? "status" : "alert"}>
              {notice.message}
            </Callout>
          ) : null}
          {held.conditional.length ? (
            <>
              <p className="text-sm text-slate-600">{c.orderNote}</p>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>{c.order}</TableHead>
                    <TableHead>{c.tag}</TableHead>
                    <TableHead>{c.buttons}</TableHead>
                    <TableHead>{c.menuId}</TableHead>
                    {canChange ? (
                      <TableHead>
                        <span className="sr-only">{c.remove}</span>
                      </TableHead>
                    ) : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {held.conditional.map((m, i) => (
                    <TableRow key={m.menuId}>
                      <TableCell className="tabular-nums">{i + 1}</TableCell>
                      <TableCell>{tagNames[m.menuId]}</TableCell>
                      <TableCell className="text-slate-600">{m.menu.button.map((b) => b.name).join(" · ")}</TableCell>
                      <TableCell className="font-mono text-xs text-slate-500">{m.menuId}</TableCell>
                      {canChange ? (
                        <TableCell className="whitespace-nowrap text-right">
                          <Button
                            variant="ghost"
                            size="sm"
                            disabled={pending || i === 0}
                            onClick={() => move(i, i - 1)}
                            aria-label={`${c.moveUp}: ${tagNames[m.menuId]}`}
                          >
                            {c.moveUp}
                          </Button>
                          <Button
                            variant="ghost"
                            size="sm"
                            disabled={pending || i === held.conditional.length - 1}
                            onClick={() => move(i, i + 1)}
                            aria-label={`${c.moveDown}: ${tagNames[m.menuId]}`}
                          >
                            {c.moveDown}
                          </Button>
                          <Button variant="danger" size="sm" disabled={pending} onClick={() => remove(m)} aria-label={`${c.remove}: ${tagNames[m.menuId]}`}>
                            {c.remove}
                          </Button>
                        </TableCell>
                      ) : null}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          ) : (
            <p className="text-sm text-slate-500">{c.empty}</p>
          )}
          {canChange ? (
            <div className="space-y-3 border-t border-slate-100 pt-4">
              <h3 className="text-sm font-medium text-slate-900">{c.add}</h3>
              <p className="text-sm text-slate-600">{c.addHint}</p>
              {tags.length ? (
                <div className="flex flex-wrap items-end gap-3">
                  <Field id="conditional-tag" label={c.tag} hint={fmt(c.tagsCount, { n: tags.length })}>
                    <Select id="conditional-tag" value={tagId} onChange={(e) => setTagId(e.target.value)}>
                      <option value="">{c.pickTag}</option>
                      {tags.map((x) => (
                        <option key={x.id} value={String(x.id)}>
                          {fmt(c.tagName, { name: x.name, id: x.id })}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Button disabled={pending || !tagId || problems.length > 0} onClick={add}>
                    {c.addFor}
                  </Button>
                </div>
              ) : (
                <p className="text-sm text-slate-500">{c.noTags}</p>
              )}
              {problems.length ? <p className="text-sm text-amber-700">{fmt(c.invalid, { n: problems.length })}</p> : null}
            </div>
          ) : null}
        </CardBody>
      </Card>

      <Card>
        <CardHeader id="trymatch-title" title={c.tryTitle} description={c.tryHint} />
        <CardBody className="grid gap-6 md:grid-cols-[1fr_auto]">
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              if (openId.trim()) tryMatch();
            }}
          >
            <Field id="trymatch-openid" label={c.openId}>
              <Input
                id="trymatch-openid"
                value={openId}
                onChange={(e) => setOpenId(e.target.value)}
                list="trymatch-recent"
                autoComplete="off"
                spellCheck={false}
              />
            </Field>
            {recent.length ? (
              <datalist id="trymatch-recent" aria-label={c.recent}>
                {recent.map((o) => (
                  <option key={o} value={o} />
                ))}
              </datalist>
            ) : null}
            {recent.length ? (
              <div className="flex flex-wrap gap-2 text-xs" aria-label={c.recent}>
                <span className="text-slate-500">{c.recent}:</span>
                {recent.slice(0, 5).map((o) => (
                  <button
                    key={o}
                    type="button"
                    className="rounded bg-slate-100 px-2 py-0.5 font-mono text-slate-700 hover:bg-slate-200"
                    onClick={() => setOpenId(o)}
                  >
                    {o}
                  </button>
                ))}
              </div>
            ) : null}
            <Button type="submit" disabled={pending || !openId.trim()}>
              {pending ? c.trying : c.tryButton}
            </Button>
            {match && "error" in match ? (
              <Callout tone="warning" role="alert">
                {match.error}
              </Callout>
            ) : null}
            {match && "which" in match ? (
              <p className="text-sm font-medium text-slate-900" role="status" data-testid="trymatch-result">
                {fmt(c.sees, { which: match.which })}
              </p>
            ) : null}
          </form>
          {match && "which" in match ? (
            <div data-testid="trymatch-preview">
              <PhonePreview doc={match.menu} open={open} setOpen={setOpen} onPick={() => {}} taps={null} t={t} />
            </div>
          ) : null}
        </CardBody>
      </Card>
    </section>
  );
}
