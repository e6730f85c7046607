"use client";

import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fmt, type Dictionary } from "@/lib/i18n";
import { addUser, updateAccess, updateUser, type UsersState } from "./actions";

type T = { u: Dictionary["users"]; common: Dictionary["common"] };
type AccountRef = { id: string; appId: string; displayName: string | null };
type UserView = { id: string; email: string; role: "admin" | "viewer"; access: Record<string, "admin" | "viewer">; created: string };

function Result({ state, t }: { state: UsersState; t: T }) {
  const label =
    state?.secret && state.message !== fmt(t.u.newPassword, { email: state.secret.email }) ? fmt(t.u.newPassword, { email: state.secret.email }) : undefined;
  return <ActionResult state={state && { ...state, secret: state.secret?.password }} common={t.common} secretLabel={label} secretTestId="new-password" />;
}

/** A member's role on each account, one select per account, saved together. */
function AccountAccess({ user, accounts, t, action }: { user: UserView; accounts: AccountRef[]; t: T; action: (fd: FormData) => void }) {
  if (user.role === "admin") return <Badge tone="green">{t.u.everyAccount}</Badge>;
  if (!accounts.length) return <span className="text-xs text-slate-500">{t.u.noAccounts}</span>;
  return (
    <form action={action} className="space-y-1.5">
      <input type="hidden" name="userId" value={user.id} />
      {accounts.map((a) => {
        const id = `access-${user.id}-${a.id}`;
        const name = a.displayName ? `${a.displayName} ${a.appId}` : a.appId;
        return (
          <div key={a.id} className="flex items-center justify-between gap-3">
            <span aria-hidden className="min-w-0 text-xs leading-tight text-slate-700">
              {a.displayName ? <span className="block font-medium">{a.displayName}</span> : null}
              <span className="block font-mono break-all text-slate-500">{a.appId}</span>
            </span>
            <Field id={id} label={`${name} ${user.email}`} labelHidden>
              <Select id={id} name={`account:${a.id}`} defaultValue={user.access[a.id] ?? "none"} className="h-7 w-28 shrink-0 text-xs">
                <option value="admin">{t.u.accountRoles.admin}</option>
                <option value="viewer">{t.u.accountRoles.viewer}</option>
                <option value="none">{t.u.accountRoles.none}</option>
              </Select>
            </Field>
          </div>
        );
      })}
      <Button type="submit" size="sm" variant="ghost">
        {t.u.saveAccess}
        <span className="sr-only"> {user.email}</span>
      </Button>
    </form>
  );
}

export function UsersManager({ t, users, accounts, currentUserId }: { t: T; users: UserView[]; accounts: AccountRef[]; currentUserId: string }) {
  const [rowState, rowAction] = useActionState(updateUser, null);
  const [accessState, accessAction] = useActionState(updateAccess, null);
  const [addState, addAction] = useActionState(addUser, null);
  return (
    <div className="space-y-6">
      <Result state={rowState} t={t} />
      <Result state={accessState} t={t} />
      <Table wrapperClassName="rounded-xl border border-slate-200 bg-white shadow-sm" className="min-w-[60rem]">
        <TableHeader className="border-b border-slate-200 bg-slate-50/70">
          <TableRow>
            <TableHead>{t.u.email}</TableHead>
            <TableHead>{t.u.role}</TableHead>
            <TableHead>{t.u.access}</TableHead>
            <TableHead className="text-right">{t.u.actions}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id}>
              <TableCell className="align-top font-medium text-slate-800">
                {user.email} {user.id === currentUserId ? <span className="text-xs font-normal text-slate-400">({t.u.you})</span> : null}
                <div className="mt-0.5 text-xs font-normal text-slate-500 tabular-nums">
                  {t.u.created} {user.created}
                </div>
              </TableCell>
              <TableCell className="align-top">
                <form action={rowAction} className="flex flex-wrap items-center gap-2">
                  <input type="hidden" name="userId" value={user.id} />
                  <input type="hidden" name="intent" value="role" />
                  <Field id={`role-${user.id}`} label={`${t.u.role} ${user.email}`} labelHidden>
                    <Select id={`role-${user.id}`} name="role" defaultValue={user.role} className="h-8 w-48 text-xs">
                      <option value="admin">{t.u.kinds.admin}</option>
                      <option value="viewer">{t.u.kinds.viewer}</option>
                    </Select>
                  </Field>
                  <Button type="submit" size="sm" variant="ghost">
                    {t.u.changeRole}
                  </Button>
                </form>
              </TableCell>
              <TableCell className="min-w-[20rem] align-top">
                <AccountAccess user={user} accounts={accounts} t={t} action={accessAction} />
              </TableCell>
              <TableCell className="align-top">
                <div className="flex justify-end gap-2">
                  <form action={rowAction}>
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="intent" value="reset" />
                    <Button type="submit" size="sm" variant="secondary">
                      {t.u.resetPassword}
                    </Button>
                  </form>
                  <form
                    action={rowAction}
                    onSubmit={(e) => {
                      if (!confirm(fmt(t.u.confirmRemove, { email: user.email }))) e.preventDefault();
                    }}
                  >
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="intent" value="remove" />
                    <Button type="submit" size="sm" variant="danger" disabled={user.id === currentUserId}>
                      {t.u.remove}
                    </Button>
                  </form>
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <form action={addAction} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" noValidate>
        <h2 className="text-base font-semibold text-slate-900">{t.u.addTitle}</h2>
        <div className="mt-4 grid gap-4 sm:grid-cols-[minmax(0,1fr)_14rem_minmax(0,1fr)]">
          <Field id="new-email" label={t.u.email} error={addState?.errors?.email}>
            <Input {...fieldIds("new-email", { error: !!addState?.errors?.email })} name="email" type="email" autoComplete="off" required />
          </Field>
          <Field id="new-role" label={t.u.role} hint={t.u.kindHint}>
            <Select {...fieldIds("new-role", { hint: true })} name="role" defaultValue="viewer">
              <option value="viewer">{t.u.kinds.viewer}</option>
              <option value="admin">{t.u.kinds.admin}</option>
            </Select>
          </Field>
          <Field id="new-password" label={t.u.password} hint={t.u.passwordHint} error={addState?.errors?.password}>
            <Input
              {...fieldIds("new-password", { hint: true, error: !!addState?.errors?.password })}
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={8}
            />
          </Field>
        </div>
        <div className="mt-4 flex flex-wrap items-start gap-4">
          <SubmitButton pendingLabel={t.common.saving}>{t.u.add}</SubmitButton>
          <div className="min-w-0 flex-1">
            <Result state={addState} t={t} />
          </div>
        </div>
      </form>
    </div>
  );
}
