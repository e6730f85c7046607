"use client";

import { useActionState } from "react";
import { Callout } from "@/components/ui/callout";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import type { Dictionary } from "@/lib/i18n";
import { login } from "./actions";

export function LoginForm({ t, callbackUrl, initialError }: { t: Dictionary["login"]; callbackUrl: string; initialError?: string }) {
  const [state, action] = useActionState(login, initialError ? { error: initialError } : undefined);
  return (
    <form action={action} className="space-y-5" noValidate={false}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state?.error ? (
        <Callout tone="danger" role="alert">
          <span id="login-error">{state.error}</span>
        </Callout>
      ) : null}
      <Field id="email" label={t.email}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          defaultValue={state?.email}
          aria-describedby={state?.error ? "login-error" : undefined}
        />
      </Field>
      <Field id="password" label={t.password}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby={state?.error ? "login-error" : undefined}
        />
      </Field>
      <SubmitButton pendingLabel={t.pending} className="w-full">
        {t.submit}
      </SubmitButton>
    </form>
  );
}
