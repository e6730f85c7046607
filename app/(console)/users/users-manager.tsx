"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fmt, type Dictionary } from "@/lib/i18n";
import { addUser, updateUser, type UsersState } from "./actions";

type T = { u: Dictionary["users"]; roles: Dictionary["nav"]["roles"]; common: Dictionary["common"] };

function Result({ state, t }: { state: UsersState; t: T }) {
  const label =
    state?.secret && state.message !== fmt(t.u.newPassword, { email: state.secret.email }) ? fmt(t.u.newPassword, { email: state.secret.email }) : undefined;
  return <ActionResult state={state && { ...state, secret: state.secret?.password }} common={t.common} secretLabel={label} secretTestId="new-password" />;
}

export function UsersManager({
  t,
  users,
  currentUserId,
}: {
  t: T;
  users: Array<{ id: string; email: string; role: "admin" | "viewer"; created: string }>;
  currentUserId: string;
}) {
  const [rowState, rowAction] = useActionState(updateUser, null);
  const [addState, addAction] = useActionState(addUser, null);
  return (
    <div className="space-y-6">
      <Result state={rowState} t={t} />
      <Table wrapperClassName="rounded-xl border border-slate-200 bg-white shadow-sm" className="min-w-[40rem]">
        <TableHeader className="border-b border-slate-200 bg-slate-50/70">
          <TableRow>
            <TableHead>{t.u.email}</TableHead>
            <TableHead>{t.u.role}</TableHead>
            <TableHead>{t.u.created}</TableHead>
            <TableHead className="text-right">{t.u.actions}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id}>
              <TableCell className="font-medium text-slate-800">
                {user.email} {user.id === currentUserId ? <span className="text-xs font-normal text-slate-400">({t.u.you})</span> : null}
              </TableCell>
              <TableCell>
                <form action={rowAction} className="flex items-center gap-2">
                  <input type="hidden" name="userId" value={user.id} />
                  <input type="hidden" name="intent" value="role" />
                  <Field id={`role-${user.id}`} label={`${t.u.role} ${user.email}`} labelHidden>
                    <Select id={`role-${user.id}`} name="role" defaultValue={user.role} className="h-8 w-auto text-xs">
                      <option value="admin">{t.roles.admin}</option>
                      <option value="viewer">{t.roles.viewer}</option>
                    </Select>
                  </Field>
                  <Button type="submit" size="sm" variant="ghost">
                    {t.u.changeRole}
                  </Button>
                </form>
              </TableCell>
              <TableCell className="text-slate-500 tabular-nums">{user.created}</TableCell>
              <TableCell>
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
        <div className="mt-4 grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem_minmax(0,1fr)]">
          <Field id="new-email" label={t.u.email} error={addState?.errors?.email}>
            <Input {...fieldIds("new-email", { error: !!addState?.errors?.email })} name="email" type="email" autoComplete="off" required />
          </Field>
          <Field id="new-role" label={t.u.role}>
            <Select id="new-role" name="role" defaultValue="viewer">
              <option value="viewer">{t.roles.viewer}</option>
              <option value="admin">{t.roles.admin}</option>
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
