"use client";

import { useActionState, useState } from "react";
import { ActionResult } from "@/components/action-result";
import { Button, buttonClass } from "@/components/ui/button";
import { Callout } from "@/components/ui/callout";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fmt, type Dictionary } from "@/lib/i18n";
import { removeAccountAction, renameAccountAction } from "./actions";

type A = Dictionary["accounts"];

export function RenameAccountForm({
  appId,
  displayName,
  t,
}: {
  appId: string;
  displayName: string | null;
  t: { common: Dictionary["common"]; name: A["name"]; rename: A["rename"] };
}) {
  const [state, action] = useActionState(renameAccountAction, null);
  const error = state && !state.ok ? state.errors?.displayName : undefined;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="account" value={appId} />
      <Field id="displayName" label={t.name.label} hint={t.name.hint} error={error}>
        <div className="flex flex-wrap gap-2">
          <Input
            {...fieldIds("displayName", { hint: true, error: !!error })}
            name="displayName"
            defaultValue={displayName ?? ""}
            maxLength={64}
            autoComplete="off"
            placeholder={t.name.placeholder}
            className="min-w-[14rem] flex-1"
          />
          <SubmitButton pendingLabel={t.common.saving}>{t.rename.submit}</SubmitButton>
        </div>
      </Field>
      <ActionResult state={state} common={t.common} />
    </form>
  );
}

/** Names what goes, offers the export first, and asks for the AppID typed again. */
export function RemoveAccountForm({
  appId,
  name,
  exportHref,
  deleted,
  t,
}: {
  appId: string;
  /** How the account is named to whoever confirms: its display name and AppID, or the AppID. */
  name: string;
  exportHref: string;
  deleted: string[];
  t: A["remove"];
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, action] = useActionState(removeAccountAction, null);
  if (!open) {
    return (
      <Button variant="danger" onClick={() => setOpen(true)}>
        {t.start}
      </Button>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="account" value={appId} />
      <Callout tone="danger" title={fmt(t.confirmTitle, { name })}>
        <ul className="mt-1 list-disc space-y-0.5 pl-5" data-testid="removal-counts">
          {deleted.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p className="mt-2">{t.irreversible}</p>
      </Callout>
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
        <span className="text-slate-700">{t.exportFirst}</span>
        <a href={exportHref} download className={buttonClass("secondary", "sm")}>
          {t.exportCsv}
        </a>
      </div>
      <Field id="confirm-appid" label={fmt(t.typeAppId, { appId })} error={state && !state.ok ? state.message : undefined}>
        <Input
          {...fieldIds("confirm-appid", { error: !!(state && !state.ok) })}
          name="confirm"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder={appId}
          className="font-mono"
        />
      </Field>
      <div className="flex flex-wrap gap-3">
        <SubmitButton variant="danger" pendingLabel={t.removing} disabled={typed.trim() !== appId}>
          {t.submit}
        </SubmitButton>
        <Button variant="ghost" onClick={() => (setOpen(false), setTyped(""))}>
          {t.cancel}
        </Button>
      </div>
    </form>
  );
}
