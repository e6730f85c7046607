"use client";

import { useActionState } from "react";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import type { Dictionary } from "@/lib/i18n";
import { changePassword } from "./actions";

export function PasswordForm({ t, common }: { t: Dictionary["profile"]; common: Dictionary["common"] }) {
  const [state, action] = useActionState(changePassword, null);
  const e = state?.errors ?? {};
  return (
    <form action={action} className="max-w-md space-y-5">
      <ActionResult state={state} common={common} />
      <Field id="currentPassword" label={t.currentPassword} error={e.currentPassword}>
        <Input
          {...fieldIds("currentPassword", { error: !!e.currentPassword })}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
        />
      </Field>
      <Field id="newPassword" label={t.newPassword} hint={t.newPasswordHint} error={e.newPassword}>
        <Input
          {...fieldIds("newPassword", { hint: true, error: !!e.newPassword })}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={200}
        />
      </Field>
      <Field id="confirmPassword" label={t.confirmPassword} error={e.confirmPassword}>
        <Input {...fieldIds("confirmPassword", { error: !!e.confirmPassword })} name="confirmPassword" type="password" autoComplete="new-password" required />
      </Field>
      <SubmitButton pendingLabel={t.pending}>{t.submit}</SubmitButton>
    </form>
  );
}
