"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { ActionResult } from "@/components/action-result";
import { Button } from "@/components/ui/button";
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
  const fileInput = useRef<HTMLInputElement>(null);
  // The browser's own file control speaks the browser's language, not the console's.
  const [fileName, setFileName] = useState<string | null>(null);
  useEffect(() => {
    if (!state?.ok) return;
    form.current?.reset();
    setFileName(null);
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
        <div className="flex items-center gap-3">
          <Button variant="secondary" size="sm" disabled={disabled} onClick={() => fileInput.current?.click()}>
            {t.chooseImage}
          </Button>
          <span className="min-w-0 truncate text-sm text-slate-600" data-testid="composer-file">
            {fileName ?? t.noImage}
          </span>
          <input
            {...fieldIds("reply-image", { hint: true, error: !!imageError })}
            ref={fileInput}
            type="file"
            name="image"
            tabIndex={-1}
            accept=".jpg,.jpeg,.png,.gif,.bmp,image/jpeg,image/png,image/gif,image/bmp"
            disabled={disabled}
            className="sr-only"
            onChange={(e) => setFileName(e.target.files?.[0]?.name ?? null)}
          />
        </div>
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
