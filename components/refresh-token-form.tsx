"use client";

import { useActionState } from "react";
import { refreshTokenAction } from "@/app/(console)/token/actions";
import type { Dictionary, Locale } from "@/lib/i18n";
import { TokenErrorDetails } from "./token-error-details";
import { Callout } from "./ui/callout";
import { SubmitButton } from "./ui/submit-button";

/** "Test connection" / "Refresh now": both ask WeChat for a token at once and say what happened. */
export function RefreshTokenForm({
  appId,
  intent,
  t,
  common,
  locale,
  disabled,
}: {
  appId: string;
  intent: "test" | "refresh";
  t: Dictionary["token"];
  common: Dictionary["common"];
  locale: Locale;
  disabled?: boolean;
}) {
  const [state, action] = useActionState(refreshTokenAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="account" value={appId} />
      <input type="hidden" name="intent" value={intent} />
      <SubmitButton pendingLabel={intent === "test" ? t.testing : t.refreshing} disabled={disabled} variant={intent === "test" ? "primary" : "secondary"}>
        {intent === "test" ? t.testConnection : t.refreshNow}
      </SubmitButton>
      {state ? (
        <Callout tone={state.ok ? "success" : "danger"} role={state.ok ? "status" : "alert"} title={state.message}>
          {state.error ? <TokenErrorDetails error={state.error} t={t} locale={locale} common={common} /> : null}
        </Callout>
      ) : null}
    </form>
  );
}
