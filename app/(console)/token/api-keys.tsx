"use client";

import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fmt, type Dictionary } from "@/lib/i18n";
import { createKeyAction, revokeKeyAction, type KeyState } from "./actions";

type Key = { id: string; name: string; prefix: string; created: string; lastUsed: string | null; revoked: string | null };

export function ApiKeys({ keys, t, common, canEdit }: { keys: Key[]; t: Dictionary["token"]; common: Dictionary["common"]; canEdit: boolean }) {
  const [created, createAction] = useActionState(createKeyAction, null);
  const [revoked, revokeAction] = useActionState(revokeKeyAction, null);
  const nameError = created && !created.ok ? created.errors?.name : undefined;
  return (
    <div className="space-y-4">
      {canEdit ? (
        <form action={createAction} className="flex flex-wrap items-start gap-3">
          <Field id="key-name" label={t.keyName} error={nameError} className="min-w-[14rem] flex-1">
            <Input
              {...fieldIds("key-name", { error: !!nameError })}
              name="name"
              placeholder={t.keyNamePlaceholder}
              required
              maxLength={64}
              autoComplete="off"
            />
          </Field>
          {/* Level with the input, not with an error line under it: the label is 1.25rem plus the gap. */}
          <SubmitButton pendingLabel={common.saving} className="mt-6.5">
            {t.createKey}
          </SubmitButton>
        </form>
      ) : null}
      <ActionResult state={created && { ...created, secret: created.key }} common={common} secretTestId="new-api-key" />
      <ActionResult state={revoked} common={common} />
      {keys.length ? (
        <Table density="compact" edge={0} className="min-w-[36rem]">
          <TableHeader>
            <TableRow>
              <TableHead>{t.keyColumns.name}</TableHead>
              <TableHead>{t.keyColumns.prefix}</TableHead>
              <TableHead>{t.keyColumns.created}</TableHead>
              <TableHead>{t.keyColumns.lastUsed}</TableHead>
              <TableHead>{t.keyColumns.state}</TableHead>
              <TableHead>
                <span className="sr-only">{t.keyColumns.actions}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((k) => (
              <TableRow key={k.id} className={k.revoked ? "text-slate-400" : undefined}>
                <TableCell className="font-medium">{k.name}</TableCell>
                <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
                <TableCell className="tabular-nums">{k.created}</TableCell>
                <TableCell className="tabular-nums">{k.lastUsed ?? common.never}</TableCell>
                <TableCell>{k.revoked ? <Badge>{t.keyRevoked}</Badge> : <Badge tone="green">{t.keyActive}</Badge>}</TableCell>
                <TableCell className="text-right">
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
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <p className="text-sm text-slate-500">{t.keysEmpty}</p>
      )}
    </div>
  );
}
