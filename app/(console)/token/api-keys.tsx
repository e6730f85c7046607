"use client";

import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { fmt, type Dictionary } from "@/lib/i18n";
import { createKeyAction, revokeKeyAction, type KeyState } from "./actions";

type Key = { id: string; name: string; prefix: string; created: string; lastUsed: string | null; revoked: string | null };

export function ApiKeys({ keys, t, common, canEdit }: { keys: Key[]; t: Dictionary["token"]; common: Dictionary["common"]; canEdit: boolean }) {
  const [created, createAction] = useActionState(createKeyAction, null);
  const [revoked, revokeAction] = useActionState(revokeKeyAction, null);
  return (
    <div className="space-y-4">
      {canEdit ? (
        <form action={createAction} className="flex flex-wrap items-end gap-3">
          <Field id="key-name" label={t.keyName} className="min-w-[14rem] flex-1">
            <Input {...fieldIds("key-name", {})} name="name" placeholder={t.keyNamePlaceholder} required maxLength={64} autoComplete="off" />
          </Field>
          <SubmitButton pendingLabel={common.saving}>{t.createKey}</SubmitButton>
        </form>
      ) : null}
      <ActionResult state={created && { ...created, secret: created.key }} common={common} secretTestId="new-api-key" />
      <ActionResult state={revoked} common={common} />
      {keys.length ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[36rem] text-sm">
            <thead className="text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4">{t.keyColumns.name}</th>
                <th scope="col" className="py-2 pr-4">{t.keyColumns.prefix}</th>
                <th scope="col" className="py-2 pr-4">{t.keyColumns.created}</th>
                <th scope="col" className="py-2 pr-4">{t.keyColumns.lastUsed}</th>
                <th scope="col" className="py-2 pr-4">{t.keyColumns.state}</th>
                <th scope="col" className="py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((k) => (
                <tr key={k.id} className={k.revoked ? "text-slate-400" : undefined}>
                  <td className="py-2 pr-4 font-medium">{k.name}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{k.prefix}…</td>
                  <td className="py-2 pr-4 tabular-nums">{k.created}</td>
                  <td className="py-2 pr-4 tabular-nums">{k.lastUsed ?? common.never}</td>
                  <td className="py-2 pr-4">{k.revoked ? <Badge>{t.keyRevoked}</Badge> : <Badge tone="green">{t.keyActive}</Badge>}</td>
                  <td className="py-2 text-right">
                    {canEdit && !k.revoked ? (
                      <form
                        action={revokeAction}
                        onSubmit={(e) => {
                          if (!confirm(fmt(t.confirmRevoke, { name: k.name }))) e.preventDefault();
                        }}
                      >
                        <input type="hidden" name="id" value={k.id} />
                        <input type="hidden" name="name" value={k.name} />
                        <Button type="submit" size="sm" variant="danger">
                          {t.revoke}
                          <span className="sr-only"> {k.name}</span>
                        </Button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-slate-500">{t.keysEmpty}</p>
      )}
    </div>
  );
}
