"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useState } from "react";
import { ActionResult } from "@/components/action-result";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { accountPath } from "@/lib/accounts/account-path";
import { fmt, type Dictionary } from "@/lib/i18n";
import type { ConsoleRule } from "@/lib/replies/rule-set-io";
import type { RuleReply } from "@/lib/replies/rule-fields";
import { formatClock } from "@/lib/replies/time-window";
import { reorderRulesAction, setRuleEnabledAction } from "./actions";

type R = Dictionary["rules"];

/** A reply in a few words, for the list. */
function replySummary(reply: RuleReply, r: R): string {
  const kind = r.replyTypes[reply.type];
  switch (reply.type) {
    case "text":
      return reply.content.length > 60 ? `${reply.content.slice(0, 60)}…` : reply.content;
    case "news":
      return `[${kind}] ${reply.article.title}`;
    case "video":
    case "music":
      return reply.title ? `[${kind}] ${reply.title}` : `[${kind}]`;
    default:
      return `[${kind}]`;
  }
}

const move = (ids: string[], from: number, to: number) => {
  const next = [...ids];
  const [id] = next.splice(from, 1);
  next.splice(to, 0, id!);
  return next;
};

/**
 * The account's rules, first answering first. Admins reorder by dragging a row or, from the
 * keyboard and for screen readers, with each row's up and down buttons; both send the whole order.
 */
export function RulesList({
  appId,
  rules,
  canEdit,
  tz,
  t,
  common,
}: {
  appId: string;
  rules: ConsoleRule[];
  canEdit: boolean;
  tz: string;
  t: R;
  common: Dictionary["common"];
}) {
  const [order, setOrder] = useState(() => rules.map((r) => r.id));
  const [dragged, setDragged] = useState<string | null>(null);
  const [moveState, reorder] = useActionState(reorderRulesAction, null);
  const [switchState, toggle] = useActionState(setRuleEnabledAction, null);
  useEffect(() => setOrder(rules.map((r) => r.id)), [rules]);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const shown = order.map((id) => byId.get(id)).filter((r): r is ConsoleRule => !!r);

  const submitOrder = (ids: string[]) => {
    setOrder(ids);
    const form = new FormData();
    form.set("account", appId);
    form.set("order", ids.join(","));
    startTransition(() => reorder(form));
  };

  return (
    <div className="space-y-3">
      <ActionResult state={moveState ?? switchState} common={common} />
      <ol aria-label={t.list.label} className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        {shown.map((rule, i) => (
          <li
            key={rule.id}
            data-testid="rule-row"
            draggable={canEdit}
            onDragStart={(e) => {
              setDragged(rule.id);
              e.dataTransfer.effectAllowed = "move";
            }}
            onDragOver={(e) => {
              if (dragged) e.preventDefault();
            }}
            onDrop={(e) => {
              e.preventDefault();
              if (dragged && dragged !== rule.id) submitOrder(move(order, order.indexOf(dragged), i));
              setDragged(null);
            }}
            onDragEnd={() => setDragged(null)}
            className={cn("flex gap-3 px-4 py-3", dragged === rule.id && "opacity-50", !rule.enabled && "bg-slate-50")}
          >
            <div className="flex w-10 shrink-0 flex-col items-center gap-1 pt-0.5">
              {canEdit ? (
                <span aria-hidden title={fmt(t.list.drag, { name: rule.name })} className="cursor-grab select-none text-slate-400">
                  ⠿
                </span>
              ) : null}
              <span className="text-xs tabular-nums text-slate-400">{i + 1}</span>
            </div>
            <div className="min-w-0 flex-1 space-y-1.5">
              <div className="flex flex-wrap items-center gap-2">
                <Link href={accountPath(appId, `/rules/${rule.id}`)} className="font-medium text-slate-900 hover:underline">
                  {rule.name}
                </Link>
                <Badge tone="blue">{t.triggers[rule.trigger]}</Badge>
                <Badge tone={rule.enabled ? "green" : "neutral"}>{rule.enabled ? t.list.on : t.list.off}</Badge>
                {rule.origin !== "console" ? <span className="text-xs text-slate-500">{t.origins[rule.origin] ?? rule.origin}</span> : null}
              </div>
              {rule.disabledReason ? (
                <p className="text-xs text-amber-800">{fmt(t.disabledBecause, { reason: t.disabledReasons[rule.disabledReason] ?? rule.disabledReason })}</p>
              ) : null}
              <dl className="grid gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-[auto_1fr]">
                {rule.trigger === "keyword" ? (
                  <>
                    <dt className="text-slate-400">{t.list.keywords}</dt>
                    <dd className="flex flex-wrap gap-1">
                      {rule.keywords.map((k, j) => (
                        <code key={j} className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">
                          <span className="text-slate-400">{t.matches[k.match]}</span> {k.pattern}
                        </code>
                      ))}
                    </dd>
                  </>
                ) : null}
                {rule.eventKey ? (
                  <>
                    <dt className="text-slate-400">{t.list.eventKey}</dt>
                    <dd>
                      <code>{rule.eventKey}</code>
                    </dd>
                  </>
                ) : null}
                <dt className="text-slate-400">{t.list.replies}</dt>
                <dd className="space-y-0.5" data-testid="rule-replies">
                  {rule.replies.map((reply, j) => (
                    <p key={j} className="truncate">
                      {replySummary(reply, t)}
                    </p>
                  ))}
                </dd>
                <dt className="text-slate-400">{t.list.mode}</dt>
                <dd>
                  {t.modes[rule.replyMode]}
                  {rule.trigger === "default" && rule.cooldownSeconds > 0 ? ` · ${fmt(t.list.cooldown, { s: rule.cooldownSeconds })}` : null}
                </dd>
                <dt className="text-slate-400">{t.list.window}</dt>
                <dd>{rule.window ? `${formatClock(rule.window.startMin)}–${formatClock(rule.window.endMin)} (${tz})` : t.list.allDay}</dd>
              </dl>
            </div>
            <div className="flex shrink-0 flex-col items-end gap-2">
              {canEdit ? (
                <>
                  <form action={toggle}>
                    <input type="hidden" name="account" value={appId} />
                    <input type="hidden" name="id" value={rule.id} />
                    <input type="hidden" name="enabled" value={String(!rule.enabled)} />
                    <button
                      type="submit"
                      role="switch"
                      aria-checked={rule.enabled}
                      aria-label={fmt(rule.enabled ? t.list.disable : t.list.enable, { name: rule.name })}
                      className={cn(
                        "relative h-6 w-11 rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600",
                        rule.enabled ? "bg-emerald-600" : "bg-slate-300",
                      )}
                    >
                      <span
                        aria-hidden
                        className={cn("absolute top-0.5 size-5 rounded-full bg-white shadow transition-all", rule.enabled ? "left-[1.375rem]" : "left-0.5")}
                      />
                    </button>
                  </form>
                  <div className="flex gap-1">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={fmt(t.list.moveUp, { name: rule.name })}
                      disabled={i === 0}
                      onClick={() => submitOrder(move(order, i, i - 1))}
                    >
                      ↑
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={fmt(t.list.moveDown, { name: rule.name })}
                      disabled={i === shown.length - 1}
                      onClick={() => submitOrder(move(order, i, i + 1))}
                    >
                      ↓
                    </Button>
                  </div>
                </>
              ) : null}
              <Link href={accountPath(appId, `/rules/${rule.id}`)} className={buttonClass("secondary", "sm")}>
                {canEdit ? t.list.edit : t.list.view}
              </Link>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
