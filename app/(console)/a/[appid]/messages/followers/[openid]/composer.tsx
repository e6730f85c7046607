"use client";

import { useActionState, useEffect, useRef } from "react";
import { ActionResult } from "@/components/action-result";
import { Field, fieldIds } from "@/components/ui/field";
import { controlClass } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { cn } from "@/components/ui/cn";
import type { Dictionary } from "@/lib/i18n";
import { sendReplyAction } from "./actions";

/** Under the thread, for the account's admins: a text and an optional image, sent as customer-service messages. */
export function Composer({
  appId,
  openId,
  disabledReason,
  t,
  common,
}: {
  appId: string;
  openId: string;
  /** Why nothing can be sent now (no customer-service API, window closed): the form stays, greyed out, with the reason. */
  disabledReason: string | null;
  t: Dictionary["inbox"]["composer"];
  common: Dictionary["common"];
}) {
  const [state, action] = useActionState(sendReplyAction, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const textError = state && !state.ok ? state.errors?.text : undefined;
  const imageError = state && !state.ok ? state.errors?.image : undefined;
  const disabled = !!disabledReason;
  return (
    <form ref={form} action={action} aria-labelledby="composer-title" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="composer-title" className="text-sm font-semibold text-slate-800">
        {t.title}
      </h2>
      <input type="hidden" name="account" value={appId} />
      <input type="hidden" name="openid" value={openId} />
      {disabledReason ? (
        <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="composer-disabled">
          {disabledReason}
        </p>
      ) : null}
      <Field id="reply-text" label={t.text} error={textError}>
        <textarea
          {...fieldIds("reply-text", { error: !!textError })}
          name="text"
          rows={3}
          maxLength={2048}
          disabled={disabled}
          placeholder={t.textPlaceholder}
          className={cn(controlClass, "py-2")}
        />
      </Field>
      <Field id="reply-image" label={t.image} hint={t.imageHint} error={imageError}>
        <input
          {...fieldIds("reply-image", { hint: true, error: !!imageError })}
          type="file"
          name="image"
          accept=".jpg,.jpeg,.png,.gif,.bmp,image/jpeg,image/png,image/gif,image/bmp"
          disabled={disabled}
          className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
        />
      </Field>
      <div className="flex justify-end">
        <SubmitButton pendingLabel={t.sending} disabled={disabled}>
          {t.send}
        </SubmitButton>
      </div>
      <ActionResult state={state} common={common} />
    </form>
  );
}
