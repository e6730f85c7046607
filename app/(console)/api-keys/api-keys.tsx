"use client";

import { useActionState, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fmt, type Dictionary } from "@/lib/i18n";
import { createKeyAction, revokeKeyAction } from "./actions";

type AccountRef = { appId: string; displayName: string | null };
type Scope = keyof Dictionary["apiKeys"]["permissionNames"];
type Key = {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  accounts: AccountRef[] | null;
  created: string;
  lastUsed: string | null;
  revoked: string | null;
};

const accountLabel = (a: AccountRef) => (a.displayName ? `${a.displayName} (${a.appId})` : a.appId);

/** Every account, or only the ones ticked: one checkbox per account, named after its id. */
function ScopeChoice({ accounts, t, error }: { accounts: Array<AccountRef & { id: string }>; t: Dictionary["apiKeys"]; error?: string }) {
  const [scope, setScope] = useState<"all" | "some">("all");
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "key-scope-error" : undefined}>
      <legend className="text-sm font-medium text-slate-800">{t.scope}</legend>
      {(["all", "some"] as const).map((s) => (
        <div key={s} className="flex items-center gap-2">
          <input
            id={`key-scope-${s}`}
            type="radio"
            name="scope"
            value={s}
            checked={scope === s}
            onChange={() => setScope(s)}
            className="size-4 accent-emerald-600"
          />
          <label htmlFor={`key-scope-${s}`} className="text-sm text-slate-800">
            {s === "all" ? t.scopeAll : t.scopeSome}
          </label>
        </div>
      ))}
      {scope === "some" ? (
        <div className="ml-6 space-y-1.5">
          {accounts.map((a) => (
            <div key={a.id} className="flex items-center gap-2">
              <input id={`key-account-${a.id}`} type="checkbox" name={`account:${a.id}`} className="size-4 accent-emerald-600" />
              <label htmlFor={`key-account-${a.id}`} className="text-sm text-slate-700">
                {accountLabel(a)}
              </label>
            </div>
          ))}
        </div>
      ) : null}
      {error ? (
        <p id="key-scope-error" className="text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** What the key may do: one checkbox per scope, token:read ticked as the default a key always had. */
function PermissionChoice({ scopes, t, error }: { scopes: readonly Scope[]; t: Dictionary["apiKeys"]; error?: string }) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? "key-permissions-error" : undefined}>
      <legend className="text-sm font-medium text-slate-800">{t.permissions}</legend>
      {scopes.map((s) => (
        <div key={s} className="flex items-center gap-2">
          <input
            id={`key-permission-${s.replace(":", "-")}`}
            type="checkbox"
            name={`permission:${s}`}
            defaultChecked={s === "token:read"}
            className="size-4 accent-emerald-600"
          />
          <label htmlFor={`key-permission-${s.replace(":", "-")}`} className="text-sm text-slate-800">
            {t.permissionNames[s]} <code className="text-xs text-slate-500">{s}</code>
          </label>
        </div>
      ))}
      {error ? (
        <p id="key-permissions-error" className="text-sm text-red-600" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function ApiKeys({
  keys,
  accounts,
  scopes,
  t,
  common,
}: {
  keys: Key[];
  accounts: Array<AccountRef & { id: string }>;
  scopes: readonly Scope[];
  t: Dictionary["apiKeys"];
  common: Dictionary["common"];
}) {
  const [created, createAction] = useActionState(createKeyAction, null);
  const [revoked, revokeAction] = useActionState(revokeKeyAction, null);
  const nameError = created && !created.ok ? created.errors?.name : undefined;
  const scopeError = created && !created.ok ? created.errors?.accounts : undefined;
  const permissionsError = created && !created.ok ? created.errors?.scopes : undefined;
  return (
    <div className="space-y-4">
      <form action={createAction} className="space-y-4">
        <div className="flex flex-wrap items-start gap-3">
          <Field id="key-name" label={t.name} error={nameError} className="min-w-[14rem] flex-1">
            <Input {...fieldIds("key-name", { error: !!nameError })} name="name" placeholder={t.namePlaceholder} required maxLength={64} autoComplete="off" />
          </Field>
          {/* Level with the input, not with an error line under it: the label is 1.25rem plus the gap. */}
          <SubmitButton pendingLabel={common.saving} className="mt-6.5">
            {t.create}
          </SubmitButton>
        </div>
        <PermissionChoice key={created?.ok ? `p${created.key}` : "permissions"} scopes={scopes} t={t} error={permissionsError} />
        {/* A new key resets the form, so the choice starts again from "every account" with it. */}
        {accounts.length > 1 ? <ScopeChoice key={created?.ok ? created.key : "form"} accounts={accounts} t={t} error={scopeError} /> : null}
      </form>
      <ActionResult state={created && { ...created, secret: created.key }} common={common} secretTestId="new-api-key" />
      <ActionResult state={revoked} common={common} />
      {keys.length ? (
        <Table density="compact" edge={0} className="min-w-[48rem]">
          <TableHeader>
            <TableRow>
              <TableHead>{t.columns.name}</TableHead>
              <TableHead>{t.columns.prefix}</TableHead>
              <TableHead>{t.columns.scopes}</TableHead>
              <TableHead>{t.columns.accounts}</TableHead>
              <TableHead>{t.columns.created}</TableHead>
              <TableHead>{t.columns.lastUsed}</TableHead>
              <TableHead>{t.columns.state}</TableHead>
              <TableHead>
                <span className="sr-only">{t.columns.actions}</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((k) => (
              <TableRow key={k.id} className={k.revoked ? "text-slate-400" : undefined}>
                <TableCell className="font-medium">{k.name}</TableCell>
                <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
                <TableCell data-testid="key-scopes">
                  <span className="flex flex-wrap gap-1">
                    {k.scopes.map((s) => (
                      <Badge key={s} tone={s === "messages:send" ? "blue" : undefined}>
                        <span title={t.permissionNames[s]}>{s}</span>
                      </Badge>
                    ))}
                  </span>
                </TableCell>
                <TableCell className="text-xs" data-testid="key-accounts">
                  {k.accounts ? k.accounts.map(accountLabel).join(", ") : <Badge>{t.scopeAllShort}</Badge>}
                </TableCell>
                <TableCell className="tabular-nums">{k.created}</TableCell>
                <TableCell className="tabular-nums">{k.lastUsed ?? common.never}</TableCell>
                <TableCell>{k.revoked ? <Badge>{t.revoked}</Badge> : <Badge tone="green">{t.active}</Badge>}</TableCell>
                <TableCell className="text-right">
                  {!k.revoked ? (
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
        <p className="text-sm text-slate-500">{t.empty}</p>
      )}
    </div>
  );
}
